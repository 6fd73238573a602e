"""RowCells: a row's cells made when asked for, behaving as the dict it stands for."""

from __future__ import annotations

import copy
import dataclasses
import json

from jixiao.grid import Grid
from jixiao.model import Indicator, Project, RowCells, SourceLocation


def _cells() -> RowCells:
    grid = Grid(values=[["a", "b", "c"]], sheet="指标明细", file="x.xlsx", origin=(4, 1))
    return RowCells(grid.columns_of({"l3": 0, "annual_value": 2}), 12)


def test_a_rows_cells_are_where_the_grid_puts_them_and_act_as_a_dict() -> None:
    cells = _cells()
    assert cells["l3"] == SourceLocation("x.xlsx", "指标明细", "B12")
    assert cells["annual_value"].cell == "D12" and cells.get("seq") is None and "seq" not in cells
    assert dict(cells) == {"l3": SourceLocation("x.xlsx", "指标明细", "B12"),
                           "annual_value": SourceLocation("x.xlsx", "指标明细", "D12")}  # fmt: skip
    cells["annual_value"] = SourceLocation("x.xlsx", "指标明细", "F12")  # a reader moves one
    cells["target"] = SourceLocation("x.xlsx", "指标明细", "G12")
    assert [cells[k].cell for k in cells] == ["B12", "F12", "G12"] and len(cells) == 3
    del cells["l3"]
    assert "l3" not in cells and list(cells) == ["annual_value", "target"]
    twin = copy.deepcopy(cells)
    twin["annual_value"] = SourceLocation(cell="Z1")
    assert cells["annual_value"].cell == "F12"  # copies do not share what is set later


def test_models_holding_row_cells_serialise_them_as_dicts() -> None:
    item = Indicator(l3="培训人次", annual_value="≥500人次", cells=_cells())
    project = Project(name="项目", indicators=[item])
    dumped = project.model_dump(mode="json")
    assert dumped["indicators"][0]["cells"]["annual_value"]["cell"] == "D12"
    again = Project.model_validate(json.loads(json.dumps(dumped)))
    assert dict(again.indicators[0].cells) == dict(item.cells)
    assert dataclasses.asdict(item)["cells"] == item.cells
