"""Reading a 100,000-row sheet: jixiao now, jixiao before a change, and calamine alone.

    python benchmarks/bench_reader.py [--rows 100000] [--before DIR] [--repeat 3]

Two workbooks are generated once under ``/tmp/jixiao-bench/reader``:

- ``long.xlsx``: 指标明细 (+ 项目信息) of ``--rows`` indicators drawn from the seed fixtures,
  the layout a consolidation reads most;
- ``forms.xlsx``: one sheet of printed 自评表 forms (项目名称, 主管部门/实施单位, the 项目资金
  block, a two-row indicator header with 指标性质 | 指标值 | 度量单位 under 年度指标值, 5
  indicators, a footer) repeated down to ``--rows`` rows, which only the tolerant reader reads.

Each reading runs in its own process (``read_workbook`` of the whole file, best of
``--repeat``); ``--before DIR`` also runs the same with the ``python`` folder of another
checkout first on the path (e.g. a ``git worktree`` of the commit before a change), so both
are timed in the same run. The baseline is python-calamine reading every cell of the file.
The forms are also read at a quarter and a half of the rows: time per row should stay flat.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = Path("/tmp/jixiao-bench/reader")


def generate_long(path: Path, rows: int) -> None:
    from jixiao.model import Project
    from jixiao.workbook import write_workbook

    pool = []
    for name in ("000", "001", "002", "003", "004"):
        data = json.loads((ROOT / "tests" / "fixtures" / f"seed_{name}.json").read_text("utf-8"))
        pool.extend(Project.model_validate(p) for p in data["projects"])
    rng = random.Random(7)
    projects, count = [], 0
    while count < rows:
        project = rng.choice(pool).model_copy(update={"name": f"项目{len(projects) + 1}"})
        projects.append(project)
        count += len(project.indicators)
    write_workbook(path, projects, "long")


FORM_ROWS = 17


def generate_forms(path: Path, rows: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("自评表")
    merge = book.add_format({"border": 1})
    values = [("数量指标", "培训人次", "≥", 120, "人次"), ("质量指标", "合格率", "﹦", 100, "%"),
              ("时效指标", "完成及时率", "≥", 95, "%"), ("成本指标", "人均成本", "≤", 300, "元"),
              ("社会效益指标", "受益人数", "≥", 800, "人")]  # fmt: skip
    forms = rows // FORM_ROWS
    for number in range(forms):
        top = number * FORM_ROWS
        sheet.write_row(top, 0, [f"{number + 1}. 项目支出绩效自评表"])
        sheet.write_row(top + 1, 0, ["项目名称", f"第{number + 1}号项目"])
        sheet.write_row(top + 2, 0, ["主管部门", "某局", None, None, None, "实施单位", f"某单位{number % 50}"])
        sheet.write_row(top + 3, 0, ["项目资金（万元）", None, None, None, "年初预算数", "全年预算数", "全年执行数"])
        sheet.write_row(top + 4, 0, [None, "年度资金总额", None, None, 12.5 + number, 12.5, 12.0])
        sheet.write_row(top + 5, 0, ["年度总体目标", "预期目标", None, None, None, "实际完成情况"])
        sheet.write_row(top + 6, 0, [None, "完成年度工作任务"])
        sheet.merge_range(top + 7, 3, top + 7, 5, "年度指标值", merge)
        sheet.write_row(top + 7, 0, ["绩效指标"])
        sheet.write_row(top + 7, 6, ["实际完成值", "分值", "得分", "偏差原因分析及改进措施"])
        sheet.write_row(top + 8, 0, ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"])
        for k, (l2, l3, op, number_value, unit) in enumerate(values):
            l1 = "效益指标" if k == 4 else ("产出指标" if k == 0 else None)
            sheet.write_row(top + 9 + k, 0, [l1, l2, l3, op, number_value, unit, number_value, 18, 18])
        sheet.write_row(top + 14, 0, ["合计", None, None, None, None, None, None, 90, 90])
        sheet.write_row(top + 15, 0, ["项目负责人：", None, None, None, None, "财务负责人："])
    book.close()


def generated(rows: int) -> dict[str, Path]:
    FOLDER.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, make in (("long", generate_long), ("forms", generate_forms)):
        for size in (rows // 4, rows // 2, rows) if name == "forms" else (rows,):
            path = FOLDER / f"{name}-{size}.xlsx"
            if not path.exists():
                make(path, size)
            paths[f"{name}-{size}"] = path
    return paths


def child(phase: str, path: Path, repeat: int) -> None:
    best = float("inf")
    counts: dict[str, int] = {}
    for _ in range(repeat):
        start = time.perf_counter()
        if phase == "calamine":
            import python_calamine

            book = python_calamine.CalamineWorkbook.from_path(str(path))
            cells = sum(
                len(r) for n in book.sheet_names for r in book.get_sheet_by_name(n).to_python()
            )
            counts = {"cells": cells}
        else:
            from jixiao.bulk import paused_gc
            from jixiao.workbook import read_workbook

            from jixiao.errors import WorkbookError

            try:
                with paused_gc():
                    read = read_workbook(path)
            except WorkbookError:  # a reader that does not know the layout
                counts = {"projects": 0, "indicators": 0, "unreadable": 1}
                best = min(best, time.perf_counter() - start)
                continue
            counts = {"projects": len(read.projects), "indicators": read.indicator_count}
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"seconds": best, "counts": counts}))


def run(phase: str, path: Path, repeat: int, source: Path | None = None) -> dict:
    environment = dict(os.environ)
    if source is not None:
        environment["PYTHONPATH"] = str(source)
    done = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--path", str(path), "--repeat", str(repeat)],
        check=True, capture_output=True, text=True, env=environment,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--before", type=Path, help="the python/ folder of another checkout")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--phase", choices=("calamine", "jixiao"))
    parser.add_argument("--path", type=Path)
    args = parser.parse_args()
    if args.phase:
        child(args.phase, args.path, args.repeat)
        return
    paths = generated(args.rows)
    now = ROOT / "python"
    print("| file | rows | calamine s | jixiao s | / calamine | before s | now / before | read |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, path in paths.items():
        base = run("calamine", path, args.repeat)
        ours = run("jixiao", path, args.repeat, now)
        before = run("jixiao", path, args.repeat, args.before) if args.before else None
        ratio = f"{ours['seconds'] / before['seconds']:.2f}×" if before else "–"
        before_s = f"{before['seconds']:.2f}" if before else "–"
        if before and before["counts"].get("unreadable"):
            ratio, before_s = "–", "not read"
        rows = name.rsplit("-", 1)[1]
        print(
            f"| {name.split('-')[0]} | {int(rows):,} | {base['seconds']:.2f} | {ours['seconds']:.2f} "
            f"| {ours['seconds'] / base['seconds']:.2f}× | {before_s} | {ratio} "
            f"| {ours['counts']}{'; before ' + str(before['counts']) if before else ''} |"
        )


if __name__ == "__main__":
    main()
