"""The browser page: ready time (cold and warm cache) and 汇总 in the page against the CLI.

    python benchmarks/bench_web.py [--departments 100,1000] [--folder DIR]

Needs ``bash tools/pyodide/setup.sh``, Debian's chromium and playwright (as the tests).
Builds the site (``jixiao web build``), serves it with ``jixiao web serve`` on 127.0.0.1 and
drives headless chromium:

- ready: from navigation to the page saying 已就绪 (runtime and wheels loaded), in a fresh
  browser profile (cold: everything fetched) and then reloaded in the same one (warm: the
  runtime and wheels come from the browser's cache);
- 汇总 of N generated departments (bench_consolidate's generator: 5-20 projects each, three
  layouts in turn) chosen as a folder in the page, from the click to the downloads, against
  ``jixiao consolidate`` on the same folder in the same run; the two workbooks are compared
  cell for cell. Peak memory: the browser renderer's peak resident size (VmHWM), the CLI's
  max RSS.
The site's size is reported too.
"""

from __future__ import annotations

import argparse
import io
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
CHROMIUM = "/usr/bin/chromium"


def renderer_peak() -> int:
    """The largest peak resident size among chromium's renderer processes, in bytes."""
    peak = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            command = (status.parent / "cmdline").read_bytes()
            if b"chrom" not in command or b"--type=renderer" not in command:
                continue
            found = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
        except OSError:
            continue
        if found:
            peak = max(peak, int(found.group(1)) * 1024)
    return peak


def cells(data: bytes | Path) -> dict[str, list[list[object]]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data, read_only=True)
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--departments", default="100,1000")
    parser.add_argument("--folder", default="/tmp/jixiao-bench/web")
    args = parser.parse_args()
    from bench_consolidate import generate
    from playwright.sync_api import sync_playwright

    work = Path(args.folder)
    site = work / "site"
    subprocess.run([sys.executable, "-m", "jixiao.cli", "web", "build", "-o", str(site)], check=True)
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"site: {size / 1e6:.1f} MB in {sum(1 for p in site.rglob('*') if p.is_file())} files")
    server = subprocess.Popen([sys.executable, "-m", "jixiao.cli", "web", "serve", str(site), "--port", "0"],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert server.stdout is not None
    address = re.search(r"http://\S+/", server.stdout.readline())
    assert address
    url = address.group(0)
    try:
        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, accept_downloads=True,
                args=["--no-sandbox"],
            )  # fmt: skip
            page = context.new_page()
            for label in ("cold", "warm"):
                start = time.perf_counter()
                page.goto(url) if label == "cold" else page.reload()
                page.wait_for_selector("body[data-ready=true]", timeout=300_000)
                print(f"ready ({label}): {time.perf_counter() - start:.2f} s")
            page.wait_for_timeout(3000)  # a user choosing files: the page imports meanwhile
            for count in (int(n) for n in args.departments.split(",")):
                folder = work / f"departments-{count}"
                generate(folder, count)
                page.evaluate("document.body.removeAttribute('data-consolidated')")
                page.set_input_files("#consolidate-folder", str(folder))
                start = time.perf_counter()
                page.click("#consolidate")
                page.wait_for_selector("body[data-consolidated=true]", timeout=1_800_000)
                in_page = time.perf_counter() - start
                with page.expect_download() as info:
                    page.click("a.download:text-is('下载 汇总.xlsx')")
                got = work / f"page-{count}.xlsx"
                info.value.save_as(got)
                peak = renderer_peak()
                before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "jixiao.cli", "consolidate", folder.name, "-o",
                                f"cli-{count}.xlsx"], cwd=work, check=True, capture_output=True)  # fmt: skip
                cli = time.perf_counter() - start
                cli_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
                same = cells(got) == cells(work / f"cli-{count}.xlsx")
                note = "" if cli_rss > before * 1024 else " (max RSS of an earlier child)"
                print(f"{count} departments: page {in_page:.1f} s, CLI {cli:.1f} s, ratio {in_page / cli:.2f}; "
                      f"renderer peak {peak / 2**20:.0f} MB, CLI max RSS {cli_rss / 2**20:.0f} MB{note}; "
                      f"same workbook: {same}")  # fmt: skip
            context.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
