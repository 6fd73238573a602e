"""pandas DataFrames of what jixiao reads, for analysts (Jupyter, DuckDB, Power BI), and the
same tables as Parquet.

``read_frames(paths)`` reads files and folders as ``consolidate`` does (the same merging of
copies, the same findings) and returns three tables, one row each per project, indicator
and finding, every row naming the file, sheet and cell it came from. The values are the
ones 指标明细 and 项目信息 hold (they are built from the same rows), with dtypes for analysis:
amounts as exact decimals in 万元 (``Decimal``; Parquet ``decimal128``), codes as text, 一级
and 二级 as categories. Columns are the model's English names; ``CHINESE`` maps them to the
workbook's headers (``frame.rename(columns=CHINESE)``).

pandas and pyarrow are imported here, where they are used: the core runs without them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.layouts import long
from jixiao.layouts.headers import ATTRIBUTE_COLUMNS, LONG_COLUMNS, PROJECT_COLUMNS, PROJECT_SHEET
from jixiao.validate import finding_json

if TYPE_CHECKING:
    import pandas as pd

    from jixiao.consolidate import Consolidation

PROVENANCE = {"file": "文件", "sheet": "工作表", "cell": "单元格"}
PROJECT_FIELDS = [*PROJECT_COLUMNS, "category"]
INDICATOR_FIELDS = [*LONG_COLUMNS, *ATTRIBUTE_COLUMNS]
AMOUNTS = ("total", "fiscal", "special_account", "other")
CODES = ("unit_code", "project_code", "l1_code", "l2_code")
CLASSES = ("l1", "l2")
CHINESE = {
    **PROVENANCE,
    **PROJECT_COLUMNS,
    **LONG_COLUMNS,
    **ATTRIBUTE_COLUMNS,
    "category": "项目类别",
    "cells": "单元格范围",
    "indicators": "指标数",
}
TABLES = ("projects", "indicators", "findings")


@dataclass
class Frames:
    projects: pd.DataFrame
    indicators: pd.DataFrame
    findings: pd.DataFrame


def read_frames(
    paths: Iterable[str | os.PathLike[str]], *, on_conflict: str = "keep-both"
) -> Frames:
    """The projects, indicators and findings of every workbook in ``paths`` (files or
    folders), as ``jixiao consolidate`` reads them."""
    from jixiao.bulk import paused_gc
    from jixiao.consolidate import consolidate

    with paused_gc():  # as the CLI reads: records without cycles, by the million
        return frames_of(consolidate(list(paths), on_conflict=on_conflict))  # type: ignore[arg-type]


def frames_of(result: Consolidation) -> Frames:
    import pandas as pd

    sheets = long.write(result.projects, max_rows=sys.maxsize)
    indicator_rows, info_rows = sheets[0].rows, sheets[-1].rows
    assert sheets[-1].name == PROJECT_SHEET
    by_header = {header: field for field, header in CHINESE.items()}
    origins = result.origins

    indicators = _table(indicator_rows, by_header, INDICATOR_FIELDS)
    files, cells, sheet_names = [], [], []
    for project, origin in zip(result.projects, origins, strict=True):
        # a project without indicators is one line of 指标明细, as written
        for where in [i.source for i in project.indicators] or [None]:
            files.append(origin.file)
            sheet_names.append(where.sheet if where and where.sheet else origin.sheet)
            cells.append(where.cell if where and where.cell else "")
    indicators.insert(0, "cell", pd.array(cells, dtype="string"))
    indicators.insert(0, "sheet", pd.array(sheet_names, dtype="string"))
    indicators.insert(0, "file", pd.array(files, dtype="string"))

    projects = _table(info_rows, by_header, PROJECT_FIELDS)
    for field in AMOUNTS:  # exact, as read: the sheet's cells are doubles
        projects[field] = pd.Series(
            [getattr(p.amounts, field) for p in result.projects], dtype="object"
        )
    projects["indicators"] = pd.array([len(p.indicators) for p in result.projects], dtype="Int64")
    projects.insert(0, "cells", pd.array([o.cells for o in origins], dtype="string"))
    projects.insert(0, "sheet", pd.array([o.sheet for o in origins], dtype="string"))
    projects.insert(0, "file", pd.array([o.file for o in origins], dtype="string"))

    found = [finding_json(f) for f in result.findings]
    columns = ["code", "severity", "file", "sheet", "cell", "message", "hint"]
    findings = pd.DataFrame(
        {c: pd.array([f.get(c) for f in found], dtype="string") for c in columns}
    )
    findings["severity"] = findings["severity"].astype(
        pd.CategoricalDtype(["error", "warning", "info"])
    )
    return Frames(projects=projects, indicators=indicators, findings=findings)


def _table(rows: Sequence[Sequence[Any]], by_header: dict[str, str], fields: list[str]) -> Any:
    """A written sheet's rows as a DataFrame of ``fields`` (absent columns empty), typed."""
    import pandas as pd

    header = [by_header[h] for h in rows[0]]
    body = rows[1:]
    data: dict[str, Any] = {}
    for field in fields:
        if field in header:
            index = header.index(field)
            values = [row[index] if index < len(row) else None for row in body]
        else:
            values = [None] * len(body)
        if field == "seq":
            data[field] = pd.array([_int(v) for v in values], dtype="Int64")
        elif field in CLASSES:
            data[field] = pd.Series([v or None for v in values], dtype="category")
        elif field in AMOUNTS:
            data[field] = pd.Series(values, dtype="object")
        else:
            data[field] = pd.array([_text(v) for v in values], dtype="string")
    return pd.DataFrame(data)


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---- Parquet --------------------------------------------------------------------------------


def write_parquet(frames: Frames, folder: str | os.PathLike[str]) -> list[Path]:
    """projects.parquet, indicators.parquet and findings.parquet in ``folder``, one table
    each however many rows, each written whole before it replaces anything (atomically)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        from jixiao.errors import WorkbookError

        raise WorkbookError("写 Parquet 需要 pyarrow：pip install 'jixiao[parquet]'") from None
    from jixiao.files.write import atomically

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        frame = getattr(frames, name)
        table = pa.Table.from_pandas(frame, preserve_index=False, schema=_schema(frame, pa))
        written.append(atomically(out / f"{name}.parquet", _writer(pq, table)))
    return written


def _writer(pq: Any, table: Any) -> Callable[[str], object]:
    return lambda temporary: pq.write_table(table, temporary)


def _schema(frame: Any, pa: Any) -> Any:
    """Amounts as decimal128 (exact to the 万元's sixth place: a 元 has four), text as
    strings, categories as dictionaries, counts as integers."""
    fields = []
    for name, dtype in frame.dtypes.items():
        if name in AMOUNTS:
            fields.append(pa.field(name, pa.decimal128(20, 6)))
        elif str(dtype) == "category":
            fields.append(pa.field(name, pa.dictionary(pa.int32(), pa.string())))
        elif str(dtype) == "Int64":
            fields.append(pa.field(name, pa.int64()))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)
