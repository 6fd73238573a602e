"""The page's entry points without a browser: the CLI's outputs, and clear Chinese refusals."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT

from jixiao.cli import main
from jixiao.web.actions import InputFile, run, run_for_page

SAMPLE = ROOT / "samples" / "guangzhou-003-wide.xlsx"


def test_consolidate_reports_each_file_as_it_reads_it() -> None:
    folder = ROOT / "samples" / "departments"
    files = [InputFile(f"departments/{p.name}", p.read_bytes()) for p in sorted(folder.glob("*.xlsx"))]
    seen: list[tuple[int, int, str]] = []
    result = run("consolidate", files, progress=lambda done, total, item: seen.append((done, total, item)))
    assert result.exit_code == 0 and sorted(result.outputs) == ["汇总.json", "汇总.xlsx"]
    assert [s[:2] for s in seen] == [(n, 5) for n in range(1, 6)]
    assert sorted(s[2] for s in seen) == sorted(p.name for p in folder.glob("*.xlsx"))
    assert result.report["projects"] == 63 and result.message.startswith("已写入 汇总.xlsx：5/5 个文件")
    sources = list(openpyxl.load_workbook(io.BytesIO(result.outputs["汇总.xlsx"]))["来源"].values)
    assert {row[3].split("/")[0] for row in sources[1:]} == {"departments"}  # the user's own paths


@pytest.mark.parametrize(("action", "files", "options", "says"), [
    ("validate", [], {}, "请先选择文件"),
    ("compare", [("a.xlsx", b"")], {}, "对比需要两个工作簿"),
    ("convert", [("a.xlsx", b"")], {"to": "pdf"}, "不认识的格式“pdf”"),
    ("consolidate", [("a.xlsx", b"")], {"on_conflict": "both"}, "不认识的冲突处理方式"),
    ("delete", [("a.xlsx", b"")], {}, "没有“delete”这个操作"),
    ("fill", [("..", b"")], {}, "文件名“..”无效"),
])  # fmt: skip
def test_a_request_the_page_should_not_make_is_refused_in_chinese(
    tmp_path: Path, action: str, files: list[tuple[str, bytes]], options: dict[str, str], says: str
) -> None:
    uploads, downloads = tmp_path / "up", tmp_path / "down"
    uploads.mkdir()
    names = [name for name, _ in files]
    for name, data in files:
        if name != "..":
            (uploads / name).write_bytes(data)
    answer = json.loads(run_for_page(action, str(uploads), json.dumps(names), json.dumps(options), str(downloads)))
    assert answer["exit_code"] == 2 and says in answer["errors"] and answer["outputs"] == {}


def test_a_file_that_leaves_its_folder_by_name_stays_inside() -> None:
    """A name like ../../x.xlsx is written under the scratch folder (as x.xlsx), never above it."""
    result = run("validate", [InputFile("../../outside.xlsx", SAMPLE.read_bytes())])
    assert {f["file"] for f in result.report["findings"]} == {"outside.xlsx"}
    assert list(result.outputs) == ["outside-校验.xlsx"]


def test_serve_refuses_a_folder_without_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["web", "serve", str(tmp_path), "--port", "0"]) == 1
    assert "没有 jixiao 网页：请先运行 jixiao web build" in capsys.readouterr().err


def test_build_names_the_setup_step_when_the_runtime_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["web", "build", "-o", str(tmp_path / "site"), "--pyodide", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert "找不到 Pyodide 运行环境" in err and "tools/pyodide/setup.sh" in err
    assert not (tmp_path / "site").exists()
