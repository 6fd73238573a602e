"""The xlwings Lite scripts and cell functions on real Books, as data to compare.

Imported by the CPython tests and run inside Pyodide by ``tests/test_pyodide.py``: both
interpreters compute ``everything()`` from the same files, and the two must be equal, action
for action (the list of changes a Book sends to Excel) and result for result.
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from conftest import ROOT, fixture_projects, load_fixture
from excel_books import book_from_file, book_from_sheets

from jixiao.files.read import read_grids
from jixiao.workbook import write_workbook

SAMPLES = ROOT / "samples"
SCRIPTS = ("unpack", "pack", "cards", "validate", "clear_marks", "compare", "fill", "selfeval", "template", "consolidate_book")


def lite_main() -> ModuleType:
    """``addin/lite/main.py`` as xlwings Lite loads it: a module of its own, unchanged."""
    spec = importlib.util.spec_from_file_location("jixiao_lite_main", ROOT / "addin" / "lite" / "main.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def departments_book() -> Any:
    """The five bundled department workbooks pasted into one workbook, a tab each."""
    sheets = []
    for path in sorted((SAMPLES / "departments").glob("*.xlsx")):
        grid = read_grids(path)[0]
        width = grid.n_cols
        values = [["" if v is None else v for v in row] + [""] * (width - len(row)) for row in grid.values]
        sheets.append({"name": path.stem[:31], "values": values, "pictures": [], "tables": [],
                       "charts": [], "shapes": [], "pivot_tables": []})  # fmt: skip
    return book_from_sheets("各单位.xlsx", sheets)


def two_versions_book(folder: Path) -> Any:
    """上年 (seed 003 as published) and 本年 (the same with two targets lowered), active 本年."""
    projects = fixture_projects("003")
    projects[0].indicators[0].annual_value = "≥90%"  # was ≥95%
    projects[4].indicators[1].period_value = "≥95%"  # was ≥99%
    sheets = []
    for name, path in (("上年", SAMPLES / "guangzhou-003-wide.xlsx"),
                       ("本年", write_workbook(folder / "new.xlsx", projects, "wide"))):  # fmt: skip
        grid = read_grids(path)[0]
        width = grid.n_cols
        values = [["" if v is None else v for v in row] + [""] * (width - len(row)) for row in grid.values]
        sheets.append({"name": name, "values": values, "pictures": [], "tables": [],
                       "charts": [], "shapes": [], "pivot_tables": []})  # fmt: skip
    return book_from_sheets("两个版本.xlsx", sheets, active=1)


def book_for(script: str, folder: Path) -> Any:
    if script == "consolidate_book":
        return departments_book()
    if script == "compare":
        return two_versions_book(folder)
    if script == "clear_marks":  # 清除标记 after a 校验 that marked cells
        from excel_books import Replay
        from jixiao.excel import ribbon

        checked = book_from_file(SAMPLES / "guangzhou-003-wide.xlsx")
        ribbon.validate(checked)
        return Replay.of(checked).book("guangzhou-003-wide.xlsx")
    if script == "pack":  # 合并 starts from 指标明细
        return book_from_file(write_workbook(folder / "003-long.xlsx", fixture_projects("003"), "long"))
    return book_from_file(SAMPLES / "guangzhou-003-wide.xlsx")


def run_script(script: Any, book: Any) -> Any:
    """Call a Lite script on a Book. Where xlwings Lite's decorator is active (XLWINGS_ON_SERVER)
    it wraps the script in a coroutine that xlwings awaits with the signed-in user first;
    the function inside, which is ours, is what runs here."""
    inner = script.__wrapped__ if hasattr(script, "__xlscript__") else script
    return inner(book)


def script_actions(run: Any, script: str) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        book = book_for(script, Path(folder))
        run_script(run, book)
        actions: list[dict[str, Any]] = book.json()["actions"]
        return actions


def function_results() -> dict[str, Any]:
    main = lite_main()
    strings = [p["packed"] for p in load_fixture("seed_003.json")["projects"]]
    unpacked = [main.JX_UNPACK(s) for s in strings]
    return {
        "JX_UNPACK": unpacked,
        "JX_PACK": [main.JX_PACK(rows) for rows in unpacked],
        "JX_CHECK": [main.JX_CHECK(s) for s in [*strings, strings[0].replace("：", ":", 3), "1-产出指标"]],
        "JX_VALUE": [main.JX_VALUE(v) for v in ("≥95%", "≤80万元", "100人次", "维持", "不低于99%为优", 11733.38)],
    }


def everything() -> dict[str, Any]:
    main = lite_main()
    found: dict[str, Any] = {name: script_actions(getattr(main, name), name) for name in SCRIPTS}
    found["functions"] = function_results()
    return json.loads(json.dumps(found, ensure_ascii=False, default=str))
