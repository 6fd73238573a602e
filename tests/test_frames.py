"""DataFrames for analysts and Parquet for DuckDB: the same tables the workbooks hold."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import ROOT, SEED_COUNTS

from jixiao.cli import main
from jixiao.frames import CHINESE, read_frames

DEPARTMENTS = ROOT / "samples" / "departments"
BY_HEADER = {header: field for field, header in CHINESE.items()}
# the question of the README's example: which departments have projects without a 效益 indicator
WITHOUT_BENEFIT = """
SELECT p.unit_name, count(*) AS projects
FROM {projects} p
WHERE NOT EXISTS (SELECT 1 FROM {indicators} i
                  WHERE i.file = p.file AND i.project_name = p.project_name AND i.l1 = '效益指标')
GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10
"""


def _plain(value: Any) -> Any:
    """A frame's cell as the workbook shows it: empty for NA, numbers as numbers."""
    if value is None or (not isinstance(value, str) and _is_na(value)):
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def _is_na(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _sheet(path: Path, name: str) -> tuple[list[str], list[list[Any]]]:
    rows = [list(r) for r in openpyxl.load_workbook(path)[name].iter_rows(values_only=True)]
    return [BY_HEADER[h] for h in rows[0]], rows[1:]


def test_the_seeds_frames_equal_the_sheets_the_cli_writes(tmp_path: Path) -> None:
    out = tmp_path / "汇总.xlsx"
    assert main(["consolidate", str(DEPARTMENTS), "-o", str(out)]) == 0
    frames = read_frames([DEPARTMENTS])
    assert len(frames.projects) == sum(SEED_COUNTS.values()) == 63
    for frame, sheet in ((frames.indicators, "指标明细"), (frames.projects, "项目信息")):
        fields, rows = _sheet(out, sheet)
        assert len(frame) == len(rows)
        for field_index, field in enumerate(fields):
            column = [_plain(v) for v in frame[field].tolist()]
            expected = [row[field_index] if row[field_index] != "" else None for row in rows]
            if field == "seq":
                expected = [int(v) if v is not None else None for v in expected]
            assert column == expected, (sheet, field)
    indicators = frames.indicators
    assert str(indicators["l1"].dtype) == "category" and str(indicators["unit_code"].dtype) == "string"
    assert str(indicators["seq"].dtype) == "Int64"
    assert indicators[["file", "sheet", "cell"]].notna().all().all()  # every row says where it is
    totals = frames.projects["total"]
    assert all(isinstance(v, Decimal) for v in totals)  # exact, as read
    grand = list(openpyxl.load_workbook(out)["项目汇总"].values)[3]
    assert grand[0] == "合计" and sum(totals) == Decimal(str(grand[1]))  # 万元, to the fen
    assert set(frames.findings["severity"].cat.categories) == {"error", "warning", "info"}
    assert len(frames.findings) == 47


def test_parquet_tables_read_back_in_duckdb_as_the_frames(tmp_path: Path) -> None:
    import duckdb

    folder = tmp_path / "departments"
    shutil.copytree(DEPARTMENTS, folder)
    out = tmp_path / "tables"
    report = tmp_path / "report.json"
    assert main(["consolidate", str(folder), "--format", "parquet", "-o", str(out), "--report-json", str(report)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["findings.parquet", "indicators.parquet", "projects.parquet"]
    counts = json.loads(report.read_text("utf-8"))
    frames = read_frames([folder])
    tables = {name: f"'{out / name}.parquet'" for name in ("projects", "indicators", "findings")}
    for name, frame in (("projects", frames.projects), ("indicators", frames.indicators), ("findings", frames.findings)):
        ((rows,),) = duckdb.sql(f"SELECT count(*) FROM {tables[name]}").fetchall()
        assert rows == len(frame), name
    assert duckdb.sql(f"SELECT count(*) FROM {tables['indicators']}").fetchall() == [(counts["indicators"],)]
    ((total,),) = duckdb.sql(f"SELECT sum(total) FROM {tables['projects']}").fetchall()
    assert total == sum(frames.projects["total"])  # decimal128: exact
    from_parquet = duckdb.sql(WITHOUT_BENEFIT.format(**tables)).fetchall()
    projects, indicators = frames.projects, frames.indicators  # noqa: F841 - named in the query
    from_frames = duckdb.sql(WITHOUT_BENEFIT.format(projects="projects", indicators="indicators")).fetchall()
    assert from_parquet == from_frames and from_parquet  # some projects have no 效益 indicator
    # the same tables as the Excel output: every indicator's values
    excel = tmp_path / "汇总.xlsx"
    assert main(["consolidate", str(folder), "-o", str(excel)]) == 0
    fields, rows = _sheet(excel, "指标明细")
    got = duckdb.sql(f"SELECT l3, annual_value FROM {tables['indicators']}").fetchall()
    assert got == [(row[fields.index("l3")], row[fields.index("annual_value")]) for row in rows]


def test_parquet_needs_a_folder_that_holds_no_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "departments"
    shutil.copytree(DEPARTMENTS, folder)
    assert main(["consolidate", str(folder), "--format", "parquet", "-o", str(folder)]) == 1
    assert "中有输入文件" in capsys.readouterr().err
    assert not (folder / "indicators.parquet").exists()
