"""Shared test helpers: the seed fixtures and where the published seeds live."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

# xlwings registers its remote engine at import only when a licence key is present; the
# tests use it under the noncommercial licence (xlwings' own terms).
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


pytest_plugins = ["ci_skips"]  # under CI a skip fails the run
SYSTEM_PYTHON = Path("/usr/bin/python3")
INSTALL_OFFICE = (
    "apt-get install libreoffice-calc-nogui poppler-utils fonts-noto-cjk python3-uno "
    "(Debian/Ubuntu; .ci/run does this)"
)


def soffice() -> str:
    """LibreOffice's command, or skip the test naming what to install (fail under CI)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip(f"needs LibreOffice (soffice): {INSTALL_OFFICE}")
    return found


def poppler() -> None:
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip(f"needs poppler (pdfinfo, pdftotext): {INSTALL_OFFICE}")


def uno_python() -> Path:
    """The system Python that can import LibreOffice's ``uno`` (python3-uno)."""
    soffice()
    works = SYSTEM_PYTHON.exists() and subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True
    ).returncode == 0
    if not works:
        pytest.skip(f"needs python3-uno for {SYSTEM_PYTHON}: {INSTALL_OFFICE}")
    return SYSTEM_PYTHON


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


def comparable(project: Any, *layouts: str) -> dict[str, Any]:
    """The fields a layout carries (all of the layouts given, for a chain), without source
    locations.

    Long workbooks carry everything. Cards have no 一级/二级 code columns. Wide rows hold no
    项目编码, 资金用途, 资金支出计划, 描述 or 确定依据, and spell 二级 names their own way
    (``社会效益``), so classes are compared by framework code.
    """
    from jixiao import framework

    gd = framework.profile("gd")
    data = project.model_dump(exclude={"source", "cells", "packed"})
    for item in data["indicators"]:
        for key in ("source", "cells", "raw"):
            item.pop(key)
    for point in data["spending_plan"]:
        point.pop("source")
    data["amounts"] = {k: (float(v) if v is not None else None) for k, v in data["amounts"].items()}
    for layout in layouts:
        if layout == "card":
            for item in data["indicators"]:
                item.pop("l1_code", None), item.pop("l2_code", None)
        if layout == "rows":  # one value per indicator, split into attributes; no codes or plan
            data["amounts"] = {k: (v if k == "total" else None) for k, v in data["amounts"].items()}
            for key in ("code", "purpose", "spending_plan"):
                data.pop(key, None)
            for item in data["indicators"]:
                for key in ("l1_code", "l2_code", "description", "basis", "period_value", "seq",
                            "nature", "direction", "target", "measure_unit"):  # fmt: skip
                    item.pop(key, None)
        if layout in ("halves", "terms"):  # forms: names, total, goals, classes and values
            data["amounts"] = {k: (v if k == "total" else None) for k, v in data["amounts"].items()}
            for key in ("code", "spending_plan"):
                data.pop(key, None)
            data["unit"].pop("code", None)
            for item in data["indicators"]:
                for key in ("l1_code", "l2_code", "description", "basis", "nature", "direction",
                            "target", "measure_unit", "score", "l1_score", "explanation", "scoring"):  # fmt: skip
                    item.pop(key, None)
                if layout == "halves":
                    item.pop("remark", None)
        if layout == "wide":
            for key in ("code", "purpose", "spending_plan"):
                data.pop(key, None)
            data["unit"].pop("code", None)
            for item in data["indicators"]:
                l1, l2 = gd.l1(item["l1"]), gd.l2(item["l2"])
                item["l1"], item["l2"] = (l1.code if l1 else item["l1"]), (l2.code if l2 else item["l2"])
                for key in ("l1_code", "l2_code", "description", "basis"):
                    item.pop(key, None)
    return data


def published_wide(path: Path) -> Path:
    """Seed 003 as published: title rows, text amounts like ``5,373.54``, no styling."""
    data = load_fixture("seed_003.json")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["项目支出绩效目标表（含转移支付项目）"])
    sheet.append(["部门名称：广州互联网法院", None, None, None, None, "单位：万元"])
    sheet.append(["项目名称(资金使用单位)", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标", None])
    sheet.append(["合计", "5,373.54", "5,373.54"])
    sheet.append(["广州互联网法院", "5,373.54", "5,373.54"])
    for project in data["projects"]:
        amounts = project["amounts"]
        total = f"{float(amounts['total']):,.2f}"
        sheet.append([project["name"], total, total, None, None, project["goals"][0], project["packed"]])
    book.save(path)
    return path


def published_cards(path: Path, seed: str) -> Path:
    """A card seed laid out cell for cell as the published document: no merges, blank 一级."""
    data = load_fixture(f"seed_{seed}.json")
    book = openpyxl.Workbook()
    sheet = book.active
    for project in data["projects"]:
        amounts = project["amounts"]
        sheet.append([project["title"]])
        sheet.append([project["unit"]["code"] + project["unit"]["name"], None, None, None, None, "单位：万元"])
        if project["code"]:
            sheet.append(["项目编码", project["code"], "项目名称", project["name"]])
        else:
            sheet.append(["项目名称", project["name"]])
        sheet.append(["预算规模及资金用途", "预算数", amounts["total"], "其中：财政    资金",
                      amounts["fiscal"] or " ", "其他资金", amounts["other"] or " "])
        sheet.append([None, project["purpose"]])
        if project["spending_plan"]:
            sheet.append(["资金支出计划（%）", *(p["label"] for p in project["spending_plan"])])
            sheet.append([None, *(p["value"] for p in project["spending_plan"])])
        sheet.append(["绩效目标", "\n".join(project["goals"])])
        basis = any(i["basis"] for i in project["indicators"])
        sheet.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"] + (["指标值确定依据"] if basis else []))
        previous = None
        for item in project["indicators"]:
            l1 = item["l1"] if item["l1"] != previous else None
            previous = item["l1"]
            row = [l1, item["l2"], item["l3"], item["description"], item["annual_value"]]
            sheet.append(row + ([item["basis"]] if basis else []))
        sheet.append([])
    book.save(path)
    return path


def published_workbook(path: Path, seed: str) -> Path:
    """Any seed as its published document: 003 as a wide sheet, the others as cards."""
    return published_wide(path) if seed == "003" else published_cards(path, seed)
