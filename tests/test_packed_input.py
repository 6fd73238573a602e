"""Non-canonical and malformed packed strings: findings with offsets, nothing lost, no exception."""

from __future__ import annotations

import pytest

from jixiao import packed

CANONICAL = (
    "1-产出指标：12-质量指标：非编人员年度考核合格率；实施周期指标值：≥95%；年度指标值：≥95%。"
    "2-3-满意度指标：31-服务对象满意度；法官满意度；实施周期指标值：≥90%；年度指标值：≥90%。"
)


def codes(result: packed.ParseResult) -> list[str]:
    return [f.code for f in result.findings]


@pytest.mark.parametrize(
    ("written", "expected_codes"),
    [
        (CANONICAL.replace("：", ":", 2), ["packed.punctuation", "packed.punctuation"]),
        (CANONICAL.replace("；实施周期指标值：≥95%", ";实施周期指标值:≥95%"), ["packed.punctuation"]),
        (CANONICAL.replace("≥95%；", ">=95%；", 1), ["packed.value"]),
        (CANONICAL.replace("≥90%。", "≥90％。"), ["packed.value"]),
        (CANONICAL.replace("。2-", "。\n2-"), []),
        (CANONICAL.replace("。2-", "。 2-"), []),
        (CANONICAL.replace("12-质量指标：", "12-质量指标： "), ["packed.whitespace"]),
        (CANONICAL[:-1], ["packed.missing_end"]),
        (CANONICAL.replace("1-产出指标", "1-1-产出指标", 1), ["packed.first_code"]),
        (CANONICAL.replace("2-3-满意度指标", "2-满意度指标"), ["packed.missing_code"]),
        (CANONICAL.replace("31-服务对象满意度", "服务对象满意度"), ["packed.missing_code"]),
        (CANONICAL.replace("12-质量指标", "12-质量"), ["packed.alias"]),
        (CANONICAL.replace("2-3-满意度指标：31-服务对象满意度；", "2-3-满意度指标：31-服务对象满意度："),
         ["packed.punctuation"]),
        (CANONICAL.replace("2-3-满意度", "3-3-满意度"), ["packed.sequence"]),
        (CANONICAL.replace("2-3-满意度", "2-2-满意度"), ["packed.code_mismatch"]),
    ],
)
def test_non_canonical_input_parses_with_a_finding(written: str, expected_codes: list[str]) -> None:
    result = packed.parse(written)
    assert codes(result) == expected_codes
    assert result.ok
    assert all(f.offset is not None and 0 <= f.offset <= len(written) for f in result.findings)
    if "packed.sequence" not in expected_codes:
        assert result.canonical == CANONICAL
    assert len(result.indicators) == 2


def test_a_finding_points_at_the_offending_character() -> None:
    written = CANONICAL.replace("≥95%；年度", ">=95％；年度")
    (finding,) = packed.parse(written).findings
    assert written[finding.offset :].startswith(">=95％")
    assert finding.details == {"item": 1, "field": "实施周期指标值", "written": ">=95％", "canonical": "≥95%"}


@pytest.mark.parametrize(
    ("written", "code", "offset"),
    [
        (CANONICAL.replace("；年度指标值：≥90%", ""), "packed.missing_annual", CANONICAL.index("2-3-")),
        (CANONICAL.replace("；实施周期指标值：≥95%", ""), "packed.missing_period", 0),
        (CANONICAL[:70], "packed.truncated", CANONICAL.index("2-3-")),
        ("详见附件", "packed.syntax", 0),
        (CANONICAL.replace("2-3-满意度指标：31-服务对象满意度", "2-4-投入指标：41-资金投入"), "packed.unknown_l1",
         CANONICAL.index("满意度指标：")),
    ],
)
def test_malformed_input_gives_an_error_and_keeps_the_text(written: str, code: str, offset: int) -> None:
    result = packed.parse(written)
    errors = [f for f in result.findings if f.severity == "error"]
    assert [f.code for f in errors] == [code]
    assert errors[0].offset == offset
    assert not result.ok
    # nothing is lost: what could not be read is written back verbatim
    assert result.canonical == written


def test_free_text_around_items_is_kept() -> None:
    written = "详见附件。" + CANONICAL
    result = packed.parse(written)
    assert codes(result) == ["packed.syntax"]
    assert result.indicators[0].raw == "详见附件。"
    assert [i.l3 for i in result.indicators[1:]] == ["非编人员年度考核合格率", "法官满意度"]
    assert result.canonical == written


def test_unknown_l2_is_a_warning_naming_the_expected_classes() -> None:
    result = packed.parse(CANONICAL.replace("12-质量指标", "15-投入管理"))
    (finding,) = result.findings
    assert finding.code == "packed.unknown_l2" and finding.severity == "warning"
    assert "数量指标、质量指标、时效指标、成本指标" in finding.hint


def test_empty_text_has_no_items_and_no_findings() -> None:
    for text in ("", "   ", "\n"):
        result = packed.parse(text)
        assert result.indicators == [] and list(result.findings) == []


def test_render_refuses_more_than_an_excel_cell_holds() -> None:
    item = packed.parse(CANONICAL).indicators[0]
    item.l3 = "很长的指标名称" * 5000
    with pytest.raises(packed.RenderError, match="32,767"):
        packed.render([item])


def test_render_accepts_model_indicators_and_card_spelling() -> None:
    from jixiao.model import Indicator

    cards = [
        Indicator(l1="产出指标", l2="质量指标", l3="合格率", period_value="≥95%", annual_value="≥95%"),
        Indicator(l1="效益指标", l2="社会效益指标", l3="公信力", period_value="提升", annual_value="提升"),
        Indicator(l1="满意度指标", l2="服务对象满意度指标", l3="满意度", period_value=">=90％",
                  annual_value="≥90%"),
    ]  # fmt: skip
    assert packed.render(cards) == (
        "1-产出指标：12-质量指标：合格率；实施周期指标值：≥95%；年度指标值：≥95%。"
        "2-2-效益指标：22-社会效益：公信力；实施周期指标值：提升；年度指标值：提升。"
        "3-3-满意度指标：31-服务对象满意度；满意度；实施周期指标值：≥90%；年度指标值：≥90%。"
    )


def test_items_on_lines_of_their_own_without_full_stops_are_items() -> None:
    """Typed with Alt+Enter between items and no "。": each line is an item (they ran into
    item 1's 年度指标值 and validate then said 没有效益指标 / 没有满意度指标)."""
    from jixiao import packed

    text = (
        "1-产出指标：12-质量指标：合格率；实施周期指标值：≥95%；年度指标值：≥95%\n"
        "2-2-效益指标：22-社会效益：满意度提升；实施周期指标值：提升；年度指标值：提升\n"
        "3-3-满意度指标：31-服务对象满意度；法官满意度；实施周期指标值：≥90%；年度指标值：≥90%"
    )
    result = packed.parse(text)
    assert [(i.l1, i.l3, i.annual_value) for i in result.indicators] == [
        ("产出指标", "合格率", "≥95%"),
        ("效益指标", "满意度提升", "提升"),
        ("满意度指标", "法官满意度", "≥90%"),
    ]
    breaks = [f for f in result.findings if f.code == "packed.line_break"]
    assert [text[f.offset] for f in breaks if f.offset is not None] == ["\n", "\n"]
    assert packed.parse(result.canonical).findings == ()
