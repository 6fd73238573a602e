"""Workbooks as people hand them over: published shapes, and files that cannot be read."""

from __future__ import annotations

import zipfile
from pathlib import Path

from msoffcrypto.format.ooxml import OOXMLFile
import openpyxl
import pytest
from conftest import SEEDS, comparable, fixture_projects, load_fixture, published_cards, published_wide

from jixiao.cli import main
from jixiao.errors import WorkbookError
from jixiao.workbook import read_workbook, write_workbook


def test_published_wide_sheet_reads_like_the_fixture(tmp_path: Path) -> None:
    read = read_workbook(published_wide(tmp_path / "gz.xlsx"))
    assert read.department == "广州互联网法院"
    assert [f for f in read.findings if f.severity != "info"] == []
    assert [comparable(p) for p in read.projects] == [comparable(p) for p in fixture_projects("003")]
    first = read.projects[0]
    assert {f: c.cell for f, c in first.cells.items()} == {
        "name": "A6", "total": "B6", "fiscal": "C6", "special_account": "D6", "other": "E6",
        "goals": "F6", "indicators": "G6",
    }  # fmt: skip
    assert first.source == first.cells["name"] and first.source.sheet == "Sheet1"
    packed_text = load_fixture("seed_003.json")["projects"][0]["packed"]
    assert first.indicators[1].source is not None
    assert first.indicators[1].source.offset == packed_text.index("2-3-满意度指标")


@pytest.mark.parametrize("seed", ["000", "001", "002", "004"])
def test_published_cards_read_like_the_fixture(seed: str, tmp_path: Path) -> None:
    read = read_workbook(published_cards(tmp_path / f"{seed}.xlsx", seed))
    assert read.findings == []
    want = fixture_projects(seed)
    assert len(read.projects) == len(want)
    for got, expected in zip(read.projects, want, strict=True):
        assert comparable(got, "card") == comparable(expected, "card"), expected.name


