"""Consolidation of every seed, split across files and layouts, with duplicates and bad files."""

from __future__ import annotations

import hashlib
import json
import shutil
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, SEED_COUNTS, SEED_NAMES, comparable, fixture_projects
from hostile import entity_expansion, password_protected, zip_bomb

from jixiao.cli import main
from jixiao.consolidate import consolidate
from jixiao.errors import WorkbookError
from jixiao.files.read import read_grids
from jixiao.summary_workbook import write_consolidation
from jixiao.options import LAYOUTS
from jixiao.workbook import read_workbook, write_workbook

INDICATORS = {"000": 226, "001": 25, "002": 88, "003": 71, "004": 79}


def split_seeds(folder: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """Every seed's projects dealt round-robin into a file of each layout.

    Returns (unit, project name) -> (seed, layout), to compare each project the way its
    layout carries it.
    """
    where = {}
    for seed in SEED_NAMES:
        projects = fixture_projects(seed)
        for offset, layout in enumerate(LAYOUTS):
            part = projects[offset :: len(LAYOUTS)]
            if part:
                write_workbook(folder / seed / f"{layout}.xlsx", part, layout)
            for project in part:
                where[(project.unit.name, project.name)] = (seed, layout)
    return where


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def seeds_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[tuple[str, str], tuple[str, str]]]:
    folder = tmp_path_factory.mktemp("departments")
    return folder, split_seeds(folder)


def test_every_seed_split_across_layouts_consolidates_to_the_fixtures(
    seeds_folder: tuple[Path, dict[tuple[str, str], tuple[str, str]]], tmp_path: Path
) -> None:
    folder, where = seeds_folder
    result = consolidate([folder])
    files = len({(seed, layout) for seed, layout in where.values()})
    assert len(result.files) == files == 27 and all(f.status == "ok" for f in result.files)
    assert len(result.projects) == sum(SEED_COUNTS.values()) == 63
    assert result.indicator_count == sum(INDICATORS.values()) == 489
    assert result.conflicts == [] and result.reconcile()["balanced"]
    out = write_consolidation(result, tmp_path / "all.xlsx")
    back = read_workbook(out)
    assert len(back.projects) == 63 and back.indicator_count == 489
    expected = {}
    for seed in SEED_NAMES:
        for project in fixture_projects(seed):
            expected[(project.unit.name, project.name)] = project
    for project in back.projects:
        seed, layout = where[(project.unit.name, project.name)]
        view = "card" if layout == "card" else layout
        original = expected[(project.unit.name, project.name)]
        assert comparable(project, view) == comparable(original, view), (seed, project.name)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["项目汇总", "指标明细", "项目信息", "来源", "校验结果", "统计"]
    sources = list(book["来源"].iter_rows(min_row=2, values_only=True))
    assert len(sources) == 63
    hashes = {str(p): digest(p) for p in folder.rglob("*.xlsx")}
    for row in sources:
        assert hashes[row[3]] == row[6] and row[5]  # file, checksum, cell range
    assert len(book["统计"]._charts) == 1


def test_identical_copies_are_merged_and_reconciled(
    seeds_folder: tuple[Path, dict[tuple[str, str], tuple[str, str]]], tmp_path: Path
) -> None:
    folder, _ = seeds_folder
    copy = tmp_path / "again"
    shutil.copytree(folder / "001", copy)
    result = consolidate([folder / "001", copy])
    assert len(result.projects) == SEED_COUNTS["001"]
    assert sum(f.merged for f in result.files) == SEED_COUNTS["001"]
    assert result.reconcile() == {"read": 6, "written": 3, "merged": 3, "dropped": 0, "balanced": True}
    notes = [f for f in result.findings if f.code == "consolidate.duplicate"]
    assert len(notes) == 3 and all(f.severity == "info" for f in notes)


