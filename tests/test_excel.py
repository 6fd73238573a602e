"""The ribbon actions and cell functions, run against real xlwings Books (remote engine)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import ROOT, SEED_COUNTS, SEED_NAMES, fixture_projects, load_fixture, published_workbook
from excel_books import Replay, book_from_file, book_from_sheets
from jixiao import packed
from jixiao.excel import bridge, ribbon
from jixiao.excel.udfs import HEADERS, JX_CHECK, JX_PACK, JX_UNPACK, JX_VALUE
from jixiao.grid import CellValue
from jixiao.layouts import long
from jixiao.model import Project
from jixiao.output import Formula, OutputSheet
from jixiao.workbook import write_workbook

INDICATORS = {"000": 226, "001": 25, "002": 88, "003": 71, "004": 79}


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_unpack_writes_indicator_rows_of_every_seed(seed: str, tmp_path: Path) -> None:
    book = book_from_file(published_workbook(tmp_path / f"{seed}.xlsx", seed))
    message = ribbon.unpack(book)
    assert message is not None and f"{SEED_COUNTS[seed]} 个项目，{INDICATORS[seed]} 条指标" in message
    replay = Replay.of(book)
    assert replay.names[1:] == ["指标明细", "项目信息"]
    rows = replay.rows("指标明细")
    expected = long.write(fixture_projects(seed))[0].rows
    assert len(rows) == 1 + INDICATORS[seed]
    assert [[("" if v is None else v) for v in r] for r in rows] == [
        [("" if v is None else v) for v in r] for r in expected
    ]
    assert replay.written == {"指标明细", "项目信息"}  # the clerk's sheet is untouched
    assert replay.alerts == [message]


def long_book(projects: list[Project], tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "long.xlsx", projects, "long")


def test_pack_gives_back_the_published_packed_strings(tmp_path: Path) -> None:
    book = book_from_file(long_book(fixture_projects("003"), tmp_path))
    ribbon.pack(book)
    rows = Replay.of(book).rows("项目支出绩效目标表")
    strings = [r[6] for r in rows[5:]]
    assert strings == [p["packed"] for p in load_fixture("seed_003.json")["projects"]]
    assert rows[3][1] == "=SUBTOTAL(9,B5:B22)" and rows[5][1] == "=SUM(C6:E6)"


def test_validate_links_each_finding_and_marks_its_cell_over_the_clerks_fills(tmp_path: Path) -> None:
    book = book_from_file(published_workbook(tmp_path / "003.xlsx", "003"))
    message = ribbon.validate(book)
    assert message is not None and "3 个错误，19 个警告" in message
    replay = Replay.of(book)
    report = replay.rows("校验结果")
    assert report[0] == ["严重程度", "文件", "工作表", "单元格", "问题", "处理建议", "代码"]
    assert len(report) == 1 + 22
    assert report[1][3] == '=HYPERLINK("#\'Sheet1\'!G6","G6")' and report[1][0] == "错误"
    # The clerk's own fills are never replaced: marks are conditional formats reading a
    # hidden mirror sheet, which 清除标记 empties.
    assert "Sheet1" not in replay.colors
    assert replay.names[-2:] == ["校验标记", "校验结果"] and replay.hidden == {"校验标记"}
    assert [r["fill_color"] for r in replay.rules["Sheet1"]] == ["#ffc7ce", "#ffeb9c", "#ddebf7"]
    marks = replay.marks("Sheet1")
    assert marks[(5, 6)] == "#ffc7ce"  # G6: an error
    assert marks[(6, 6)] == "#ffeb9c"  # G7: warnings only
    assert (7, 0) not in marks  # A8: no finding
    assert len(marks) == len({r[3] for r in report[1:] if r[2] == "Sheet1"})
    assert replay.written == {"校验结果", "校验标记"}

    # Checking again reuses the mirror (no second set of rules); 清除标记 empties it.
    again = replay.book("003.xlsx")
    ribbon.validate(again)
    second = Replay.of(again)
    assert "Sheet1" not in second.rules and second.names.count("校验标记") == 1
    assert second.marks("Sheet1", replay.rules["Sheet1"]) == marks
    cleared_book = second.book("003.xlsx")
    assert ribbon.clear_marks(cleared_book) == "已清除 1 个工作表上的校验标记，原有底色和格式不变。"
    cleared = Replay.of(cleared_book)
    assert cleared.marks("Sheet1", replay.rules["Sheet1"]) == {}
    assert cleared.rows("Sheet1") == replay.rows("Sheet1")  # the clerk's cells untouched


def test_fill_writes_new_sheets_and_a_log_of_changes(tmp_path: Path) -> None:
    projects = fixture_projects("001")
    for item in projects[0].indicators:
        item.annual_value = ""
    book = book_from_file(long_book(projects, tmp_path))
    message = ribbon.fill(book)
    assert message is not None and "原表未改动" in message
    replay = Replay.of(book)
    assert replay.names[2:] == ["指标明细（补全）", "项目信息（补全）", "补全记录"]
    log = replay.rows("补全记录")
    annual = [r for r in log[1:] if r[0] == "指标值"]
    assert len(annual) == len(projects[0].indicators)
    assert all(r[1].startswith("指标明细!M") for r in annual)
    filled = replay.rows("指标明细（补全）")
    assert all(r[12] for r in filled[1:])  # every 年度指标值 present
    assert replay.written == {"指标明细（补全）", "项目信息（补全）", "补全记录"}


def test_cards_template_and_consolidate(tmp_path: Path) -> None:
    book = book_from_file(long_book(fixture_projects("002"), tmp_path))
    ribbon.cards(book)
    ribbon.template(book, layout="long")
    inputs = [str(published_workbook(tmp_path / f"{s}.xlsx", s)) for s in ("001", "003")]
    message = ribbon.consolidate(book, paths=inputs)
    replay = Replay.of(book)
    cards = replay.rows("绩效目标表")
    assert cards[0][0] == f"1.{fixture_projects('002')[0].name}绩效目标表"
    assert "指标明细 (2)" in replay.names  # the template never replaces the clerk's 指标明细
    assert message is not None and "20 个项目" in message
    assert (tmp_path / "汇总.xlsx").is_file()
    assert ribbon.consolidate(book) is None  # no file dialog on this engine: a message instead
    assert "桌面版 Excel" in Replay.of(book).alerts[-1]


def test_errors_are_chinese_messages_not_tracebacks() -> None:
    book = book_from_sheets("空.xlsx", [{"name": "Sheet1", "values": [[""]], "pictures": [], "tables": [],
                                        "charts": [], "shapes": [], "pivot_tables": []}])  # fmt: skip
    assert ribbon.unpack(book) is None
    other = book_from_sheets("乱.xlsx", [{"name": "数据", "values": [["姓名", "金额"], ["张三", 1]], "pictures": [],
                                         "tables": [], "charts": [], "shapes": [], "pivot_tables": []}])  # fmt: skip
    assert ribbon.validate(other) is None
    alerts = Replay.of(book).alerts + Replay.of(other).alerts
    assert alerts[0] == "工作表“Sheet1”是空的：请先打开填有绩效目标表的工作表"
    assert alerts[1].startswith("工作表“数据”中没有识别出绩效目标表")


def test_text_from_cells_never_becomes_a_formula(tmp_path: Path) -> None:
    projects = fixture_projects("001")
    projects[0].name = '=HYPERLINK("http://example.invalid","点我")'
    book = book_from_file(long_book(projects, tmp_path))
    ribbon.cards(book)
    cards = Replay.of(book).rows("绩效目标表")
    assert cards[0][0] == f"1.{projects[0].name}绩效目标表"
    names = [r[3] for r in Replay.of(book).rows("指标明细")[1:]]  # the input sheet, unchanged
    assert names[0] == projects[0].name
    book.sheets["指标明细"].activate()  # adding a sheet made the card sheet active, as in Excel
    ribbon.unpack(book)
    written = Replay.of(book).rows("指标明细 (2)")
    assert written[1][3] == "'" + projects[0].name


def many_projects(count: int) -> list[Project]:
    pool = [p for s in SEED_NAMES for p in fixture_projects(s)]
    return [pool[i % len(pool)].model_copy(update={"name": f"项目{i:04d}"}) for i in range(count)]


ACTIONS = {
    "unpack": lambda b: ribbon.unpack(b),
    "pack": lambda b: ribbon.pack(b),
    "validate": lambda b: ribbon.validate(b),
    "fill": lambda b: ribbon.fill(b),
    "cards": lambda b: ribbon.cards(b),
}


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("layout", ["wide", "long"])
def test_excel_calls_do_not_grow_with_the_sheet(name: str, layout: str, tmp_path: Path) -> None:
    counts = []
    for size in (10, 1000):
        path = write_workbook(tmp_path / f"{size}.xlsx", many_projects(size), layout)  # type: ignore[arg-type]
        book = book_from_file(path)
        assert ACTIONS[name](book) is not None, Replay.of(book).alerts
        counts.append(excel_calls(book.json()["actions"]))
    assert counts[0] == counts[1] <= 40


def excel_calls(actions: list[dict[str, Any]]) -> int:
    """Actions, counting one range write that the engine sent in row chunks once.

    xlwings splits a large write into row blocks to stay within the client's payload
    limits (Office.js); those blocks continue one another and are one call of ours.
    """
    calls, previous = 0, None
    for action in actions:
        continues = (
            previous is not None
            and action["func"] == previous["func"] in ("setValues", "setRangeColors")
            and action["sheet_position"] == previous["sheet_position"]
            and action["start_row"] == previous["start_row"] + previous["row_count"]
        )
        calls += not continues
        previous = action
    return calls


def test_udfs_round_trip_every_seed_string() -> None:
    strings = [p["packed"] for p in load_fixture("seed_003.json")["projects"]]
    for seed in ("000", "001", "002", "004"):  # card seeds: their indicators, packed
        strings += [packed.render(p.indicators) for p in fixture_projects(seed)]
    assert len(strings) == 17 + 20 + 3 + 10 + 13
    for text in strings:
        rows = JX_UNPACK(text)
        assert rows[0] == HEADERS and len(rows) == 1 + len(packed.parse(text).indicators)
        assert JX_PACK(rows) == text
        assert JX_PACK(rows[1:]) == text
        assert JX_CHECK(text) == "OK"


def test_udf_check_and_value() -> None:
    assert JX_CHECK("详见附件").startswith("第 1 个字处：")
    broken = "1-产出指标：11-数量指标：案件数；年度指标值：≥100件。"
    assert "实施周期指标值" in JX_CHECK(broken)
    assert JX_VALUE("≥95%") == [["≥", 95, "%"]]
    assert JX_VALUE("≤30.5万元") == [["≤", 30.5, "万元"]]
    assert JX_VALUE("有效提升") == [["", "有效提升", ""]]


@pytest.mark.parametrize(
    ("layout", "sheet", "first"),
    [("rows", "绩效指标", "项目名称"), ("halves", "项目支出绩效目标表", "项目支出绩效目标表"),
     ("terms", "项目绩效目标申报表", "项目绩效目标申报表")],
)  # fmt: skip
def test_the_template_action_inserts_every_layout(layout: str, sheet: str, first: str, tmp_path: Path) -> None:
    """模板 offers the other regions' forms too; the sheet it inserts reads as its layout."""
    from jixiao.grid import Grid
    from jixiao.layouts.registry import read_grid

    book = book_from_file(long_book(fixture_projects("002"), tmp_path))
    message = ribbon.template(book, layout=layout)
    assert message is not None and f"“{sheet}”" in message
    rows = Replay.of(book).rows(sheet)  # what the action wrote, as Excel would hold it
    assert rows[0][0] == first
    found = read_grid(Grid(values=[[None if v == "" else v for v in row] for row in rows], sheet=sheet))
    assert found is not None and found.layout == layout