def test_extra_columns_and_line_breaks_in_headers(tmp_path: Path) -> None:
    path = published_wide(tmp_path / "gz.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    sheet.insert_cols(2)  # an empty column between 项目名称 and 总计
    sheet["A3"] = "项目名称\n（资金使用单位）"
    sheet["G3"] = "绩效\n目标"
    book.save(path)
    read = read_workbook(path)
    assert [comparable(p) for p in read.projects] == [comparable(p) for p in fixture_projects("003")]
    assert read.projects[0].cells["indicators"].cell == "H6"


def test_bad_amount_is_reported_with_its_cell(tmp_path: Path) -> None:
    path = published_wide(tmp_path / "gz.xlsx")
    book = openpyxl.load_workbook(path)
    book.active["C7"] = "六百三十一"
    book.save(path)
    read = read_workbook(path)
    (finding,) = [f for f in read.findings if f.code == "workbook.amount"]
    assert finding.severity == "error" and finding.location is not None
    assert (finding.location.sheet, finding.location.cell) == ("Sheet1", "C7")
    assert read.projects[1].amounts.fiscal is None and read.projects[1].amounts.total is not None


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-inf", "1e999", "sNaN"])
def test_an_amount_no_cell_can_hold_is_reported_and_the_file_still_consolidates(
    tmp_path: Path, text: str
) -> None:
    # Decimal reads these as numbers; written back they stopped the whole consolidation
    path = published_wide(tmp_path / "gz.xlsx")
    book = openpyxl.load_workbook(path)
    book.active["C7"] = text
    book.save(path)
    read = read_workbook(path)
    (finding,) = [f for f in read.findings if f.code == "workbook.amount"]
    assert finding.location is not None and finding.location.cell == "C7"
    assert text in finding.message and read.projects[1].amounts.fiscal is None
    assert run_cli("consolidate", str(path), "-o", str(tmp_path / "out.xlsx")) == 0
    assert (tmp_path / "out.xlsx").exists()


def run_cli(*args: str) -> int:
    return main(list(args))


def test_corrupt_password_empty_and_headerless_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_workbook(tmp_path / "good.xlsx", fixture_projects("001"), "card")
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(good.read_bytes()[:2000])
    not_zip = tmp_path / "text.xlsx"
    not_zip.write_text("项目名称,总计\n", "utf-8")
    locked = tmp_path / "locked.xlsx"
    with good.open("rb") as plain, locked.open("wb") as out:
        office = OOXMLFile(plain)
        office.encrypt("secret", out)
    bad_xls = tmp_path / "old.xls"
    bad_xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    headerless = tmp_path / "headerless.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "金额"])
    book.save(headerless)
    cases = {
        corrupt: "已损坏", not_zip: "已损坏", locked: "设有打开密码",
        headerless: "没有可识别的绩效目标表", tmp_path / "missing.xlsx": "找不到文件",
        bad_xls: "已损坏",
    }
    for path, message in cases.items():
        with pytest.raises(WorkbookError, match=message):
            read_workbook(path)
        assert run_cli("unpack", str(path), "-o", str(tmp_path / "out.xlsx")) == 1
        err = capsys.readouterr().err
        assert message in err and path.name in err and "Traceback" not in err
    assert not (tmp_path / "out.xlsx").exists()


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "in.xlsx", fixture_projects("003"), "wide")
    before = source.read_bytes()
    assert run_cli("unpack", str(source), "-o", str(source)) == 1
    assert run_cli("convert", str(source), "--to", "card", "-o", str(tmp_path / "cards.xlsx")) == 0
    assert source.read_bytes() == before
    # the output is a complete workbook, not a partial write
    assert zipfile.is_zipfile(tmp_path / "cards.xlsx")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_unpack_writes_the_14_long_headers_and_one_row_per_indicator(tmp_path: Path) -> None:
    source = published_wide(tmp_path / "gz.xlsx")
    assert run_cli("unpack", str(source), "-o", str(tmp_path / "long.xlsx")) == 0
    sheet = openpyxl.load_workbook(tmp_path / "long.xlsx")["指标明细"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("单位编码", "单位名称", "项目编码", "项目名称", "序号", "一级指标编码", "一级指标",
                       "二级指标编码", "二级指标", "三级指标", "绩效指标描述", "实施周期指标值", "年度指标值",
                       "指标值确定依据")
    assert len(rows) == 1 + 71


def test_pack_writes_the_wide_headers_total_unit_and_project_rows(tmp_path: Path) -> None:
    source = published_cards(tmp_path / "tj.xlsx", "001")
    assert run_cli("pack", str(source), "-o", str(tmp_path / "wide.xlsx")) == 0
    sheet = openpyxl.load_workbook(tmp_path / "wide.xlsx")["项目支出绩效目标表"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2] == ("项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标")
    assert rows[3][:2] == ("合计", 387.0)
    assert rows[4][:2] == ("天津市宝坻区人民法院", 387.0)
    assert [r[0] for r in rows[5:]] == [p.name for p in fixture_projects("001")]
    assert rows[5][6].startswith("1-产出指标：11-数量指标：支持法院办结案数量；")


def test_seed_text_is_beside_the_repository() -> None:
    # CI has the published seeds at ../shared/seeds; the fixture test depends on them.
    assert SEEDS.is_dir() or not (Path(__file__).parent.parent.parent / "shared").exists()


def test_text_starting_with_equals_is_written_as_text(tmp_path: Path) -> None:
    projects = fixture_projects("001")
    projects[0].name = '=HYPERLINK("http://example.invalid","点我")'
    path = write_workbook(tmp_path / "x.xlsx", projects, "long")
    cell = openpyxl.load_workbook(path)["指标明细"]["D2"]
    assert cell.data_type == "s" and cell.value == projects[0].name
    assert read_workbook(path).projects[0].name == projects[0].name


def test_a_grid_away_from_a1_names_its_cells_in_sheet_coordinates() -> None:
    """A range read from the middle of a sheet (a cell function's argument, a selection)."""
    from jixiao.grid import Grid

    grid = Grid(values=[["x"] * 3] * 2, sheet="表", file="a.xlsx", origin=(9, 25))
    cells = grid.row_locations(1, {"name": 0, "goals": 2})
    assert {f: (c.file, c.sheet, c.cell) for f, c in cells.items()} == {
        "name": ("a.xlsx", "表", "Z11"), "goals": ("a.xlsx", "表", "AB11"),
    }  # fmt: skip
    assert cells["goals"] == grid.location(1, 2)
