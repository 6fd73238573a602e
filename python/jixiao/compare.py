"""对比: two versions of a unit's targets (last year's and this year's, or before and after
review), project by project and indicator by indicator, with the direction of each change.

Matching uses the standard library's difflib for similar names: the lists compared are one
project's indicators or one unit's projects (tens, not thousands), where difflib is fast
enough, and it runs unchanged under Pyodide with no compiled dependency.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from jixiao import framework
from jixiao.findings import FindingSpec
from jixiao.model import Finding, Indicator, Project, SourceLocation
from jixiao.values import deadline, parse_value

# Kinds of change and directions, with the Chinese words a reviewer reads.
KINDS = {
    "project_added": "新增项目",
    "project_removed": "删除项目",
    "project_renamed": "项目更名",
    "code_added": "补充项目编码",
    "code_changed": "项目编码改变",
    "amount_changed": "金额变化",
    "goals_changed": "绩效目标修改",
    "indicator_added": "新增指标",
    "indicator_removed": "删除指标",
    "indicator_renamed": "指标更名",
    "value_changed": "指标值变化",
    "text_changed": "指标内容修改",
}
DIRECTIONS = {
    "raised": "提高",
    "lowered": "降低",
    "tightened": "收紧",
    "loosened": "放宽",
    "to_qualitative": "定量改为定性",
    "to_quantitative": "定性改为定量",
    "later": "推迟",
    "earlier": "提前",
    "increased": "增加",
    "decreased": "减少",
    "changed": "修改",
}
WEAKER = {"lowered", "loosened", "to_qualitative", "later"}  # a target made easier
STRONGER = {"raised", "tightened", "earlier"}
AMOUNT_FIELDS = {
    "total": "总计",
    "fiscal": "财政拨款",
    "special_account": "财政专户拨款",
    "other": "其他资金",
}
VALUE_FIELDS = {"period_value": "实施周期指标值", "annual_value": "年度指标值"}
ONE_VALUE = "指标值"  # 实施周期 and 年度 alike before and after
TEXT_FIELDS = {"description": "绩效指标描述", "basis": "指标值确定依据"}

BUDGET_UP_TARGET_DOWN = FindingSpec(
    "compare.budget_up_target_down",
    "warning",
    "项目“{project}”预算增加 {delta} 万元（{percent}），但有 {count} 个指标值降低或放宽",
    "请单位说明：资金增加时绩效目标一般不应降低",
)
INDICATOR_REMOVED = FindingSpec(
    "compare.indicator_removed",
    "warning",
    "项目“{project}”删除了指标“{indicator}”（原指标值 {old}）",
    "确认删除的理由，或补回该指标",
)
TO_QUALITATIVE = FindingSpec(
    "compare.quantitative_to_qualitative",
    "warning",
    "项目“{project}”的指标“{indicator}”由定量（{old}）改为定性（{new}）",
    "定量指标便于考核，改为定性需说明理由",
)


@dataclass
class Change:
    kind: str
    unit: str
    project: str
    indicator: str = ""  # 三级指标 (new name, or old when removed)
    l1: str = ""
    l2: str = ""
    field: str = ""  # what changed, in Chinese (年度指标值, 总计 …)
    old: str = ""
    new: str = ""
    direction: str = ""
    delta: Decimal | None = None
    percent: float | None = None
    old_where: SourceLocation | None = None
    new_where: SourceLocation | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind, "label": KINDS[self.kind], "unit": self.unit,
            "project": self.project, "indicator": self.indicator, "l1": self.l1, "l2": self.l2,
            "field": self.field, "old": self.old, "new": self.new, "direction": self.direction,
            "direction_label": DIRECTIONS.get(self.direction, ""),
            "delta": str(self.delta) if self.delta is not None else None, "percent": self.percent,
        }  # fmt: skip
        for side, where in (("old_where", self.old_where), ("new_where", self.new_where)):
            data[side] = (
                {"file": where.file, "sheet": where.sheet, "cell": where.cell} if where else None
            )
        return data


@dataclass
class ProjectMatch:
    old: Project | None
    new: Project | None
    rule: str  # how the two were matched, in Chinese; "" for an added or removed project
    changes: list[Change] = field(default_factory=list)

    @property
    def name(self) -> str:
        return (self.new or self.old or Project()).name

    @property
    def unit(self) -> str:
        return (self.new or self.old or Project()).unit.name


@dataclass
class Comparison:
    matches: list[ProjectMatch] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        return [c for m in self.matches for c in m.changes]

    @property
    def unchanged(self) -> int:
        return sum(1 for m in self.matches if m.old and m.new and not m.changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "projects": [
                {
                    "unit": m.unit,
                    "old": m.old.name if m.old else None,
                    "new": m.new.name if m.new else None,
                    "rule": m.rule,
                    "changes": len(m.changes),
                }
                for m in self.matches
            ],
            "changes": [c.to_json() for c in self.changes],
            "unchanged": self.unchanged,
            "findings": [f.model_dump(mode="json", exclude_defaults=True) for f in self.findings],
        }


def compare(old: Sequence[Project], new: Sequence[Project]) -> Comparison:
    result = Comparison()
    for before, after, rule in match_projects(old, new):
        match = ProjectMatch(before, after, rule)
        result.matches.append(match)
        if before is None or after is None:
            present = after or before
            assert present is not None
            kind = "project_added" if before is None else "project_removed"
            total = present.amounts.total
            match.changes.append(
                Change(
                    kind, present.unit.name, present.name, field="总计",
                    old="" if after else _amount(total), new=_amount(total) if after else "",
                    old_where=before.source if before else None,
                    new_where=after.source if after else None,
                )
            )  # fmt: skip
            continue
        match.changes.extend(_project_changes(before, after))
        result.findings.extend(_findings(match))
    return result


# ---- matching projects ----------------------------------------------------------------------

_YEARS = re.compile(
    r"20\d{2}(?:\s*[-—－~至]\s*20\d{2})?\s*年?度?|[（(]?(?:中央|省级|市级|区级)[)）]?$"
)
_NOISE = re.compile(r"[\s\-—－_·、，,（）()]+")


def normalized_name(name: str) -> str:
    """A project's name without its years, so 2024年…经费 and 2025年…经费 are one project."""
    return _NOISE.sub("", _YEARS.sub("", name))


