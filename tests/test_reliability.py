"""Hostile and unlucky inputs: an input is never written, one bad file never stops the rest,
nothing hangs. Each file is built here; commands run in a child process where a failure
would take the test run down with it (an abort, a hang)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import SEED_COUNTS, comparable, fixture_projects
from hostile import big_project, far_apart_cells, lying_dimension, lying_sizes, many_part_bomb, with_far_cell

from jixiao import packed
from jixiao.cli import main
from jixiao.consolidate import consolidate
from jixiao.errors import WorkbookError
from jixiao.files.read import read_sheets
from jixiao.model import Project
from jixiao.workbook import read_workbook, write_workbook


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def jixiao(*args: str, timeout: float = 120, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
    )


def departments(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    a = write_workbook(folder / "A.xlsx", fixture_projects("001"), "long")
    b = write_workbook(folder / "B.xlsx", fixture_projects("003"), "wide")
    return a, b


# ---- 1. the output is never an input ---------------------------------------------------------


def test_an_input_named_as_the_output_is_refused_however_it_is_spelled(tmp_path: Path) -> None:
    a, b = departments(tmp_path / "in")
    (tmp_path / "links").mkdir()
    symlink = tmp_path / "links" / "A-link.xlsx"
    symlink.symlink_to(a)
    hardlink = tmp_path / "links" / "A-hard.xlsx"
    os.link(a, hardlink)
    before = digest(a)
    spellings = [
        str(a),
        f"{a.parent}/./A.xlsx",
        f"{a.parent}/../in/A.xlsx",
        str(symlink),
        str(hardlink),
        os.path.relpath(a),
    ]
    for output in spellings:
        done = jixiao("consolidate", str(a), str(b), "-o", output)
        assert done.returncode == 1, output
        assert "不会覆盖" in done.stderr and "Traceback" not in done.stderr, output
        assert digest(a) == before, output


def test_a_department_workbook_in_an_input_folder_is_never_the_output(tmp_path: Path) -> None:
    a, _ = departments(tmp_path / "in")
    before = digest(a)
    done = jixiao("consolidate", str(a.parent), "-o", str(a))
    assert done.returncode == 1 and "不会覆盖" in done.stderr
    assert digest(a) == before


def test_an_earlier_consolidation_in_the_folder_is_replaced_not_read(tmp_path: Path) -> None:
    departments(tmp_path / "in")
    output = tmp_path / "in" / "汇总.xlsx"
    for _ in range(2):  # the second run finds the first run's output among its inputs
        done = jixiao("consolidate", str(tmp_path / "in"), "-o", str(output))
        assert done.returncode == 0, done.stderr
        assert "2/2 个文件" in done.stdout
    projects = SEED_COUNTS["001"] + SEED_COUNTS["003"]
    assert f"{projects} 个项目" in done.stdout


def test_the_same_files_named_twice_are_read_once(tmp_path: Path) -> None:
    a, b = departments(tmp_path / "in")
    result = consolidate([a.parent, a.parent, a, f"{a.parent}/../in/B.xlsx"])
    assert [Path(f.path).name for f in result.files] == ["A.xlsx", "B.xlsx"]
    assert result.reconcile()["read"] == SEED_COUNTS["001"] + SEED_COUNTS["003"]


# ---- 2. a sheet reaching XFD1048576 ----------------------------------------------------------


def test_a_value_in_the_last_cell_is_left_out_with_a_finding(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "long.xlsx", fixture_projects("001"), "long")
    far = with_far_cell(source, tmp_path / "far.xlsx")
    done = jixiao("unpack", str(far), "-o", str(tmp_path / "out.xlsx"))
    assert done.returncode == 0, done.stderr  # before: exit -6, 512 GB allocation
    assert "XFD1048576" in done.stderr and "远离表格" in done.stderr
    read = read_workbook(far)
    assert [comparable(p) for p in read.projects] == [
        comparable(p) for p in read_workbook(source).projects
    ]
    (finding,) = [f for f in read.findings if f.code == "workbook.stray_cells"]
    assert finding.location is not None and finding.location.sheet == "指标明细"
    assert finding.details["count"] == 1 and finding.details["kept"].startswith("A1:")


def test_a_sheet_of_only_far_apart_cells_is_refused_and_the_folder_goes_on(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    a, b = departments(folder)
    far_apart_cells(folder / "huge.xlsx")
    sheets = read_sheets(folder / "huge.xlsx")
    assert sheets.grids == [] and [f.code for f in sheets.findings] == ["workbook.sheet_too_large"]
    done = jixiao("consolidate", str(folder), "-o", str(tmp_path / "all.xlsx"))
    assert done.returncode == 1 and "huge.xlsx" in done.stderr and "超过可读取" in done.stderr
    assert "2/3 个文件" in done.stdout


def test_a_dimension_that_lies_does_not_hide_a_far_cell(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "long.xlsx", fixture_projects("001"), "long")
    lying = lying_dimension(source, tmp_path / "lying.xlsx")
    read = read_workbook(lying)
    assert len(read.projects) == SEED_COUNTS["001"]
    assert "workbook.stray_cells" in {f.code for f in read.findings}


# ---- 4. zip bombs of many parts, FIFOs -------------------------------------------------------


def test_a_bomb_of_many_parts_is_refused_at_once(tmp_path: Path) -> None:
    bomb = many_part_bomb(tmp_path / "bomb.xlsx")
    started = time.perf_counter()
    with pytest.raises(WorkbookError, match=r"bomb\.xlsx.*压缩比"):
        read_sheets(bomb)
    assert time.perf_counter() - started < 5  # refused from the directory, nothing inflated


def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    departments(folder)
    os.mkfifo(folder / "x.xlsx")
    done = jixiao("unpack", str(folder / "x.xlsx"), "-o", str(tmp_path / "o.xlsx"), timeout=30)
    assert done.returncode == 1 and "不是普通文件" in done.stderr
    done = jixiao("consolidate", str(folder), "-o", str(tmp_path / "all.xlsx"), timeout=60)
    assert done.returncode == 1 and "2/3 个文件" in done.stdout  # reported, never opened
    assert "x.xlsx" in done.stderr and "不是普通文件" in done.stderr


# ---- 7. outputs that cannot be written, leftovers of killed runs -----------------------------


def test_unwritable_outputs_are_refused_before_any_work(tmp_path: Path) -> None:
    a, b = departments(tmp_path / "in")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    (tmp_path / "folder.xlsx").mkdir()
    cases = [
        ("consolidate", str(a), "-o", str(blocker / "all.xlsx")),
        ("consolidate", str(a), "-o", str(tmp_path / "folder.xlsx")),
        ("consolidate", str(a), "-o", str(tmp_path / "ok.xlsx"), "--report-json",
         str(blocker / "r.json")),
        ("unpack", str(b), "-o", str(blocker / "sub" / "o.xlsx")),
        ("fill", str(b), "-o", str(blocker / "o.xlsx")),
        ("validate", str(b), "--excel", str(blocker / "o.xlsx")),
        ("template", "build", "-o", str(blocker / "t")),
    ]  # fmt: skip
    for args in cases:
        done = jixiao(*args)
        assert done.returncode == 1, args
        assert done.stderr.startswith("jixiao: ") and "Traceback" not in done.stderr, args
        assert "无法写入" in done.stderr, args
    assert not (tmp_path / "ok.xlsx").exists()  # the report was checked before the workbook


def test_a_killed_runs_hidden_temporary_file_is_not_an_input(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    departments(folder)
    (folder / ".汇总-abc123.xlsx").write_bytes(b"")
    (folder / "~$A.xlsx").write_bytes(b"lock")
    result = consolidate([folder])
    assert [Path(f.path).name for f in result.files] == ["A.xlsx", "B.xlsx"]
    assert all(f.status == "ok" for f in result.files)


def test_json_report_paths_are_checked_like_workbooks(tmp_path: Path) -> None:
    a, _ = departments(tmp_path / "in")
    code = main(["consolidate", str(a), "-o", str(tmp_path / "x.xlsx"), "--report-json", str(a)])
    assert code == 1 and not (tmp_path / "x.xlsx").exists()


# ---- 3 and 6d. text past Excel's cell limit --------------------------------------------------


def test_a_packed_string_past_the_cell_limit_points_to_its_rows(tmp_path: Path) -> None:
    project = big_project()
    source = write_workbook(tmp_path / "big-long.xlsx", [project], "long")
    wide_out = tmp_path / "wide.xlsx"
    done = jixiao("pack", str(source), "-o", str(wide_out))
    assert done.returncode == 0 and "Traceback" not in done.stderr  # before: RenderError
    assert project.name in done.stderr and "超过 Excel 单元格上限" in done.stderr
    book = openpyxl.load_workbook(wide_out)
    cell = book["项目支出绩效目标表"]["G6"].value  # title, department, header, 合计, unit
    assert "600 条指标" in cell and "指标明细" in cell
    rows = list(book["指标明细"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 600 and rows[599][9] == project.indicators[599].l3
    full = packed.render(project.indicators, limit=None)
    assert len(full) > 32_767
    done = jixiao("packed", "parse", timeout=60, stdin=full)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["canonical"] == full

    out = tmp_path / "all.xlsx"
    done = jixiao("consolidate", str(source), "-o", str(out))
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    assert len(list(book["指标明细"].iter_rows(min_row=2))) == 600
    codes = [r[6] for r in book["校验结果"].iter_rows(min_row=2, values_only=True)]
    assert "packed.too_long" in codes


def test_text_past_the_cell_limit_is_kept_whole_on_an_overflow_sheet(tmp_path: Path) -> None:
    projects = fixture_projects("001")
    name = "很长的项目名称" * 15_000  # 105,000 characters
    projects[0].name = name
    source = write_workbook(tmp_path / "long-name.xlsx", projects, "long")
    assert read_workbook(source).projects[0].name == name  # our own overflow sheet, read back
    out = tmp_path / "all.xlsx"
    done = jixiao("consolidate", str(source), "-o", str(out))
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    head = book["项目汇总"]["A6"].value
    assert head.startswith(name[:1000]) and "超长文本" in head and len(head) <= 32_767
    overflow = [r for r in book["超长文本"].iter_rows(min_row=2, values_only=True)]
    whole = {(r[0], r[1]): "".join(p for p in r[3:] if p) for r in overflow}
    assert whole[("项目汇总", "A6")] == name  # nothing cut: joined back, the name is whole
    assert all(len(name) == r[2] for r in overflow)
    findings = [r for r in book["校验结果"].iter_rows(min_row=2, values_only=True)]
    assert sum(1 for r in findings if r[6] == "output.cell_too_long") == len(overflow)


# ---- 5 and 6b. the Excel validation report ---------------------------------------------------


def test_validate_excel_reports_every_refused_file_without_a_traceback(tmp_path: Path) -> None:
    from hostile import entity_expansion

    good = write_workbook(tmp_path / "good.xlsx", fixture_projects("001"), "long")
    refused = {
        "csv.xlsx": b"\xe9\xa1\xb9\xe7\x9b\xae,\xe9\x87\x91\xe9\xa2\x9d\n1,2\n",
        "png.xlsx": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        "old.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
    }
    paths = []
    for name, content in refused.items():
        (tmp_path / name).write_bytes(content)
        paths.append(tmp_path / name)
    paths.append(entity_expansion(tmp_path / "dtd.xlsx"))
    paths.append(lying_sizes(good, tmp_path / "lying.xlsx"))
    for path in paths:
        before = digest(path)
        out = tmp_path / f"report-{path.stem}.xlsx"
        done = jixiao("validate", str(path), "--excel", str(out))
        assert done.returncode == 1 and "Traceback" not in done.stderr, (path, done.stderr)
        rows = list(openpyxl.load_workbook(out)["校验结果"].iter_rows(values_only=True))
        assert rows[1][1] == path.name and rows[1][6] == "workbook.unreadable", path
        assert digest(path) == before


def test_the_report_sheet_never_turns_text_into_formulas(tmp_path: Path) -> None:
    projects = fixture_projects("003")[:2]
    projects[0].name = '=HYPERLINK("http://example.invalid","点我")'
    projects[0].indicators = []  # a finding that quotes the name
    first = write_workbook(tmp_path / "=1+1.xlsx", projects, "long")
    second = write_workbook(tmp_path / "b.xlsx", fixture_projects("001"), "long")
    for inputs in ([first], [first, second]):
        out = tmp_path / f"report-{len(inputs)}.xlsx"
        main(["validate", *map(str, inputs), "--excel", str(out)])
        sheet = openpyxl.load_workbook(out)["校验结果"]
        cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        texts = [c.value for c in cells]
        assert "=1+1.xlsx" in texts
        assert any(str(t).startswith("项目“=HYPERLINK") for t in texts), texts[:20]


# ---- 6c. two departments, one project name ---------------------------------------------------


def test_same_named_projects_of_two_unitless_files_are_two_projects(tmp_path: Path) -> None:
    from jixiao.model import Unit

    project = fixture_projects("001")[0]
    project.unit = Unit()
    a = write_workbook(tmp_path / "法院.xlsx", [project], "long")
    b = write_workbook(tmp_path / "检察院.xlsx", [project], "long")
    assert read_workbook(a).projects[0].unit.name == ""
    for mode in ("keep-both", "first", "last"):
        result = consolidate([a, b], on_conflict=mode)  # type: ignore[arg-type]
        assert len(result.projects) == 2, mode
        assert result.reconcile()["merged"] == result.reconcile()["dropped"] == 0
        total = sum(p.amounts.total or 0 for p in result.projects)
        assert total == 2 * (project.amounts.total or 0)
    same_unit = fixture_projects("001")[0]  # with its unit: the same project, merged
    c = write_workbook(tmp_path / "c.xlsx", [same_unit], "long")
    d = write_workbook(tmp_path / "d.xlsx", [same_unit], "long")
    assert len(consolidate([c, d]).projects) == 1


# ---- past Excel's row limit ------------------------------------------------------------------


def test_indicator_rows_past_the_row_limit_continue_on_another_sheet(tmp_path: Path) -> None:
    from jixiao.files.write import write_sheets
    from jixiao.layouts import long

    projects = fixture_projects("000")  # 20 projects, 226 indicators
    sheets = long.write(projects, max_rows=40)  # as if Excel stopped at row 40
    names = [s.name for s in sheets]
    assert names[0] == "指标明细" and names[1] == "指标明细 (2)" and names[-1] == "项目信息"
    assert all(len(s.rows) <= 40 for s in sheets)
    assert sum(len(s.rows) - 1 for s in sheets[:-1]) == 226  # every row, each sheet a header
    path = write_sheets(tmp_path / "split.xlsx", sheets)
    whole = read_workbook(write_workbook(tmp_path / "one.xlsx", projects, "long"))
    read = read_workbook(path)
    assert [comparable(p) for p in read.projects] == [comparable(p) for p in whole.projects]


# ---- messages a clerk can act on -------------------------------------------------------------


def test_no_library_text_reaches_the_user(tmp_path: Path) -> None:
    import re

    from hostile import hostile_folder

    allowed = {"Excel", "Word", "DTD", "XML", "xlsx", "xlsm", "xlsb", "xls", "ods", "docx", "zip", "MB", "GB"}
    checked = 0
    for item in hostile_folder(tmp_path / "in"):
        if item.status != "failed":
            continue
        with pytest.raises(WorkbookError) as raised:
            read_workbook(item.path)
        message = str(raised.value).replace(item.path.name, "").replace(str(item.path), "")
        message = re.sub(r"“[^”]*”", "", message)  # sheet names and headers are the user's words
        message = re.sub(r"[\w/]+\.xml", "", message)  # the part of the file, by its name
        words = set(re.findall(r"[A-Za-z]{2,}", message)) - allowed
        assert not words, (item.path.name, message)  # before: "invalid Zip archive: Could not find EOCD"
        checked += 1
    assert checked >= 12


def test_an_empty_workbook_names_its_empty_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.save(tmp_path / "empty-book.xlsx")
    with pytest.raises(WorkbookError, match=r"empty-book\.xlsx 是空的：工作表“Sheet”中没有任何内容"):
        read_workbook(tmp_path / "empty-book.xlsx")  # before: "工作表 （无）"


def test_a_file_name_that_is_not_utf8_is_read_and_shown_readably(tmp_path: Path) -> None:
    """A zip made on Chinese Windows and unpacked on Linux keeps GBK file names: the file is
    read (not called corrupt) and named in Chinese in every output, without a traceback."""
    import os
    import shutil

    from jixiao.cli import main
    from jixiao.files.read import read_grids

    folder = tmp_path / "in"
    folder.mkdir()
    source = write_workbook(tmp_path / "ok.xlsx", fixture_projects("001")[:1], "long")
    shutil.copy(source, folder / "ok.xlsx")
    gbk = os.path.join(os.fsencode(folder), "办公室绩效目标表.xlsx".encode("gbk"))
    try:
        shutil.copy(source, gbk)
    except OSError:
        pytest.skip("this file system accepts only UTF-8 file names")
    assert main(["consolidate", str(folder), "-o", str(tmp_path / "sum.xlsx")]) in (0, 1)
    sources = {g.sheet: g for g in read_grids(tmp_path / "sum.xlsx")}["来源"]
    texts = [t for r in range(sources.n_rows) for t in sources.row_texts(r)]
    assert any("办公室绩效目标表.xlsx" in t for t in texts)
    read = read_workbook(os.fsdecode(gbk))
    assert len(read.projects) == 1 and read.path.endswith("办公室绩效目标表.xlsx")


def test_a_large_file_that_is_no_workbook_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A disk image or video renamed .xlsx: refused from its first bytes, and hashed in
    pieces by a consolidation (it cost its whole size in memory before)."""
    import hashlib
    import time

    from jixiao.consolidate import _sha256

    big = tmp_path / "big.xlsx"
    with big.open("wb") as stream:
        stream.truncate(512 * 2**20)  # sparse: no disk used
    start = time.perf_counter()
    with pytest.raises(WorkbookError, match="已损坏或不是有效的 Excel 文件"):
        read_workbook(big)
    assert time.perf_counter() - start < 5
    small = tmp_path / "small.bin"
    small.write_bytes(b"jixiao" * 500_000)
    assert _sha256(small) == hashlib.sha256(small.read_bytes()).hexdigest()