@pytest.mark.parametrize(("mode", "count", "kept"), [
    ("keep-both", 4, {"original", "changed"}), ("first", 3, {"original"}), ("last", 3, {"changed"}),
])
def test_differing_copies_are_a_conflict(mode: str, count: int, kept: set[str], tmp_path: Path) -> None:
    projects = fixture_projects("001")
    totals = {"original": projects[0].amounts.total, "changed": Decimal("999.00")}
    kept_total = {totals[k] for k in kept}
    first = write_workbook(tmp_path / "a.xlsx", projects, "long")
    changed = fixture_projects("001")
    changed[0].amounts.total = changed[0].amounts.fiscal = Decimal("999.00")
    second = write_workbook(tmp_path / "b.xlsx", changed, "long")
    result = consolidate([first, second], on_conflict=mode)  # type: ignore[arg-type]
    assert len(result.projects) == count
    (conflict,) = result.conflicts
    assert conflict["project"] == projects[0].name and conflict["difference"] == "金额不同"
    assert {p.amounts.total for p in result.projects if p.name == projects[0].name} == kept_total
    assert result.reconcile()["balanced"]
    warning = next(f for f in result.findings if f.code == "consolidate.conflict")
    assert warning.severity == "warning" and "a.xlsx" in warning.message
    # 合计 and the unit's row count each project once: with keep-both the second copy is
    # printed, marked, and left out of the sums (else the project's budget counts twice).
    counted = {"keep-both": "original", "first": "original", "last": "changed"}[mode]
    want = sum(p.amounts.total for p in projects[1:]) + totals[counted]
    rows = list(openpyxl.load_workbook(write_consolidation(result, tmp_path / "sum.xlsx"))["项目汇总"].values)
    assert rows[3][0] == "合计" and Decimal(str(rows[3][1])) == want
    assert Decimal(str(rows[4][1])) == want  # the one unit's subtotal
    marked = [r for r in rows[5:] if r[0] and "不计入合计" in r[0]]
    assert len(marked) == (1 if mode == "keep-both" else 0)
    if mode == "keep-both":
        assert conflict["counted"] == "first" and Decimal(str(marked[0][1])) == Decimal("999.00")


def hostile_files(folder: Path) -> dict[str, Path]:
    good = write_workbook(folder / "good.xlsx", fixture_projects("001"), "card")
    corrupt = folder / "corrupt.xlsx"
    corrupt.write_bytes(good.read_bytes()[:3000])
    empty = folder / "empty.xlsx"
    empty.write_bytes(b"")
    locked = password_protected(good, folder / "locked.xlsx")
    tricky = fixture_projects("002")[:2]
    tricky[0].name = '=HYPERLINK("http://example.invalid","点我")'
    tricky[1].name = "+1-2@科技法庭建设"
    linked = write_workbook(folder / "hyperlink.xlsx", tricky, "wide")
    return {"good": good, "corrupt": corrupt, "empty": empty, "locked": locked, "hyperlink": linked}


def test_bad_files_are_reported_and_the_rest_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = hostile_files(tmp_path / "in")
    before = {name: digest(path) for name, path in files.items()}
    out, report = tmp_path / "all.xlsx", tmp_path / "report.json"
    code = main(["consolidate", str(tmp_path / "in"), "-o", str(out), "--report-json", str(report)])
    assert code == 1
    data = json.loads(report.read_text("utf-8"))
    status = {Path(f["path"]).stem: (f["status"], f["error"] or "") for f in data["files"]}
    assert status["good"] == ("ok", "") and status["hyperlink"] == ("ok", "")
    assert status["corrupt"][0] == status["empty"][0] == status["locked"][0] == "failed"
    assert "设有打开密码" in status["locked"][1] and "corrupt.xlsx" in status["corrupt"][1]
    assert data["projects"] == 3 + 2 and data["reconciliation"]["balanced"]
    assert {name: digest(path) for name, path in files.items()} == before
    book = openpyxl.load_workbook(out)
    names = {c.value: c.data_type for c in book["项目信息"]["D"][1:]}
    assert names['=HYPERLINK("http://example.invalid","点我")'] == "s"
    assert names["+1-2@科技法庭建设"] == "s"
    summary_cells = [c for row in book["项目汇总"].iter_rows() for c in row if c.data_type == "f"]
    assert summary_cells == []  # the only formulas are none: text stayed text
    failed = [r for r in book["校验结果"].iter_rows(min_row=2, values_only=True) if r[6] == "workbook.unreadable"]
    assert len(failed) == 3
    err = capsys.readouterr().err
    assert "未能读取" in err and "locked.xlsx" in err


def test_hostile_archives_are_refused_within_bounded_memory(tmp_path: Path) -> None:
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    entities = entity_expansion(tmp_path / "entities.xlsx")
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError, match="bomb.xlsx.*(压缩炸弹|超过可处理)"):
            read_grids(bomb)
        with pytest.raises(WorkbookError, match="entities.xlsx.*DTD"):
            read_grids(entities)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20
    result = consolidate([bomb, entities])
    assert [f.status for f in result.files] == ["failed", "failed"]


