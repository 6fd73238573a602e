"""The same jixiao work on CPython and inside Pyodide (the Python of xlwings Lite), same machine.

    python benchmarks/bench_pyodide.py [--projects 1000] [--repeat 3]

Needs ``bash tools/pyodide/setup.sh``. Times, best of ``--repeat``, the ribbon's 拆分 (unpack)
on an xlwings Book holding the sheet and ``validate_files`` on the file, for seed 003 (17
projects) and a generated wide sheet of ``--projects`` projects; jixiao comes from this
checkout in both. The ratio is Pyodide's time over CPython's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CODE = """
import json, os, sys, time
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
sys.path[:0] = ["benchmarks", "tests"]
from excel_books import book_from_file
from jixiao.excel import ribbon
from jixiao.validate import validate_files

def best(run, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)

repeat = int(REPEAT)
found = {}
for label, path in json.loads(FILES).items():
    def unpack():
        book = book_from_file(__import__("pathlib").Path(path))
        assert ribbon.unpack(book) is not None
    found[label] = {"unpack": best(unpack, repeat), "validate": best(lambda: validate_files([path]), repeat)}
print(json.dumps(found))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_validate import build

    data = ROOT / ".pyodide" / "bench"
    data.mkdir(parents=True, exist_ok=True)
    big = data / f"wide-{args.projects}.xlsx"
    if not big.exists():
        build(big, args.projects)
    files = {"seed 003 (17 projects)": "samples/guangzhou-003-wide.xlsx",
             f"{args.projects:,} projects": str(big.relative_to(ROOT))}  # fmt: skip
    code = CODE.replace("REPEAT", repr(str(args.repeat))).replace("FILES", repr(json.dumps(files)))
    cpython = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    inside = subprocess.run(
        ["node", "tools/pyodide/run.mjs", str(ROOT / ".pyodide" / "wheels"), "--code",
         code.replace('sys.path[:0] = ["benchmarks", "tests"]', 'sys.path[:0] = ["/repo/benchmarks", "/repo/tests"]')],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    ours, theirs = json.loads(cpython.stdout), json.loads(inside.stdout.strip().splitlines()[-1])
    print("| sheet | step | CPython s | Pyodide s | Pyodide / CPython |")
    print("|---|---|---:|---:|---:|")
    for label in files:
        for step in ("unpack", "validate"):
            a, b = ours[label][step], theirs[label][step]
            print(f"| {label} | {step} | {a:.3f} | {b:.3f} | {b / a:.2f}× |")
    print(inside.stderr.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
