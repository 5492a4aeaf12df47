"""The pager every list page shows: which page, how many, and the neighbours."""

from typing import Any

MOST_PAGES = 100_000  # a page number past this is not asked for by any link


def page_number(given: str | None) -> int:
    """The page a query string asks for; the first for anything else."""
    return int(given) if given and given.isdigit() and 0 < int(given) <= MOST_PAGES else 1


def pages_of(count: int, size: int) -> int:
    return max(1, -(-count // size))


def pager(number: int, count: int, size: int) -> dict[str, Any]:
    """The template's values: ``page``, ``pages``, ``previous`` and ``next`` (None at
    either end)."""
    pages = pages_of(count, size)
    return {
        "page": number,
        "pages": pages,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < pages else None,
    }
