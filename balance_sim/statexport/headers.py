"""Header paths of an export sheet whose header spans several rows with merged cells.

Each column is named by the path of its header cells from top to bottom
(`专任教师 › #按学历分 › 本科`), as county staff read the annual statistics base tables
(docs/sources.md#statistics-export). The header ends below the last merged range that starts in it and above
the first row holding a number; a row of column numbers (甲 乙 1 2 3 …) under it is skipped, and a
cell merged over several data rows gives its value to each.
CSV exports have no merged cells: a group header stands in the first column of its span, so a blank
header cell under the same parent takes the text on its left.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from openpyxl.utils import get_column_letter

from balance_sim.errors import InputError, Problem
from balance_sim.io.encoding import decode
from balance_sim.io.workbook import read_grids, unsaved_formula_problems
from balance_sim.statexport.cells import as_number, header_text, is_blank, looks_numeric, segment_key

SEPARATOR = " › "
_COLUMN_NUMBER_WORDS = set("甲乙丙丁戊己庚辛") | {"栏号", "序号"}


@dataclass(frozen=True)
class HeaderColumn:
    """One column of a sheet: position, Excel letter and header path."""

    index: int
    path: tuple[str, ...]

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)

    @property
    def text(self) -> str:
        return SEPARATOR.join(self.path)

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(segment_key(segment) for segment in self.path)

    @property
    def label(self) -> str:
        """How problems name the column: letter and header path."""
        return f"{self.letter} ({self.text})"


@dataclass(frozen=True)
class Sheet:
    """A sheet's header paths and data rows; `rows` pairs each visible row number with its cells."""

    file: str
    name: str
    columns: tuple[HeaderColumn, ...]
    header_rows: int
    rows: tuple[tuple[int, tuple], ...]

    @property
    def where(self) -> str:
        return self.file if not self.name else f"{self.file}[{self.name}]"


def read_sheets(path: str | Path, header_rows: int | None = None) -> list[Sheet]:
    """Every non-empty sheet of an `.xlsx` workbook, or the one sheet of a `.csv` file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(Problem(str(path), None, None, "no such file"))
    if path.suffix.lower() == ".csv":
        grid = read_csv_grid(path)
        return [_sheet(str(path), "", grid, [], header_rows, fill_right=True)] if grid else []
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(Problem(str(path), None, None, "expected an .xlsx workbook or a .csv file"))
    # Merged ranges need the full (not read-only) mode. Damaged, encrypted and never-calculated
    # workbooks are refused there (balance_sim/io/workbook.py).
    _, grids = read_grids(path, merged=True)
    sheets, problems = [], []
    for grid in grids:
        if any(not is_blank(v) for row in grid.rows for v in row):
            sheet = _sheet(str(path), grid.title, grid.rows, grid.merged, header_rows, fill_right=False)
            sheets.append(sheet)
        else:
            sheet = Sheet(str(path), grid.title, (), 0, ())
        problems += unsaved_formula_problems(sheet.where, grid, partial(_column_label, sheet))
    if problems:
        raise InputError(problems)
    return sheets


def _column_label(sheet: Sheet, row: int, column: int) -> str:
    """A cell's column as problems name it: letter and header path in a data row, else the letter."""
    named = {c.index: c for c in sheet.columns}.get(column - 1)
    return named.label if named is not None and row > sheet.header_rows else get_column_letter(column)


def read_csv_grid(path: Path) -> list[list[str]]:
    """Rows of a CSV file in UTF-8 (with or without BOM) or GBK/GB18030, decided strictly."""
    text = decode(path.read_bytes(), str(path)).text
    return [row for row in csv.reader(io.StringIO(text))]


def _sheet(file, name, grid, merged, header_rows, fill_right) -> Sheet:
    width = max(len(row) for row in grid)
    grid = [list(row) + [None] * (width - len(row)) for row in grid]
    if header_rows is None:
        header_rows = detect_header_rows(grid, merged)
    for r0, c0, r1, c1 in merged:
        if r0 > header_rows:  # a value merged down several schools (a county name) holds for each
            for r in range(r0 - 1, r1):
                grid[r][c0 - 1:c1] = [grid[r0 - 1][c0 - 1]] * (c1 - c0 + 1)
    first_data = header_rows
    if first_data < len(grid) and _is_column_number_row(grid[first_data]):
        first_data += 1
    origins = _origins(grid[:header_rows], merged, fill_right)
    columns = tuple(HeaderColumn(c, _path(grid, origins, c)) for c in range(width))
    rows = tuple(
        (number + 1, tuple(grid[number]))
        for number in range(first_data, len(grid))
        if any(not is_blank(v) for v in grid[number])
    )
    return Sheet(file, name, tuple(c for c in columns if c.path), header_rows, rows)


def detect_header_rows(grid: list[list], merged: list[tuple[int, int, int, int]]) -> int:
    """Rows above the data: down past every merged range begun in the header, then to the first
    row holding a number."""
    rows = 1
    while True:
        bottom = max([rows] + [r1 for r0, _, r1, _ in merged if r0 <= rows])
        while bottom < len(grid) and not any(looks_numeric(v) for v in grid[bottom]):
            bottom += 1
        if bottom == rows:
            return rows
        rows = bottom


def _is_column_number_row(row: list) -> bool:
    """栏号: 甲 乙 丙 … over the text columns, 1 2 3 … over the number columns."""
    numbers = [as_number(v) for v in row if looks_numeric(v)]
    words = {str(v).strip() for v in row if not is_blank(v) and not looks_numeric(v)}
    counted = numbers == [float(n) for n in range(1, len(numbers) + 1)]
    return len(numbers) >= 2 and counted and bool(words) and words <= _COLUMN_NUMBER_WORDS


def _origins(header: list[list], merged, fill_right: bool) -> list[list]:
    """For each header cell, the cell its text comes from (a merged range's top-left), or None."""
    origin = [[None if is_blank(v) else (r, c) for c, v in enumerate(row)] for r, row in enumerate(header)]
    for r0, c0, r1, c1 in merged:
        if r0 > len(header) or is_blank(header[r0 - 1][c0 - 1]):
            continue
        for r in range(r0 - 1, min(r1, len(header))):
            for c in range(c0 - 1, c1):
                origin[r][c] = (r0 - 1, c0 - 1)
    if fill_right:
        for r, row in enumerate(origin):
            for c in range(1, len(row)):
                below = any(origin[k][c] is not None for k in range(r + 1, len(origin)))
                same_parent = all(origin[k][c] == origin[k][c - 1] for k in range(r))
                if row[c] is None and row[c - 1] is not None and below and same_parent:
                    row[c] = row[c - 1]
    # A row that says the same thing over every column (a title) names no column.
    return [row for row in origin if len({o for o in row}) > 1 or len(row) == 1]


def _path(grid, origins, column: int) -> tuple[str, ...]:
    path, previous = [], None
    for row in origins:
        origin = row[column]
        if origin is not None and origin != previous:  # a vertical merge names its column once
            path.append(header_text(grid[origin[0]][origin[1]]))
        previous = origin if origin is not None else previous
    return tuple(p for p in path if p)
