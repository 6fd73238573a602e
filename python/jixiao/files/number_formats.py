"""A number as its cell's format shows it: what a clerk typed as ``95%`` is stored as 0.95.

Only the formats that change what a value means to a reader are rendered: percentages (a
target 100× off otherwise), thousands separators (``44,561``) and dates and times, which the
readers give as dates (``2021-12-31``) where the clerk sees ``2021年12月31日`` or ``12:30``.
Plain decimals (``0.00``) and amounts keep their number.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Excel's built-in format ids that matter here (ECMA-376 Part 1, 18.8.30)
# (dates as a Chinese-locale Excel shows the built-in ones)
BUILTIN = {
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    14: "yyyy/m/d",
    20: "h:mm",
    21: "h:mm:ss",
    22: "yyyy/m/d h:mm",
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_DECIMALS = re.compile(r"\.(0+)")


def shown(code: str) -> bool:
    """Whether a format code changes how a reader reads the value (percent, thousands, a
    date or time)."""
    bare = _QUOTED.sub("", code.split(";")[0])
    return "%" in bare or "#,##" in bare or "0,0" in bare or _is_date(bare)


def _is_date(bare: str) -> bool:
    return bare.lower() != "general" and bool(_DATE_PART.search(bare))


_DATE_PART = re.compile(r"[yYdDhHsS]|[mM](?![^;]*%)")
_DATE_TOKENS = re.compile(
    r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|\[[^\]]*\]|(?P<token>yyyy|yy|mm|m|dd|d|hh|h|ss|s)|(?P<other>.)',
    re.IGNORECASE,
)


def render_date(value: date | time, code: str) -> str:
    """A date or time under an Excel date code: ``yyyy"年"m"月"d"日"`` -> 2021年12月31日."""
    parts: list[str] = []
    tokens = [m for m in _DATE_TOKENS.finditer(code.split(";")[0])]
    seen_hour = False
    for index, match in enumerate(tokens):
        if match["quoted"] is not None:
            parts.append(match["quoted"])
        elif match["escaped"] is not None:
            parts.append(match["escaped"])
        elif match["other"] is not None:
            parts.append(match["other"])
        elif match["token"] is not None:
            token = match["token"].lower()
            later = "".join(t["token"] or "" for t in tokens[index + 1 : index + 3]).lower()
            minutes = token in ("m", "mm") and (seen_hour or later.startswith("s"))
            seen_hour = seen_hour or token in ("h", "hh")
            parts.append(_date_part(value, token, minutes))
    return "".join(parts)


def _date_part(value: date | time, token: str, minutes: bool) -> str:
    is_date = isinstance(value, date)
    when = value if isinstance(value, datetime) else None
    if token in ("yyyy", "yy"):
        year = value.year if is_date else 0  # type: ignore[union-attr]
        return f"{year:04d}" if token == "yyyy" else f"{year % 100:02d}"
    if token in ("m", "mm") and not minutes:
        month = value.month if is_date else 0  # type: ignore[union-attr]
        return f"{month:02d}" if token == "mm" else str(month)
    if token in ("d", "dd"):
        day = value.day if is_date else 0  # type: ignore[union-attr]
        return f"{day:02d}" if token == "dd" else str(day)
    clock = value if isinstance(value, time) else (when.time() if when else time())
    number = {"h": clock.hour, "hh": clock.hour, "m": clock.minute, "mm": clock.minute}.get(
        token, clock.second
    )
    return f"{number:02d}" if len(token) == 2 else str(number)


def render(value: float | int | date | time, code: str) -> str:
    """``0.95`` under ``0%`` -> ``95%``; ``44561`` under ``#,##0`` -> ``44,561``; a date
    under a date code as that code shows it."""
    if isinstance(value, date | time):
        return render_date(value, code)
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