def departments() -> dict[str, tuple[str, str]]:
    """The sample files tools/build_samples.py writes, from that script itself."""
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("build_samples", ROOT / "tools" / "build_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: dict[str, tuple[str, str]] = module.DEPARTMENTS
    return found


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_bundled_department_samples_are_the_seeds(seed: str) -> None:
    from conftest import ROOT

    name, layout = departments()[seed]
    read = read_workbook(ROOT / "samples" / "departments" / name)
    assert [comparable(p, layout) for p in read.projects] == [
        comparable(p, layout) for p in fixture_projects(seed)
    ]


def test_an_earlier_output_inside_the_input_folder_is_not_read_again(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for seed in ("001", "002"):
        write_workbook(folder / f"{seed}.xlsx", fixture_projects(seed), "card")
    out, report = folder / "汇总.xlsx", tmp_path / "r.json"
    for _ in range(2):
        assert main(["consolidate", str(folder), "-o", str(out), "--report-json", str(report)]) == 0
        data = json.loads(report.read_text("utf-8"))
        assert len(data["files"]) == 2 and data["projects"] == 13 and data["conflicts"] == []


def test_a_conflict_names_what_differs_in_chinese(tmp_path: Path) -> None:
    from jixiao.model import Unit

    project = fixture_projects("004")[0]  # seed 004 carries 项目编码
    a = write_workbook(tmp_path / "a.xlsx", [project], "long")
    project.unit = Unit(code="999999", name="另一单位")  # same 项目编码, another unit
    b = write_workbook(tmp_path / "b.xlsx", [project], "long")
    (conflict,) = consolidate([a, b]).conflicts
    assert conflict["difference"] == "单位不同"


def test_summary_sheets_speak_for_all_departments(tmp_path: Path) -> None:
    """项目汇总 names every department, 统计 counts each class once in the framework's order,
    and an amount nobody gave is blank in 统计 as in 项目汇总."""
    out = tmp_path / "all.xlsx"
    assert main(["consolidate", str(ROOT / "samples" / "departments"), "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    title = book["项目汇总"]["A2"].value
    assert title.startswith("部门名称：5 个部门汇总（广州互联网法院、")  # before: 部门名称：广州互联网法院
    rows = list(book["统计"].iter_rows(min_row=2, values_only=True))
    classes = [(r[7], r[8]) for r in rows if r[7]]
    assert len(classes) == len(set(classes)) == 9  # before: 社会效益 and 社会效益指标 apart
    assert ("效益指标", "社会效益") not in classes and ("效益指标", "社会效益指标") in classes
    assert sum(r[9] for r in rows if r[9]) == sum(INDICATORS.values())
    order = [c[0] for c in classes]
    assert order == sorted(order, key=["产出指标", "效益指标", "满意度指标"].index)
    special = [r[4] for r in rows if r[0]]
    assert special == [None] * 5  # no department gives 财政专户拨款: blank, not 0
    summary = [r[3] for r in book["项目汇总"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert set(summary) == {None}


def test_a_defect_in_reading_one_file_does_not_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Were a reader to fail on some file in a way no test foresaw, that file is reported
    failed, in Chinese and naming it, and every other file is still consolidated."""
    from jixiao import consolidate as module

    for seed in ("001", "002"):
        write_workbook(tmp_path / f"{seed}.xlsx", fixture_projects(seed), "card")
    real = module.read_workbook

    def flaky(path: object) -> object:
        if str(path).endswith("001.xlsx"):
            raise IndexError("list index out of range")
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "read_workbook", flaky)
    result = consolidate([tmp_path])
    assert [(Path(f.path).name, f.status) for f in result.files] == [("001.xlsx", "failed"), ("002.xlsx", "ok")]
    assert len(result.projects) == SEED_COUNTS["002"]
    error = result.files[0].error
    assert error.startswith("001.xlsx 读取时出现意外错误（IndexError") and "其他文件照常汇总" in error
    assert "Traceback" in capsys.readouterr().err  # the details for whoever fixes it


def test_an_earlier_consolidation_in_a_folder_is_skipped_but_read_when_named(tmp_path: Path, capsys) -> None:
    """A 汇总 written earlier into the departments' folder (under another name) would count
    every department twice: it is skipped and named. Named as a file, a consolidation is read:
    a province consolidates its cities' consolidations."""
    from jixiao.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    for seed in ("001", "002"):
        write_workbook(folder / f"dept-{seed}.xlsx", fixture_projects(seed), "long")
    assert main(["consolidate", str(folder), "-o", str(folder / "汇总-上周.xlsx")]) == 0
    capsys.readouterr()
    assert main(["consolidate", str(folder), "-o", str(tmp_path / "汇总.xlsx")]) == 0
    out, err = capsys.readouterr()
    assert "跳过" in err and "汇总-上周.xlsx" in err
    expected = len(fixture_projects("001")) + len(fixture_projects("002"))
    assert f"2/2 个文件，{expected} 个项目" in out
    assert main(["consolidate", str(folder / "汇总-上周.xlsx"), "-o", str(tmp_path / "省.xlsx")]) == 0
    assert f"1/1 个文件，{expected} 个项目" in capsys.readouterr().out
