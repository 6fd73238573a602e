"""1,000 department workbooks plus one of each hostile file, consolidated by the CLI.

    python benchmarks/bench_hostile.py [--departments 1000] [--folder DIR]

The departments are ``bench_consolidate.generate``'s; the hostile files are the ones the
reliability tests build one by one (``tests/hostile.py``: far cells, lying dimensions,
zip bombs, DTDs, renamed CSV/PNG/.xls, password, truncated, empty, FIFO, a 600-indicator
project, a 105,000-character name, formula-like names, one project name in two unitless
files, a killed run's temporary file, a lock file). ``jixiao consolidate`` runs in a child
process over both folders. The run passes when: the exit code is 1; every good file is read
with all its projects; every hostile file is a failed file naming its reason or a read file
with its finding; the report balances; the child's peak RSS is within the budget; and no
input's bytes changed (SHA-256 before and after). The baseline is a child reading the good
files with python-calamine and writing nothing, for the time ratio (bare calamine cannot be
given the hostile ones: the far cell aborts it and the FIFO blocks it forever).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

BUDGET_MB = 500


def digests(folders: list[Path]) -> dict[str, str]:
    found = {}
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def child_run(command: list[str]) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run a child; its wall time and its own peak RSS (MB) from wait4."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    return done, seconds, peak


BASELINE = """
import sys
from pathlib import Path
import python_calamine
for path in sorted(Path(sys.argv[1]).glob("dept-*.xlsx")):
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    book.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\\n")[0])
    parser.add_argument("--departments", type=int, default=1000)
    parser.add_argument("--folder", default="/tmp/jixiao-bench/departments")
    args = parser.parse_args()

    from bench_consolidate import generate
    from hostile import hostile_folder

    from jixiao.workbook import read_workbook

    departments = Path(args.folder)
    start = time.perf_counter()
    good = generate(departments, args.departments)
    for stale in departments.glob("dept-*.xlsx"):
        if stale not in good:
            stale.unlink()  # a larger earlier run's files are not part of this one
    hostile_dir = departments.parent / "hostile"
    shutil.rmtree(hostile_dir, ignore_errors=True)
    hostile = hostile_folder(hostile_dir)
    print(f"{len(good)} departments and {len(hostile)} hostile files ready in {time.perf_counter() - start:.0f} s")
    expected = {str(p): len(read_workbook(p).projects) for p in good}
    before = digests([departments, hostile_dir])

    out = departments.parent / "out"
    shutil.rmtree(out, ignore_errors=True)
    # The baseline runs first: RUSAGE_CHILDREN is a running maximum, so the second child's
    # peak is only its own when it is the larger one; the baseline's is reported from its run.
    base, base_seconds, base_peak = child_run([sys.executable, "-c", BASELINE, str(departments)])
    assert base.returncode == 0, base.stderr
    done, seconds, peak = child_run(
        [sys.executable, "-m", "jixiao.cli", "consolidate", str(departments), str(hostile_dir),
         "-o", str(out / "汇总.xlsx"), "--report-json", str(out / "汇总.json")]
    )  # fmt: skip
    report = json.loads((out / "汇总.json").read_text("utf-8"))
    files = {f["path"]: f for f in report["files"]}
    codes_by_file: dict[str, set[str]] = {}
    for finding in report["findings"]:
        location = finding.get("location") or {}
        codes_by_file.setdefault(location.get("file", ""), set()).add(finding["code"])

    problems = []
    if done.returncode != 1:
        problems.append(f"exit {done.returncode}, expected 1")
    if "Traceback" in done.stderr:
        problems.append("a traceback on stderr")
    for path, count in expected.items():
        entry = files.get(path)
        if entry is None or entry["status"] != "ok" or entry["projects"] != count:
            problems.append(f"{path}: {entry}, expected ok with {count} projects")
    for item in hostile:
        entry = files.get(str(item.path))
        if entry is None or entry["status"] != item.status:
            problems.append(f"{item.path.name}: {entry}, expected {item.status}")
        elif item.status == "failed" and item.code not in (entry["error"] or ""):
            problems.append(f"{item.path.name}: error {entry['error']!r} lacks {item.code!r}")
        elif item.status == "ok":
            if entry["projects"] != item.projects:
                problems.append(f"{item.path.name}: {entry['projects']} projects, expected {item.projects}")
            # findings of writing (output.*) name the output cell, not the input file
            where = set().union(*codes_by_file.values()) if item.code.startswith("output.") else codes_by_file.get(str(item.path), set())
            if item.code and item.code not in where:
                problems.append(f"{item.path.name}: no {item.code} finding")
    listed = {p.name for p in hostile_dir.iterdir()} - {item.path.name for item in hostile}
    for name in listed:
        if any(Path(f).name == name for f in files):
            problems.append(f"{name} was read as an input")
    if not report["reconciliation"]["balanced"]:
        problems.append(f"unbalanced: {report['reconciliation']}")
    if peak > BUDGET_MB:
        problems.append(f"peak RSS {peak:.0f} MB over {BUDGET_MB} MB")
    after = digests([departments, hostile_dir])
    changed = [p for p in before if before[p] != after.get(p)]
    if changed:
        problems.append(f"inputs changed: {changed}")

    failed = sum(1 for f in report["files"] if f["status"] == "failed")
    print(done.stdout.strip())
    print(f"files: {len(report['files'])} ({failed} failed), projects: {report['projects']}, "
          f"errors: {report['errors']}, warnings: {report['warnings']}, "
          f"inputs unchanged: {len(before) - len(changed)}/{len(before)}")  # fmt: skip
    print("| run | seconds | / baseline | peak RSS MB |")
    print("|---|---:|---:|---:|")
    print(f"| baseline: calamine reads the good files | {base_seconds:.1f} | 1.00× | {base_peak:.0f} |")
    print(f"| jixiao consolidate (CLI) | {seconds:.1f} | {seconds / base_seconds:.2f}× | {peak:.0f} |")
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("passed: exit 1, every good file read, every hostile file reported, inputs unchanged")


if __name__ == "__main__":
    main()
