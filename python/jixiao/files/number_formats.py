"""A number as its cell's format shows it: what a clerk typed as ``95%`` is stored as 0.95.

Only the formats that change what a value means to a reader are rendered: percentages (a
target 100× off otherwise) and thousands separators (``44,561``). Plain decimals (``0.00``)
and amounts keep their number; dates come from the readers as dates already.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Excel's built-in format ids that matter here (ECMA-376 Part 1, 18.8.30)
BUILTIN = {3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_DECIMALS = re.compile(r"\.(0+)")


def shown(code: str) -> bool:
    """Whether a format code changes how a reader reads the number (percent, thousands)."""
    bare = _QUOTED.sub("", code.split(";")[0])
    return "%" in bare or "#,##" in bare or "0,0" in bare


def render(value: float | int, code: str) -> str:
    """``0.95`` under ``0%`` -> ``95%``; ``44561`` under ``#,##0`` -> ``44,561``."""
    bare = _QUOTED.sub("", code.split(";")[0])
    places = _DECIMALS.search(bare)
    decimals = len(places[1]) if places else 0
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    percent = "%" in bare
    if percent:
        number *= 100
    try:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # past the context's 28 digits (1e308): shown as the number is
        return str(value)
    thousands = "#,##" in bare or "0,0" in bare
    text = f"{number:,f}" if thousands else f"{number:f}"
    return text + ("%" if percent else "")
