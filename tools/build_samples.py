"""Write the bundled sample workbooks from the seed fixtures (run after a layout change).

    python tools/build_samples.py

samples/departments/ holds every seed as the department sent it: 003 (Guangzhou) as a
wide sheet, the Tianjin and Tangshan tables as cards. ``jixiao consolidate`` merges them.
samples/regions/ holds the other regions' published excerpts laid out as printed (built by
the tests' ``regions`` module from tests/fixtures/region_*.json; needs the test extra).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jixiao.model import Project
from jixiao.workbook import write_workbook

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENTS = {
    "000": ("tianjin-high-court-000.xlsx", "card"),
    "001": ("tianjin-baodi-court-001.xlsx", "card"),
    "002": ("tianjin-heping-procuratorate-002.xlsx", "card"),
    "003": ("guangzhou-internet-court-003.xlsx", "wide"),
    "004": ("tangshan-004.xlsx", "card"),
}
REGIONS = {  # file -> the tests' builder of that table as published
    "zhalaite-rows.xlsx": "zhalaite_book",
    "dongguan-halves.xlsx": "dongguan_book",
    "hengyang-rows.xlsx": "hengyang_book",
}


def main() -> None:
    folder = ROOT / "samples" / "departments"
    folder.mkdir(parents=True, exist_ok=True)
    for seed, (name, layout) in DEPARTMENTS.items():
        data = json.loads((ROOT / "tests" / "fixtures" / f"seed_{seed}.json").read_text("utf-8"))
        projects = [Project.model_validate(p) for p in data["projects"]]
        write_workbook(folder / name, projects, layout)  # type: ignore[arg-type]
        print(folder / name)
    sys.path.insert(0, str(ROOT / "tests"))
    import regions

    folder = ROOT / "samples" / "regions"
    folder.mkdir(parents=True, exist_ok=True)
    for name, builder in REGIONS.items():
        print(getattr(regions, builder)(folder / name))


if __name__ == "__main__":
    main()
