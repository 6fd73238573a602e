"""The ``jixiao packed`` commands, run as a user runs them (a subprocess, stdin, exit code)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import ROOT

JIXIAO = str(Path(sys.executable).parent / "jixiao")


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [JIXIAO, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )


def test_parse_prints_the_documented_json(seed_003: dict[str, Any]) -> None:
    for project in seed_003["projects"]:
        done = run("packed", "parse", stdin=project["packed"])
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert set(report) == {"indicators", "findings", "canonical"}
        assert report["indicators"] == project["indicators"]
        assert report["findings"] == []
        assert report["canonical"] == project["packed"]
        assert all(isinstance(i["seq"], int) and isinstance(i["l2_code"], str) for i in report["indicators"])


def test_parse_exits_1_on_an_error_and_reports_offsets() -> None:
    text = "1-产出指标：12-质量指标：合格率；实施周期指标值：≥95%。2-投入指标：11-数量指标：合格率；实施周期指标值：1；年度指标值：1。"
    done = run("packed", "parse", stdin=text)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert {f["code"] for f in errors} == {"packed.missing_annual", "packed.unknown_l1"}
    assert all(set(f) == {"code", "severity", "message", "offset"} for f in report["findings"])
    assert report["canonical"] == text  # nothing lost


def test_parse_with_only_info_findings_exits_0() -> None:
    done = run("packed", "parse", stdin="1-产出指标:12-质量指标:合格率;实施周期指标值:>=95％;年度指标值:≥95%")
    assert done.returncode == 0
    report = json.loads(done.stdout)
    assert report["canonical"] == "1-产出指标：12-质量指标：合格率；实施周期指标值：≥95%；年度指标值：≥95%。"
    assert report["findings"] and all(f["severity"] == "info" for f in report["findings"])


def test_render_round_trips_parse_output(seed_003: dict[str, Any]) -> None:
    for project in seed_003["projects"]:
        done = run("packed", "render", stdin=json.dumps({"indicators": project["indicators"]}))
        assert done.returncode == 0, done.stderr
        assert done.stdout == project["packed"] + "\n"


def test_render_refuses_bad_input_with_a_clear_message() -> None:
    cases = {
        "not json": "不是有效的 JSON",
        "[]": '{"indicators": [...]}',
        '{"indicators": [1]}': "第 1 个指标不是 JSON 对象",
        '{"indicators": [{"seq": "x"}]}': "第 1 个指标的字段有误",
        json.dumps({"indicators": [{"l1": "产出指标", "l3": "长" * 40000}]}): "超过 Excel 单元格上限",
    }
    for stdin, message in cases.items():
        done = run("packed", "render", stdin=stdin)
        assert done.returncode == 1
        assert message in done.stderr
        assert "Traceback" not in done.stderr


def test_table_prints_one_row_per_indicator() -> None:
    done = run("packed", "table", "samples/guangzhou-003.tsv")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split("\t")[:2] == ["项目名称", "序号"]
    assert len(lines) == 1 + 71
    assert sum(1 for line in lines if line.startswith("审判执行专项经费\t")) == 11


def test_table_cells_that_excel_would_take_for_formulas_stay_text() -> None:
    """TSV is pasted into Excel: =HYPERLINK(…) as a project name or =1+1 as a value must not
    become a live formula there."""
    line = ('=HYPERLINK("http://evil.invalid","点我")\t1-产出指标：11-数量指标：完成数；'
            "实施周期指标值：=1+1；年度指标值：≥95%。\n")  # fmt: skip
    done = run("packed", "table", stdin=line)
    cells = done.stdout.splitlines()[1].split("\t")
    assert cells[0] == '\'=HYPERLINK("http://evil.invalid","点我")'
    assert "'=1+1" in cells
    assert not any(c[:1] in "=+-@" and len(c) > 1 for c in cells)


def test_a_conversion_names_what_the_target_layout_cannot_hold(tmp_path: Path) -> None:
    """Tangshan's cards carry 项目编码, 资金用途, 资金支出计划 and 绩效指标描述; the wide table has
    no place for them, and pack says which, with how many, instead of dropping them unseen."""
    done = run("pack", "samples/departments/tangshan-004.xlsx", "-o", str(tmp_path / "w.xlsx"))
    assert done.returncode in (0, 1), done.stderr
    note = next(line for line in done.stderr.splitlines() if line.startswith("注意："))
    for field in ("项目编码（13 个项目）", "资金用途（13 个项目）", "资金支出计划（%）（13 个项目）",
                  "绩效指标描述（79 条指标）"):  # fmt: skip
        assert field in note
    same = run("unpack", "samples/departments/tangshan-004.xlsx", "-o", str(tmp_path / "l.xlsx"))
    assert "注意：" not in same.stderr  # 指标明细 holds everything
