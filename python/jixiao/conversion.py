"""What a conversion leaves out: each layout holds some fields and not others (the wide
layout has no 项目编码 column, a card no 指标性质), and a clerk must be told, per field, what
the output lacks. Measured, not declared: the output is read back and compared."""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.layouts.headers import ATTRIBUTE_COLUMNS, LONG_COLUMNS, PROJECT_COLUMNS
from jixiao.model import Project

# project fields -> their name for the clerk
PROJECT_FIELDS = {
    "code": PROJECT_COLUMNS["project_code"],
    "category": "项目类别",
    "purpose": PROJECT_COLUMNS["purpose"],
    "goals": PROJECT_COLUMNS["goals"],
    "spending_plan": PROJECT_COLUMNS["spending_plan"],
}
AMOUNT_FIELDS = {f: PROJECT_COLUMNS[f] for f in ("fiscal", "special_account", "other")}
INDICATOR_FIELDS = {
    "description": LONG_COLUMNS["description"],
    "basis": LONG_COLUMNS["basis"],
    "period_value": LONG_COLUMNS["period_value"],
    **ATTRIBUTE_COLUMNS,
}


def dropped(before: Sequence[Project], after: Sequence[Project]) -> list[tuple[str, int, str]]:
    """(field name, how many, "个项目" or "条指标") of each field that ``before`` fills and
    ``after`` (the output read back) does not, projects matched by unit and name."""
    found: dict[str, tuple[int, str]] = {}

    def count(label: str, kind: str) -> None:
        number, _ = found.get(label, (0, kind))
        found[label] = (number + 1, kind)

    back = {(p.unit.name, p.name): p for p in after}
    for project in before:
        copy = back.get((project.unit.name, project.name))
        if copy is None:
            continue
        if project.unit.code and not copy.unit.code:
            count(PROJECT_COLUMNS["unit_code"], "个项目")
        for field, label in PROJECT_FIELDS.items():
            if getattr(project, field) and not getattr(copy, field):
                count(label, "个项目")
        for field, label in AMOUNT_FIELDS.items():
            if getattr(project.amounts, field) is not None and getattr(copy.amounts, field) is None:
                count(label, "个项目")
        for item, kept in zip(project.indicators, copy.indicators, strict=False):
            for field, label in INDICATOR_FIELDS.items():
                value = getattr(item, field)
                if value and getattr(kept, field) != value:
                    count(label, "条指标")
    return [(label, number, kind) for label, (number, kind) in found.items()]


def describe(layout_name: str, lost: list[tuple[str, int, str]]) -> str:
    """One line for the clerk: 转换为宽表后未保留：项目编码（17 个项目）、……"""
    fields = "、".join(f"{label}（{number} {kind}）" for label, number, kind in lost)
    return f"注意：{layout_name}不含这些内容，输出中未保留：{fields}（仍在原文件中）"
