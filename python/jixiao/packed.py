"""Packed indicator strings of the wide-row (Guangzhou) layout, parsed and rendered exactly.

Grammar (canonical form)::

    packed := item+
    item   := seq "-" [l1code "-"] l1name "：" l2code "-" l2name sep l3name
              "；实施周期指标值：" value "；年度指标值：" value "。"

The first item carries no l1code, later ones do; ``sep`` is "；" after the
满意度 二级 and "：" elsewhere. Values may hold "。" and "；" inside brackets.

The parser is a set of small pure functions threading a position through the
text; every deviation from the canonical form becomes a finding with its
character offset, and text that cannot be read is kept verbatim in the item's
``raw`` so that ``render`` gives it back: nothing is ever dropped. Scanning uses
``str.find`` and small compiled patterns: this runs over hundreds of thousands
of cells when a consolidator unpacks a province.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from typing import Any, Protocol

from jixiao import framework
from jixiao.bulk import paused_gc
from jixiao.findings import FindingSpec, has_error
from jixiao.model import Finding, Indicator, SourceLocation
from jixiao.output import EXCEL_CELL_LIMIT
from jixiao.values import MAY_NEED_NORMALIZING, NORMALIZING_CHARS, normalize_value

PERIOD_MARK = "；实施周期指标值："
ANNUAL_MARK = "；年度指标值："
ITEM_END = "。"
SATISFACTION_L1 = "满意度指标"
PROFILE = "gd"

# ---- findings of this concern: one place for their codes and Chinese text ----------------
SYNTAX = FindingSpec(
    "packed.syntax",
    "error",
    "第 {item} 项无法识别为绩效指标：“{text}”，已原样保留",
    "按“序号-一级指标编码-一级指标：二级指标编码-二级指标：三级指标；实施周期指标值：…；年度指标值：…。”填写",
)
TRUNCATED = FindingSpec(
    "packed.truncated",
    "error",
    "第 {item} 项不完整（文字在“{tail}”处中断），已原样保留",
    "补全该项的三级指标、实施周期指标值和年度指标值，并以“。”结尾",
)
MISSING_PERIOD = FindingSpec(
    "packed.missing_period",
    "error",
    "第 {item} 项缺少“实施周期指标值”，已原样保留",
    "在三级指标后加上“；实施周期指标值：<指标值>”",
)
MISSING_ANNUAL = FindingSpec(
    "packed.missing_annual",
    "error",
    "第 {item} 项缺少“年度指标值”，已原样保留",
    "在实施周期指标值后加上“；年度指标值：<指标值>”",
)
UNKNOWN_L1 = FindingSpec(
    "packed.unknown_l1",
    "error",
    "第 {item} 项的一级指标“{name}”不在指标体系中",
    "一级指标应为：{expected}",
)
UNKNOWN_L2 = FindingSpec(
    "packed.unknown_l2",
    "warning",
    "第 {item} 项的二级指标“{name}”不属于一级指标“{l1}”",
    "“{l1}”下的二级指标为：{expected}",
)
CODE_MISMATCH = FindingSpec(
    "packed.code_mismatch",
    "warning",
    "第 {item} 项的{level}编码“{written}”与名称“{name}”不符，应为“{code}”",
    "按指标体系将编码改为“{code}”",
)
MISSING_CODE = FindingSpec(
    "packed.missing_code",
    "warning",
    "第 {item} 项缺少{level}编码，已按名称“{name}”补为“{code}”",
    "写成“{code}-{name}”",
)
FIRST_CODE = FindingSpec(
    "packed.first_code",
    "info",
    "第 1 项按惯例不写一级指标编码，已去掉“{code}-”",
    "第 1 项写成“1-{name}：…”",
)
ALIAS = FindingSpec(
    "packed.alias",
    "info",
    "第 {item} 项的{level}“{written}”已统一写作“{name}”",
)
PUNCTUATION = FindingSpec(
    "packed.punctuation",
    "info",
    "第 {item} 项的分隔符“{written}”已改为“{canonical}”",
    "使用全角“：”“；”“。”和半角“-”",
)
WHITESPACE = FindingSpec(
    "packed.whitespace",
    "info",
    "第 {item} 项含多余的空格或换行，已去掉",
)
VALUE_NORMALIZED = FindingSpec(
    "packed.value",
    "info",
    "第 {item} 项的{field}“{written}”已规范为“{canonical}”",
    "比较符用“≥”“≤”，百分号用半角“%”",
)
MISSING_END = FindingSpec(
    "packed.missing_end",
    "info",
    "最后一项缺少结尾的“。”，已补上",
)
LINE_BREAK = FindingSpec(
    "packed.line_break",
    "info",
    "第 {item} 项后用换行分隔、没有“。”，已按换行分项读取",
    "每项以“。”结尾",
)
SEQUENCE = FindingSpec(
    "packed.sequence",
    "warning",
    "第 {item} 项的序号写作“{seq}”，应为“{item}”",
    "序号从 1 起连续编号",
)
TOO_LONG = FindingSpec(
    "packed.too_long",
    "warning",
    "项目“{project}”的 {count} 条指标合并后有 {length:,} 个字符，超过 Excel 单元格上限 "
    "{limit:,}，未写入“绩效指标”单元格；全部指标在“{sheet}”工作表",
    "精简指标描述，或把项目拆成几个项目；需要宽表时以“{sheet}”工作表为准",
)
SPECS = (
    SYNTAX,
    TRUNCATED,
    MISSING_PERIOD,
    MISSING_ANNUAL,
    UNKNOWN_L1,
    UNKNOWN_L2,
    CODE_MISMATCH,
    MISSING_CODE,
    FIRST_CODE,
    ALIAS,
    PUNCTUATION,
    WHITESPACE,
    VALUE_NORMALIZED,
    MISSING_END,
    LINE_BREAK,
    SEQUENCE,
    TOO_LONG,
)

_DASH = r"[-－—–]"
# Every pattern runs in linear time on any text (a cell function must not freeze Excel):
# names are read possessively, never by a lazy ``.*?`` that tries ``\s*[：:]`` at each step
# of a long run of spaces, and the value marks are found without a leading ``\s*``.
_NAME = r"[^：:；;。\d\s](?:[^：:；;。\s]++|\s++(?=[^：:；;。\s]))*+"
_HEADER = re.compile(
    rf"(?P<seq>\d++)\s*+(?P<d1>{_DASH})\s*+"
    rf"(?:(?P<l1_code>\d++)\s*+(?P<d2>{_DASH})\s*+)?"
    rf"(?P<l1>{_NAME})\s*+(?P<c1>[：:])\s*+"
    rf"(?:(?P<l2_code>\d++)\s*+(?P<d3>{_DASH})\s*+)?"
    rf"(?P<l2>{_NAME})\s*+(?P<sep>[：:；;])"
)
_NEXT_ITEM = re.compile(
    rf"\s*\d+\s*{_DASH}\s*(?:\d+\s*{_DASH}\s*)?[^：:；;。\d\s][^：:；;。]{{0,20}}?[：:]"
)
_PERIOD = re.compile(r"[；;]\s*+实施周期指标值\s*+[：:]\s*+")
_ANNUAL = re.compile(r"[；;]\s*+年度指标值\s*+[：:]\s*+")
_SPACE = re.compile(r"\s")
_TRAILING_SPACE = re.compile(r"\s*\Z")
# One canonical item, for the fast path only; every other spelling goes the careful way.
# Atomic groups: the first value mark ends the name and the first annual mark the period
# value; text where that reading fails goes the careful way, it is not re-split (which
# was quadratic on "；实施周期指标值：" repeated). A value holds "。" only inside （…）
# and never before a digit or space there, where the careful path could see an item end
# (seed 003: ``达标（…完成退费手续。）``), and no character it may normalise (``>=``, "％",
# a space: the careful path writes those canonically). 三级 neither starts nor ends with a
# space. The classes are one group, "[一级编码-]一级：二级编码-二级<sep>", looked up whole.
_BRACKETS = r"（(?:[^（）。]++|。(?![\s\d]))*+）"
_VALUE_BRACKETS = rf"（(?:[^（）。{NORMALIZING_CHARS}]++|。(?![\s\d]))*+）"
_CLASSES = r"((?:\d++-)?[^：；。\s]++：\d++-[^：；。\s]++[：；])"
_L3 = rf"(?!\s)((?:[^。（；]++|；(?!{PERIOD_MARK[1:]})|{_BRACKETS}|（)*+)(?<!\s)"
_PERIOD_VALUE = (
    rf"((?:[^。（；{NORMALIZING_CHARS}]++|；(?!{ANNUAL_MARK[1:]})|{_VALUE_BRACKETS}|（)*+)"
)
_ANNUAL_VALUE = rf"((?:[^。（{NORMALIZING_CHARS}]++|{_VALUE_BRACKETS}|（)*+)"
_CANONICAL_ITEM = re.compile(
    rf"(\d++)-{_CLASSES}{_L3}{PERIOD_MARK}{_PERIOD_VALUE}{ANNUAL_MARK}{_ANNUAL_VALUE}{ITEM_END}"
)
# The same, over a whole cell: each item starts at the start or right after a "。", so
# that findall never re-scans a stretch from every position in it (which was quadratic).
_CANONICAL_ITEMS = re.compile(r"(?:\A|(?<=。))" + _CANONICAL_ITEM.pattern)


# The fields of one item, in the order tables list them (CLI ``packed table``, JX_UNPACK).
FIELDS = ("seq", "l1_code", "l1", "l2_code", "l2", "l3", "period_value", "annual_value")


class IndicatorLike(Protocol):
    """What ``render`` needs: the packed item fields (a ``PackedItem`` or a model ``Indicator``)."""

    @property
    def seq(self) -> int | None: ...
    @property
    def l1_code(self) -> str: ...
    @property
    def l1(self) -> str: ...
    @property
    def l2_code(self) -> str: ...
    @property
    def l2(self) -> str: ...
    @property
    def l3(self) -> str: ...
    @property
    def period_value(self) -> str: ...
    @property
    def annual_value(self) -> str: ...
    @property
    def raw(self) -> str | None: ...


@dataclass(slots=True)
class PackedItem:
    """One item of a packed string.

    A light record rather than the pydantic ``Indicator``: building a validated
    model costs ~2 µs, more than half the time budget of parsing one item.
    """

    seq: int | None
    l1_code: str
    l1: str
    l2_code: str
    l2: str
    l3: str
    period_value: str
    annual_value: str
    raw: str | None = None  # verbatim text when the item could not be read whole
    offset: int = 0  # where the item starts in the parsed text
    end: int = 0  # where it ends (after its "。")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["offset"], data["end"]
        if data["raw"] is None:
            del data["raw"]
        return data

    def to_indicator(self, source: SourceLocation | None = None) -> Indicator:
        # positionally up to the values (``INDICATOR_ORDER``): keywords cost 1.1 µs more an
        # indicator, and a sheet of packed cells makes tens of thousands
        indicator = Indicator(
            self.seq, self.l1_code, self.l1, self.l2_code, self.l2, self.l3, "",
            self.period_value, self.annual_value,
        )  # fmt: skip
        indicator.raw = self.raw
        if source is not None:
            indicator.source = source.at_offset(self.offset)
        return indicator


@dataclass(slots=True)
class ParseResult:
    text: str
    indicators: list[PackedItem]
    findings: Sequence[Finding]  # a canonical cell shares one empty tuple: no list per cell

    @property
    def ok(self) -> bool:
        return not has_error(self.findings)

    @property
    def canonical(self) -> str:
        return render(self.indicators, limit=None)


# Indicator's first fields, in the order to_indicator passes them (a test holds it)
INDICATOR_ORDER = (
    "seq", "l1_code", "l1", "l2_code", "l2", "l3", "description", "period_value", "annual_value",
)  # fmt: skip


class RenderError(ValueError):
    """The indicators cannot be written as one packed cell."""


# ---- parsing ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    """What every step needs besides the position: the text, where it came from, the findings."""

    text: str
    profile: framework.Profile
    location: SourceLocation | None
    findings: list[Finding]
    source: str = ""  # the text as written, where ``text`` has line breaks read as "。"

    def report(self, spec: FindingSpec, offset: int, **details: Any) -> None:
        location = (self.location or SourceLocation()).at_offset(offset)
        self.findings.append(spec.at(location, **details))


def parse(
    text: str, *, location: SourceLocation | None = None, profile: str = PROFILE
) -> ParseResult:
    """Read a packed string into items; never raises, whatever the text."""
    if profile == PROFILE:
        canonical = _parse_canonical(text)
        if canonical is not None:
            return ParseResult(text, canonical, ())
    return _parse_careful(text, location, profile, fast_items=profile == PROFILE)


def _parse_careful(
    text: str, location: SourceLocation | None, profile: str, *, fast_items: bool
) -> ParseResult:
    """Item by item, each canonical one by one match (``fast_items``), the others by the
    step-by-step reader that reports every deviation."""
    ctx = _Context(text, framework.profile(profile), location, [])
    read = _lines_as_items(ctx) if "\n" in text else text
    if read is not text:
        ctx.text, ctx.source = read, text
    items: list[PackedItem] = []
    number = 0  # items read so far, not counting text that is no item at all
    pos = _skip_space(read, 0)
    while pos < len(read):
        item = _read_canonical(read, pos, number + 1) if fast_items else None
        if item is None:
            if items and items[-1].raw is None and not _ends_item(read, pos):
                # the previous item's "。" did not close it after all: read it again carefully
                pos, number = items.pop().offset, number - 1
            pos, item = _parse_item(ctx, pos, number + 1)
        else:
            pos = item.end
        items.append(item)
        if item.seq is not None:
            number += 1
        if pos < len(read) and read[pos].isspace():
            pos = _skip_space(read, pos)
    return ParseResult(text, items, ctx.findings)


_LINE_THEN_ITEM = re.compile(rf"(?<=[^。\s])[ \t\u3000]*+\r?(\n)(?={_NEXT_ITEM.pattern})")


def _lines_as_items(ctx: _Context) -> str:
    """Items typed on lines of their own (Alt+Enter) without "。": each line break before an
    item's header ends the item above, as a "。" would (the same length: offsets stay)."""
    text = ctx.text
    breaks = [m.start(1) for m in _LINE_THEN_ITEM.finditer(text)]
    for number, at in enumerate(breaks, start=1):
        ctx.report(LINE_BREAK, at, item=number)
    if not breaks:
        return text
    chars = list(text)
    for at in breaks:
        chars[at] = "。"
    return "".join(chars)


