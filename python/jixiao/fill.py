"""Fill a sheet the way a careful clerk would: codes, canonical values, totals, numbering.

Each step is a function over the projects that changes them in place and returns one
``Change`` per cell it changed, so that nothing a clerk typed is replaced unreported.
``fill_workbook`` reads a file, runs the chosen steps and writes the result to another
file in the same layout. Running it on its own output changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from jixiao import framework, packed
from jixiao.errors import WorkbookError
from jixiao.files.read import read_formulas
from jixiao.files.write import write_sheets
from jixiao.findings import FindingSpec
from jixiao.grid import CellValue
from jixiao.layouts.base import TotalRow
from jixiao.layouts.long import INDICATOR_FIELDS
from jixiao.model import Finding, Indicator, Project, SourceLocation
from jixiao.options import STEPS, Layout
from jixiao.output import Formula
from jixiao.validate import profile_for
from jixiao.values import normalize_value
from jixiao.workbook import WorkbookRead, layout_sheets, read_workbook, sheet_as_is

SOURCES = ("fiscal", "special_account", "other")
TEXT_FIELDS = {"l1": "一级指标", "l2": "二级指标", "l3": "三级指标", "description": "指标描述"}
VALUE_FIELDS = {"period_value": "实施周期指标值", "annual_value": "年度指标值"}


@dataclass(frozen=True)
class Change:
    step: str
    location: SourceLocation | None
    project: str
    what: str  # the field, as clerks name it
    before: str
    after: str

    def describe(self) -> str:
        where = self.location or SourceLocation()
        place = f"{where.sheet}!{where.cell}" if where.sheet and where.cell else "（新增）"
        return f"{place} {self.project}：{self.what}“{self.before}” → “{self.after}”"


@dataclass
class FillResult:
    read: WorkbookRead
    layout: Layout
    changes: list[Change] = field(default_factory=list)
    output: Path | None = None
    carried: list[str] = field(default_factory=list)  # sheets without a table, copied as read
    # True: the changed cells were set in a copy of the user's own package, everything else
    # of it kept; False: the workbook was written anew in its layout (why: ``rewritten``)
    in_place: bool = False
    rewritten: str = ""
    findings: list[Finding] = field(default_factory=list)  # what a clerk typed and fill replaced


Step = Callable[[Sequence[Project], framework.Profile], list[Change]]

TOTAL_REPLACED = FindingSpec(
    "fill.total_replaced",
    "warning",
    "{project}的总计“{before}”与各来源之和不符，已改为“{after}”",
    "核对各来源金额；如原总计才是对的，请改正来源金额后再补全",
)


LABELS = {
    "l1_code": "一级指标编码",
    "l2_code": "二级指标编码",
    "seq": "序号",
    **TEXT_FIELDS,
    **VALUE_FIELDS,
}


def _set(step: str, project: Project, item: Indicator, attr: str, after: str) -> Change | None:
    """Set one field of an indicator; the change, or ``None`` when it already held ``after``."""
    before = str(getattr(item, attr))
    if before == after:
        return None
    where = item.cells.get(attr) or item.source
    position = project.indicators.index(item) + 1 if item in project.indicators else item.seq
    what = f"{item.l3 or f'第{position}项指标'} 的{LABELS[attr]}"  # never 第None项
    setattr(item, attr, int(after) if attr == "seq" else after)
    return Change(step, where, project.name, what, before, after)


def _editable(projects: Sequence[Project]) -> Iterator[tuple[Project, Indicator]]:
    """Indicators that were read whole; an unparsed one is kept verbatim, never edited."""
    for project in projects:
        for item in project.indicators:
            if item.raw is None:
                yield project, item


def fill_codes(projects: Sequence[Project], profile: framework.Profile) -> list[Change]:
    """一级/二级 codes from the names; a name the profile does not know is left alone."""
    changes = []
    for project, item in _editable(projects):
        l1 = profile.l1(item.l1)
        l2 = profile.l2(item.l2, parent=l1.code) if l1 else None
        for attr, entry in (("l1_code", l1), ("l2_code", l2)):
            if entry is not None:
                changes.append(_set("codes", project, item, attr, entry.code))
    return [c for c in changes if c]


def normalize(projects: Sequence[Project], profile: framework.Profile) -> list[Change]:
    """Values in canonical spelling (``≥``, ``%``), names and descriptions without stray spaces."""
    changes = []
    for project, item in _editable(projects):
        for attr in TEXT_FIELDS:
            changes.append(_set("normalize", project, item, attr, getattr(item, attr).strip()))
        for attr in VALUE_FIELDS:
            changes.append(
                _set("normalize", project, item, attr, normalize_value(getattr(item, attr)))
            )
    return [c for c in changes if c]


def fill_annual(projects: Sequence[Project], profile: framework.Profile) -> list[Change]:
    """An empty 年度指标值 from 实施周期指标值 and the reverse; a filled one is never touched."""
    changes = []
    for project, item in _editable(projects):
        for empty, filled in (("annual_value", "period_value"), ("period_value", "annual_value")):
            if not getattr(item, empty).strip() and getattr(item, filled).strip():
                changes.append(_set("annual", project, item, empty, getattr(item, filled)))
    return [c for c in changes if c]


def fill_totals(projects: Sequence[Project], profile: framework.Profile) -> list[Change]:
    """总计 = 财政拨款 + 财政专户拨款 + 其他资金 wherever a source is written."""
    changes = []
    for project in projects:
        sources = [getattr(project.amounts, f) for f in SOURCES]
        if all(v is None for v in sources):
            continue
        computed = sum((v for v in sources if v is not None), Decimal(0))
        if project.amounts.total != computed:
            where = project.cells.get("total")
            before = _amount(project.amounts.total)
            changes.append(Change("totals", where, project.name, "总计", before, _amount(computed)))
            project.amounts.total = computed
    return changes


def add_skeleton(projects: Sequence[Project], profile: framework.Profile) -> list[Change]:
    """The standard 产出/效益/满意度 rows for a project with none, values left for the clerk."""
    changes = []
    for project in projects:
        if project.indicators:
            continue
        for seq, (l1, l2) in enumerate(profile.skeleton(), start=1):
            project.indicators.append(
                Indicator(seq=seq, l1_code=l1.code, l1=l1.name, l2_code=l2.code, l2=l2.name)
            )
            changes.append(
                Change("skeleton", None, project.name, "新增指标行", "", f"{l1.name} / {l2.name}")
            )
    return changes


def renumber(projects: Sequence[Project], profile: framework.Profile) -> list[Change]:
    """序号 1, 2, 3… in each project after rows were added or removed."""
    changes = []
    for project in projects:
        for seq, item in enumerate(project.indicators, start=1):
            changes.append(_set("numbering", project, item, "seq", str(seq)))
    return [c for c in changes if c]


STEP_FUNCTIONS: dict[str, Step] = {
    "codes": fill_codes,
    "normalize": normalize,
    "annual": fill_annual,
    "totals": fill_totals,
    "skeleton": add_skeleton,
    "numbering": renumber,
}


def fill_projects(
    projects: Sequence[Project], profile: framework.Profile, steps: Sequence[str] = STEPS
) -> list[Change]:
    changes: list[Change] = []
    for step in STEPS:  # the order matters: numbering last, after the skeleton
        if step in steps:
            changes.extend(STEP_FUNCTIONS[step](projects, profile))
    return changes


def fill_workbook(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    steps: Sequence[str] = STEPS,
    profile: str | None = None,
    formulas: bool = True,
) -> FillResult:
    """Fill ``source`` into ``output`` (never ``source``), in the layout it was read in."""
    read = read_workbook(source, keep_other_sheets=True)
    layout = _layout_of(read)
    result = FillResult(read=read, layout=layout)
    live = formulas and "totals" in steps and layout == "wide"
    written = _formulas_in(source) if layout == "wide" else {}
    _evaluate_sums(read.projects, written)
    if layout == "card":  # cards print no code columns: codes would be filled, then dropped
        steps = [s for s in steps if s != "codes"]
    before = _snapshot(read.projects)
    result.changes = fill_projects(read.projects, profile_for(read, profile), steps)
    if layout == "wide":
        result.changes.extend(_wide_rewrites(read, written, live))
    result.findings = [  # a total the clerk typed, now replaced: a finding, not a line only
        TOTAL_REPLACED.at(c.location, project=c.project, before=c.before, after=c.after)
        for c in result.changes
        if c.step == "totals" and c.before and c.location is not None and _differs(c)
    ]
    edits, why = _edits(read, layout, before, written, live)
    suffix = Path(source).suffix.lower()
    if edits is not None and suffix in (".xlsx", ".xlsm") and Path(output).suffix.lower() == suffix:
        from jixiao.files.patch import patch_workbook

        result.output = patch_workbook(source, output, edits, protect=(source,))
        result.in_place = True
        return result
    result.rewritten = why or f"{suffix} 文件不能原样修改，或输出的扩展名与输入不同"
    sheets = layout_sheets(
        read.projects,
        layout,
        read.department,
        formulas=live,
        department_goals=read.department_goals,
    )
    taken = {s.name for s in sheets}
    for grid in read.other_sheets:  # 说明 and the like: the output is the whole workbook
        name = grid.sheet
        while name in taken:
            name += "（原）"
        taken.add(name)
        sheets.append(sheet_as_is(grid, name))
        result.carried.append(name)
    result.output = write_sheets(output, sheets, protect=(source,))
    return result


# the fields of an indicator fill may change (each a 指标明细 column; basis it never touches),
# each in a cell of its own in long and card sheets
EDITED = tuple(f for f in INDICATOR_FIELDS if f != "basis")


def _snapshot(projects: Sequence[Project]) -> dict[int, tuple[object, ...]]:
    """Each indicator's editable fields and each project's total, before the steps."""
    state: dict[int, tuple[object, ...]] = {}
    for project in projects:
        state[id(project)] = (project.amounts.total,)
        for item in project.indicators:
            state[id(item)] = tuple(getattr(item, f) for f in EDITED)
    return state


def _edits(
    read: WorkbookRead,
    layout: Layout,
    before: dict[int, tuple[object, ...]],
    formulas: dict[tuple[str, str], str],
    live: bool,
) -> tuple[dict[tuple[str, str], CellValue | Formula] | None, str]:
    """The cells to set in the user's own workbook, or (None, why) where a change has no cell
    of its own (a row added to 指标明细, a field the sheet has no column for)."""
    edits: dict[tuple[str, str], CellValue | Formula] = {}

    def put(where: SourceLocation | None, value: CellValue | Formula) -> bool:
        if where is None or not where.sheet or not where.cell or where.offset is not None:
            return False
        edits[(where.sheet, where.cell)] = value
        return True

    if layout not in ("wide", "long", "card"):
        return None, f"{layout} 格式的表按指标明细写出"
    for project in read.projects:
        if layout == "wide":
            try:
                text = packed.render(project.indicators)
            except packed.RenderError:
                return None, f"项目“{project.name}”的指标超过一个单元格能容纳的字数"
            changed = project.packed is not None and text != project.packed
            if changed and not put(project.cells.get("indicators"), text):
                return None, f"项目“{project.name}”的绩效指标单元格不明"
        else:
            for item in project.indicators:
                old = before.get(id(item))
                if old is None:
                    return None, f"项目“{project.name}”新增了指标行"
                for name, was in zip(EDITED, old, strict=True):
                    now = getattr(item, name)
                    if now != was and not put(item.cells.get(name), now):
                        return None, f"表中没有“{LABELS[name]}”一列"
        if project.amounts.total != before[id(project)][0] and not (layout == "wide" and live):
            total = project.amounts.total
            if not put(project.cells.get("total"), None if total is None else float(total)):
                return None, f"项目“{project.name}”的总计单元格不明"
    if layout == "wide" and not _wide_total_edits(read, formulas, live, put):
        return None, "合计或单位小计的单元格不明"
    return edits, ""


def _wide_total_edits(
    read: WorkbookRead,
    formulas: dict[tuple[str, str], str],
    live: bool,
    put: Callable[[SourceLocation | None, CellValue | Formula], bool],
) -> bool:
    """The 总计 cells _wide_rewrites reports: live formulas over the user's own rows (SUM of a
    project's sources, SUBTOTAL of a unit's and of all projects), or the computed amounts."""
    rows = sorted((where_row(r.cells.get("total")), r) for r in read.totals if r.cells.get("total"))
    project_rows = [where_row(p.cells.get("total")) for p in read.projects if p.cells.get("total")]
    last_project = max(project_rows, default=0)
    by_unit: dict[str, list[Decimal]] = {}
    for project in read.projects:
        if project.amounts.total is not None:
            by_unit.setdefault(project.unit.name, []).append(project.amounts.total)
        where = project.cells.get("total")
        sourced = [project.cells.get(f) for f in SOURCES if getattr(project.amounts, f) is not None]
        if live and sourced and where is not None and not _has_formula(formulas, where):
            first, last = project.cells.get("fiscal"), project.cells.get("other")
            if first is None or last is None or first.cell is None or last.cell is None:
                return False
            formula = Formula(f"=SUM({first.cell}:{last.cell})")
            formula.value = float(project.amounts.total or 0)
            if not put(where, formula):
                return False
    every = [t for totals in by_unit.values() for t in totals]
    for index, (row, total_row) in enumerate(rows):
        members = every if total_row.is_grand_total else by_unit.get(total_row.label, [])
        if not members:
            continue
        computed = sum(members, Decimal(0))
        where = total_row.cells["total"]
        if live:
            if _has_formula(formulas, where):
                continue
            end = last_project
            if not total_row.is_grand_total:
                later = [r for r, _ in rows[index + 1 :] if r > row]
                end = min([*later, last_project + 1]) - 1 if later else last_project
            column = (where.cell or "").rstrip("0123456789")
            formula = Formula(f"=SUBTOTAL(9,{column}{row + 1}:{column}{end})")
            formula.value = float(computed)
            if not put(where, formula):
                return False
        elif total_row.amounts.get("total") != computed and not put(where, float(computed)):
            return False
    return True


def where_row(where: SourceLocation | None) -> int:
    """The 1-based row of a cell reference (``B12`` -> 12)."""
    cell = where.cell if where is not None and where.cell else "A0"
    return int(cell.lstrip("$ABCDEFGHIJKLMNOPQRSTUVWXYZ") or 0)


def _differs(change: Change) -> bool:
    """A total replaced by another amount (not the same amount as a live formula)."""
    after = change.after.rsplit("=", 1)[-1].strip()
    return after.replace(",", "") != change.before.replace(",", "")


def _layout_of(read: WorkbookRead) -> Layout:
    layouts = [layout for _, layout in read.sheets]
    for layout in ("wide", "long", "card"):
        if layout in layouts:
            return layout
    return "long"


def _formulas_in(source: str | os.PathLike[str]) -> dict[tuple[str, str], str]:
    try:
        return read_formulas(source)
    except WorkbookError:  # not a file openpyxl opens (.xls): it holds no formulas of ours
        return {}


def _evaluate_sums(projects: Sequence[Project], formulas: dict[tuple[str, str], str]) -> None:
    """A 总计 cell holding ``=SUM`` of its row was written by fill: its value is that sum.

    Formulas saved without a cached result read as empty; without this a second run would
    report every live 总计 as newly filled.
    """
    for project in projects:
        where = project.cells.get("total")
        formula = formulas.get((where.sheet or "", where.cell or "")) if where else None
        if formula and formula.upper().startswith("=SUM(") and project.amounts.total is None:
            sources = [getattr(project.amounts, f) for f in SOURCES]
            project.amounts.total = sum((v for v in sources if v is not None), Decimal(0))


def _wide_rewrites(
    read: WorkbookRead, formulas: dict[tuple[str, str], str], live: bool
) -> list[Change]:
    """What writing the wide layout itself changes: packed cells, live totals, subtotal rows."""
    changes = []
    for project in read.projects:
        try:
            text = packed.render(project.indicators)
        except packed.RenderError:  # past a cell's limit: its rows stay on 指标明细
            continue
        if project.packed is not None and text != project.packed:
            where = project.cells.get("indicators")
            changes.append(
                Change("normalize", where, project.name, "绩效指标", project.packed, text)
            )
    by_unit: dict[str, list[Decimal]] = {}
    for project in read.projects:
        if project.amounts.total is not None:
            by_unit.setdefault(project.unit.name, []).append(project.amounts.total)
    every = [t for totals in by_unit.values() for t in totals]
    for row in read.totals:
        members = every if row.is_grand_total else by_unit.get(row.label, [])
        if members:
            changes.extend(_total_row_change(row, sum(members, Decimal(0)), formulas, live))
    for project in read.projects:
        where = project.cells.get("total")
        sourced = any(getattr(project.amounts, f) is not None for f in SOURCES)
        if live and sourced and where is not None and not _has_formula(formulas, where):
            before = _amount(project.amounts.total)
            after = f"=SUM(…) = {_amount(project.amounts.total)}"
            changes.append(Change("totals", where, project.name, "总计", before, after))
    return changes


def _total_row_change(
    row: TotalRow, computed: Decimal, formulas: dict[tuple[str, str], str], live: bool
) -> list[Change]:
    where = row.cells.get("total")
    if live:
        if where is not None and _has_formula(formulas, where):
            return []
        after = f"=SUBTOTAL(9,…) = {_amount(computed)}"
    elif row.amounts.get("total") == computed:
        return []
    else:
        after = _amount(computed)
    return [Change("totals", where, row.label, "总计", _amount(row.amounts.get("total")), after)]


def _has_formula(formulas: dict[tuple[str, str], str], where: SourceLocation) -> bool:
    return (where.sheet or "", where.cell or "") in formulas


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"
