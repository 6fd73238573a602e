"""The framework table: profiles, aliases and codes."""

from __future__ import annotations

import pytest

from jixiao import framework


def test_profiles_have_the_designed_classes() -> None:
    gd = framework.profile("gd")
    assert [e.name for e in gd.level1] == ["产出指标", "效益指标", "满意度指标"]
    assert [(e.code, e.name) for e in gd.children("2")] == [
        ("21", "经济效益"), ("22", "社会效益"), ("23", "生态效益"), ("24", "可持续影响"),
    ]  # fmt: skip
    p2020 = framework.profile("2020")
    assert [e.name for e in p2020.children("1")] == ["数量指标", "质量指标", "时效指标", "成本指标"]
    assert p2020.l2("可持续影响指标") is not None
    p2021 = framework.profile("2021")
    assert [e.name for e in p2021.level1] == ["产出指标", "成本指标", "效益指标", "满意度指标"]
    assert p2021.l2("可持续影响指标") is None
    assert [e.name for e in p2021.children("2")] == ["经济成本指标", "社会成本指标", "生态环境成本指标"]


def test_aliases_resolve_within_a_level() -> None:
    gd = framework.profile("gd")
    social = gd.l2("社会效益指标")
    assert social is not None and (social.code, social.name) == ("22", "社会效益")
    assert gd.l2("社会 效益") is social
    assert gd.l2("社会效益", parent="1") is None
    assert gd.l1("满意度指标") is not None and gd.l2("满意度指标") is not None


def test_unknown_profile_is_a_chinese_error() -> None:
    with pytest.raises(ValueError, match="未知的指标体系"):
        framework.profile("1999")


def test_detect_profile() -> None:
    assert framework.detect_profile(["产出指标", "成本指标"]).name == "2021"
    assert framework.detect_profile(["产出指标"], ["社会效益"]).name == "gd"
    assert framework.detect_profile(["产出指标"], ["社会效益指标"]).name == "2020"