def _ends_item(text: str, pos: int) -> bool:
    """Whether a "。" just before ``pos`` can close an item: the end or a next header follows."""
    return _TRAILING_SPACE.match(text, pos) is not None or _NEXT_ITEM.match(text, pos) is not None


def parse_many(
    texts: Iterable[str], *, locations: Iterable[SourceLocation | None] | None = None
) -> list[ParseResult]:
    """``parse`` over many cells, as readers of whole sheets need it.

    The cyclic garbage collector is paused meanwhile: the records built here hold
    no reference cycles, and with hundreds of thousands of them alive its passes
    took about 45% of the time (measured in benchmarks/).
    """
    with paused_gc():
        if locations is None:
            return [parse(text) for text in texts]
        return [parse(t, location=loc) for t, loc in zip(texts, locations, strict=True)]


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _find_item_end(text: str, pos: int) -> int:
    """Index of the "。" closing the item that starts at ``pos``, or -1 if none does.

    A closing "。" is followed by the end of the text or by the next item's header,
    so a value may hold "。" (``达标（…手续。）``) and a name unbalanced brackets.
    """
    end = text.find(ITEM_END, pos)
    while end != -1 and not _ends_item(text, end + 1):
        end = text.find(ITEM_END, end + 1)
    return end


def _parse_item(ctx: _Context, start: int, number: int) -> tuple[int, PackedItem]:
    text = ctx.text
    end = _find_item_end(text, start)
    closed = end != -1
    if closed:
        after = end + 1
    else:  # the text ends inside this item; trailing spaces are not part of it
        end = after = len(text.rstrip())
    raw = (ctx.source or text)[start:after]  # verbatim: as written, line breaks and all
    header = _HEADER.match(text, start, end)
    if header is None:
        spec = TRUNCATED if not closed and _looks_like_header_start(raw) else SYNTAX
        ctx.report(spec, start, item=number, text=_clip(raw), tail=_clip(raw[-12:]))
        return after, PackedItem(None, "", "", "", "", "", "", "", raw=raw, offset=start)

    period = _find_mark(_PERIOD, text, header.end(), end)
    annual = _find_mark(_ANNUAL, text, period[1], end) if period else None
    item = _read_classes(ctx, header, number)
    if period is None or annual is None:
        item.raw = raw
        if period is None:
            item.l3 = text[header.end() : end].strip()
        else:
            item.l3 = text[header.end() : period[0]].strip()
            item.period_value = text[period[1] : end].strip()
        if not closed:
            ctx.report(TRUNCATED, start, item=number, tail=_clip(raw[-12:]))
        else:
            ctx.report(MISSING_PERIOD if period is None else MISSING_ANNUAL, start, item=number)
        return after, item

    item.l3 = text[header.end() : period[0]]
    item.period_value = text[period[1] : annual[0]]
    item.annual_value = text[annual[1] : end]
    if ctx.profile.l1(item.l1) is None:
        item.raw = raw  # an unknown 一级 is an error: keep the item exactly as written
    _check_layout(ctx, header, period, annual, item, number, start)
    if not closed:
        ctx.report(MISSING_END, end, item=number)
    return after, item


