"""Reading a long workbook filled to Excel's last row (1,048,576 rows of 指标明细).

    python benchmarks/bench_large.py [--rows 1048576] [--path FILE]

The workbook is the five seeds' indicator rows repeated (each repetition a new project name,
20 units) until 指标明细 reaches ``--rows`` rows with its header, plus the matching 项目信息
sheet, written once with XlsxWriter in constant-memory mode and kept for reuse. Each side
runs in its own process, so its peak memory (max RSS) is its own: the baseline reads both
sheets with python-calamine into Python lists; jixiao runs ``read_workbook`` (guards,
layout detection, every project and indicator as a model) and the count of indicators read
is checked against the rows written.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(path: Path, rows: int) -> int:
    """Write the workbook; the number of indicator rows (rows less the header)."""
    import xlsxwriter

    from jixiao.layouts import long
    from jixiao.model import Project

    seeds = []
    for name in ("000", "001", "002", "003", "004"):
        data = json.loads((ROOT / "tests" / "fixtures" / f"seed_{name}.json").read_text("utf-8"))
        seeds.extend(Project.model_validate(p) for p in data["projects"])
    seeds = [p for p in seeds if p.indicators]
    indicator_rows, info_rows = [], []
    sheets = long.write(seeds)
    header = sheets[0].rows[0]
    per_project: dict[str, list[list[object]]] = {}
    for row in sheets[0].rows[1:]:
        per_project.setdefault(str(row[3]), []).append(row)
    info = {str(r[3]): r for r in sheets[-1].rows[1:]}
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    indicators = book.add_worksheet(sheets[0].name)
    indicators.write_row(0, 0, header)
    projects = book.add_worksheet(sheets[-1].name)
    projects.write_row(0, 0, sheets[-1].rows[0])
    written, batch = 1, 0
    while written < rows:
        for name, lines in per_project.items():
            unit_code, unit_name = f"{500000 + batch % 20}", f"第{batch % 20 + 1}单位"
            new_name = f"{name}（第{batch + 1}组）"
            lines = lines[: rows - written]
            for line in lines:
                indicators.write_row(written, 0, [unit_code, unit_name, "", new_name, *line[4:]])
                written += 1
            info_rows.append([unit_code, unit_name, "", new_name, *info[name][4:]])
            if written >= rows:
                break
        batch += 1
    for number, row in enumerate(info_rows, start=1):
        projects.write_row(number, 0, row)
    book.close()
    indicator_rows.append(written - 1)
    return written - 1


BASELINE = """
import sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
rows = sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)
print(rows)
"""

JIXIAO = """
import sys
from jixiao.workbook import read_workbook
read = read_workbook(sys.argv[1])
print(read.indicator_count, len(read.projects), len(read.findings))
"""


def run(code: str, path: Path) -> tuple[str, float, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"child failed ({done.returncode}):\n{done.stderr[-3000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return done.stdout.strip(), seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_048_576)
    parser.add_argument("--path", default="/tmp/jixiao-bench/long-1048576.xlsx")
    args = parser.parse_args()
    path = Path(args.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    expected = generate(path, args.rows)
    size = path.stat().st_size / 2**20
    print(f"{expected:,} indicator rows, {size:.0f} MB, written in {time.perf_counter() - start:.0f} s")
    base_out, base_seconds, base_peak = run(BASELINE, path)  # first: RUSAGE_CHILDREN is a running max
    out, seconds, peak = run(JIXIAO, path)
    indicators, projects, findings = map(int, out.split())
    print(f"calamine rows: {base_out}; jixiao: {indicators:,} indicators, {projects:,} projects, {findings:,} findings")
    print("| run | seconds | / baseline | peak RSS MB |")
    print("|---|---:|---:|---:|")
    print(f"| baseline: calamine reads both sheets | {base_seconds:.1f} | 1.00× | {base_peak:.0f} |")
    print(f"| jixiao read_workbook | {seconds:.1f} | {seconds / base_seconds:.2f}× | {max(peak, base_peak):.0f} |")
    if indicators != expected:
        raise SystemExit(f"FAILED: {indicators} indicators read, {expected} written")


if __name__ == "__main__":
    main()
