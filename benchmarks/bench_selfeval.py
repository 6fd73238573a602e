"""Scoring the filled 自评表 of N departments (``selfeval consolidate``), against a baseline.

    python benchmarks/bench_selfeval.py [--departments 1000] [--folder DIR]

Each department's targets come from bench_consolidate's generator (5-20 projects drawn from
the five seeds); ``selfeval build``'s forms are written with every actual filled in as a clerk
would (most targets met, one in five missed by a few percent, qualitative ones graded 达成)
and 全年预算数/执行数 given: only the 自评表 sheet, as units publish it, so that scoring reads
forms by their header words. The baseline is the floor: python-calamine reads every sheet of
every file and one regular expression per row picks out the numbers, with no scoring,
checks or output. Each side runs in its own process (its peak RSS its own); the ratio is
jixiao's time over the baseline's. After the run the scores are checked against the actuals
written (every project scored, every indicator read).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def generate(folder: Path, departments: int) -> tuple[list[Path], int, int]:
    from bench_consolidate import generate as targets

    from jixiao.files.write import write_sheets
    from jixiao.selfeval.form import Evaluation, form_sheet
    from jixiao.values import parse_value
    from jixiao.workbook import read_workbook

    rng = random.Random(5)
    paths, projects, indicators = [], 0, 0
    for path in targets(folder.parent / "targets", departments):
        out = folder / path.name
        read = read_workbook(path)
        evaluations = []
        for project in read.projects:
            for item in project.indicators:
                parsed = parse_value(item.annual_value)
                if parsed.number is not None and rng.random() < 0.2:
                    item.actual = f"{parsed.number * Decimal('0.95'):.0f}{parsed.unit}"
                    item.deviation = "受客观因素影响，未全部完成"
                elif parsed.number is not None:
                    item.actual = f"{parsed.number}{parsed.unit}"
                else:
                    item.actual = "达成"
            total = project.amounts.total or Decimal(100)
            evaluations.append(Evaluation(project=project, year="2024", budget=total,
                                          spent=total * Decimal("0.97")))  # fmt: skip
            projects += 1
            indicators += len(project.indicators)
        if not out.exists():
            folder.mkdir(parents=True, exist_ok=True)
            write_sheets(out, [form_sheet(evaluations)])
        paths.append(out)
    return paths, projects, indicators


def baseline(paths: list[Path]) -> dict[str, int]:
    import python_calamine

    numbers = 0
    for path in paths:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            for row in workbook.get_sheet_by_name(name).to_python():
                numbers += sum(len(NUMBER.findall(str(v))) for v in row if v != "")
        workbook.close()
    return {"numbers": numbers}


def jixiao_run(paths: list[Path], output: Path) -> dict[str, int]:
    from jixiao.bulk import paused_gc
    from jixiao.selfeval.report import write_selfeval_consolidation
    from jixiao.selfeval.score import score_files

    with paused_gc():  # as the command runs it
        scoring = score_files(paths)
        write_selfeval_consolidation(scoring, output, protect=paths)
    failed = sum(1 for f in scoring.files if f["status"] == "failed")
    return {"projects": len(scoring.projects), "indicators": sum(len(p.indicators) for p in scoring.projects),
            "failed": failed, "levels": json.dumps({lv: sum(1 for p in scoring.projects if p.level == lv)
                                                    for lv in "优良中差"}, ensure_ascii=False)}  # fmt: skip


def child(args: argparse.Namespace) -> None:
    paths = sorted(Path(args.folder).glob("dept-*.xlsx"))[: args.departments]
    start = time.perf_counter()
    counts = jixiao_run(paths, Path(args.folder).parent / "自评汇总.xlsx") if args.phase == "jixiao" else baseline(paths)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "counts": counts}, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--departments", type=int, default=1000)
    parser.add_argument("--folder", default="/tmp/jixiao-bench/selfeval")
    parser.add_argument("--phase", choices=("baseline", "jixiao"))
    args = parser.parse_args()
    if args.phase:
        child(args)
        return
    folder = Path(args.folder)
    _, projects, indicators = generate(folder, args.departments)
    print(f"{args.departments} departments: {projects} projects, {indicators} indicators")
    results = {}
    for phase in ("baseline", "jixiao"):
        done = subprocess.run([sys.executable, __file__, "--phase", phase, "--departments", str(args.departments),
                               "--folder", str(folder)], capture_output=True, text=True, check=True)  # fmt: skip
        results[phase] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{phase}: {results[phase]['seconds']:.1f} s, peak {results[phase]['peak_mb']:.0f} MB, "
              f"{results[phase]['counts']}")  # fmt: skip
    counts = results["jixiao"]["counts"]
    assert counts["projects"] == projects and counts["indicators"] == indicators and counts["failed"] == 0
    print(f"ratio jixiao / baseline: {results['jixiao']['seconds'] / results['baseline']['seconds']:.1f}")


if __name__ == "__main__":
    main()
