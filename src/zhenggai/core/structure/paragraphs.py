"""Paragraphs as every reader hands them over, and the numbering that opens them."""

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from zhenggai.core.numerals import CIRCLED, circled_value, cn_to_int


@dataclass(frozen=True)
class Para:
    """One paragraph of input text and where it stood (``第12段``, ``第2页第3段`` …).

    ``right_aligned``: the reader saw the paragraph set flush right, as a
    signature and its date are; plain text cannot tell and leaves it False.
    """

    text: str
    where: str
    right_aligned: bool = False


# Converters leave their own marks in the text; they are not the document's words.
_ARTIFACTS = re.compile(r"\[bookmark: [^\]]*\]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def clean(text: str) -> str:
    """Drop converter artefacts and invisible characters; trim the ends."""
    text = _ARTIFACTS.sub("", text).translate(_INVISIBLE)
    text = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in text)
    return text.strip()


# Heading levels of GB/T 9704 and their common variants (half-width brackets,
# 1、 for 1.), in the order the standard nests them.
Level = Literal["L1", "L2", "L3", "L4", "L5"]
LEVELS: tuple[Level, ...] = ("L1", "L2", "L3", "L4", "L5")
_CN = "[一二三四五六七八九十]+"
_MARKERS: tuple[tuple[Level, re.Pattern[str]], ...] = (
    ("L1", re.compile(rf"^({_CN})\s*[、.．,，]\s*")),
    ("L2", re.compile(rf"^[（(]\s*({_CN})\s*[）)]\s*[、.．]?\s*")),
    ("L3", re.compile(r"^(\d{1,2})\s*(?:[、.．](?!\d)|\s+(?=\D))\s*")),
    ("L4", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、.．]?\s*")),
    ("L5", re.compile(rf"^([{CIRCLED}])\s*")),
)


@dataclass(frozen=True)
class Marker:
    """The numbering that opens a paragraph: its level, its number, the text after it."""

    level: Level
    number: int
    rest: str


def read_marker(text: str) -> Marker | None:
    for level, pattern in _MARKERS:
        match = pattern.match(text)
        if match is None or not text[match.end() :].strip():
            continue
        token = match.group(1)
        number = int(token) if token.isdecimal() else (cn_to_int(token) or circled_value(token))
        if number:
            return Marker(level, number, text[match.end() :].strip())
    return None
