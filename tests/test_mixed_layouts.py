"""A consolidation of a folder mixing every layout read: nothing lost."""

from __future__ import annotations

from pathlib import Path

from conftest import SEED_COUNTS, fixture_projects
from test_docx import as_docx
from regions import dongguan_book, hengyang_book, indicator_count, zhalaite_book

from jixiao.consolidate import consolidate
from jixiao.model import Unit
from jixiao.options import LAYOUTS
from jixiao.summary_workbook import write_consolidation
from jixiao.workbook import read_workbook, write_workbook


def test_every_layout_in_one_folder_consolidates_without_loss(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    expected_projects = expected_indicators = 0
    forms = ("000", "002")  # written again as 东莞 halves and 长期/年度 forms, other units
    for seed, layout in zip(("000", "002", "003", "004", *forms), LAYOUTS, strict=True):
        projects = fixture_projects(seed)
        if layout in ("halves", "terms"):
            projects = [p.model_copy(update={"unit": Unit(name=f"{layout}单位")}) for p in projects]
        write_workbook(folder / f"{seed}-{layout}.xlsx", projects, layout)
        expected_projects += len(projects)
        expected_indicators += sum(len(p.indicators) for p in projects)
    cards = write_workbook(tmp_path / "001-cards.xlsx", fixture_projects("001"), "card")
    as_docx(cards, folder / "001.docx")  # a Word document
    expected_projects += SEED_COUNTS["001"]
    expected_indicators += sum(len(p.indicators) for p in fixture_projects("001"))
    zhalaite_book(folder / "扎赉特旗.xlsx")  # indicator rows with attributes
    dongguan_book(folder / "东莞.xlsx")  # two halves
    hengyang_book(folder / "衡阳.xlsx")  # a whole unit's table, Traditional headers: 部门整体
    expected_projects += 2
    expected_indicators += sum(indicator_count(r) for r in ("zhalaite", "dongguan"))

    result = consolidate([folder])
    assert [f.status for f in result.files] == ["ok"] * 10, [(f.path, f.error) for f in result.files]
    assert len(result.projects) == expected_projects
    assert result.indicator_count == expected_indicators
    assert result.reconcile()["balanced"] and result.conflicts == []
    back = read_workbook(write_consolidation(result, tmp_path / "all.xlsx"))
    assert len(back.projects) == expected_projects and back.indicator_count == expected_indicators
    unit_goals = [i for _, goals in result.department_goals for g in goals for i in g.indicators]
    assert len(unit_goals) == indicator_count("hengyang")  # the unit's own targets, kept apart
    assert len([i for g in back.department_goals for i in g.indicators]) == len(unit_goals)
    for projects in (result.projects, back.projects):  # kept in the consolidation and its file
        attributes = {(i.l3, i.score, i.nature, i.scoring) for p in projects for i in p.indicators if i.score}
        assert ("车辆购置成本", "5", "反向", "") in attributes
    for goals in ([g for _, gs in result.department_goals for g in gs], back.department_goals):
        scorings = {i.scoring for g in goals for i in g.indicators}
        assert "成本節約率0%以上計20分,低于0%,每降低1%扣1分,扣完為止" in scorings
    categories = {p.category for p in back.projects}
    assert "32-专项资金项目" in categories


def test_the_bundled_region_samples_are_the_excerpts(tmp_path: Path) -> None:
    """samples/regions/ (tools/build_samples.py) reads as the tests' own builds of the excerpts."""
    from conftest import ROOT
    from regions import dongguan_book, hengyang_book, zhalaite_book

    strip = {"source": True, "cells": True, "indicators": {"__all__": {"source", "cells"}}}
    for name, build in (("zhalaite-rows", zhalaite_book), ("dongguan-halves", dongguan_book),
                        ("hengyang-rows", hengyang_book)):  # fmt: skip
        bundled = read_workbook(ROOT / "samples" / "regions" / f"{name}.xlsx")
        fresh = read_workbook(build(tmp_path / f"{name}.xlsx"))
        assert bundled.projects or bundled.department_goals
        assert [p.model_dump(exclude=strip) for p in bundled.projects] == [p.model_dump(exclude=strip) for p in fresh.projects]
        assert [g.model_dump(exclude=strip) for g in bundled.department_goals] == [
            g.model_dump(exclude=strip) for g in fresh.department_goals
        ]
