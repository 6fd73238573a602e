"""The value parser on every value of the Guangzhou seed and on the forms DESIGN.md names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.values import normalize_value, parse_value


@pytest.mark.parametrize(
    ("text", "op", "number", "unit", "qualifier"),
    [
        ("≥95%", "≥", "95", "%", ""),
        ("不低于99%为优", "≥", "99", "%", "为优"),
        ("11733.38", None, "11733.38", "", ""),
        ("≤3秒", "≤", "3", "秒", ""),
        ("≥168小时/周", "≥", "168", "小时/周", ""),
        ("≤0.2百分比", "≤", "0.2", "百分比", ""),
        ("<0.05元", "<", "0.05", "元", ""),
        ("大于90%为优秀", ">", "90", "%", "为优秀"),
        ("≤129.15万元", "≤", "129.15", "万元", ""),
        ("≤500万", "≤", "500", "万", ""),
        ("1,034.00万元", None, "1034.00", "万元", ""),
        ("= 100 %", "=", "100", "%", ""),
        ("≥９５％", "≥", "95", "%", ""),
    ],
)
def test_quantities(text: str, op: str | None, number: str, unit: str, qualifier: str) -> None:
    value = parse_value(text)
    assert value.kind == "quantity"
    assert (value.op, value.number, value.unit, value.qualifier) == (op, Decimal(number), unit, qualifier)
    assert value.text == text


@pytest.mark.parametrize("text", ["维持", "进一步畅通", "2023年12月31日", "减少一天以上", "达标（在规定时间内完成。）"])
def test_text_values(text: str) -> None:
    value = parse_value(text)
    assert value.kind == "text" and value.number is None and value.text == text


def test_empty() -> None:
    assert parse_value("  ").kind == "empty"


def test_percent_units() -> None:
    assert parse_value("≥90百分比").is_percent and parse_value("90%").is_percent
    assert not parse_value("90人").is_percent


@pytest.mark.parametrize(
    ("written", "canonical"),
    [(">=95％", "≥95%"), ("<= 3秒", "≤3秒"), (" 维持 ", "维持"), ("≥95%", "≥95%"), ("不低于 99% 为优", "不低于99%为优")],
)
def test_normalize(written: str, canonical: str) -> None:
    assert normalize_value(written) == canonical
    assert normalize_value(canonical) == canonical


def test_every_seed_value_is_canonical_and_parses(seed_003: dict[str, Any]) -> None:
    kinds = {"quantity": 0, "text": 0, "empty": 0}
    for project in seed_003["projects"]:
        for item in project["indicators"]:
            for text in (item["period_value"], item["annual_value"]):
                assert normalize_value(text) == text
                kinds[parse_value(text).kind] += 1
    # 71 indicators x 2 values; in this seed a value is text (达标, 维持, 进一步畅通 …)
    # exactly when it has no digit: 10 indicators, both values each
    assert sum(kinds.values()) == 142
    assert kinds["empty"] == 0
    wordy = [i for p in seed_003["projects"] for i in p["indicators"] if not any(c.isdigit() for c in i["annual_value"])]
    assert len(wordy) == 10
    assert kinds["text"] == 2 * len(wordy)