# An item's classes as the fast path reads them: (一级编码, 一级, 二级编码, 二级)
_Classes = tuple[str, str, str, str]


@cache
def _canonical_classes() -> tuple[dict[str, _Classes], dict[str, _Classes]]:
    """The classes of the framework keyed by their canonical spelling, "一级：二级编码-二级"
    and the separator before 三级, for the first item; and with "一级编码-" before it for the
    others. The records take the table's strings: items share them instead of each holding
    copies, a tenth of the memory of a large consolidation."""
    gd = framework.profile(PROFILE)
    first, later = {}, {}
    for l2 in gd.level2:
        l1 = gd.l1_code(l2.parent)
        assert l1 is not None
        key = f"{l1.name}：{l2.code}-{l2.name}{_separator(l1.name)}"
        first[key] = later[f"{l1.code}-{key}"] = (l1.code, l1.name, l2.code, l2.name)
    return first, later


def _parse_canonical(text: str) -> list[PackedItem] | None:
    """The items of a string written wholly in canonical form, else ``None``.

    Nearly every real cell is canonical, so this is tried first: one ``findall`` over the
    cell, whole-cell checks by ``str.count``, then per item a lookup of its classes and the
    record. The items found must cover the cell end to end (their lengths add up to it:
    ``findall`` skips what does not match). Any doubt (a space, full-width digits, ``>=``, an
    unknown class, a gap) returns ``None`` and the careful path reads the string, which gives
    the same items on canonical text.
    """
    found = _CANONICAL_ITEMS.findall(text)
    count = len(found)
    if (
        not count
        or text.count("实施周期指标值") != count  # a mark inside a name or value
        or text.count("年度指标值") != count
    ):
        return None
    table, later = _canonical_classes()
    numbers = _NUMBERS
    intern = _intern
    items: list[PackedItem] = []
    append = items.append
    pos = 0
    for number, (seq, classes, l3, period_value, annual_value) in enumerate(found, start=1):
        entry = table.get(classes)
        if entry is None or seq != (numbers.get(number) or str(number)):
            return None
        table = later
        end = pos + _ITEM_MARKS + len(seq) + len(classes) + len(l3)
        end += len(period_value) + len(annual_value)
        # as _canonical_item, inline: this runs once per item of every cell
        period_value = intern(period_value)
        annual_value = period_value if annual_value == period_value else intern(annual_value)
        append(
            PackedItem(
                number, entry[0], entry[1], entry[2], entry[3], intern(l3),
                period_value, annual_value, None, pos, end,
            )
        )  # fmt: skip
        pos = end
    return items if pos == len(text) else None


