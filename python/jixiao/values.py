"""Indicator values: ``[op] number [unit] [qualifier]`` or free text.

The written text is always kept; the parsed form only feeds checks (percent
caps, cost against budget, 实施周期 against 年度).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

ValueKind = Literal["empty", "quantity", "text"]

# Written operator -> canonical symbol. Longer spellings first (the pattern is built in order).
OPERATORS: dict[str, str] = {
    ">=": "≥", "≥": "≥", "≧": "≥", "不低于": "≥", "不少于": "≥", "达到": "≥", "至少": "≥",
    "<=": "≤", "≤": "≤", "≦": "≤", "不高于": "≤", "不超过": "≤", "不多于": "≤", "至多": "≤",
    ">": ">", "大于": ">", "高于": ">", "超过": ">", "多于": ">",
    "<": "<", "小于": "<", "低于": "<", "少于": "<",
    "=": "=", "﹦": "=", "等于": "=",
}  # fmt: skip
PERCENT_UNITS = frozenset({"%", "百分比", "百分点"})

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％＞＜＝，", "0123456789.%><=,")
# the characters a value may normalise (a cheap superset filter; the codec's canonical
# pattern leaves them out of values, so that such a value is read the careful way)
NORMALIZING_CHARS = r"\s０-９．％＞＜＝≧≦="
MAY_NEED_NORMALIZING = re.compile(f"[{NORMALIZING_CHARS}]")
_OPERATOR_PATTERN = "|".join(re.escape(op) for op in sorted(OPERATORS, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?P<op>{_OPERATOR_PATTERN})?\s*(?P<number>[+-]?\d+(?:,\d{{3}})*(?:\.\d+)?)\s*(?P<rest>.*)",
    re.DOTALL,
)
_UNIT = re.compile(r"[^为（(，,；;。\s]{0,8}")


@dataclass(frozen=True, slots=True)
class ParsedValue:
    text: str  # as written
    kind: ValueKind
    op: str | None = None  # canonical symbol: ≥ ≤ > < =
    op_text: str | None = None  # as written: 不低于, >=, ≥ …
    number: Decimal | None = None
    unit: str = ""
    qualifier: str = ""  # 为优, （含）…

    @property
    def is_percent(self) -> bool:
        return self.unit in PERCENT_UNITS


@lru_cache(maxsize=4096)  # checks ask it of the same few hundred values again and again
def parse_value(text: str) -> ParsedValue:
    """Parse a target value; anything that is not ``[op] number [unit] [qualifier]`` is text."""
    stripped = text.strip().translate(_FULLWIDTH)
    if not stripped:
        return ParsedValue(text, "empty")
    match = _QUANTITY.fullmatch(stripped)
    if match is None:
        return ParsedValue(text, "text")
    rest = match["rest"].strip()
    unit_match = _UNIT.match(rest)
    unit = unit_match.group() if unit_match else ""
    qualifier = rest[len(unit) :].strip()
    if any(ch.isdigit() for ch in unit + qualifier):
        return ParsedValue(text, "text")  # a date, a range, a sentence with numbers
    try:
        number = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only admits valid numbers
        return ParsedValue(text, "text")
    op_text = match["op"]
    return ParsedValue(
        text,
        "quantity",
        op=OPERATORS[op_text] if op_text else None,
        op_text=op_text,
        number=number,
        unit=unit,
        qualifier=qualifier,
    )


def normalize_value(text: str) -> str:
    """The canonical spelling of a value: ``≥`` for ``>=``, ``%`` for ``％``, no stray spaces.

    Word operators (``不低于99%为优``) and free text are kept as written but trimmed.
    """
    if not MAY_NEED_NORMALIZING.search(text):
        return text
    cleaned = text.strip().translate(_FULLWIDTH)
    cleaned = cleaned.replace(">=", "≥").replace("=>", "≥").replace("<=", "≤").replace("=<", "≤")
    cleaned = cleaned.replace("≧", "≥").replace("≦", "≤")
    parsed = parse_value(cleaned)
    if parsed.kind == "quantity":
        number_text = _QUANTITY.fullmatch(cleaned)
        assert number_text is not None
        head = (parsed.op_text or "") + number_text["number"] + parsed.unit
        return head + parsed.qualifier
    return cleaned


_DATE = re.compile(r"(?:(20\d{2})\s*年)?\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|底|末)?")


def deadline(text: str, *, loose: bool = False) -> tuple[int, int, int] | None:
    """(year or 0, month, day) of a date target (``12月底前完成``, ``2021年12月31日``); a day
    left out is the month's end. ``loose`` also takes a bare month (``11月完成``), as an
    actual is written; a target needs 前/日/底/末/年 to be a date rather than a count."""
    match = _DATE.search(text)
    if match is None or "月" not in text:
        return None
    if not loose and not any(mark in text for mark in ("前", "日", "底", "末", "年")):
        return None
    year, month, day = match.groups()
    return int(year or 0), int(month), int(day or 31)
