"""The codec against every packed string of the published Guangzhou table (seed 003)."""

from __future__ import annotations

import dataclasses
from typing import Any

from jixiao import packed
from jixiao.model import Indicator, SourceLocation

FIELDS = ("seq", "l1_code", "l1", "l2_code", "l2", "l3", "period_value", "annual_value")


def test_seed_has_17_projects_and_71_indicators(seed_003: dict[str, Any]) -> None:
    projects = seed_003["projects"]
    assert len(projects) == 17
    parsed = [packed.parse(p["packed"]) for p in projects]
    assert sum(len(r.indicators) for r in parsed) == 71
    # the count of value markers in the published text is an independent tally
    assert sum(p["packed"].count("；年度指标值：") for p in projects) == 71


def test_every_seed_string_round_trips_byte_for_byte(seed_003: dict[str, Any]) -> None:
    for project in seed_003["projects"]:
        result = packed.parse(project["packed"])
        assert list(result.findings) == [], project["name"]
        assert packed.render(result.indicators) == project["packed"], project["name"]
        assert result.canonical == project["packed"]
        # canonical text is what the whole-cell fast path is for: it must read every seed
        assert packed._parse_canonical(project["packed"]) is not None, project["name"]


def test_every_field_matches_the_seed(seed_003: dict[str, Any]) -> None:
    for project in seed_003["projects"]:
        result = packed.parse(project["packed"])
        got = [{f: getattr(i, f) for f in FIELDS} for i in result.indicators]
        assert got == project["indicators"], project["name"]


def test_values_with_full_stops_inside_brackets(seed_003: dict[str, Any]) -> None:
    (project,) = [p for p in seed_003["projects"] if p["name"] == "诉讼费退费费用金"]
    item = packed.parse(project["packed"]).indicators[1]
    expected = "达标（财务人员收到案件经办人提交符合相关退费规定的材料之日起，在规定时间内完成退费手续。）"
    assert item.l3 == "诉讼费退费及时性"
    assert item.period_value == expected
    assert item.annual_value == expected
    assert item.l2_code == "13" and item.l2 == "时效指标"


def test_two_digit_item_numbers(seed_003: dict[str, Any]) -> None:
    (project,) = [p for p in seed_003["projects"] if p["name"] == "审判执行专项经费"]
    items = packed.parse(project["packed"]).indicators
    assert [i.seq for i in items] == list(range(1, 12))
    assert (items[9].seq, items[9].l3, items[9].annual_value) == (10, "法院与人民群众间的沟通渠道", "进一步畅通")
    assert (items[10].l1_code, items[10].l2_code, items[10].l2) == ("3", "31", "服务对象满意度")


def test_first_item_has_no_l1_code_and_satisfaction_uses_semicolon(seed_003: dict[str, Any]) -> None:
    for project in seed_003["projects"]:
        text = project["packed"]
        assert text.startswith("1-产出指标：")
        for item in packed.parse(text).indicators:
            if item.l2_code == "31":
                assert f"31-服务对象满意度；{item.l3}；" in text


def test_items_become_indicators_field_for_field() -> None:
    # to_indicator passes the first fields by position: the order must stay the model's
    assert tuple(f.name for f in dataclasses.fields(Indicator))[:9] == packed.INDICATOR_ORDER
    location = SourceLocation("a.xlsx", "Sheet1", "G6")
    item = packed.PackedItem(3, "1", "产出指标", "12", "质量指标", "合格率", "≥95%", "≥90%", None, 40, 90)
    got = item.to_indicator(location)
    assert got == Indicator(
        seq=3, l1_code="1", l1="产出指标", l2_code="12", l2="质量指标", l3="合格率",
        period_value="≥95%", annual_value="≥90%", source=SourceLocation("a.xlsx", "Sheet1", "G6", 40),
    )  # fmt: skip
    assert packed.PackedItem(1, "", "x", "", "y", "", "", "", "原文").to_indicator().raw == "原文"


SLIPS = [" ", "\u3000", "\n", "％", "０", "．", ">=", "≧", "=", "＞", "：", "；", "。", "-", "1"]


def test_a_slip_next_to_any_mark_of_any_seed_string_never_fools_the_fast_path(seed_003: dict[str, Any]) -> None:
    """Every seed string with one character slipped in beside each of its marks (the edges of
    三级 and of the values among them): where the whole-cell fast path still answers, the
    careful reader finds the same items and nothing to report."""
    checked = answered = 0
    for project in seed_003["projects"]:
        text = project["packed"]
        edges = [i for i in range(len(text) + 1) if text[i - 1 : i + 1].strip("：；。-") != text[i - 1 : i + 1]]
        for at in edges:
            for slip in SLIPS:
                slipped = text[:at] + slip + text[at:]
                fast = packed._parse_canonical(slipped)
                checked += 1
                if fast is None:
                    continue
                answered += 1
                careful = packed._parse_careful(slipped, None, packed.PROFILE, fast_items=False)
                assert list(careful.findings) == [], slipped
                got = [(*(getattr(i, f) for f in FIELDS), i.offset) for i in fast]
                assert got == [(*(getattr(i, f) for f in FIELDS), i.offset) for i in careful.indicators]
    assert checked > 10_000 and 0 < answered < checked  # both ways taken, over all 17 strings
