"""Seed 004's 部门整体 prose indicators, read into rows and compared with the fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS, load_fixture

from jixiao.model import SourceLocation
from jixiao.prose import parse_indicators


def prose_lines() -> list[str]:
    return [
        line.strip()
        for line in (next(SEEDS.glob("004_*.txt"))).read_text("utf-8").splitlines()
        if line.strip().startswith("绩效指标：")
    ]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the published seeds are not beside the repository")
def test_every_prose_indicator_of_seed_004() -> None:
    goals = load_fixture("seed_004.json")["department"]["goals"]
    lines = prose_lines()
    assert len(lines) == len(goals) == 3
    total = 0
    for line, goal in zip(lines, goals, strict=True):
        indicators, findings = parse_indicators(line)
        assert findings == []
        assert [(i.l3, i.annual_value) for i in indicators] == [
            (g["l3"], g["annual_value"]) for g in goal["indicators"]
        ]
        total += len(indicators)
    assert total == 18


def test_offsets_and_a_sentence_without_value(tmp_path: Path) -> None:
    text = "绩效指标：案件结案率大于85%为优；群众满意；审判流程合规率100%为优。"
    where = SourceLocation(sheet="部门整体", cell="B7")
    indicators, findings = parse_indicators(text, where)
    assert [(i.l3, i.annual_value) for i in indicators] == [
        ("案件结案率", "大于85%为优"), ("群众满意", ""), ("审判流程合规率", "100%为优")
    ]
    (finding,) = findings
    assert finding.code == "prose.no_value" and finding.location is not None
    assert text[finding.location.offset or 0 :].startswith("群众满意")
    assert indicators[2].source is not None and indicators[2].source.cell == "B7"
