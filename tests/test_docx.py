"""Tables kept in Word: a card saved as .docx reads like the same card in Excel."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import SEED_COUNTS, comparable, fixture_projects

from jixiao.cli import main
from jixiao.errors import WorkbookError
from jixiao.workbook import read_workbook, write_workbook


def as_docx(xlsx: Path, target: Path) -> Path:
    """Every sheet of a workbook as a Word table, cell for cell, merged where the sheet is."""
    book = openpyxl.load_workbook(xlsx)
    document = docx.Document()
    for sheet in book.worksheets:
        rows, columns = sheet.max_row, sheet.max_column
        table = document.add_table(rows=rows, cols=columns)
        cells = table._cells  # all at once: table.cell() recomputes the grid on every call
        for r, row in enumerate(sheet.iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if value is not None:
                    cells[r * columns + c].text = str(value)
        for merge in sheet.merged_cells.ranges:
            first = table.cell(merge.min_row - 1, merge.min_col - 1)
            first.merge(table.cell(merge.max_row - 1, merge.max_col - 1))
        document.add_paragraph("")
    document.save(str(target))
    return target


@pytest.mark.parametrize("seed", ["001", "004"])  # 004: 项目编码 and 资金支出计划 too
def test_a_seed_card_in_word_unpacks_to_the_fixture(seed: str, tmp_path: Path) -> None:
    projects = fixture_projects(seed)
    xlsx = write_workbook(tmp_path / "cards.xlsx", projects, "card")
    merges = len(openpyxl.load_workbook(xlsx).worksheets[0].merged_cells.ranges)
    assert merges > len(projects)  # titles and 一级 cells merged, as published
    word = as_docx(xlsx, tmp_path / "cards.docx")
    read = read_workbook(word)
    assert read.sheets == [("表1", "card")] and len(read.projects) == SEED_COUNTS[seed]
    assert [comparable(p, "card") for p in read.projects] == [comparable(p, "card") for p in projects]
    out = tmp_path / "long.xlsx"
    assert main(["unpack", str(word), "-o", str(out)]) in (0, 1)
    assert [comparable(p, "card") for p in read_workbook(out).projects] == [comparable(p, "card") for p in projects]


def test_word_documents_are_consolidated_and_validated_with_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    as_docx(write_workbook(tmp_path / "c.xlsx", fixture_projects("001"), "card"), folder / "宝坻.docx")
    write_workbook(folder / "gz.xlsx", fixture_projects("003"), "wide")
    assert main(["consolidate", str(folder), "-o", str(tmp_path / "all.xlsx")]) == 0
    assert len(read_workbook(tmp_path / "all.xlsx").projects) == SEED_COUNTS["001"] + SEED_COUNTS["003"]
    assert main(["validate", str(folder / "宝坻.docx")]) in (0, 1)


def test_a_broken_word_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(WorkbookError, match=r"bad\.docx"):
        read_workbook(bad)


def test_the_department_section_in_the_text_of_a_word_document(tmp_path: Path) -> None:
    from test_prose import department_lines, expected_goals, goals_of

    xlsx = write_workbook(tmp_path / "cards.xlsx", fixture_projects("004"), "card")
    word = as_docx(xlsx, tmp_path / "tangshan.docx")
    document = docx.Document(str(word))
    first_table = document.tables[0]._tbl
    for line in ["第一部分", "部门整体绩效目标", "二、分项绩效目标", *department_lines(), "第二部分 项目支出绩效目标表"]:
        first_table.addprevious(document.add_paragraph(line)._p)  # before the tables, as published
    document.save(str(word))
    read = read_workbook(word)
    assert [layout for _, layout in read.sheets] == ["department", "card"]
    assert len(read.projects) == SEED_COUNTS["004"] and goals_of(read) == expected_goals()


def test_a_card_whose_title_and_unit_are_paragraphs_above_its_table(tmp_path: Path) -> None:
    """Published in Word, a card's ``N.…绩效目标表`` title and unit line are often text above
    the table rather than its first rows: each card still reads with its name and unit."""
    from jixiao.layouts.card import TITLE

    projects = fixture_projects("001")
    sheet = openpyxl.load_workbook(write_workbook(tmp_path / "c.xlsx", projects, "card")).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    titles = [i for i, r in enumerate(rows) if r[0] and TITLE.match(str(r[0]))]
    document = docx.Document()
    for start, end in zip(titles, [*titles[1:], len(rows)], strict=True):
        document.add_paragraph(str(rows[start][0]))  # the title
        document.add_paragraph(str(rows[start + 1][0]))  # the unit line
        body = rows[start + 2 : end]
        table = document.add_table(rows=len(body), cols=len(rows[0]))
        for r, row in enumerate(body):
            for c, value in enumerate(row):
                if value is not None:
                    table.cell(r, c).text = str(value)
        for merge in sheet.merged_cells.ranges:
            if start + 2 < merge.min_row <= end:  # 1-based rows of this card's table
                first = table.cell(merge.min_row - start - 3, merge.min_col - 1)
                first.merge(table.cell(merge.max_row - start - 3, merge.max_col - 1))
    path = tmp_path / "cards.docx"
    document.save(str(path))
    read = read_workbook(path)
    assert len(read.projects) == SEED_COUNTS["001"]
    assert {layout for _sheet, layout in read.sheets} == {"card"}
    assert [comparable(p, "card") for p in read.projects] == [comparable(p, "card") for p in projects]


def test_a_form_whose_labels_are_paragraphs_above_its_table(tmp_path: Path) -> None:
    """项目名称：… and 实施单位：… written as text above a Word table of indicators."""
    document = docx.Document()
    document.add_paragraph("项目支出绩效目标申报表")
    document.add_paragraph("项目名称：农村公路养护")
    document.add_paragraph("实施单位：某县交通运输局")
    document.add_paragraph("年度资金总额：120万元")
    rows = [["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "养护里程", "≥300公里"],
            ["", "质量指标", "优良路率", "≥80%"]]  # fmt: skip
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(tmp_path / "form.docx"))
    (project,) = read_workbook(tmp_path / "form.docx").projects
    assert (project.name, project.unit.name, str(project.amounts.total)) == (
        "农村公路养护", "某县交通运输局", "120"
    )
    assert [(i.l1, i.l2, i.l3, i.annual_value) for i in project.indicators] == [
        ("产出指标", "数量指标", "养护里程", "≥300公里"),
        ("产出指标", "质量指标", "优良路率", "≥80%"),
    ]
