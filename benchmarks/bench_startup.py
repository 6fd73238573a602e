"""How fast the command line answers: ``jixiao --version`` and ``--help`` against bare Python.

    python benchmarks/bench_startup.py [--runs 5]

Each command runs ``--runs`` times in a fresh process; the median wall time is reported with
the median of ``python -c pass`` measured in the same run as the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

JIXIAO = str(Path(sys.executable).parent / "jixiao")


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = median_seconds([sys.executable, "-c", "pass"], args.runs)
    print("| command | median s | / python -c pass |")
    print("|---|---:|---:|")
    print(f"| python -c pass | {base:.3f} | 1.00× |")
    for command in (["--version"], ["--help"], ["consolidate", "--help"]):
        seconds = median_seconds([JIXIAO, *command], args.runs)
        print(f"| jixiao {' '.join(command)} | {seconds:.3f} | {seconds / base:.2f}× |")


if __name__ == "__main__":
    main()
