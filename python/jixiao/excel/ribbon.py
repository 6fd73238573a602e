"""One function per button of the 绩效目标 tab; each takes the calling Book.

Results always go to new sheets (a clerk's sheet is never overwritten); each action reads
the sheets it needs once and writes each result sheet once, whatever the row count.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import xlwings as xw

from jixiao import framework
from jixiao.consolidate import consolidate as consolidate_files
from jixiao.consolidate import consolidate_reads
from jixiao.excel.bridge import (
    ActionError,
    action,
    active_grid,
    read_sheet,
    status,
    write_output,
)
from jixiao.excel.marks import clear_marks as clear_mark_sheets
from jixiao.excel.marks import mark_cells
from jixiao.fill import fill_projects
from jixiao.grid import CellValue
from jixiao.grid import position as cell_position
from jixiao.layouts import card, long, wide
from jixiao.layouts.headers import (
    LONG_SHEET,
    PROJECT_SHEET,
    SOURCES_SHEET,
    STATISTICS_SHEET,
    SUMMARY_SHEET,
)
from jixiao.layouts.registry import read_grid
from jixiao.options import STEP_NAMES
from jixiao.output import Formula, OutputSheet
from jixiao.summary_workbook import consolidation_sheets, write_consolidation
from jixiao.templates import template_sheets
from jixiao.validate import (
    REPORT_SHEET,
    SEVERITY_LABELS,
    WIDTHS,
    profile_for,
    report_rows,
    validate_workbook,
)
from jixiao.workbook import WorkbookRead, layout_sheets

LAYOUT_LABELS = {"wide": "宽表", "long": "指标明细", "card": "卡片"}


def read_active(book: xw.Book) -> WorkbookRead:
    """The projects of the active sheet (with 项目信息 beside a 指标明细 sheet)."""
    grid = active_grid(book)
    found = read_grid(grid)
    if found is None:
        raise ActionError(
            f"工作表“{grid.sheet}”中没有识别出绩效目标表：需要“项目名称（资金使用单位）…绩效指标”、"
            "“…三级指标…年度指标值”、“N.…绩效目标表”或“长期绩效指标…年度绩效指标”这样的表头"
        )
    read = WorkbookRead(path=book.name, projects=found.projects, findings=found.findings)
    read.sheets.append((grid.sheet, found.layout))
    read.department, read.totals = found.department, found.totals
    if found.layout == "long" and PROJECT_SHEET in {s.name for s in book.sheets}:
        info = read_sheet(book.sheets[PROJECT_SHEET])
        header = long.find_project_header(info)
        if header is not None:
            read.findings.extend(long.read_projects(info, header, read.projects).findings)
    if not read.projects:
        raise ActionError(f"工作表“{grid.sheet}”中没有项目")
    return read


def _summary(read: WorkbookRead, made: Sequence[xw.Sheet]) -> str:
    names = "、".join(f"“{s.name}”" for s in made)
    indicators = sum(len(p.indicators) for p in read.projects)
    text = f"已生成 {names}：{len(read.projects)} 个项目，{indicators} 条指标。"
    errors = sum(1 for f in read.findings if f.severity == "error")
    if errors:
        text += f"有 {errors} 处无法解析，已原样保留；请点“校验”查看。"
    return text


@action
def unpack(book: xw.Book) -> str:
    """拆分: the active sheet (any layout) into a new 指标明细 sheet, one row per indicator."""
    read = read_active(book)
    made = [write_output(book, spec) for spec in long.write(read.projects)]
    return _summary(read, made)


@action
def pack(book: xw.Book) -> str:
    """合并: the active sheet into the wide (Guangzhou) layout, one row per project."""
    read = read_active(book)
    made = [write_output(book, wide.write(read.projects, read.department, formulas=True))]
    return _summary(read, made)


@action
def cards(book: xw.Book) -> str:
    """生成卡片: one card per project, as published, on a new sheet."""
    read = read_active(book)
    return _summary(read, [write_output(book, card.write(read.projects))])


@action
def validate(book: xw.Book, profile: str | None = None) -> str:
    """校验: a 校验结果 sheet linking to each problem cell, and those cells marked (an overlay
    of conditional formats: the clerk's own fills are never replaced, see excel.marks)."""
    read = read_active(book)
    findings = validate_workbook(read, profile)
    rows: list[list[CellValue]] = [list(r) for r in report_rows(findings)]
    marks: dict[tuple[int, int], str] = {}
    source = read.sheets[0][0]
    for row, finding in zip(rows[1:], findings, strict=True):
        where = finding.location
        if where is None or not where.sheet or not where.cell:
            continue
        sheet_name = where.sheet.replace("'", "''")
        target = f"#'{sheet_name}'!{where.cell}"
        row[3] = Formula(f'=HYPERLINK("{target}","{where.cell}")')
        if where.sheet == source:
            position = cell_position(where.cell)
            if marks.get(position) != SEVERITY_LABELS["error"]:
                marks[position] = SEVERITY_LABELS[finding.severity]
    mark_cells(book, book.sheets[source], marks)
    spec = OutputSheet(
        name=REPORT_SHEET, rows=rows, column_widths=dict(enumerate(WIDTHS)), header_rows=[0]
    )
    write_output(book, spec)
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_LABELS}
    if not findings:
        return "校验完成：没有发现问题。"
    parts = "，".join(f"{n} 个{SEVERITY_LABELS[s]}" for s, n in counts.items() if n)
    return (
        f"校验完成：{parts}。问题单元格已标色（原有底色不变，点“清除标记”可去掉），"
        "详见“校验结果”工作表（点单元格地址可跳转）。"
    )


