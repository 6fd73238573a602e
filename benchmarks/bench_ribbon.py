"""The ribbon's 拆分 (unpack) on an xlwings Book of N projects, in Python (remote engine).

    python benchmarks/bench_ribbon.py [--projects 5000] [--repeat 3]

The Book is built from a generated wide workbook (``bench_validate.build``) the way the
tests build theirs (xlwings' remote engine, the one xlwings Lite and Server use); the time is
``ribbon.unpack`` alone, best of ``--repeat``. The baseline is handing the same rows to the
same Book with ``range.value`` (xlwings' own conversion, no parsing), in the same run.
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
    ours, base = [], []
    for _ in range(args.repeat):
        book = book_from_file(path)
        start = time.perf_counter()
        assert ribbon.unpack(book) is not None
        ours.append(time.perf_counter() - start)
        book = book_from_file(path)
        start = time.perf_counter()
        book.sheets.add("x")["A1"].value = rows
        base.append(time.perf_counter() - start)
    print(f"{args.projects:,} projects, {len(rows) - 1:,} indicator rows")
    print("| step | seconds | / baseline |")
    print("|---|---:|---:|")
    print(f"| baseline: range.value = the 指标明细 rows | {min(base):.2f} | 1.00× |")
    print(f"| ribbon.unpack (read, parse, write 2 sheets) | {min(ours):.2f} | {min(ours) / min(base):.2f}× |")


if __name__ == "__main__":
    main()
