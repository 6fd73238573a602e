"""The ribbon's buttons on an xlwings Book of N projects, in Python (remote engine).

    python benchmarks/bench_ribbon.py [--projects 5000] [--repeat 3] [--all]

The Book is built from a generated wide workbook (``bench_validate.build``) the way the
tests build theirs (xlwings' remote engine, the one xlwings Lite and Server use); the time is
``ribbon.unpack`` alone, best of ``--repeat``. The baseline is handing the same rows to the
same Book with ``range.value`` (xlwings' own conversion, no parsing), in the same run.
``--all`` times the other buttons on the same sheet too (合并, 校验, 补全, 生成卡片).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--all", action="store_true", help="time every button, not only 拆分")
    args = parser.parse_args()
    from bench_validate import build
    from excel_books import book_from_file

    from jixiao.excel import ribbon
    from jixiao.layouts import long
    from jixiao.workbook import read_workbook

    path = ROOT / ".pyodide" / "bench" / f"wide-{args.projects}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        build(path, args.projects)
    rows = long.write(read_workbook(path).projects)[0].rows
    buttons = {"unpack": "拆分", "pack": "合并", "validate": "校验", "fill": "补全", "cards": "生成卡片"}
    timed = list(buttons) if args.all else ["unpack"]
    ours, base = {name: [] for name in timed}, []
    for _ in range(args.repeat):
        for name in timed:  # in turns with the baseline: the machine's drift reaches all
            book = book_from_file(path)
            start = time.perf_counter()
            assert getattr(ribbon, name)(book) is not None
            ours[name].append(time.perf_counter() - start)
        book = book_from_file(path)
        start = time.perf_counter()
        book.sheets.add("x")["A1"].value = rows
        base.append(time.perf_counter() - start)
    print(f"{args.projects:,} projects, {len(rows) - 1:,} indicator rows")
    print("| step | seconds | / baseline |")
    print("|---|---:|---:|")
    print(f"| baseline: range.value = the 指标明细 rows | {min(base):.2f} | 1.00× |")
    described = {"unpack": "ribbon.unpack (read, parse, write 2 sheets)"}
    for name in timed:
        step = described.get(name, f"ribbon.{name} ({buttons[name]})")
        print(f"| {step} | {min(ours[name]):.2f} | {min(ours[name]) / min(base):.2f}× |")


if __name__ == "__main__":
    main()
