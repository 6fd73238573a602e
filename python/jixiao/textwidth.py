"""How wide text is on screen or paper: a CJK character takes two columns, ASCII one.

Used to wrap help text in a terminal and to size rows of wrapped cells on a printed page.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache


def width(text: str) -> int:
    """Exact display width (East Asian wide and full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def approximate_width(text: str) -> int:
    """Display width from the UTF-8 length: exact for ASCII and CJK, fast for whole sheets."""
    return len(text) + (len(text.encode()) - len(text)) // 2


@lru_cache(maxsize=1 << 14)  # a project's name and unit come again on each indicator row
def lines_needed(text: str, columns: float) -> int:
    """Lines a wrapped cell ``columns`` characters wide needs for ``text``."""
    room = max(columns - 1, 1.0)  # the cell's padding takes about one character
    return sum(max(1, math.ceil(approximate_width(part) / room)) for part in text.split("\n"))
