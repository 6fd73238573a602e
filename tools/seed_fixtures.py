"""Turn the published seed tables (text extracted from the source documents) into JSON fixtures.

Run from the repository root: ``python tools/seed_fixtures.py ../shared/seeds tests/fixtures``.
The extraction here is deliberately independent of the ``jixiao`` package (plain
string splitting and one regular expression), so that tests comparing the
package's readers and codec with these fixtures compare two different readings
of the same documents.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

# A canonical packed item, read the simple way: good enough for the published strings.
ITEM = re.compile(
    r"(?P<seq>\d+)-(?:(?P<l1_code>\d+)-)?(?P<l1>[^：]+)：(?P<l2_code>\d+)-(?P<l2>[^：；]+)[：；]"
    r"(?P<l3>.*?)；实施周期指标值：(?P<period_value>.*?)；年度指标值：(?P<annual_value>.*?)。(?=\d+-|$)"
)
GD_L1_CODES = {"产出指标": "1", "效益指标": "2", "满意度指标": "3"}


def amount(text: str) -> str | None:
    text = text.strip().replace(",", "")
    return str(Decimal(text)) if text else None


def wide_seed(path: Path) -> dict[str, Any]:
    """Seed 003: tab-separated rows of the Guangzhou wide table."""
    rows = [line.split("\t") for line in path.read_text("utf-8").splitlines()]
    header_at = next(i for i, r in enumerate(rows) if r[0].startswith("项目名称"))
    department = next(r for r in rows if r[0].startswith("部门名称"))[0].split("：", 1)[1].strip()
    total_row = rows[header_at + 1]
    unit_row = rows[header_at + 2]
    projects = []
    for row in rows[header_at + 3 :]:
        if len(row) < 7 or not row[0].strip():
            continue
        name, total, fiscal, special, other, goal, packed = (c.strip() for c in row[:7])
        indicators = []
        for match in ITEM.finditer(packed):
            item = match.groupdict()
            item["seq"] = int(item["seq"])
            item["l1_code"] = item["l1_code"] or GD_L1_CODES[item["l1"]]
            indicators.append(item)
        assert "".join(m.group() for m in ITEM.finditer(packed)) == packed, name
        projects.append(
            {
                "unit": {"code": "", "name": unit_row[0].strip()},
                "name": name,
                "amounts": {
                    "total": amount(total),
                    "fiscal": amount(fiscal),
                    "special_account": amount(special),
                    "other": amount(other),
                },
                "goals": [goal],
                "indicators": indicators,
                "packed": packed,
            }
        )
    return {
        "layout": "wide",
        "profile": "gd",
        "department": department,
        "total": {"total": amount(total_row[1]), "fiscal": amount(total_row[2])},
        "unit_totals": [
            {"name": unit_row[0].strip(), "total": amount(unit_row[1]), "fiscal": amount(unit_row[2])}
        ],
        "projects": projects,
    }


def main(seed_dir: str, out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(seed_dir).glob("003_*.txt")):
        fixture = {"seed": path.name, **wide_seed(path)}
        target = out / f"seed_{path.name[:3]}.json"
        target.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", "utf-8")
        count = sum(len(p["indicators"]) for p in fixture["projects"])
        print(f"{target}: {len(fixture['projects'])} projects, {count} indicators")


if __name__ == "__main__":
    main(*(sys.argv[1:3] or ["../shared/seeds", "tests/fixtures"]))
