"""Real ``xlwings.Book`` objects on xlwings' remote engine, and what their actions do.

The remote engine is the one xlwings Server and Lite use: the Book is built from the JSON a
client sends (here: the values of a real .xlsx read cell for cell) and every change is an
action in ``book.json()``, the list the client applies to Excel. ``Replay`` applies those
actions to a copy of the sheets, so tests can assert the resulting sheets and values.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw  # noqa: E402 - the licence key must be set first

from jixiao.files.read import read_grids  # noqa: E402


INITIAL: dict[int, list[dict[str, Any]]] = {}


def _json_value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return "" if value is None else value


def book_from_file(path: Path, active: int = 0) -> xw.Book:
    sheets = []
    for grid in read_grids(path):
        width = grid.n_cols
        values = [[_json_value(v) for v in row] + [""] * (width - len(row)) for row in grid.values]
        sheets.append({"name": grid.sheet, "values": values or [[""]], "pictures": [], "tables": [],
                       "charts": [], "shapes": [], "pivot_tables": []})  # fmt: skip
    return book_from_sheets(path.name, sheets, active)


def book_from_sheets(name: str, sheets: list[dict[str, Any]], active: int = 0) -> xw.Book:
    data = {
        "client": "Microsoft Office Scripts",
        "version": xw.__version__,
        "book": {"name": name, "active_sheet_index": active, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }
    book = xw.Book(json=data)
    INITIAL[id(book)] = copy.deepcopy(sheets)  # the engine updates its own metadata as it goes
    return book


@dataclass
class Replay:
    """The sheets after the book's actions, as Excel would hold them."""

    names: list[str]
    values: dict[str, dict[tuple[int, int], Any]]
    colors: dict[str, dict[tuple[int, int], str | None]] = field(default_factory=dict)
    alerts: list[str] = field(default_factory=list)
    written: set[str] = field(default_factory=set)
    hidden: set[str] = field(default_factory=set)
    rules: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def of(cls, book: xw.Book) -> Replay:
        sheets = INITIAL[id(book)]
        names = [s["name"] for s in sheets]
        values = {s["name"]: {(r, c): v for r, row in enumerate(s["values"]) for c, v in enumerate(row) if v != ""}
                  for s in sheets}  # fmt: skip
        replay = cls(names=names, values=values)
        for action in book.json()["actions"]:
            replay.apply(action)
        return replay

    def apply(self, action: dict[str, Any]) -> None:
        func, args = action["func"], action["args"]
        if func == "addSheet":
            position, name = args
            self.names.insert(position, name)
            self.values[name] = {}
        elif func == "setValues":
            name = self.names[action["sheet_position"]]
            self.written.add(name)
            for r, row in enumerate(action["values"]):
                for c, value in enumerate(row):
                    self.values[name][(action["start_row"] + r, action["start_column"] + c)] = value
        elif func == "setRangeColors":
            name = self.names[action["sheet_position"]]
            target = self.colors.setdefault(name, {})
            for r, row in enumerate(args[0]):
                for c, color in enumerate(row):
                    if color != "keep":
                        target[(action["start_row"] + r, action["start_column"] + c)] = color
        elif func == "alert":
            self.alerts.append(args[0])
        elif func == "setSheetVisibility":
            name = self.names[action["sheet_position"]]
            (self.hidden.add if args[0] != "Visible" else self.hidden.discard)(name)
        elif func == "rangeClearContents":
            name = self.names[action["sheet_position"]]
            rows = range(action["start_row"], action["start_row"] + action["row_count"])
            cols = range(action["start_column"], action["start_column"] + action["column_count"])
            self.values[name] = {k: v for k, v in self.values[name].items() if not (k[0] in rows and k[1] in cols)}
        elif func == "addConditionalFormat":
            name = self.names[action["sheet_position"]]
            self.rules.setdefault(name, []).append({**args[0], **{k: action[k] for k in (
                "start_row", "start_column", "row_count", "column_count")}})  # fmt: skip

    def marks(self, name: str, rules: list[dict[str, Any]] | None = None) -> dict[tuple[int, int], str]:
        """The fill each cell of ``name`` shows through its conditional formats of the form
        ``='Sheet'!B2="text"`` (a relative reference, shifted per cell as Excel does); the
        first rule that holds wins, as every rule jixiao adds stops the others."""
        shown: dict[tuple[int, int], str] = {}
        for rule in rules if rules is not None else self.rules.get(name, []):
            match = re.fullmatch(r"='((?:[^']|'')+)'!([A-Z]+)(\d+)=\"(.*)\"", rule["formula"])
            assert match, rule["formula"]
            sheet, letters, number, text = match.groups()
            ref_col = 0
            for letter in letters:
                ref_col = ref_col * 26 + ord(letter) - 64
            ref_row, ref_col = int(number) - 1, ref_col - 1
            source = self.values.get(sheet.replace("''", "'"), {})
            for r in range(rule["row_count"]):
                for c in range(rule["column_count"]):
                    cell = (rule["start_row"] + r, rule["start_column"] + c)
                    if cell not in shown and source.get((ref_row + r, ref_col + c)) == text:
                        shown[cell] = rule["fill_color"]
        return shown

    def book(self, name: str = "book.xlsx", active: int = 0) -> xw.Book:
        """A new Book holding these sheets' values, as Excel would send it next time."""
        sheets = []
        for sheet in self.names:
            rows = self.rows(sheet) or [[""]]
            width = max(len(r) for r in rows)
            values = [[_json_value(v) for v in row] + [""] * (width - len(row)) for row in rows]
            sheets.append({"name": sheet, "values": values, "pictures": [], "tables": [],
                           "charts": [], "shapes": [], "pivot_tables": []})  # fmt: skip
        return book_from_sheets(name, sheets, active)

    def rows(self, name: str) -> list[list[Any]]:
        cells = self.values[name]
        if not cells:
            return []
        height = max(r for r, _ in cells) + 1
        width = max(c for _, c in cells) + 1
        return [[cells.get((r, c)) for c in range(width)] for r in range(height)]
