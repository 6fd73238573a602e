"""xlwings Lite: ``addin/lite/main.py`` on real Books does what the desktop ribbon does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from conftest import ROOT, load_fixture
from excel_books import Replay
from lite_actions import SCRIPTS, book_for, departments_book, everything, function_results, lite_main, run_script, script_actions

from jixiao.excel import ribbon
from jixiao.excel import udfs

RIBBON = {name: getattr(ribbon, name) for name in SCRIPTS}


@pytest.mark.parametrize("name", SCRIPTS)
def test_each_lite_script_does_what_its_ribbon_button_does(name: str) -> None:
    main = lite_main()
    lite = script_actions(getattr(main, name), name)
    desktop = script_actions(RIBBON[name], name)
    assert lite == desktop
    if name == "clear_marks":  # empties the mark sheet of the checked sheet, nothing else
        assert [a["func"] for a in lite if a["func"] != "alert"] == ["rangeClearContents"]
    else:
        assert any(a["func"] == "addSheet" for a in lite)  # results on new sheets
    assert [a["func"] for a in lite if a["func"] == "alert"] == ["alert"]  # one message


def test_unpack_of_seed_003_writes_72_rows(tmp_path: Any) -> None:
    book = book_for("unpack", tmp_path)
    run_script(lite_main().unpack, book)
    replay = Replay.of(book)
    assert len(replay.rows("指标明细")) == 72  # the header and 71 indicators


def test_consolidate_book_merges_departments_pasted_as_tabs() -> None:
    book = departments_book()
    message = ribbon.consolidate_book(book)
    assert message is not None and "已汇总 5 个工作表：63 个项目，489 条指标" in message
    replay = Replay.of(book)
    assert replay.names[5:] == ["项目汇总", "指标明细", "项目信息", "来源", "校验结果", "统计"]
    assert len(replay.rows("指标明细")) == 1 + 489
    sources = {row[3] for row in replay.rows("来源")[1:]}
    assert sources == {f"各单位.xlsx!{name}" for name in replay.names[:5]}
    again = ribbon.consolidate_book(book)  # the earlier result is not read as a department
    assert again is not None and "已汇总 5 个工作表：63 个项目" in again


def test_the_cell_functions_are_the_desktop_ones() -> None:
    main = lite_main()
    for name in ("JX_UNPACK", "JX_PACK", "JX_CHECK", "JX_VALUE"):
        assert getattr(main, name) is getattr(udfs, name)
    results = function_results()
    strings = [p["packed"] for p in load_fixture("seed_003.json")["projects"]]
    assert results["JX_PACK"] == strings  # unpack then pack gives back each published string
    assert results["JX_CHECK"][:17] == ["OK"] * 17


def test_xlwings_lite_registers_every_script_and_function() -> None:
    """With XLWINGS_ON_SERVER set, as xlwings Lite runs main.py, xlwings lists them."""
    code = """
import json, sys
sys.path[:0] = [sys.argv[1] + "/tests"]
from lite_actions import lite_main
from xlwings.server import custom_functions_meta, custom_scripts_meta
main = lite_main()
print(json.dumps({"scripts": custom_scripts_meta(main),
                  "functions": [f["name"] for f in custom_functions_meta(main)["functions"]]}, ensure_ascii=False))
"""
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    meta = json.loads(done.stdout)
    assert {s["function_name"]: s["name"] for s in meta["scripts"]} == {
        "unpack": "拆分", "pack": "合并", "cards": "生成卡片", "validate": "校验", "clear_marks": "清除标记",
        "compare": "对比", "fill": "补全", "selfeval": "生成自评表",
        "template": "模板", "consolidate_book": "汇总本工作簿",
    }  # fmt: skip
    assert sorted(meta["functions"]) == ["JX_CHECK", "JX_PACK", "JX_UNPACK", "JX_VALUE"]


def test_everything_is_plain_data() -> None:
    found = everything()
    assert set(found) == {*SCRIPTS, "functions"}


def test_the_committed_lite_files_are_what_jixiao_lite_writes(tmp_path: Any) -> None:
    from jixiao.addin.lite import write_lite
    from jixiao.cli import main

    url = "https://files.example.gov.cn/jixiao-0.1.0-py3-none-any.whl"
    written = write_lite(tmp_path / "lite", wheel_url=url)  # as the README's example writes it
    for path in written:
        assert path.read_bytes() == (ROOT / "addin" / "lite" / path.name).read_bytes(), path.name
    assert main(["lite", "-o", str(tmp_path / "url"), "--wheel-url", url]) == 0
    first = (tmp_path / "url" / "requirements.txt").read_text("utf-8").splitlines()[3]
    assert first == f"jixiao @ {url}"
    assert main(["lite", "-o", str(tmp_path / "index"), "--index-url", "https://pypi.example.gov.cn/simple"]) == 0
    lines = (tmp_path / "index" / "requirements.txt").read_text("utf-8").splitlines()
    assert lines[3:5] == ["--extra-index-url https://pypi.example.gov.cn/simple", "jixiao==0.1.0"]
    assert main(["lite", "-o", str(tmp_path / "x"), "--wheel-url", url, "--index-url", "https://a"]) == 1


def test_lite_names_jixiao_by_name_alone_only_when_asked(tmp_path: Any, capsys: Any) -> None:
    """A bare ``jixiao==VERSION`` is satisfied by any same-named package on the index asked
    (dependency confusion): without a source jixiao lite refuses and writes nothing."""
    from jixiao.cli import main

    assert main(["lite", "-o", str(tmp_path / "none")]) == 1
    assert "--wheel-url" in capsys.readouterr().err and not (tmp_path / "none").exists()
    assert main(["lite", "-o", str(tmp_path / "public"), "--public-index"]) == 0
    assert (tmp_path / "public" / "requirements.txt").read_text("utf-8").splitlines()[3] == "jixiao==0.1.0"


def test_compare_marks_the_lowered_targets_of_this_year_against_last(tmp_path: Any) -> None:
    from lite_actions import two_versions_book

    book = two_versions_book(tmp_path)
    message = ribbon.compare(book)
    assert message is not None and "已对比“上年”（旧）与“本年”（新）：17 个项目，15 个未变化，2 处变化" in message
    replay = Replay.of(book)
    assert replay.names[2:] == ["对比", "项目对比", "审核提示"]
    rows = replay.rows("对比")
    assert len(rows) == 3 and {r[9] for r in rows[1:]} <= {"放宽", "降低"}  # both made easier
    red = {r for (r, _), color in replay.colors["对比"].items() if color.upper() == "#FFC7CE"}
    assert red == {1, 2}  # both changed rows, whole rows
