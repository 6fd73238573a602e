"""The one exception every reader and writer raises for a file it cannot handle."""

from __future__ import annotations


class WorkbookError(Exception):
    """A workbook that cannot be read or written; the message is Chinese and names the file."""


def reason(error: BaseException) -> str:
    """A library's error as a short parenthetical, never a wall of text."""
    text = str(error).strip() or type(error).__name__
    return text if len(text) < 120 else text[:120] + "…"