@action
def clear_marks(book: xw.Book) -> str:
    """清除标记: remove 校验's marks from every checked sheet; nothing of the clerk's changes."""
    cleared = clear_mark_sheets(book)
    if not cleared:
        return "没有需要清除的校验标记。"
    return f"已清除 {cleared} 个工作表上的校验标记，原有底色和格式不变。"


@action
def fill(book: xw.Book, steps: Sequence[str] | None = None, profile: str | None = None) -> str:
    """补全: the active sheet completed into new sheets, with a 补全记录 of every change."""
    read = read_active(book)
    layout = read.sheets[0][1] if read.sheets[0][1] in LAYOUT_LABELS else "long"
    chosen = list(steps) if steps is not None else list(STEP_NAMES)
    if layout == "card":
        chosen = [s for s in chosen if s != "codes"]  # cards have no code columns
    changes = fill_projects(read.projects, profile_for(read, profile), chosen)
    made = [
        write_output(book, spec, f"{spec.name}（补全）")
        for spec in layout_sheets(read.projects, layout, read.department, formulas=True)  # type: ignore[arg-type]
    ]
    log: list[list[CellValue]] = [["步骤", "单元格", "项目", "内容", "原值", "新值"]]
    for change in changes:
        where = change.location
        place = f"{where.sheet}!{where.cell}" if where and where.cell else "（新增）"
        step = STEP_NAMES[change.step]
        log.append([step, place, change.project, change.what, change.before, change.after])
    widths: dict[int, float] = {1: 14, 2: 30, 3: 30, 4: 24, 5: 24}
    made.append(
        write_output(
            book, OutputSheet(name="补全记录", rows=log, header_rows=[0], column_widths=widths)
        )
    )
    return _summary(read, made) + f"共 {len(changes)} 处修改，见“{made[-1].name}”。原表未改动。"


@action
def selfeval(book: xw.Book, year: str | None = None) -> str:
    """生成自评表: the active sheet's targets as one 自评表 per project and 自评明细, on new
    sheets, as ``jixiao selfeval build`` writes them (cells to fill are the shaded ones there)."""
    from jixiao.selfeval.build import chosen_year, evaluation_sheets

    read = read_active(book)
    projects = [p for p in read.projects if p.indicators]
    if not projects:
        raise ActionError(f"工作表“{read.sheets[0][0]}”中没有带绩效指标的项目，无法生成自评表")
    sheets = evaluation_sheets(projects, read.department, chosen_year(projects, year))
    made = [write_output(book, spec) for spec in sheets]
    indicators = sum(len(p.indicators) for p in projects)
    names = "、".join(f"“{s.name}”" for s in made)
    return (
        f"已生成 {names}：{len(projects)} 张自评表，{indicators} 条指标。"
        "请填写全年预算数、全年执行数、实际完成值和偏差原因（两处填写其一即可）。"
    )


@action
def template(book: xw.Book, layout: str = "long", profile: str = framework.DEFAULT_PROFILE) -> str:
    """模板: insert a blank template sheet of the chosen layout (any of ``LAYOUTS``)."""
    specs = template_sheets(layout, framework.profile(profile))
    made = [write_output(book, spec) for spec in specs if not spec.hidden]
    return "已插入模板：" + "、".join(f"“{s.name}”" for s in made)


@action
def consolidate(book: xw.Book, paths: Sequence[str] | None = None) -> str:
    """汇总: workbooks chosen in Excel's file dialog, merged into a new workbook beside them."""
    files = list(paths) if paths is not None else _choose_files(book)
    if not files:
        return "未选择文件，已取消。"
    done = 0

    def progress(path: Path) -> None:
        nonlocal done
        done += 1
        status(book, f"绩效目标：正在汇总 {done}/{len(files)}：{path.name}")

    result = consolidate_files(files, progress=progress)
    folder = Path(files[0]).parent
    output = folder / "汇总.xlsx"
    number = 2
    while output.exists():
        output = folder / f"汇总 ({number}).xlsx"
        number += 1
    write_consolidation(result, output, protect=files)
    if _desktop(book):
        xw.Book(str(output))
    failed = sum(1 for f in result.files if f.status == "failed")
    text = (
        f"已汇总到 {output}：{len(result.files) - failed}/{len(result.files)} 个文件，"
        f"{len(result.projects)} 个项目，{result.indicator_count} 条指标，"
        f"{len(result.conflicts)} 处冲突。"
    )
    return text + (f"{failed} 个文件无法读取，详见“校验结果”。" if failed else "")


