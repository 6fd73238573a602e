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


def department_lines() -> list[str]:
    """Seed 004's 分项绩效目标 as the published document lays them out, one line each."""
    lines = []
    for number, goal in enumerate(load_fixture("seed_004.json")["department"]["goals"], start=1):
        lines.append(f"{number}. {goal['task']}")
        lines.append(f"绩效目标：{goal['goal']}")
        lines.append("绩效指标：" + "；".join(i["l3"] + i["annual_value"] for i in goal["indicators"]) + "。")
    return lines


def tangshan_with_department(path: Path) -> Path:
    import openpyxl

    from conftest import ROOT

    book = openpyxl.load_workbook(ROOT / "samples" / "tangshan-004-cards.xlsx")
    sheet = book.create_sheet("部门整体", 0)
    sheet.append(["第一部分 部门整体绩效目标"])
    sheet.append(["二、分项绩效目标"])
    for line in department_lines():
        sheet.append([line])
    book.save(path)
    return path


def expected_goals() -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(g["task"], g["goal"], [(i["l3"], i["annual_value"]) for i in g["indicators"]])
            for g in load_fixture("seed_004.json")["department"]["goals"]]  # fmt: skip


def goals_of(read: object) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(g.task, g.goal, [(i.l3, i.annual_value) for i in g.indicators]) for g in read.department_goals]  # type: ignore[attr-defined]


def test_department_goals_are_read_and_kept_by_unpack_and_consolidate(tmp_path: Path) -> None:
    from jixiao.cli import main
    from jixiao.workbook import read_workbook

    source = tangshan_with_department(tmp_path / "tangshan.xlsx")
    read = read_workbook(source)
    assert ("部门整体", "department") in read.sheets and len(read.projects) == 13
    assert goals_of(read) == expected_goals()  # 3 goals, 18 indicators, as in the fixture
    assert sum(len(g.indicators) for g in read.department_goals) == 18

    out = tmp_path / "long.xlsx"
    assert main(["unpack", str(source), "-o", str(out)]) in (0, 1)
    assert goals_of(read_workbook(out)) == expected_goals()  # before: dropped
    filled = tmp_path / "filled.xlsx"
    assert main(["fill", str(source), "-o", str(filled)]) in (0, 1)
    assert goals_of(read_workbook(filled)) == expected_goals()  # fill dropped them too

    folder = tmp_path / "in"
    folder.mkdir()
    source.rename(folder / "tangshan.xlsx")
    merged = tmp_path / "all.xlsx"
    assert main(["consolidate", str(folder), "-o", str(merged)]) == 0
    import openpyxl

    lines = [r[0] for r in openpyxl.load_workbook(merged)["部门整体"].iter_rows(values_only=True)]
    assert lines[1] == "部门：唐山市丰南区人民法院" and lines[2].startswith("1. 妥善审理")
    assert goals_of(read_workbook(merged)) == expected_goals()
