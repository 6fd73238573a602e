"""Comparing two versions of a 1,000-project table, against reading the two files.

    python benchmarks/bench_compare.py [--projects 1000] [--repeat 3]

``thousand_projects`` draws projects from the five seed fixtures (20 units, names made
unique with a number and a year), then makes the second version as a reviewer would meet
it: a tenth of the values lowered or raised, a project in fifty renamed to next year, one in
a hundred with an indicator removed or added, one in twenty with its amount changed. Both
are written as wide workbooks. Baseline: ``read_workbook`` of both files. Measured: the
``jixiao compare`` work in-process (read both, compare, write the comparison workbook).
"""

from __future__ import annotations

import dataclasses

import argparse
import json
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "python"))


def thousand_projects(count: int = 1000, seed: int = 16) -> tuple[list, list]:
    from jixiao.model import Project, Unit
    from jixiao.values import parse_value

    pool = []
    for name in ("000", "001", "002", "003", "004"):
        data = json.loads((ROOT / "tests" / "fixtures" / f"seed_{name}.json").read_text("utf-8"))
        pool.extend(Project.model_validate(p) for p in data["projects"])
    rng = random.Random(seed)
    old = []
    for number in range(count):
        project = rng.choice(pool).model_copy(deep=True)
        project.unit = Unit(code=f"{600000 + number % 20}", name=f"第{number % 20 + 1}单位")
        project.code = ""
        project.name = f"2024年{project.name}（{number + 1}号）"
        old.append(project)
    new = []
    for number, project in enumerate(old):
        copy = project.model_copy(deep=True)
        for item in copy.indicators:
            value = parse_value(item.annual_value)
            if value.number and rng.random() < 0.1:
                factor = Decimal("0.9") if rng.random() < 0.5 else Decimal("1.1")
                item.annual_value = f"{value.op or ''}{(value.number * factor).normalize():f}{value.unit}"
        if number % 50 == 0:
            copy.name = copy.name.replace("2024年", "2025年")
        if number % 100 == 1 and copy.indicators:
            copy.indicators.pop()
        if number % 100 == 2 and copy.indicators:
            copy.indicators.append(dataclasses.replace(copy.indicators[0], l3="新增考核指标"))
        if number % 20 == 3 and copy.amounts.total is not None:
            copy.amounts.total += Decimal(5)
        new.append(copy)
    return old, new


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from jixiao.compare import compare
    from jixiao.compare_workbook import write_comparison
    from jixiao.workbook import read_workbook, write_workbook

    old, new = thousand_projects(args.projects)
    folder = Path(tempfile.mkdtemp())
    a = write_workbook(folder / "old.xlsx", old, "wide")
    b = write_workbook(folder / "new.xlsx", new, "wide")

    def read_both() -> None:
        read_workbook(a), read_workbook(b)

    outcome = {}

    def whole() -> None:
        result = compare(read_workbook(a).projects, read_workbook(b).projects)
        write_comparison(result, folder / "对比.xlsx")
        outcome["changes"], outcome["matches"] = len(result.changes), len(result.matches)

    base = best(read_both, args.repeat)
    ours = best(whole, args.repeat)
    print(f"{args.projects:,} projects, {outcome['matches']:,} matched, {outcome['changes']:,} changes")
    print("| step | seconds | / baseline |")
    print("|---|---:|---:|")
    print(f"| baseline: read_workbook of both files | {base:.2f} | 1.00× |")
    print(f"| compare (read both, compare, write 对比.xlsx) | {ours:.2f} | {ours / base:.2f}× |")


if __name__ == "__main__":
    main()
