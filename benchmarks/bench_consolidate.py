"""Consolidating N department workbooks, against calamine reading + a regex + XlsxWriter writing.

    python benchmarks/bench_consolidate.py [--departments 1000] [--folder DIR] [--jobs 1]
                                           [--before DIR]

``generate`` writes N department workbooks (5-20 projects each, drawn from all five seed
fixtures with their amounts and indicators, units renamed per department), in the three
layouts in turn. The baseline is the floor the speed issue names: python-calamine reads every
sheet of every file, one regular expression runs over each packed cell, and XlsxWriter
(constant memory) writes two sheets, the rows as read and the items found: no checks,
provenance or styling. The earlier baseline (the rows alone, one sheet) is reported beside
it. Each side runs in its own process, so its peak memory (max RSS) is its own; after the
timed run, jixiao's output is read back and compared with what was consolidated. With
``--before DIR`` (the ``python`` folder of another checkout, e.g. a ``git worktree`` of the
commit before a change) jixiao's run is repeated with that code first on the path, in the
same run, and the ratio of the two is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(folder: Path, departments: int, seed: int = 11) -> list[Path]:
    from jixiao.model import Project, Unit
    from jixiao.options import LAYOUTS
    from jixiao.workbook import write_workbook

    pool = []
    for name in ("000", "001", "002", "003", "004"):
        data = json.loads((ROOT / "tests" / "fixtures" / f"seed_{name}.json").read_text("utf-8"))
        pool.extend(Project.model_validate(p) for p in data["projects"])
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(departments):
        path = folder / f"dept-{number:04d}.xlsx"
        paths.append(path)
        chosen = rng.sample(pool, rng.randint(5, 20))  # drawn even when the file exists: reproducible
        if path.exists():
            continue
        unit = Unit(code=f"{300000 + number}", name=f"第{number + 1}部门")
        projects = [p.model_copy(update={"unit": unit}) for p in chosen]
        write_workbook(path, projects, LAYOUTS[number % 3])
    return paths


PACKED_ITEM = re.compile(
    r"(\d+)-(?:(\d+)-)?([^：]+)：(\d+)-([^：；]+)[：；]"
    r"(.*?)；实施周期指标值：(.*?)；年度指标值：(.*?)。(?=\d+-|$)"
)


def baseline(paths: list[Path], output: Path, *, items: bool = True) -> dict[str, int]:
    """Every sheet read with calamine and written as read; with ``items`` also one regex per
    packed cell and a second sheet of the items found (the floor the issue names)."""
    import python_calamine
    import xlsxwriter

    book = xlsxwriter.Workbook(str(output), {"constant_memory": True})
    rows_sheet = book.add_worksheet("汇总")
    items_sheet = book.add_worksheet("指标") if items else None
    row_number = item_number = 0
    for path in paths:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            for row in workbook.get_sheet_by_name(name).to_python():
                rows_sheet.write_row(row_number, 0, [str(path.name), name, *row])
                row_number += 1
                if items_sheet is None:
                    continue
                for value in row:
                    if isinstance(value, str) and "；年度指标值：" in value:
                        for item in PACKED_ITEM.findall(value):
                            items_sheet.write_row(item_number, 0, [path.name, row[0], *item])
                            item_number += 1
        workbook.close()
    book.close()
    return {"rows": row_number, "items": item_number}


def jixiao_run(paths: list[Path], output: Path, jobs: int) -> dict[str, int]:
    from jixiao.bulk import paused_gc
    from jixiao.consolidate import consolidate
    from jixiao.summary_workbook import write_consolidation

    with paused_gc():  # as `jixiao consolidate` runs it: the GC paused once per command
        result = consolidate(paths, jobs=jobs)
        write_consolidation(result, output)
    return {"projects": len(result.projects), "indicators": result.indicator_count}


def read_back(output: Path, paths: list[Path]) -> None:
    """The output, read as any workbook, holds every project and indicator consolidated."""
    from jixiao.consolidate import consolidate
    from jixiao.workbook import read_workbook

    def key(project):  # the fields both the inputs' layouts and the output carry
        return (
            project.unit.name, project.name, project.amounts.total,
            [(i.l1, i.l2, i.l3, i.annual_value) for i in project.indicators],
        )  # fmt: skip

    expected = [key(p) for p in consolidate(paths).projects]
    got = [key(p) for p in read_workbook(output).projects]
    assert got == expected, "the consolidated workbook does not read back as consolidated"


def child(args: argparse.Namespace) -> None:
    paths = sorted(Path(args.folder).glob("dept-*.xlsx"))[: args.departments]
    output = Path(args.folder).parent / f"out-{args.phase}.xlsx"
    start = time.perf_counter()
    if args.phase == "jixiao":
        counts = jixiao_run(paths, output, args.jobs)
    else:
        counts = baseline(paths, output, items=args.phase == "baseline")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.phase == "jixiao":
        read_back(output, paths)
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "counts": counts}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--departments", type=int, default=1000)
    parser.add_argument("--folder", default="/tmp/jixiao-bench/departments")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--phase", choices=("baseline", "rows-only", "jixiao"))
    parser.add_argument("--before", type=Path, help="the python/ folder of another checkout")
    args = parser.parse_args()
    if args.phase:
        child(args)
        return
    start = time.perf_counter()
    paths = generate(Path(args.folder), args.departments)
    print(f"{len(paths)} department workbooks ready in {time.perf_counter() - start:.0f} s")
    runs = {}
    phases = [("baseline", None), ("rows-only", None), ("jixiao", ROOT / "python")]
    if args.before:
        phases.append(("jixiao", args.before))
    for phase, source in phases:
        environment = dict(os.environ)
        if source is not None:
            environment["PYTHONPATH"] = str(source)
        done = subprocess.run(
            [sys.executable, __file__, "--phase", phase, "--folder", args.folder,
             "--departments", str(args.departments), "--jobs", str(args.jobs)],
            check=True, capture_output=True, text=True, env=environment,
        )  # fmt: skip
        name = "before" if source is not None and source == args.before else phase
        runs[name] = json.loads(done.stdout.strip().splitlines()[-1])
    base, rows_only, ours = runs["baseline"], runs["rows-only"], runs["jixiao"]
    print(f"baseline: {base['counts']}; jixiao: {ours['counts']}")
    print("| run | seconds | / baseline | peak RSS MB |")
    print("|---|---:|---:|---:|")
    print(
        f"| baseline: calamine + one regex per packed cell + XlsxWriter, two sheets "
        f"| {base['seconds']:.1f} | 1.00× | {base['peak_mb']:.0f} |"
    )
    print(
        f"| earlier baseline: calamine + XlsxWriter, one sheet | {rows_only['seconds']:.1f} "
        f"| {rows_only['seconds'] / base['seconds']:.2f}× | {rows_only['peak_mb']:.0f} |"
    )
    ratio = ours["seconds"] / base["seconds"]
    print(
        f"| jixiao consolidate (jobs={args.jobs}) | {ours['seconds']:.1f} | {ratio:.2f}× "
        f"({ours['seconds'] / rows_only['seconds']:.2f}× the earlier) | {ours['peak_mb']:.0f} |"
    )
    if "before" in runs:
        before = runs["before"]
        print(
            f"| jixiao before ({args.before}) | {before['seconds']:.1f} "
            f"| {before['seconds'] / base['seconds']:.2f}× (now / before: "
            f"{ours['seconds'] / before['seconds']:.2f}×) | {before['peak_mb']:.0f} |"
        )

if __name__ == "__main__":
    main()
