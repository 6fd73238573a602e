"""Shared test helpers: the seed fixtures and where the published seeds live."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


def load_fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text("utf-8"))
    return data


@pytest.fixture(scope="session")
def seed_003() -> dict[str, Any]:
    return load_fixture("seed_003.json")


SEED_NAMES = ("000", "001", "002", "003", "004")
SEED_COUNTS = {"000": 20, "001": 3, "002": 10, "003": 17, "004": 13}


def fixture_projects(seed: str) -> list[Any]:
    """The fixture's projects as model objects (what a perfect reader would return)."""
    from jixiao.model import Project

    data = load_fixture(f"seed_{seed}.json")
    return [Project.model_validate(p) for p in data["projects"]]


def comparable(project: Any, layout: str = "long") -> dict[str, Any]:
    """The fields a layout carries, without source locations.

    Long workbooks carry everything. Cards have no 一级/二级 code columns. Wide rows hold no
    项目编码, 资金用途, 资金支出计划, 描述 or 确定依据, and spell 二级 names their own way
    (``社会效益``), so classes are compared by framework code.
    """
    from jixiao import framework

    gd = framework.profile("gd")
    data = project.model_dump(exclude={"source", "cells"})
    for item in data["indicators"]:
        for key in ("source", "cells", "raw"):
            item.pop(key)
    data["amounts"] = {k: (float(v) if v is not None else None) for k, v in data["amounts"].items()}
    if layout == "card":
        for item in data["indicators"]:
            item.pop("l1_code"), item.pop("l2_code")
    if layout == "wide":
        for key in ("code", "purpose", "spending_plan"):
            data.pop(key)
        data["unit"].pop("code")
        for item in data["indicators"]:
            l1, l2 = gd.l1(item["l1"]), gd.l2(item["l2"])
            item["l1"], item["l2"] = (l1.code if l1 else item["l1"]), (l2.code if l2 else item["l2"])
            for key in ("l1_code", "l2_code", "description", "basis"):
                item.pop(key)
    return data
