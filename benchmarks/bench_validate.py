"""Validating a large wide workbook, against reading the same file with pandas, same run.

    python benchmarks/bench_validate.py [--projects 10000] [--repeat 3]

The workbook holds ``--projects`` projects in 20 units, each with a packed string of 4-11
indicators drawn from the published seed-003 indicators (as ``bench_packed.py``), so the
findings are the real ones of that document, multiplied. The baseline is
``pandas.read_excel(engine="calamine")`` of the same file: reading the cells and nothing
else, the least any validator has to do.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pandas as pd
from bench_packed import best_of, generate

from jixiao import packed
from jixiao.checks import run_checks
from jixiao.model import Amounts, Project, Unit
from jixiao.report_excel import write_excel_report
from jixiao.validate import profile_for, validate_files
from jixiao.workbook import read_workbook, write_workbook


def build(path: Path, count: int) -> int:
    rng = random.Random(7)
    projects = []
    for number, text in enumerate(generate(count)):
        cell = packed.parse(text)
        total = Decimal(rng.randint(100, 90_000)) / 100
        projects.append(
            Project(
                unit=Unit(name=f"第{number % 20 + 1}单位"),
                name=f"项目{number + 1:05d}",
                amounts=Amounts(total=total, fiscal=total),
                goals=["保障工作正常开展"],
                indicators=[i.to_indicator() for i in cell.indicators],
            )
        )
    write_workbook(path, projects, "wide")
    return sum(len(p.indicators) for p in projects)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wide.xlsx"
        start = time.perf_counter()
        indicators = build(path, args.projects)
        built = time.perf_counter() - start
        size = path.stat().st_size
        baseline, frame = best_of(
            args.repeat, lambda: pd.read_excel(path, header=None, engine="calamine")
        )
        read, workbook = best_of(args.repeat, lambda: read_workbook(path))
        profile = profile_for(workbook, None)
        checks, findings = best_of(args.repeat, lambda: run_checks(workbook, profile))
        whole, result = best_of(args.repeat, lambda: validate_files([path]))
        report, _ = best_of(
            1, lambda: write_excel_report(result.findings, [path], Path(folder) / "out.xlsx")
        )
    assert len(workbook.projects) == args.projects and len(frame) > args.projects
    summary = result.to_json()["summary"]
    print(f"{args.projects:,} projects, {indicators:,} indicators, {size / 1e6:.1f} MB "
          f"(written in {built:.1f} s); {summary['errors']:,} errors, "
          f"{summary['warnings']:,} warnings, best of {args.repeat}")
    print("| step | seconds | / baseline |")
    print("|---|---:|---:|")
    for name, seconds in (
        ("baseline: pandas.read_excel (calamine)", baseline),
        ("read_workbook (cells, packed strings, model)", read),
        ("run_checks", checks),
        ("validate_files (read + checks + sort)", whole),
        ("--excel report copy (openpyxl)", report),
    ):
        print(f"| {name} | {seconds:.2f} | {seconds / baseline:.2f}× |")
    assert len(findings) <= summary["errors"] + summary["warnings"] + summary["info"]


if __name__ == "__main__":
    main()
