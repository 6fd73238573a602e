"""The validation reports: JSON contract, exit codes, and the Excel copy with 校验结果."""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from conftest import published_workbook

from jixiao.cli import main
from jixiao.files.read import read_grids
from jixiao.package_contents import inventory


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_json_contract_and_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = published_workbook(tmp_path / "001.xlsx", "001")  # warnings only
    broken = published_workbook(tmp_path / "003.xlsx", "003")  # three errors
    assert main(["validate", str(clean), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 4
    assert main(["validate", str(clean), str(broken), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    keys = {"code", "severity", "file", "sheet", "cell", "message", "hint"}
    assert all(set(f) == keys for f in report["findings"])
    assert {f["file"] for f in report["findings"]} == {str(clean), str(broken)}
    summary = report["summary"]
    assert (summary["files"], summary["projects"], summary["errors"]) == (2, 20, 3)
    assert sum(summary["by_code"].values()) == len(report["findings"])


def test_an_unreadable_file_is_a_finding_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert main(["validate", str(bad), "--json"]) == 1
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["code"] == "workbook.unreadable" and finding["file"] == str(bad)
    assert finding["cell"] is None


def test_excel_copy_highlights_cells_and_links_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = published_workbook(tmp_path / "003.xlsx", "003")
    before = digest(source)
    out = tmp_path / "checked.xlsx"
    assert main(["validate", str(source), "--excel", str(out), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert digest(source) == before
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["校验结果", "Sheet1"]
    report = book["校验结果"]
    rows = list(report.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(findings) == 22
    for number, finding in enumerate(findings, start=2):
        link = report.cell(row=number, column=4)
        assert link.value == finding["cell"]
        assert link.hyperlink.location == f"'Sheet1'!{finding['cell']}"
        assert report.cell(row=number, column=5).value == finding["message"]
    first_error = book["Sheet1"]["G6"]
    assert first_error.fill.fgColor.rgb.endswith("FFC7CE")
    assert "没有效益指标" in first_error.comment.text
    untouched = book["Sheet1"]["G7"].fill.fgColor.rgb  # a warning only: yellow, not red
    assert untouched.endswith("FFEB9C")
    assert "注意" not in capsys.readouterr().err  # nothing of the input left behind


def test_excel_report_of_several_files_links_to_them(tmp_path: Path) -> None:
    paths = [published_workbook(tmp_path / f"{s}.xlsx", s) for s in ("001", "003")]
    out = tmp_path / "report.xlsx"
    main(["validate", *map(str, paths), "--excel", str(out)])
    report = openpyxl.load_workbook(out)["校验结果"]
    targets = {c.hyperlink.target.split("#")[0] for c in report["D"][1:] if c.hyperlink}
    assert targets == {p.resolve().as_uri() for p in paths}


def test_excel_report_never_overwrites_the_input(tmp_path: Path) -> None:
    source = published_workbook(tmp_path / "003.xlsx", "003")
    before = digest(source)
    assert main(["validate", str(source), "--excel", str(source)]) == 1  # a user error, checked before any work, like every command
    assert digest(source) == before


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xc0\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_what_the_excel_copy_cannot_carry_over_is_said_and_stays_in_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Seed 003 as a clerk's workbook with the unit's seal (a picture), a note in a text box
    and a chart: the copy keeps the seal (byte for byte) and the chart; the text box, which
    openpyxl cannot carry, is named as left out, in Chinese, and the input is unchanged."""
    import xlsxwriter

    (grid,) = read_grids(published_workbook(tmp_path / "plain.xlsx", "003"))
    source = tmp_path / "盖章.xlsx"
    (tmp_path / "seal.png").write_bytes(tiny_png())
    book = xlsxwriter.Workbook(source)
    sheet = book.add_worksheet(grid.sheet)
    for row, values in enumerate(grid.values):
        sheet.write_row(row, 0, values)
    sheet.insert_image("I2", str(tmp_path / "seal.png"))
    sheet.insert_textbox("I8", "本表金额单位为万元")
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": f"='{grid.sheet}'!$B$6:$B$10"})
    sheet.insert_chart("I14", chart)
    book.close()
    assert inventory(source) == {"图片": 1, "形状或文本框": 1, "图表或 SmartArt": 1}
    before = digest(source)
    out = tmp_path / "checked.xlsx"
    assert main(["validate", str(source), "--excel", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"没能带上原文件中的 1 个形状或文本框；原文件 {source} 未改动" in err
    assert inventory(out) == {"图片": 1, "图表或 SmartArt": 1}  # seal and chart came along
    with zipfile.ZipFile(out) as copied:
        assert [copied.read(n) for n in copied.namelist() if n.startswith("xl/media/")] == [tiny_png()]
    assert digest(source) == before
    copy = openpyxl.load_workbook(out)
    assert copy[grid.sheet]["G6"].fill.fgColor.rgb.endswith("FFC7CE")  # and the copy is the report


def test_a_clerks_own_note_on_a_problem_cell_stays_in_the_copy(tmp_path: Path) -> None:
    from openpyxl.comments import Comment

    source = published_workbook(tmp_path / "003.xlsx", "003")
    book = openpyxl.load_workbook(source)
    book["Sheet1"]["G6"].comment = Comment("效益指标待财务科确认", "张会计")
    book.save(source)
    out = tmp_path / "checked.xlsx"
    assert main(["validate", str(source), "--excel", str(out)]) == 1
    note = openpyxl.load_workbook(out)["Sheet1"]["G6"].comment
    assert note.text.startswith("效益指标待财务科确认\n——\n错误：") and "没有效益指标" in note.text
    assert note.author == "张会计"
    assert openpyxl.load_workbook(source)["Sheet1"]["G6"].comment.text == "效益指标待财务科确认"


def test_two_departments_files_of_one_name_are_told_apart_in_the_report(tmp_path: Path) -> None:
    """法院/绩效目标表.xlsx and 检察院/绩效目标表.xlsx: 校验结果 names each by its folder."""
    from conftest import fixture_projects

    from jixiao.consolidate import consolidate
    from jixiao.summary_workbook import write_consolidation
    from jixiao.workbook import write_workbook

    for folder, seed in (("法院", "001"), ("检察院", "002")):
        (tmp_path / "in" / folder).mkdir(parents=True)
        projects = fixture_projects(seed)[:1]
        projects[0].indicators[0].annual_value = "≥120%"  # a finding in each file
        write_workbook(tmp_path / "in" / folder / "绩效目标表.xlsx", projects, "long")
    result = consolidate([tmp_path / "in"])
    write_consolidation(result, tmp_path / "汇总.xlsx")
    report = {g.sheet: g for g in read_grids(tmp_path / "汇总.xlsx")}["校验结果"]
    files = {report.text(r, 1) for r in range(1, report.n_rows)} - {""}
    assert files == {"法院/绩效目标表.xlsx", "检察院/绩效目标表.xlsx"}


def test_the_checked_copy_names_the_sheet_extensions_it_cannot_carry(tmp_path: Path, capsys) -> None:
    """A cross-sheet dropdown saved as <x14:dataValidation> and a sparkline: openpyxl drops
    them with English warnings; the command names them in Chinese and prints no warning."""
    import zipfile

    from conftest import fixture_projects

    from jixiao.cli import main
    from jixiao.workbook import write_workbook

    source = write_workbook(tmp_path / "long.xlsx", fixture_projects("001")[:1], "long")
    with zipfile.ZipFile(source) as z:
        items = {i.filename: z.read(i.filename) for i in z.infolist()}
    ext = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>项目信息!$A$2:$A$9</xm:f>'
        "</x14:formula1><xm:sqref>A2:A9</xm:sqref></x14:dataValidation></x14:dataValidations></ext>"
        '<ext uri="{05C60535-1F16-4fd2-B633-F4F36F0B64E0}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:sparklineGroups xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '<x14:sparklineGroup><x14:sparklines><x14:sparkline><xm:f>项目信息!E2:H2</xm:f>'
        "<xm:sqref>P2</xm:sqref></x14:sparkline></x14:sparklines></x14:sparklineGroup>"
        "</x14:sparklineGroups></ext></extLst>"
    ).encode()
    sheet = "xl/worksheets/sheet1.xml"
    items[sheet] = items[sheet].replace(b"</worksheet>", ext + b"</worksheet>")
    with zipfile.ZipFile(tmp_path / "x14.xlsx", "w") as z:
        for name, content in items.items():
            z.writestr(name, content)
    capsys.readouterr()
    main(["validate", str(tmp_path / "x14.xlsx"), "--excel", str(tmp_path / "checked.xlsx")])
    out, err = capsys.readouterr()
    said = out + err
    assert "下拉列表（引用其他工作表的数据验证）" in said and "迷你图组" in said
    assert "UserWarning" not in err


def test_the_checked_copy_keeps_text_that_looks_like_an_escape(tmp_path: Path) -> None:
    """A project named _x0041_项目 read back from the checked copy as A项目."""
    from conftest import fixture_projects

    from jixiao.cli import main
    from jixiao.workbook import write_workbook

    projects = fixture_projects("001")[:1]
    projects[0].name = "_x0041_项目"
    source = write_workbook(tmp_path / "card.xlsx", projects, "card")
    main(["validate", str(source), "--excel", str(tmp_path / "checked.xlsx")])
    texts = {t for g in read_grids(tmp_path / "checked.xlsx") for r in range(g.n_rows) for t in g.row_texts(r)}
    assert "_x0041_项目" in texts and "A项目" not in texts
