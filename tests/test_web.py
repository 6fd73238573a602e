"""The browser page in a real browser: Debian's chromium driven by Playwright, against
``jixiao web serve`` on 127.0.0.1, each result compared with the CLI's on the same files.

The site is built once (``jixiao web build``) and the page loaded once for the module:
Pyodide starts in a few seconds, then every test uses the same page, as a clerk would.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import ROOT
from hostile import password_protected, zip_bomb

from jixiao.cli import main

CHROMIUM = Path(os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium"))
PYODIDE = ROOT / ".pyodide"
INSTALL = "apt-get install chromium; pip install playwright; bash tools/pyodide/setup.sh (as .ci/run does)"
SAMPLES = ROOT / "samples"
SHOTS = ROOT / "build" / "test-output"


def _needs() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's chromium at {CHROMIUM}: {INSTALL}")
    if not (PYODIDE / "node_modules" / "pyodide" / "pyodide.mjs").is_file():
        pytest.skip(f"needs the Pyodide runtime and wheels in .pyodide: {INSTALL}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip(f"needs playwright: {INSTALL}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _needs()
    folder = tmp_path_factory.mktemp("web") / "site"
    assert main(["web", "build", "-o", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "jixiao.cli", "web", "serve", str(site), "--port", "0"],
        stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    assert match, line
    yield match.group(0)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        page.requests = []  # type: ignore[attr-defined]
        page.on("request", lambda request: page.requests.append(request.url))  # type: ignore[attr-defined]
        page.goto(server)
        page.wait_for_selector("body[data-ready=true]", timeout=180_000)
        yield page
        context.close()
        browser.close()


def download(page: Any, link: str, target: Path) -> Path:
    with page.expect_download() as info:
        page.click(f"a.download:text-is('下载 {link}')")
    info.value.save_as(target)
    return target


def cells(data: bytes | Path) -> dict[str, list[list[Any]]]:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    book = openpyxl.load_workbook(source)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in ``folder``, as a user beside their files runs it."""
    return subprocess.run([sys.executable, "-m", "jixiao.cli", *args], cwd=folder, capture_output=True, text=True)


def consolidate_in_page(page: Any, folder: Path) -> None:
    page.evaluate("document.body.removeAttribute('data-consolidated')")
    page.set_input_files("#consolidate-folder", str(folder))
    page.click("#consolidate")
    page.wait_for_selector("body[data-consolidated=true]", timeout=300_000)


def test_consolidating_a_folder_gives_the_clis_workbook_and_report(page: Any, tmp_path: Path) -> None:
    folder = tmp_path / "departments"
    shutil.copytree(SAMPLES / "departments", folder)
    consolidate_in_page(page, folder)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "web-汇总.png"), full_page=True)  # for people to look at
    assert "5/5 个文件，63 个项目，489 条指标" in page.inner_text("#consolidate-result")
    assert page.inner_text("#consolidate-progress-text") == "完成"
    got = download(page, "汇总.xlsx", tmp_path / "page" / "汇总.xlsx")
    report = json.loads(download(page, "汇总.json", tmp_path / "page" / "汇总.json").read_text("utf-8"))

    done = cli(tmp_path, "consolidate", "departments", "-o", "cli/汇总.xlsx", "--report-json", "cli/汇总.json")
    assert done.returncode == 0, done.stderr
    assert cells(got) == cells(tmp_path / "cli" / "汇总.xlsx")  # every sheet, every cell
    expected = json.loads((tmp_path / "cli" / "汇总.json").read_text("utf-8"))
    for key in ("projects", "indicators", "reconciliation", "errors", "warnings", "files", "conflicts"):
        assert report[key] == expected[key], key