# the fixed characters of a canonical item besides its classes: "-" after the number,
# "；实施周期指标值：", "；年度指标值：" and "。"
_ITEM_MARKS = 1 + len(PERIOD_MARK) + len(ANNUAL_MARK) + len(ITEM_END)
_NUMBERS = {n: str(n) for n in range(1, 10_000)}  # seq as written, without str() per item
_intern = sys.intern


def _read_canonical(text: str, start: int, number: int) -> PackedItem | None:
    """The item at ``start`` if it is written exactly in canonical form, else ``None``.

    Nearly every real cell is canonical: this path is one match of a per-item
    pattern and one dictionary lookup. Anything unusual (other punctuation,
    spaces, "。" inside a value, unknown names) is left to the careful path,
    which gives the same result on canonical text.
    """
    match = _CANONICAL_ITEM.match(text, start)
    if match is None:
        return None
    seq, classes, l3, period_value, annual_value = match.groups()
    entry = _canonical_classes()[number > 1].get(classes)
    if entry is None or seq != str(number):
        return None
    if "实施周期指标值" in l3 or "年度指标值" in period_value:  # a mark inside a name or value
        return None
    return _canonical_item(entry, number, l3, period_value, annual_value, start, match.end())


def _canonical_item(
    classes: _Classes,
    number: int,
    l3: str,
    period_value: str,
    annual_value: str,
    start: int,
    end: int,
) -> PackedItem:
    """The record of a canonical item, its classes the framework table's own strings
    (``_parse_canonical`` builds its records the same way, inline).

    Names and values come back again and again (the five seeds' 978 values are 226 distinct
    strings; a province's departments fill the same templates), so each is interned: one
    string instead of copies, and a collector walking every kept record finds them in cache
    (a plain loop over 30,000 generated cells: 2.1-2.7 s -> 1.7-1.9 s)."""
    l1_code, l1, l2_code, l2 = classes
    period_value = _intern(period_value)
    annual_value = period_value if annual_value == period_value else _intern(annual_value)
    return PackedItem(
        number, l1_code, l1, l2_code, l2, _intern(l3), period_value, annual_value, None, start, end
    )