@pytest.mark.parametrize("when", ["reading", "writing"])
def test_sigterm_and_ctrl_c_leave_one_chinese_line_and_no_temporary_file(
    when: str, tmp_path: Path
) -> None:
    """A closed terminal or a stopped service (SIGTERM) mid-run: a Chinese line, exit 130,
    no traceback, no output and no hidden temporary file left beside it."""
    import shutil
    import signal
    import subprocess
    import sys
    import time

    from conftest import ROOT

    folder = tmp_path / "in"
    folder.mkdir()
    for copy in range(40):  # long enough to be stopped while reading, or while writing
        for source in (ROOT / "samples" / "departments").glob("*.xlsx"):
            shutil.copy(source, folder / f"{copy:02d}-{source.name}")
    out = tmp_path / "out"
    out.mkdir()
    jixiao = Path(sys.executable).with_name("jixiao")
    command = [str(jixiao), "consolidate", str(folder), "-o", str(out / "汇总.xlsx")]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    if when == "reading":
        time.sleep(1.0)
    else:
        while not any(out.glob(".汇总-*")) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
    assert process.poll() is None, "the run ended before it could be stopped"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130
    assert "已中断" in err and "Traceback" not in err
    assert list(out.iterdir()) == []


def test_a_sheet_merged_over_the_whole_grid_is_filled_and_checked_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """One merge A1:XFD1048576 on a sheet of notes (7 KB): fill writes the workbook with that
    sheet cut to its text, validate --excel reports without the copy; neither allocates the
    merge cell by cell (it ran out of memory)."""
    import subprocess
    import sys

    from hostile import with_huge_merge

    long_001 = write_workbook(tmp_path / "long.xlsx", fixture_projects("001"), "long")
    source = with_huge_merge(long_001, tmp_path / "merged.xlsx")
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))"
    for args in (["fill", str(source), "-o", str(tmp_path / "filled.xlsx")],
                 ["validate", str(source), "--excel", str(tmp_path / "checked.xlsx")]):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-c", f"{limit}; import sys; from jixiao.cli import main; sys.exit(main(sys.argv[1:]))", *args],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr
        assert done.returncode in (0, 1), done.stderr
    assert (tmp_path / "filled.xlsx").exists()
    assert len(read_workbook(tmp_path / "filled.xlsx").projects) == 3


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/worksheets/sheet1.xml"])
def test_a_dtd_after_a_long_comment_is_refused(part: str, tmp_path: Path) -> None:
    """The guard read only a part's first 4,096 bytes: a DTD after a 5,000-byte comment passed."""
    import zipfile

    source = write_workbook(tmp_path / "a.xlsx", fixture_projects("001")[:1], "long")
    with zipfile.ZipFile(source) as z:
        items = {i.filename: z.read(i.filename) for i in z.infolist()}
    doctype = b'<!--' + b"x" * 5000 + b'--><!DOCTYPE x [<!ENTITY a "b">]>'
    items[part] = items[part].replace(b"?>", b"?>" + doctype, 1)
    with zipfile.ZipFile(tmp_path / "dtd.xlsx", "w") as z:
        for name, content in items.items():
            z.writestr(name, content)
    with pytest.raises(WorkbookError, match="DTD"):
        read_workbook(tmp_path / "dtd.xlsx")
