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


TITLE = re.compile(r"^\s*(?:\[bookmark: [^\]]*\])*\s*(?P<number>\d+)[.、]?(?P<name>.*)绩效目标表\s*$")
PROSE_OPERATOR = re.compile(r"(大于|小于|不低于|不高于|≥|≤|>|<|\d)")


def card_cells(lines: list[str]) -> list[str]:
    """The cells of one card: a line starting with a tab opens a cell, other text continues it."""
    cells: list[str] = []
    for line in lines:
        if line.startswith("\t"):
            cells.append(line[1:])
        elif line.strip() and cells:
            cells[-1] += "\n" + line
    return [c.strip().strip("\t").strip() for c in cells]


def card_project(number: int, title: str, cells: list[str]) -> dict[str, Any]:
    def after(label: str) -> str:
        return cells[cells.index(label) + 1]

    unit = cells[0]
    code_digits = re.match(r"\d*", unit).group()  # type: ignore[union-attr]
    fiscal_label = next(c for c in cells if c.replace(" ", "").startswith("其中：财政"))
    header_at = cells.index("一级指标")
    columns = 6 if cells[header_at + 5] == "指标值确定依据" else 5
    other_at = cells.index("其他资金")
    plan: list[dict[str, str]] = []
    if "资金支出计划（%）" in cells:
        at = cells.index("资金支出计划（%）")
        labels, values = cells[at + 1 : at + 5], cells[at + 6 : at + 10]
        plan = [{"label": a, "value": b} for a, b in zip(labels, values, strict=True)]
    body = cells[header_at + columns :]
    while body and body[-1] == "" and len(body) % columns:
        body.pop()  # stray empty paragraphs after the last table of the document
    assert len(body) % columns == 0, (title, len(body))
    indicators = []
    l1 = ""
    for row_at in range(0, len(body), columns):
        row = body[row_at : row_at + columns]
        l1 = row[0] or l1
        indicators.append(
            {
                "seq": row_at // columns + 1,
                "l1": l1,
                "l2": row[1],
                "l3": row[2],
                "description": row[3],
                "period_value": row[4],
                "annual_value": row[4],
                "basis": row[5] if columns == 6 else "",
            }
        )
    return {
        "number": number,
        "title": title,
        "unit": {"code": code_digits, "name": unit[len(code_digits) :].strip()},
        "code": after("项目编码") if "项目编码" in cells else "",
        "name": after("项目名称"),
        "amounts": {
            "total": amount(after("预算数")),
            "fiscal": amount(after(fiscal_label)),
            "special_account": None,
            "other": amount(cells[other_at + 1]) if cells[other_at + 1] != "" else None,
        },
        "purpose": cells[other_at + 3] if cells[other_at + 2] == "" else cells[other_at + 2],
        "spending_plan": plan,
        "goals": [g.strip() for g in after("绩效目标").split("\n") if g.strip()],
        "indicators": indicators,
    }


def department_section(lines: list[str]) -> dict[str, Any]:
    """Seed 004's 部门整体绩效目标: numbered goals, each with prose 绩效指标."""
    goals = []
    for line in lines:
        if line.startswith("绩效指标："):
            indicators = []
            for part in line.removeprefix("绩效指标：").rstrip("。").split("；"):
                cut = PROSE_OPERATOR.search(part)
                assert cut is not None, part
                indicators.append({"l3": part[: cut.start()], "annual_value": part[cut.start() :]})
            goals[-1]["indicators"] = indicators
        elif line.startswith("绩效目标："):
            goals[-1]["goal"] = line.removeprefix("绩效目标：")
        elif re.match(r"\d+\. ", line):
            goals.append({"task": line.split(" ", 1)[1]})
    return {"goals": goals}


def card_seed(path: Path) -> dict[str, Any]:
    lines = path.read_text("utf-8").splitlines()
    starts = [(i, TITLE.match(line)) for i, line in enumerate(lines)]
    starts = [(i, m) for i, m in starts if m]
    projects = []
    for (at, match), (end, _) in zip(starts, [*starts[1:], (len(lines), None)], strict=True):
        title = match.group().strip()
        title = re.sub(r"\[bookmark: [^\]]*\]", "", title).strip()
        projects.append(card_project(int(match["number"]), title, card_cells(lines[at + 1 : end])))
    fixture: dict[str, Any] = {"layout": "card", "profile": "2020", "projects": projects}
    if starts and lines[0].strip() == "第一部分":
        prose_end = next(i for i, line in enumerate(lines) if line.strip() == "第二部分")
        fixture["department"] = department_section([x.strip() for x in lines[:prose_end]])
    return fixture


def main(seed_dir: str, out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(seed_dir).glob("*.txt")):
        reader = wide_seed if path.name.startswith("003_") else card_seed
        fixture = {"seed": path.name, **reader(path)}
        write_fixture(out / f"seed_{path.name[:3]}.json", fixture)


def write_fixture(target: Path, fixture: dict[str, Any]) -> None:
    target.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", "utf-8")
    count = sum(len(p["indicators"]) for p in fixture["projects"])
    print(f"{target}: {len(fixture['projects'])} projects, {count} indicators")


if __name__ == "__main__":
    main(*(sys.argv[1:3] or ["../shared/seeds", "tests/fixtures"]))