def _find_mark(pattern: re.Pattern[str], text: str, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) of a value mark with the spaces before it, searched in ``start..end``."""
    match = pattern.search(text, start, end)
    if match is None:
        return None
    begin = match.start()
    while begin > start and text[begin - 1].isspace():
        begin -= 1
    return begin, match.end()


def _looks_like_header_start(raw: str) -> bool:
    return bool(re.match(rf"\s*\d+\s*{_DASH}", raw))


def _clip(text: str, size: int = 30) -> str:
    text = text.strip()
    return text if len(text) <= size else text[:size] + "…"


def _read_classes(ctx: _Context, header: re.Match[str], number: int) -> PackedItem:
    """The 一级/二级 names and codes of an item, canonicalised through the framework."""
    offset = header.start()
    seq = int(header["seq"])
    if seq != number:
        ctx.report(SEQUENCE, offset, item=number, seq=seq)
    l1_written, l1_code_written = header["l1"], header["l1_code"]
    l1_entry = ctx.profile.l1(l1_written)
    if l1_entry is None:
        expected = "、".join(e.name for e in ctx.profile.level1)
        ctx.report(UNKNOWN_L1, header.start("l1"), item=number, name=l1_written, expected=expected)
        l1, l1_code = l1_written, l1_code_written or ""
    else:
        l1, l1_code = l1_entry.name, l1_entry.code
        _check_name(ctx, header.start("l1"), number, "一级指标", l1_written, l1)
        if l1_code_written is None:
            if number > 1:
                ctx.report(
                    MISSING_CODE, offset, item=number, level="一级指标", name=l1, code=l1_code
                )
        elif number == 1:
            ctx.report(FIRST_CODE, header.start("l1_code"), code=l1_code_written, name=l1)
        elif l1_code_written != l1_code:
            ctx.report(
                CODE_MISMATCH,
                header.start("l1_code"),
                item=number,
                level="一级指标",
                written=l1_code_written,
                name=l1,
                code=l1_code,
            )

    l2_written, l2_code_written = header["l2"], header["l2_code"]
    l2_entry = ctx.profile.l2(l2_written, l1_code if l1_entry else None)
    if l2_entry is None:
        if l1_entry is not None:
            expected = "、".join(e.name for e in ctx.profile.children(l1_code))
            ctx.report(
                UNKNOWN_L2,
                header.start("l2"),
                item=number,
                name=l2_written,
                l1=l1,
                expected=expected,
            )
        l2, l2_code = l2_written, l2_code_written or ""
    else:
        l2, l2_code = l2_entry.name, l2_entry.code
        _check_name(ctx, header.start("l2"), number, "二级指标", l2_written, l2)
        if l2_code_written is None:
            ctx.report(
                MISSING_CODE,
                header.start("l2"),
                item=number,
                level="二级指标",
                name=l2,
                code=l2_code,
            )
        elif l2_code_written != l2_code:
            ctx.report(
                CODE_MISMATCH,
                header.start("l2_code"),
                item=number,
                level="二级指标",
                written=l2_code_written,
                name=l2,
                code=l2_code,
            )
    return PackedItem(seq, l1_code, l1, l2_code, l2, "", "", "", offset=offset)


def _check_name(
    ctx: _Context, offset: int, number: int, level: str, written: str, name: str
) -> None:
    if written != name:
        ctx.report(ALIAS, offset, item=number, level=level, written=written, name=name)


def _check_layout(
    ctx: _Context,
    header: re.Match[str],
    period: tuple[int, int],
    annual: tuple[int, int],
    item: PackedItem,
    number: int,
    start: int,
) -> None:
    """Findings for everything that makes the item differ from its canonical spelling."""
    for group, canonical in (("d1", "-"), ("d2", "-"), ("d3", "-"), ("c1", "：")):
        written = header[group]
        if written is not None and written != canonical:
            ctx.report(
                PUNCTUATION, header.start(group), item=number, written=written, canonical=canonical
            )
    sep = _separator(item.l1)
    if header["sep"] != sep:
        ctx.report(
            PUNCTUATION, header.start("sep"), item=number, written=header["sep"], canonical=sep
        )
    for mark, canonical in ((period, PERIOD_MARK), (annual, ANNUAL_MARK)):
        written = ctx.text[mark[0] : mark[1]]
        if written != canonical:
            if written.strip() != canonical:
                compact = _SPACE.sub("", written)
                if compact != canonical:
                    ctx.report(
                        PUNCTUATION, mark[0], item=number, written=compact, canonical=canonical
                    )
            if _SPACE.search(written):
                ctx.report(WHITESPACE, mark[0], item=number)
    if _SPACE.search(ctx.text, header.start(), header.end()) or item.l3 != item.l3.strip():
        ctx.report(WHITESPACE, start, item=number)
        item.l3 = item.l3.strip()
    for field, label, offset in (
        ("period_value", "实施周期指标值", period[1]),
        ("annual_value", "年度指标值", annual[1]),
    ):
        written = getattr(item, field)
        canonical = normalize_value(written)
        if canonical != written:
            ctx.report(
                VALUE_NORMALIZED,
                offset,
                item=number,
                field=label,
                written=written,
                canonical=canonical,
            )
            setattr(item, field, canonical)


def _separator(l1: str) -> str:
    """The mark before 三级: "；" after the 满意度 二级, as the source system writes it."""
    return "；" if l1 == SATISFACTION_L1 else "："


# ---- rendering -------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _render_classes(l1_code: str, l1: str, l2_code: str, l2: str) -> tuple[str, str]:
    """The 一级 code and the text from 一级 name to the separator before 三级."""
    """Codes and names as the Guangzhou system writes them, from whatever the item holds."""
    gd = framework.profile(PROFILE)
    l1_entry = gd.l1(l1) if l1 else gd.l1_code(l1_code)
    if l1_entry is not None:
        l1_code, l1 = l1_entry.code, l1_entry.name
    l2_entry = gd.l2(l2, l1_code) if l2 else gd.l2_code(l2_code)
    if l2_entry is not None:
        l2_code, l2 = l2_entry.code, l2_entry.name
    l2_part = f"{l2_code}-{l2}" if l2_code else l2
    return l1_code, f"{l1}：{l2_part}{_separator(l1)}"


def render(indicators: Sequence[IndicatorLike], *, limit: int | None = EXCEL_CELL_LIMIT) -> str:
    """The canonical packed string of a list of indicators.

    Names and codes are written in the Guangzhou spelling of the framework
    (``22-社会效益``); an item kept verbatim (``raw``) is written back as it was.
    Raises ``RenderError`` when the result is longer than ``limit`` (one Excel cell; ``None``
    for text that goes nowhere near a cell, such as a parse result's canonical form).
    """
    parts: list[str] = []
    number = 0
    for item in indicators:
        if item.raw is not None:
            parts.append(item.raw)
            number += item.seq is not None
            continue
        number += 1
        l1_code, classes = _render_classes(item.l1_code, item.l1, item.l2_code, item.l2)
        seq = item.seq if item.seq is not None else number
        period_value, annual_value = item.period_value, item.annual_value
        if MAY_NEED_NORMALIZING.search(period_value):
            period_value = normalize_value(period_value)
        if MAY_NEED_NORMALIZING.search(annual_value):
            annual_value = normalize_value(annual_value)
        l3 = item.l3
        if l3[:1].isspace() or l3[-1:].isspace():
            l3 = l3.strip()
        parts.append(
            f"{seq}-{l1_code}-{classes}{l3}{PERIOD_MARK}{period_value}{ANNUAL_MARK}{annual_value}。"
            if number > 1 and l1_code
            else f"{seq}-{classes}{l3}{PERIOD_MARK}{period_value}{ANNUAL_MARK}{annual_value}。"
        )
    packed = "".join(parts)
    if limit is not None and len(packed) > limit:
        raise RenderError(
            f"合并后的绩效指标有 {len(packed):,} 个字符，超过 Excel 单元格上限 "
            f"{EXCEL_CELL_LIMIT:,} 个字符；请精简指标描述或拆分项目"
        )
    return packed