@action
def consolidate_book(book: xw.Book) -> str:
    """汇总本工作簿: every recognisable sheet of this workbook, each a department, into new
    sheets of the same workbook (departments pasted in as tabs; no file dialog needed).

    A 项目信息 sheet completes the 指标明细 sheet just before it, as 拆分 writes them; the
    sheets of an earlier 汇总本工作簿 (recognised by its 来源 sheet) are not read again.
    """
    names = [s.name for s in book.sheets]
    earlier = CONSOLIDATION_SHEETS if SOURCES_SHEET in names else set()
    reads: list[tuple[str, WorkbookRead | None, str, str]] = []
    skipped = []
    for sheet in book.sheets:
        if sheet.name in earlier:
            continue
        grid = read_sheet(sheet)
        where = f"{book.name}!{sheet.name}"
        header = long.find_project_header(grid)
        previous = reads[-1][1] if reads else None
        if header is not None and previous is not None and previous.sheets[0][1] == "long":
            previous.findings.extend(long.read_projects(grid, header, previous.projects).findings)
            continue
        found = read_grid(grid) if any(any(v is not None for v in r) for r in grid.values) else None
        if found is None or not found.projects:
            skipped.append(sheet.name)
            continue
        read = WorkbookRead(path=where, projects=found.projects, findings=found.findings)
        read.department = found.department
        read.sheets.append((sheet.name, found.layout))
        reads.append((where, read, "", ""))
        status(book, f"绩效目标：已读取 {len(reads)} 个工作表：{sheet.name}")
    if not reads:
        raise ActionError(
            "本工作簿中没有可识别的绩效目标表：请把各单位的表（宽表、指标明细、卡片、指标行等）"
            "分别复制到本工作簿的工作表中再汇总"
        )
    result = consolidate_reads(reads)
    made = [write_output(book, spec) for spec in consolidation_sheets(result)]
    text = (
        f"已汇总 {len(reads)} 个工作表：{len(result.projects)} 个项目，"
        f"{result.indicator_count} 条指标，{len(result.conflicts)} 处冲突，"
        f"{result.count('error')} 个错误，{result.count('warning')} 个警告；"
        f"结果在新工作表 {'、'.join(f'“{s.name}”' for s in made)}。"
    )
    if skipped:
        text += f"未识别、未汇总的工作表：{'、'.join(f'“{n}”' for n in skipped)}。"
    return text


OLD_VERSION_WORDS = ("上年", "去年", "审核前", "原表", "旧")


@action
def compare(book: xw.Book, old: str | None = None) -> str:
    """对比: the active sheet (the new version) against another sheet of this workbook (the
    old one): the sheet named ``old``, else one whose name says 上年/审核前/原表/旧, else the
    nearest recognisable sheet to the left of the active one."""
    from jixiao.compare import compare as compare_projects
    from jixiao.compare_workbook import comparison_sheets

    new_read = read_active(book)
    active = new_read.sheets[0][0]
    names = [s.name for s in book.sheets]
    if old is not None and old not in names:
        raise ActionError(f"没有名为“{old}”的工作表")
    candidates = [old] if old else [
        *(n for n in names if n != active and any(w in n for w in OLD_VERSION_WORDS)),
        *reversed(names[: names.index(active)]),
    ]  # fmt: skip
    for name in candidates:
        found = read_grid(read_sheet(book.sheets[name]))
        if found is not None and found.projects:
            break
    else:
        raise ActionError(
            "找不到要对比的旧版本：请把上年（或审核前）的表复制到本工作簿，"
            "工作表名称含“上年”“审核前”或放在当前工作表左边，再点“对比”"
        )
    result = compare_projects(found.projects, new_read.projects)
    made = [write_output(book, spec) for spec in comparison_sheets(result)]
    changes = result.changes
    return (
        f"已对比“{name}”（旧）与“{active}”（新）：{len(result.matches)} 个项目，"
        f"{result.unchanged} 个未变化，{len(changes)} 处变化，{len(result.findings)} 条审核提示；"
        f"详见 {'、'.join(f'“{s.name}”' for s in made)}（降低、放宽、删除标红，提高、收紧标绿）。"
    )


CONSOLIDATION_SHEETS = {
    SUMMARY_SHEET, LONG_SHEET, PROJECT_SHEET, SOURCES_SHEET, REPORT_SHEET, STATISTICS_SHEET,
}  # fmt: skip


def _desktop(book: xw.Book) -> bool:
    return book.app.engine.name in ("excel",)


def _choose_files(book: xw.Book) -> list[str]:
    """Excel's own open dialog (desktop Excel only), several files at once."""
    if not _desktop(book):
        raise ActionError(
            "此环境不能弹出文件对话框：请在桌面版 Excel 中使用“汇总”，"
            "或使用命令行 jixiao consolidate"
        )
    kinds = "Excel 工作簿 (*.xlsx;*.xlsm;*.xls),*.xlsx;*.xlsm;*.xls"
    chosen = book.app.api.GetOpenFilename(kinds, 1, "选择要汇总的工作簿", None, True)
    if chosen is False or chosen is None:
        return []
    files = [str(p) for p in (chosen if isinstance(chosen, (list, tuple)) else [chosen])]
    return [f for f in files if os.path.isfile(f)]
