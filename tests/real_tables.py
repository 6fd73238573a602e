"""Compare what jixiao reads of a real published table with its hand-written expected JSON.

The tables and their expected data are in ``tests/fixtures/real`` (see SOURCES.md there):
each workbook laid out as published, each expected file written by hand from the published
text, independently of jixiao.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from jixiao.model import Indicator, Project
from jixiao.workbook import WorkbookRead, read_workbook

FOLDER = Path(__file__).parent / "fixtures" / "real"
TABLES = sorted(p.name.removesuffix(".expected.json") for p in FOLDER.glob("*.expected.json"))
FIELDS = ("l1", "l2", "l3", "period_value", "annual_value", "unit_of_measure", "weight")


def expected(name: str) -> dict:
    return json.loads((FOLDER / f"{name}.expected.json").read_text(encoding="utf-8"))


def read(name: str) -> WorkbookRead:
    return read_workbook(FOLDER / f"{name}.xlsx")


def as_expected(item: Indicator) -> dict:
    """An indicator in the expected files' terms (null for what the table leaves empty)."""

    def weight(text: str) -> float | None:
        return float(text) if re.fullmatch(r"-?\d+(?:\.\d+)?", text or "") else None

    return {
        "l1": item.l1 or None,
        "l2": item.l2 or None,
        "l3": item.l3 or None,
        "period_value": item.period_value or None,
        "annual_value": item.annual_value or None,
        "unit_of_measure": item.measure_unit or None,
        "weight": weight(item.score),
    }


def normal(indicator: dict) -> dict:
    out = {k: indicator.get(k) for k in FIELDS}
    if out["weight"] is not None:
        out["weight"] = float(out["weight"])
    return out


def unit_text(project: Project) -> str | None:
    unit = project.unit
    if unit.code and unit.name:
        return f"{unit.code}-{unit.name}"
    return unit.name or unit.code or None


def project_as_expected(project: Project) -> dict:
    total = project.amounts.total
    return {
        "name": project.name or None,
        "unit": unit_text(project),
        "amount_wan": None if total is None else Decimal(total),
        "goal": "\n".join(project.goals) or None,
    }
