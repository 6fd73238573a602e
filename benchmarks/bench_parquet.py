"""Two million generated indicators consolidated to Parquet, read back with DuckDB.

    python benchmarks/bench_parquet.py [--indicators 2000000] [--files 200] [--folder DIR]

Writes ``--files`` long workbooks (指标明细 + 项目信息, XlsxWriter constant memory) holding
``--indicators`` indicator rows in all, the seeds' indicators under new project names, then
in separate processes (each its own peak RSS):

1. ``jixiao consolidate DIR --format parquet -o OUT`` — time and peak memory;
2. the check: DuckDB counts each table's rows against what was written, and the same query
   (departments by projects without a 效益 indicator) runs over the Parquet files and over
   ``read_frames`` of the same folder; the two answers must be equal.
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
QUERY = """
SELECT p.unit_name, count(*) AS projects FROM {projects} p
WHERE NOT EXISTS (SELECT 1 FROM {indicators} i
                  WHERE i.file = p.file AND i.project_name = p.project_name AND i.l1 = '效益指标')
GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10
"""


def generate(folder: Path, indicators: int, files: int) -> tuple[int, int]:
    import xlsxwriter

    from jixiao.layouts import long
    from jixiao.model import Project

    seeds = []
    for name in ("000", "001", "002", "003", "004"):
        data = json.loads((ROOT / "tests" / "fixtures" / f"seed_{name}.json").read_text("utf-8"))
        seeds.extend(Project.model_validate(p) for p in data["projects"])
    seeds = [p for p in seeds if p.indicators]
    sheets = long.write(seeds)
    header, info_header = sheets[0].rows[0], sheets[-1].rows[0]
    lines: dict[str, list[list[object]]] = {}
    for row in sheets[0].rows[1:]:
        lines.setdefault(str(row[3]), []).append(row)
    info = {str(r[3]): r for r in sheets[-1].rows[1:]}
    folder.mkdir(parents=True, exist_ok=True)
    per_file = indicators // files
    written = projects = 0
    for number in range(files):
        path = folder / f"dept-{number:04d}.xlsx"
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("指标明细")
        sheet.write_row(0, 0, header)
        info_rows, row, batch = [], 1, 0
        unit = (f"{700000 + number}", f"第{number + 1}部门")
        while row - 1 < per_file:
            for name, rows in lines.items():
                new_name = f"{name}（第{batch + 1}组）"
                for line in rows[: per_file - (row - 1)]:
                    sheet.write_row(row, 0, [*unit, "", new_name, *line[4:]])
                    row += 1
                info_rows.append([*unit, "", new_name, *info[name][4:]])
                if row - 1 >= per_file:
                    break
            batch += 1
        projects_sheet = book.add_worksheet("项目信息")
        projects_sheet.write_row(0, 0, info_header)
        for index, line in enumerate(info_rows, start=1):
            projects_sheet.write_row(index, 0, line)
        book.close()
        written += row - 1
        projects += len(info_rows)
    return written, projects


CHECK = """
import json, sys, duckdb
from jixiao.frames import read_frames
folder, out, query = sys.argv[1], sys.argv[2], sys.argv[3]
tables = {n: f"'{out}/{n}.parquet'" for n in ("projects", "indicators", "findings")}
counts = {n: duckdb.sql(f"SELECT count(*) FROM {t}").fetchall()[0][0] for n, t in tables.items()}
from_parquet = duckdb.sql(query.format(**tables)).fetchall()
frames = read_frames([folder])
projects, indicators = frames.projects, frames.indicators
from_frames = duckdb.sql(query.format(projects="projects", indicators="indicators")).fetchall()
print(json.dumps({"counts": counts, "frames": [len(projects), len(indicators), len(frames.findings)],
                  "same": from_parquet == from_frames, "answer": from_parquet[:3]}, ensure_ascii=False))
"""


def child(args: list[str]) -> tuple[str, float, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout, seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--indicators", type=int, default=2_000_000)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--folder", default="/tmp/jixiao-bench/parquet")
    args = parser.parse_args()
    folder = Path(args.folder)
    inputs, out = folder / "departments", folder / "tables"
    start = time.perf_counter()
    indicators, projects = generate(inputs, args.indicators, args.files)
    print(f"{indicators:,} indicators, {projects:,} projects in {args.files} files, "
          f"written in {time.perf_counter() - start:.0f} s")  # fmt: skip
    printed, seconds, peak = child(["-m", "jixiao.cli", "consolidate", str(inputs), "--format", "parquet",
                                    "-o", str(out)])  # fmt: skip
    print(printed.strip())
    print(f"consolidate --format parquet: {seconds:.1f} s, peak RSS {peak:.0f} MB")
    sizes = {p.name: p.stat().st_size / 2**20 for p in out.iterdir()}
    print("sizes MB:", {k: round(v, 1) for k, v in sizes.items()})
    result, check_seconds, check_peak = child(["-c", CHECK, str(inputs), str(out), QUERY])
    found = json.loads(result)
    print(f"check (DuckDB over Parquet, and read_frames + DuckDB over the frames): {check_seconds:.1f} s, "
          f"peak RSS {check_peak:.0f} MB (the larger of the two runs)")  # fmt: skip
    print(json.dumps(found, ensure_ascii=False))
    assert found["counts"]["indicators"] == indicators == found["frames"][1]
    assert found["counts"]["projects"] == projects == found["frames"][0]
    assert found["same"], "DuckDB's answer over Parquet differs from its answer over the frames"


if __name__ == "__main__":
    main()