def test_validate_lists_exactly_the_clis_findings(page: Any, tmp_path: Path) -> None:
    book = tmp_path / "guangzhou-003-wide.xlsx"
    shutil.copyfile(SAMPLES / "guangzhou-003-wide.xlsx", book)
    runs = page.get_attribute("#clerk-result", "data-runs") or "0"
    page.set_input_files("#book", str(book))
    page.click("button[data-action=validate]")
    page.wait_for_function(f"(document.querySelector('#clerk-result').dataset.runs || '0') !== '{runs}'", timeout=120_000)
    rows = page.eval_on_selector_all(
        "#findings-table tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    done = cli(tmp_path, "validate", book.name, "--json")
    findings = json.loads(done.stdout)["findings"]
    assert [(r[6], r[3], r[4]) for r in rows] == [(f["code"], f.get("cell", ""), f["message"]) for f in findings]
    assert sum(1 for f in findings if f["severity"] == "error") == 3 and len(rows) == len(findings)
    page.select_option("#severity", "error")
    visible = page.eval_on_selector_all("#findings-table tbody tr:not([hidden])", "rows => rows.length")
    assert visible == 3
    page.select_option("#severity", "")
    checked = download(page, "guangzhou-003-wide-校验.xlsx", tmp_path / "page.xlsx")
    assert cli(tmp_path, "validate", book.name, "--excel", "cli.xlsx").returncode == 1
    assert cells(checked) == cells(tmp_path / "cli.xlsx")


def test_a_hostile_file_is_listed_with_its_reason_and_the_rest_consolidated(page: Any, tmp_path: Path) -> None:
    folder = tmp_path / "departments"
    shutil.copytree(SAMPLES / "departments", folder)
    zip_bomb(folder / "zip-bomb.xlsx")
    password_protected(SAMPLES / "guangzhou-003-wide.xlsx", folder / "locked.xlsx")
    consolidate_in_page(page, folder)
    failed = page.eval_on_selector_all(
        "#failed-files li", "items => items.map(i => [i.dataset.path, i.textContent])"
    )
    done = cli(tmp_path, "consolidate", "departments", "-o", "cli.xlsx", "--report-json", "cli.json")
    assert done.returncode == 1
    expected = [f for f in json.loads((tmp_path / "cli.json").read_text("utf-8"))["files"] if f["status"] == "failed"]
    assert [path for path, _ in failed] == [f["path"] for f in expected] == ["departments/locked.xlsx", "departments/zip-bomb.xlsx"]
    for (_, text), report in zip(failed, expected, strict=True):
        assert report["error"] in text and re.search(r"[\u4e00-\u9fff]", report["error"])
    assert "5/7 个文件，63 个项目" in page.inner_text("#consolidate-result")


ACTIONS = [  # (button, what to choose first, download, the CLI's arguments)
    ("fill", {}, "guangzhou-003-wide-补全.xlsx", ["fill", "guangzhou-003-wide.xlsx", "-o", "out.xlsx"]),
    ("unpack", {}, "guangzhou-003-wide-指标明细.xlsx", ["unpack", "guangzhou-003-wide.xlsx", "-o", "out.xlsx"]),
    ("pack", {}, "guangzhou-003-wide-宽表.xlsx", ["pack", "guangzhou-003-wide.xlsx", "-o", "out.xlsx"]),
    ("cards", {}, "guangzhou-003-wide-卡片.xlsx", ["convert", "guangzhou-003-wide.xlsx", "--to", "card", "-o", "out.xlsx"]),
    ("convert", {"#layout": "terms"}, "guangzhou-003-wide-申报表.xlsx",
     ["convert", "guangzhou-003-wide.xlsx", "--to", "terms", "-o", "out.xlsx"]),
    ("convert", {"#layout": "halves"}, "guangzhou-003-wide-两栏卡片.xlsx",
     ["convert", "guangzhou-003-wide.xlsx", "--to", "halves", "-o", "out.xlsx"]),
    ("compare", {}, "对比.xlsx", ["compare", "上年.xlsx", "guangzhou-003-wide.xlsx", "-o", "out.xlsx"]),
    ("template", {}, "宽表模板.xlsx", ["template", "build", "-o", "templates"]),
    ("selfeval_build", {}, "guangzhou-003-wide-自评表.xlsx",
     ["selfeval", "build", "guangzhou-003-wide.xlsx", "-o", "out.xlsx"]),
    ("selfeval_score", {}, "guangzhou-003-wide-自评得分.xlsx",
     ["selfeval", "score", "guangzhou-003-wide.xlsx", "-o", "out.xlsx"]),
]  # fmt: skip


@pytest.mark.parametrize(("action", "choices", "name", "args"), ACTIONS, ids=[f"{a[0]}-{a[2]}" for a in ACTIONS])
def test_every_actions_download_is_the_clis(page: Any, tmp_path: Path, action: str, choices: dict[str, str],
                                           name: str, args: list[str]) -> None:  # fmt: skip
    book = tmp_path / "guangzhou-003-wide.xlsx"
    shutil.copyfile(SAMPLES / "guangzhou-003-wide.xlsx", book)
    old = tmp_path / "上年.xlsx"  # last year's: one target higher than this year's
    from jixiao.workbook import read_workbook, write_workbook

    read = read_workbook(book)
    read.projects[0].indicators[0].annual_value = "≥99%"
    write_workbook(old, read.projects, "wide")
    runs = page.get_attribute("#clerk-result", "data-runs") or "0"
    page.set_input_files("#book", str(book))
    page.set_input_files("#old-book", str(old))
    for selector, value in choices.items():
        page.select_option(selector, value)
    page.click(f"button[data-action={action}]")
    page.wait_for_function(f"(document.querySelector('#clerk-result').dataset.runs || '0') !== '{runs}'", timeout=120_000)
    got = download(page, name, tmp_path / "page" / name)
    done = cli(tmp_path, *args)
    assert done.returncode in (0, 1), done.stderr
    expected = tmp_path / ("templates/宽表模板.xlsx" if action == "template" else "out.xlsx")
    assert cells(got) == cells(expected)


def test_the_page_asks_its_own_origin_only(page: Any, server: str) -> None:
    """Every request the page made, runtime and wheels included, went to its own server."""
    requests = page.requests
    assert requests and all(url.startswith((server, "blob:", "data:")) for url in requests), requests
    assert any(url.endswith(".wasm") for url in requests) and any(url.endswith(".whl") for url in requests)
    assert "不会上传" in page.inner_text("#privacy")


def test_self_evaluations_consolidate_in_the_page_as_in_the_cli(page: Any, tmp_path: Path) -> None:
    folder = tmp_path / "自评"
    folder.mkdir()
    for name in ("chizhou-tangxi-2022-selfeval", "lijiang-gucheng-2020-selfeval", "qingshen-2023-selfeval"):
        shutil.copyfile(ROOT / "tests" / "fixtures" / "real" / f"{name}.xlsx", folder / f"{name}.xlsx")
    page.evaluate("document.body.removeAttribute('data-consolidated')")
    page.set_input_files("#consolidate-folder", str(folder))
    page.click("#selfeval-consolidate")
    page.wait_for_selector("body[data-consolidated=true]", timeout=120_000)
    assert "3/3 个文件，3 个项目" in page.inner_text("#consolidate-result")
    got = download(page, "自评汇总.xlsx", tmp_path / "page" / "自评汇总.xlsx")
    assert cli(tmp_path, "selfeval", "consolidate", "自评", "-o", "cli.xlsx").returncode == 0
    assert cells(got) == cells(tmp_path / "cli.xlsx")
