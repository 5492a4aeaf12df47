"""A published bulletin laid out for the page: its headings as headings, the rest as
paragraphs, each with the alignment the document gave it."""

from dataclasses import dataclass

from zhenggai.publications.models import Paragraph

# The title is the page's h1; GB/T levels 1–4 come below it.
HEADINGS = {1: "h2", 2: "h3", 3: "h4", 4: "h5"}


@dataclass(frozen=True)
class Block:
    tag: str  # h2 … h5, or p
    text: str
    align: str


def runs_on(text: str) -> bool:
    """A numbered paragraph that goes on into sentences (「1.加强领导。一是……」) is
    body text that opens with a heading, not a heading: it reads as a paragraph."""
    return "。" in text.rstrip("。")


def blocks(paragraphs: list[Paragraph]) -> list[Block]:
    return [
        Block(
            "p" if p["level"] not in HEADINGS or runs_on(p["text"]) else HEADINGS[p["level"]],
            p["text"],
            p.get("align", ""),
        )
        for p in paragraphs
    ]
