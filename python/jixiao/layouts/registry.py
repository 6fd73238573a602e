"""The layouts jixiao reads, in the order they are tried, and the layouts it writes.

Each layout is one module with ``NAME``, ``detect(grid)`` (what its reader needs, or
``None`` when the grid is not in that layout) and ``read(grid, found)``; a writable one is
also in ``WRITERS``. Adding a layout is adding its module and a line here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from jixiao.grid import Grid
from jixiao.layouts import card, halves, long, rows, tables, terms, wide
from jixiao.layouts.base import SheetRead
from jixiao.model import Project
from jixiao.output import OutputSheet


class LayoutModule(Protocol):
    NAME: str

    def detect(self, grid: Grid) -> Any | None: ...

    def read(self, grid: Grid, found: Any) -> SheetRead: ...


# The order matters where headers overlap: indicator rows before 指标明细 (their 指标值 is
# one of its headers too); the 长期/年度 forms before 指标明细 (指标名称, 指标值); 东莞's
# two halves before the cards (its blocks have no N. titles); the tolerant reader last, for
# every table none of the exact layouts recognises.
READERS: tuple[LayoutModule, ...] = (wide, rows, terms, long, halves, card, tables)

# name -> (projects, department, formulas) -> the sheets of that layout
Writer = Callable[[Sequence[Project], str, bool], list[OutputSheet]]
WRITERS: dict[str, Writer] = {
    "wide": wide.write_sheets,
    "long": lambda projects, department, formulas: long.write(projects),
    "card": lambda projects, department, formulas: [card.write(projects)],
    "rows": lambda projects, department, formulas: rows.write(projects),
    "halves": lambda projects, department, formulas: halves.write(projects),
    "terms": lambda projects, department, formulas: terms.write(projects, department),
}


def read_grid(grid: Grid) -> SheetRead | None:
    """Read one grid in the first layout its headers show; ``None`` if it shows none."""
    for layout in READERS:
        found = layout.detect(grid)
        if found is not None:
            return layout.read(grid, found)
    return None
