"""Validation of every seed as published, against findings reviewed by hand.

The expected files in ``tests/expected`` were read finding by finding against the seed
text. Run with ``JIXIAO_UPDATE_EXPECTED=1`` to rewrite them after a deliberate change,
then review the diff the same way.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_COUNTS, SEED_NAMES, published_workbook

from jixiao.validate import validate_files

EXPECTED = Path(__file__).resolve().parent / "expected"

# Every error on a seed is a defect of that document. Each one, and why.
SEED_ERRORS = {
    ("003", "coverage.benefit", "G6"): "机构运行辅助经费 lists one 质量指标 and one 满意度 item: "
    "no 效益 indicator at all.",
    ("003", "coverage.benefit", "G12"): "国家赔偿金 lists two 产出 items (合规率, 及时性) only.",
    ("003", "coverage.benefit", "G20"): "宣传专项经费 lists two 数量指标 items only.",
}

# Warnings reviewed by hand: what each kind means on these documents.
SEED_WARNINGS = {
    "value.at_least_100": "≥100% on a rate (000, 001, 002): a rate cannot exceed 100%, "
    "the intended target is =100%.",
    "value.direction": "002 puts 救助申请人再信访率 ≤20% under 满意度; 004 puts 预算执行率 ≥90% "
    "under 成本指标. Both are lower/upper bounds on the wrong class.",
    "value.unit": "003: 物业服务面积 11733.38, 责任治安/消防事故数 0, 法治宣传片数量 ≥120 and "
    "安全隐患问题数量 0 carry no unit (平方米, 起, 部, 个).",
    "coverage.satisfaction": "003: 13 of 17 projects have no 满意度 indicator.",
    "amount.rounding": "003: the unit subtotal 5,373.54 万元 vs its 17 projects summing to "
    "5,373.55 万元, a 0.01 rounding difference (尾差).",
}


def _findings(seed: str, tmp_path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    path = published_workbook(tmp_path / f"{seed}.xlsx", seed)
    report = validate_files([path]).to_json()
    for finding in report["findings"]:
        assert finding["file"] == str(path)
        finding.pop("file")
    return report["findings"], report["summary"]


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_seed_findings_match_the_reviewed_results(seed: str, tmp_path: Path) -> None:
    findings, summary = _findings(seed, tmp_path)
    assert summary["projects"] == SEED_COUNTS[seed]
    expected_path = EXPECTED / f"validate_seed_{seed}.json"
    if os.environ.get("JIXIAO_UPDATE_EXPECTED"):
        expected_path.write_text(json.dumps(findings, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert findings == json.loads(expected_path.read_text("utf-8"))


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_every_seed_error_is_an_explained_defect(seed: str, tmp_path: Path) -> None:
    findings, _ = _findings(seed, tmp_path)
    errors = {(seed, f["code"], f["cell"]) for f in findings if f["severity"] == "error"}
    assert errors == {key for key in SEED_ERRORS if key[0] == seed}
    kinds = {f["code"] for f in findings if f["severity"] == "warning"}
    assert kinds <= set(SEED_WARNINGS)


def test_the_warning_explanations_are_all_used(tmp_path: Path) -> None:
    seen = set()
    for seed in SEED_NAMES:
        findings, _ = _findings(seed, tmp_path)
        seen |= {f["code"] for f in findings if f["severity"] == "warning"}
    assert seen == set(SEED_WARNINGS)
