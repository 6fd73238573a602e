"""Turn the published excerpts of other regions' tables into JSON fixtures.

Run from the repository root:
``python tools/region_fixtures.py ../shared/examples/other-regions.md tests/fixtures``.
Like ``seed_fixtures.py`` this reads the text with plain string splitting and a few regular
expressions, independently of the ``jixiao`` package, so that tests comparing the package's
readers with these fixtures compare two readings of the same published rows. The excerpts are
kept as printed: Traditional characters and half-width punctuation stay as they are.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from seed_fixtures import write_fixture  # the same JSON form as the seeds' fixtures

SECTION = re.compile(r"^## (?P<id>C\d+)\. (?P<title>.+)$", re.M)
SOURCE = re.compile(r"^Source: (?P<url>\S+)", re.M)
BLOCK = re.compile(r"^```\n(?P<text>.*?)^```", re.M | re.S)


def sections(text: str) -> dict[str, tuple[str, str, str]]:
    """Section id -> (title, source address, the code block's text)."""
    found = {}
    starts = list(SECTION.finditer(text))
    for match, after in zip(starts, [*starts[1:], None], strict=True):
        body = text[match.end() : after.start() if after else len(text)]
        source, block = SOURCE.search(body), BLOCK.search(body)
        assert source and block, match["id"]
        found[match["id"]] = (match["title"], source["url"], block["text"])
    return found


def yuan_to_wan(text: str) -> str:
    return str(Decimal(text.replace(",", "")) / 10_000)


# --- C2 扎赉特旗: one row per indicator, cells separated by spaces; a 定性 row's value and
# score come on the lines after it.
NATURES = ("正向", "反向", "定性")
WEIGHTED_L1 = re.compile(r"^(?P<name>.+指标)\((?P<score>\d+)分\)$")


def zhalaite(block: str) -> dict[str, Any]:
    lines = block.strip("\n").splitlines()
    header = lines[0].split()
    tokens = " ".join(lines[1:]).split()
    project_cells = tokens[:5]
    tokens = tokens[5:]
    indicators = []
    l1 = l1_score = l2 = ""
    while tokens:
        at = next(i for i, t in enumerate(tokens) if t in NATURES)
        names, nature = tokens[:at], tokens[at]
        if nature == "定性":
            direction, target, unit, score = "", tokens[at + 1], "", tokens[at + 2]
            tokens = tokens[at + 3 :]
        else:
            direction, target = tokens[at + 1], tokens[at + 2]
            rest = tokens[at + 3 :]
            # a unit is there when two tokens precede the next row's names (unit, score)
            if len(rest) >= 2 and not re.fullmatch(r"[\d.]+", rest[0]):
                unit, score, tokens = rest[0], rest[1], rest[2:]
            else:
                unit, score, tokens = "", rest[0], rest[1:]
        if len(names) == 3:
            weighted = WEIGHTED_L1.match(names[0])
            assert weighted, names
            l1, l1_score = weighted["name"], weighted["score"]
            names = names[1:]
        if len(names) == 2:
            l2 = names[0]
            names = names[1:]
        (l3,) = names
        indicators.append(
            {"l1": l1, "l1_score": l1_score, "l2": l2, "l3": l3, "nature": nature,
             "direction": direction, "target": target, "measure_unit": unit, "score": score}
        )  # fmt: skip
    name, unit, category, budget, goals = project_cells
    code, unit_name = unit.split("-", 1)
    return {
        "layout": "rows",
        "money_unit": "元",
        "header": header,
        "projects": [
            {
                "name": name,
                "unit": {"code": code, "name": unit_name},
                "category": category,
                "budget_as_printed": budget,
                "total": yuan_to_wan(budget),
                "goals": goals,
                "indicators": indicators,
            }
        ],
    }


# --- C3 东莞: rows of "|"-separated cells; merged cells are missing from the left of a row.
def dongguan(block: str) -> dict[str, Any]:
    lines = [line.strip() for line in block.strip("\n").splitlines()]
    cells = [[c.strip() for c in line.split("|")] for line in lines]
    texts = [[c for c in row if c] for row in cells]
    unit = next(t[0] for t in texts if t and t[0].startswith("预算单位"))
    name_at = next(i for i, t in enumerate(texts) if t and t[0].replace(" ", "") == "项目名称")
    name, money_label, money = texts[name_at + 1]
    period_goal, annual_goal = next(t[1:3] for t in texts if t and t[0] == "总体目标")
    year = re.search(r"(\d{4})\s*年度", lines[1])
    header_start = next(i for i, t in enumerate(texts) if t == ["绩效指标"])
    header_end = next(i for i, t in enumerate(texts) if t == ["当年度指标值"])
    goals_text = texts[header_start - 1][0]
    header = [c.replace(" ", "") for t in texts[header_start : header_end + 1] for c in t]
    indicators = []
    l1 = l2 = ""
    for row in texts[header_end + 1 :]:
        if len(row) == 7:
            l1, l2, l3, period, l2_right, l3_right, annual = row
        elif len(row) == 6:
            l2, l3, period, l2_right, l3_right, annual = row
        elif len(row) == 4:
            l3, period, l3_right, annual = row
            l2_right = l2
        else:  # the excerpt ends inside a row: its 三级 only
            (l3,), period, annual, l2_right, l3_right = row, "", "", l2, row[0]
        assert (l2_right, l3_right) == (l2, l3), row
        indicators.append(
            {"l1": l1, "l2": l2, "l3": l3, "period_value": period, "annual_value": annual}
        )
    return {
        "layout": "halves",
        "year": year[1] if year else "",
        "header": header,
        "projects": [
            {
                "name": name,
                "unit": {"code": "", "name": unit.split(":", 1)[1].strip()},
                "money_label": money_label,
                "total": money,
                "period_goal_label": period_goal,
                "annual_goal_label": annual_goal,
                "goals": goals_text,
                "indicators": indicators,
            }
        ],
    }


# --- C4 衡阳: cells run together; Traditional characters as stored.
HY_L1 = re.compile(r"^(?:成本|產出|效益|滿意度)指標")
HY_L2 = re.compile(r"^[^\d=指]{2,8}?指標")
HY_ITEM = re.compile(r"^(?P<l3>[^\d=]+)(?P<value>=?\d+(?:\.\d+)?%?)(?P<rest>.*?)(?P<remark>\d+)$")
HY_SCORE = re.compile(r"計\d+分")
HY_TOTAL = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{2}")


def explanation_and_scoring(text: str, l3: str) -> tuple[str, str]:
    """Where the run-together 指标解释 ends and 评(扣)分标准 begins.

    The scoring clause names the indicator again before its first ``計N分``: it begins with
    the last run of the 三级's character pairs ahead of that, trimmed to a piece of the 三级."""
    pairs = {l3[i : i + 2] for i in range(len(l3) - 1)}
    limit = HY_SCORE.search(text)
    end = limit.start() if limit else len(text)
    start = None
    i = 0
    while i < end - 1:
        if text[i : i + 2] in pairs:
            j = i
            while j < end - 1 and text[j : j + 2] in pairs:
                j += 1
            run_start = i
            while text[run_start : j + 1] not in l3:
                run_start += 1
            start, i = run_start, j + 1
        else:
            i += 1
    assert start is not None, text
    return text[:start], text[start:]


def hengyang(block: str) -> dict[str, Any]:
    lines = block.strip("\n").splitlines()
    first_header, second_header = lines[0], lines[1]
    unit_line = lines[2]
    match = re.match(r"^(?P<code>\d{6})(?P<name>[^\d]+)(?P<amounts>[\d,. ]+)(?P<goal>\[[^\]]*\])", unit_line)
    assert match, unit_line
    # the amounts run together (1,752.481,462.48200 90700.38…): only the first, 资金总额, is
    # unambiguous (two decimals); the rest are kept as printed
    total = HY_TOTAL.match(match["amounts"])
    assert total, match["amounts"]
    rows = [unit_line[match.end() :], *lines[3:]]
    indicators = []
    empty_l2 = []
    l1 = l2 = ""
    for row in rows:
        row = row.strip()
        found = HY_L1.match(row)
        if found:
            l1, row = found.group(), row[found.end() :]
        found = HY_L2.match(row)
        if found:
            l2, row = found.group(), row[found.end() :]
        if not row:
            empty_l2.append({"l1": l1, "l2": l2})
            continue
        item = HY_ITEM.match(row)
        assert item, row
        explanation, scoring = explanation_and_scoring(item["rest"], item["l3"])
        indicators.append(
            {"l1": l1, "l2": l2, "l3": item["l3"], "target": item["value"],
             "explanation": explanation, "scoring": scoring, "remark": item["remark"]}
        )  # fmt: skip
    return {
        "layout": "rows",
        "money_unit": "万元",
        "header_rows": [first_header, second_header],
        "projects": [
            {
                "name": "部门整体",
                "unit": {"code": match["code"], "name": match["name"]},
                "total": str(Decimal(total.group().replace(",", ""))),
                "total_as_printed": total.group(),
                "amounts_as_printed": match["amounts"],
                "goals": match["goal"],
                "empty_l2": empty_l2,
                "indicators": indicators,
            }
        ],
    }


READERS = {"C2": ("zhalaite", zhalaite), "C3": ("dongguan", dongguan), "C4": ("hengyang", hengyang)}


def main(source: str, out_dir: str) -> None:
    found = sections(Path(source).read_text("utf-8"))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for section, (name, reader) in READERS.items():
        title, url, block = found[section]
        fixture = {"title": title, "source": url, **reader(block)}
        write_fixture(out / f"region_{name}.json", fixture)


if __name__ == "__main__":
    main(*(sys.argv[1:3] or ["../shared/examples/other-regions.md", "tests/fixtures"]))