def match_projects(
    old: Sequence[Project], new: Sequence[Project]
) -> list[tuple[Project | None, Project | None, str]]:
    """Pairs (old, new, rule): by 项目编码, else unit and name without years, else by
    content (names and indicators) when similar enough; the rest added or removed."""
    pairs: list[tuple[Project | None, Project | None, str]] = []
    left = list(old)
    right = list(new)

    def take(key: Any, rule: str) -> None:
        index: dict[Any, list[int]] = {}
        for number, project in enumerate(right):
            k = key(project)
            if k:
                index.setdefault(k, []).append(number)
        used: set[int] = set()
        kept = []
        for project in left:
            candidates = [n for n in index.get(key(project) or None, []) if n not in used]
            if candidates:
                # several with this key (projects without a unit, from several departments):
                # an unchanged copy before the first in file order
                chosen = next((n for n in candidates if _same(project, right[n])), candidates[0])
                used.add(chosen)
                pairs.append((project, right[chosen], rule))
            else:
                kept.append(project)
        left[:] = kept
        right[:] = [p for n, p in enumerate(right) if n not in used]

    take(lambda p: p.code.strip(), "项目编码")
    take(lambda p: (p.unit.name.strip(), p.name.strip()), "单位和名称")
    take(lambda p: (p.unit.name.strip(), normalized_name(p.name)), "单位和名称（不计年份）")
    take(lambda p: normalized_name(p.name), "名称（不计年份）")
    scored = sorted(
        (
            (score, i, j)
            for i, j in _candidates(left, right)
            if (score := _similarity(left[i], right[j])) >= 0.6
        ),
        reverse=True,
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    for score, i, j in scored:
        if score < 0.6:
            break
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append((left[i], right[j], f"内容相似（{score:.0%}）"))
    pairs.extend((p, None, "") for i, p in enumerate(left) if i not in used_left)
    pairs.extend((None, p, "") for j, p in enumerate(right) if j not in used_right)
    return pairs


CANDIDATES = 8  # new projects scored per unmatched old one
COMMON = 200  # a word shared by more new projects than this tells none of them apart


def _candidates(left: Sequence[Project], right: Sequence[Project]) -> Iterator[tuple[int, int]]:
    """The pairs worth scoring, instead of every pair (1,600 renamed projects a side took
    128 s; 6,000 in different units 3.9 GB): only within a unit (or where one has none), and
    for each old project the new ones sharing most of its indicator names and name pieces."""
    index: dict[str, list[int]] = {}
    for j, project in enumerate(right):
        for token in _tokens(project):
            index.setdefault(token, []).append(j)
    for i, project in enumerate(left):
        shared: dict[int, int] = {}
        for token in _tokens(project):
            posting = index.get(token, ())
            if len(posting) > COMMON:
                continue
            for j in posting:
                if _same_unit(project, right[j]):
                    shared[j] = shared.get(j, 0) + 1
        best = sorted(shared, key=lambda j: (-shared[j], j))[:CANDIDATES]
        yield from ((i, j) for j in best)


def _tokens(project: Project) -> set[str]:
    name = normalized_name(project.name)
    pieces = {name[k : k + n] for n in (2, 3, 4) for k in range(len(name) - n + 1)} or {name}
    return {f"n:{p}" for p in pieces} | {f"i:{item.l3.strip()}" for item in project.indicators}


def _same_unit(a: Project, b: Project) -> bool:
    return not (a.unit.name and b.unit.name and a.unit.name != b.unit.name)


def _same(a: Project, b: Project) -> bool:
    """Same amounts and the same indicators with the same values."""
    return a.amounts == b.amounts and [
        (i.l3, i.annual_value, i.period_value) for i in a.indicators
    ] == [(i.l3, i.annual_value, i.period_value) for i in b.indicators]


def _similarity(a: Project, b: Project) -> float:
    if a.unit.name and b.unit.name and a.unit.name != b.unit.name:
        return 0.0
    names = SequenceMatcher(None, normalized_name(a.name), normalized_name(b.name)).ratio()
    first = {i.l3.strip() for i in a.indicators}
    second = {i.l3.strip() for i in b.indicators}
    shared = len(first & second) / len(first | second) if first | second else 0.0
    return 0.5 * names + 0.5 * shared


# ---- what changed in a project --------------------------------------------------------------


def _project_changes(old: Project, new: Project) -> list[Change]:
    changes: list[Change] = []

    def change(kind: str, **details: Any) -> None:
        changes.append(Change(kind, new.unit.name, new.name, **details))

    if old.name != new.name:
        change("project_renamed", field="项目名称", old=old.name, new=new.name,
               old_where=old.source, new_where=new.source)  # fmt: skip
    if old.code != new.code:
        kind = "code_added" if not old.code and new.code else "code_changed"
        change(kind, field="项目编码", old=old.code, new=new.code,
               old_where=old.cells.get("code"), new_where=new.cells.get("code"))  # fmt: skip
    for name, label in AMOUNT_FIELDS.items():
        before, after = getattr(old.amounts, name), getattr(new.amounts, name)
        if before != after:
            delta = (after or Decimal(0)) - (before or Decimal(0))
            percent = float(delta / before) if before else None
            moved = "increased" if delta > 0 else "decreased"
            change("amount_changed", field=label, old=_amount(before), new=_amount(after),
                   direction=moved, delta=delta, percent=percent,
                   old_where=old.cells.get(name), new_where=new.cells.get(name))  # fmt: skip
    if _goals(old) != _goals(new) and _goals(old) and _goals(new):
        change("goals_changed", field="绩效目标", old="\n".join(old.goals),
               new="\n".join(new.goals), old_where=old.cells.get("goals"),
               new_where=new.cells.get("goals"))  # fmt: skip
    for before, after in match_indicators(old.indicators, new.indicators):
        changes.extend(_indicator_changes(new, before, after))
    return changes


def _goals(project: Project) -> str:
    return "".join("".join(project.goals).split())


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _key(item: Indicator) -> tuple[str, str, str]:
    l1, l2, _ = framework.canonical_class(item.l1.strip(), item.l2.strip())
    return l1, l2, "".join(item.l3.split())


def match_indicators(
    old: Sequence[Indicator], new: Sequence[Indicator]
) -> list[tuple[Indicator | None, Indicator | None]]:
    """Pairs by 一级/二级/三级 name, then by similar 三级 name (same 二级 first)."""
    pairs: list[tuple[Indicator | None, Indicator | None]] = []
    waiting: dict[tuple[str, str, str], list[Indicator]] = {}
    for item in new:
        waiting.setdefault(_key(item), []).append(item)
    unmatched_old = []
    for item in old:
        same = waiting.get(_key(item))
        if same:
            pairs.append((item, same.pop(0)))
        else:
            unmatched_old.append(item)
    unmatched_new = [i for items in waiting.values() for i in items]
    scored = []
    for i, a in enumerate(unmatched_old):
        for j, b in enumerate(unmatched_new):
            ratio = SequenceMatcher(None, _key(a)[2], _key(b)[2]).ratio()
            same_class = _key(a)[:2] == _key(b)[:2]
            if ratio >= (0.6 if same_class else 0.85):
                scored.append((same_class, ratio, i, j))
    used_old: set[int] = set()
    used_new: set[int] = set()
    for _, _, i, j in sorted(scored, reverse=True):
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((unmatched_old[i], unmatched_new[j]))
    pairs.extend((a, None) for i, a in enumerate(unmatched_old) if i not in used_old)
    pairs.extend((None, b) for j, b in enumerate(unmatched_new) if j not in used_new)
    return pairs


def _indicator_changes(
    project: Project, old: Indicator | None, new: Indicator | None
) -> list[Change]:
    present = new or old
    assert present is not None
    l1, l2, _ = framework.canonical_class(present.l1, present.l2)

    def change(kind: str, **details: Any) -> Change:
        return Change(kind, project.unit.name, project.name, indicator=present.l3, l1=l1, l2=l2,
                      old_where=old.source if old else None,
                      new_where=new.source if new else None, **details)  # fmt: skip

    if old is None:
        return [change("indicator_added", field="年度指标值", new=present.annual_value)]
    if new is None:
        return [change("indicator_removed", field="年度指标值", old=present.annual_value)]
    changes = []
    if "".join(old.l3.split()) != "".join(new.l3.split()):
        changes.append(change("indicator_renamed", field="三级指标", old=old.l3, new=new.l3))
    fields = VALUE_FIELDS
    if old.period_value == old.annual_value and new.period_value == new.annual_value:
        # one target (a card's 指标值, or both columns alike): one edit is one change
        fields = {"annual_value": ONE_VALUE}
    for name, label in fields.items():
        before, after = getattr(old, name).strip(), getattr(new, name).strip()
        if "".join(before.split()) != "".join(after.split()):
            changes.append(
                change(
                    "value_changed",
                    field=label,
                    old=before,
                    new=after,
                    direction=direction(before, after),
                )
            )
    for name, label in TEXT_FIELDS.items():
        before, after = getattr(old, name).strip(), getattr(new, name).strip()
        if before and after and before != after:  # a layout without the column says nothing
            changes.append(change("text_changed", field=label, old=before, new=after))
    return changes


# ---- the direction of a changed value -------------------------------------------------------

LOWER_BOUNDS = {"≥", ">"}
UPPER_BOUNDS = {"≤", "<"}


def direction(old: str, new: str) -> str:
    """How a target value moved: raised/lowered for plain numbers, tightened/loosened for
    bounds (≥95% → ≥90% is loosened, ≤80万元 → ≤100万元 too), later/earlier for deadlines,
    to_qualitative/to_quantitative, else changed."""
    first, second = deadline(old), deadline(new)
    if first and second:
        if first[0] and not second[0]:
            second = (first[0], *second[1:])
        if second != first:
            return "later" if second > first else "earlier"
        return "changed"
    before, after = parse_value(old), parse_value(new)
    if before.number is not None and after.number is None:
        return "to_qualitative"
    if before.number is None and after.number is not None:
        return "to_quantitative"
    if before.number is None or after.number is None or before.unit != after.unit:
        return "changed"
    if before.number == after.number:
        return "changed"  # same number, another operator or wording
    higher = after.number > before.number
    if before.op in LOWER_BOUNDS and after.op in LOWER_BOUNDS:
        return "tightened" if higher else "loosened"
    if before.op in UPPER_BOUNDS and after.op in UPPER_BOUNDS:
        return "loosened" if higher else "tightened"
    return "raised" if higher else "lowered"


# ---- what a reviewer is told ----------------------------------------------------------------


def _findings(match: ProjectMatch) -> list[Finding]:
    found = []
    weaker = [c for c in match.changes if c.kind == "value_changed" and c.direction in WEAKER]
    total = next(
        (c for c in match.changes if c.kind == "amount_changed" and c.field == "总计"), None
    )
    if total is not None and total.delta is not None and total.delta > 0 and weaker:
        percent = f"{total.percent:+.1%}" if total.percent is not None else "原为空"
        found.append(
            BUDGET_UP_TARGET_DOWN.at(
                total.new_where, project=match.name, delta=f"{total.delta:,.2f}",
                percent=percent, count=len({(c.indicator, c.l2) for c in weaker}),
            )
        )  # fmt: skip
    for change in match.changes:
        if change.kind == "indicator_removed":
            found.append(
                INDICATOR_REMOVED.at(
                    change.old_where,
                    project=match.name,
                    indicator=change.indicator,
                    old=change.old or "（空）",
                )
            )
        elif change.kind == "value_changed" and change.direction == "to_qualitative":
            found.append(
                TO_QUALITATIVE.at(
                    change.new_where,
                    project=match.name,
                    indicator=change.indicator,
                    old=change.old,
                    new=change.new,
                )
            )
    return found