UNSAFE_CELLS = [None, "=1+1", "+86", "-", "@user", True, Formula("=SUM(A1:A2)", 3.0), dt.date(2026, 1, 1)]


@pytest.mark.parametrize("value", UNSAFE_CELLS, ids=repr)
def test_rows_with_a_cell_the_engine_would_misread_go_cell_by_cell(value: Any, tmp_path: Path) -> None:
    rows: list[list[CellValue]] = [["单位名称", "指标值"], ["第1单位", 5], ["第2单位", value]]
    assert bridge._plain_rows(rows, 2) is None
    book = book_from_file(published_workbook(tmp_path / "003.xlsx", "003"))
    bridge.write_output(book, OutputSheet(name="结果", rows=rows))
    written = Replay.of(book).rows("结果")
    assert written[2][1] == bridge.excel_value(value)  # "'=1+1", "" for None, the date's text


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_plain_rows_go_whole_and_equal_the_cell_by_cell_values(seed: str) -> None:
    for spec in long.write(fixture_projects(seed)):
        width = max(len(r) for r in spec.rows)
        by_cell = [bridge._excel_row(r, width) for r in spec.rows]
        plain = bridge._plain_rows(spec.rows, width)
        if spec.name == "指标明细":  # text and numbers only: the whole-rows way
            assert plain is not None
        assert plain is None or plain == by_cell
    short = [["a", "b"], ["c"]]
    assert bridge._plain_rows(short, 2) is None  # padded cell by cell


def test_selfeval_writes_the_clis_forms_and_detail_into_the_book(tmp_path: Path) -> None:
    """生成自评表 on the targets' sheet: the same values and formulas `selfeval build` writes."""
    from jixiao.cli import main

    source = ROOT / "samples" / "guangzhou-003-wide.xlsx"
    book = book_from_file(source)
    message = ribbon.selfeval(book, year="2024")
    assert message is not None and "17 张自评表，71 条指标" in message
    replay = Replay.of(book)
    assert replay.names[-2:] == ["自评表", "自评明细"]
    out = tmp_path / "自评.xlsx"
    assert main(["selfeval", "build", str(source), "-o", str(out), "--year", "2024"]) == 0
    written = openpyxl.load_workbook(out)

    def plain(rows: list[list[object]]) -> list[list[object]]:
        cleaned = [[None if v == "" else v for v in row] for row in rows]
        return [row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)] for row in cleaned]

    for name in ("自评表", "自评明细"):
        expected = plain([list(r) for r in written[name].iter_rows(values_only=True)])
        got = plain(replay.rows(name))
        while got and not got[-1]:
            got.pop()
        while expected and not expected[-1]:
            expected.pop()
        assert got == expected, name
