"""Rows written whole into XlsxWriter's stream give the very bytes of its public API."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import python_calamine
import xlsxwriter
from conftest import SEED_NAMES, fixture_projects
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsxwriter.worksheet import Worksheet

from jixiao import xlsx_rows
from jixiao.consolidate import consolidate
from jixiao.files.write import write_sheets
from jixiao.layouts import card, long, wide
from jixiao.output import Formula, OutputSheet
from jixiao.summary_workbook import consolidation_sheets
from jixiao.workbook import write_workbook

CREATED = dt.datetime(2026, 1, 1)
# text the library changes on its way to XML, or takes for something else than plain text
AWKWARD_TEXT = [
    "a & b < c > d",
    "\x01控制\x1f字符",
    "_x0041_ 像转义的文字 _X00ff_",
    "  前后空格  ",
    "\x1c首尾分隔符\x1c",
    "尾部换行\n",
    "\ufffe非字符\uffff",
    "<r>像富文本</r>",
    '"引号"与\n换行',
    "=SUM(A1:A2)",
    "长" * 20_000,
    "😀" * 16_384 + "超过 UTF-16 上限",
]


def write_both_ways(
    sheets: list[OutputSheet], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    whole = write_sheets(folder / "whole.xlsx", sheets, created=CREATED)
    with monkeypatch.context() as patch:
        patch.setattr(xlsx_rows, "CHECKED_VERSIONS", frozenset())
        public = write_sheets(folder / "public.xlsx", sheets, created=CREATED)
    return whole, public


def assert_same_bytes(whole: Path, public: Path) -> None:
    with zipfile.ZipFile(whole) as a, zipfile.ZipFile(public) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
    assert whole.read_bytes() == public.read_bytes()


def seed_projects() -> list:
    return [p for seed in SEED_NAMES for p in fixture_projects(seed)]


def test_the_consolidation_of_every_seed_is_byte_for_byte_the_public_apis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "departments"
    for seed in SEED_NAMES:
        write_workbook(folder / f"{seed}.xlsx", fixture_projects(seed), "wide")
    result = consolidate(sorted(folder.glob("*.xlsx")))
    assert len(result.projects) == 63 and result.indicator_count == 489
    sheets = consolidation_sheets(result)
    assert_same_bytes(*write_both_ways(sheets, tmp_path, monkeypatch))


def test_every_layout_and_awkward_text_is_byte_for_byte_the_public_apis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    projects = seed_projects()
    projects[0] = projects[0].model_copy(update={"name": AWKWARD_TEXT[0]})
    sheets = [
        wide.write(projects, "部门", formulas=True),  # formulas, subtotals, a title row
        *long.write(projects),
        card.write(projects[:5]),  # vertical merges: the whole file is written as before
    ]
    rows: list[list] = [["文本", "数", "其他"]]
    rows += [[text, n, None] for n, text in enumerate(AWKWARD_TEXT)]
    rows += [[True, Decimal("1.25"), dt.date(2026, 1, 2)], [-0.0, 1e300, 5e-324]]
    rows += [["", None, Formula("=1+1", 2)], [None, None, None], ["末行", 1, 2]]
    sheets.append(
        OutputSheet(
            name="杂项",
            rows=rows,
            header_rows=[0],
            bordered_rows=(0, len(rows) - 1),
            row_colors={3: "#FFC7CE"},
            number_format_columns={1: "0.00"},
            number_format_rows=set(range(1, 6)),
            title_rows=[5],
        )
    )
    flat = [s for s in sheets if all(r0 == r1 for r0, _, r1, _ in s.merges)]
    assert_same_bytes(*write_both_ways(flat, tmp_path / "flat", monkeypatch))
    assert_same_bytes(*write_both_ways(sheets, tmp_path / "merged", monkeypatch))
    # and the text reads back as it was given, text that looks like rich-text XML included
    # (XlsxWriter alone writes that unescaped, and it read back empty); the library writes
    # the two non-characters, which XML cannot hold, as Excel's escapes
    book = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "flat" / "whole.xlsx"))
    got = [row[0] for row in book.get_sheet_by_name("杂项").to_python()[1:12]]
    expected = [t.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_") for t in AWKWARD_TEXT]
    assert got == expected[:11]


cell_values = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, max_value=10**9, min_value=-(10**9)),
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(cell_values, max_size=6), min_size=1, max_size=12),
    bordered=st.booleans(),
    header=st.booleans(),
)
def test_any_rows_of_text_and_numbers_are_byte_for_byte_the_public_apis(
    rows: list[list], bordered: bool, header: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("rows")
    spec = OutputSheet(
        name="表",
        rows=rows,
        header_rows=[0] if header else [],
        bordered_rows=(0, len(rows) - 1) if bordered else None,
    )
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert_same_bytes(*write_both_ways([spec], folder, monkeypatch))


def test_rows_go_the_whole_way_only_with_a_checked_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cells_written = 0
    library_cell = Worksheet._write_cell

    def counting(self: Worksheet, row: int, col: int, cell: object) -> None:
        nonlocal cells_written
        cells_written += 1
        library_cell(self, row, col, cell)

    monkeypatch.setattr(Worksheet, "_write_cell", counting)
    sheets = long.write(seed_projects())
    total = sum(1 for s in sheets for row in s.rows for v in row if v not in (None, ""))
    assert total > 5_000
    write_sheets(tmp_path / "whole.xlsx", sheets)
    through_library = cells_written
    assert through_library < 50  # each sheet's last row and a header row or two
    monkeypatch.setattr(xlsx_rows, "CHECKED_VERSIONS", frozenset())
    cells_written = 0
    write_sheets(tmp_path / "public.xlsx", sheets)
    assert cells_written >= total - 100
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    assert not xlsx_rows.RowWriter(book.add_worksheet()).enabled
    book.close()


def test_a_fast_zip_holds_the_same_parts_and_leaves_the_library_as_it_was(tmp_path: Path) -> None:
    from xlsxwriter import workbook

    sheets = long.write(seed_projects())
    library_zip = workbook.ZipFile
    default = write_sheets(tmp_path / "default.xlsx", sheets, created=CREATED)
    fast = write_sheets(tmp_path / "fast.xlsx", sheets, created=CREATED, fast_zip=True)
    assert workbook.ZipFile is library_zip
    with zipfile.ZipFile(default) as a, zipfile.ZipFile(fast) as b:
        assert a.namelist() == b.namelist()
        assert all(a.read(name) == b.read(name) for name in a.namelist())
        levels = {i.compress_type for i in b.infolist()}
    assert levels == {zipfile.ZIP_DEFLATED}
    assert default.stat().st_size < fast.stat().st_size  # level 1 packs less tightly
