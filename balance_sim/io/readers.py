"""Readers: CSV, Excel workbook sheets and Parquet files → raw tables of text, labelled by source.

Every cell is read as text so that each bad cell can later be reported at the row and column the
user sees (header = row 1, first data row = row 2). Files are only ever opened for reading.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from balance_sim.errors import InputError, Problem
from balance_sim.io.dictionary import dictionary, normalise_header
from balance_sim.io.encoding import decode
from balance_sim.io.workbook import read_grids, unsaved_formula_problems

# A cell of a school table is a name, a code, a word or a number: tens of characters. A cell of
# thousands is a pasted file or a broken quote that swallowed the rest of the file.
MAX_CELL_CHARS = 10_000
_FIELD_LIMIT_LOCK = threading.Lock()  # csv.field_size_limit is one setting for every thread


@dataclass(frozen=True)
class RawTable:
    """One input table as text. `rows` are the user-visible row numbers of `cells` (header = 1)."""

    label: str  # file name as reported, e.g. data/schools.csv or county.xlsx[学校]
    headers: list[str]
    cells: list[list[str]]
    rows: list[int]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def frame(self) -> pd.DataFrame:
        """Cells as a string frame indexed by the user-visible row; columns by position."""
        return pd.DataFrame(self.cells, index=pd.Index(self.rows, name="row"), dtype=str)


def cell_text(value: object) -> str:
    """The text of a typed cell (Excel, Parquet): empty for missing; whole floats without '.0'."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        # Excel stores every number as a float; 12.0 is the whole number the user typed.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def from_rows(label: str, rows: list[list[str]], notes: tuple[str, ...] = ()) -> RawTable:
    """A raw table from rows of text (row 1 the header); blank rows are skipped but counted."""
    problems: list[Problem] = []
    if not any(any(c.strip() for c in row) for row in rows):
        raise InputError(Problem(label, None, None, "file is empty"))
    headers = [h.strip() for h in rows[0]]
    width = len(headers)
    cells, numbers = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        extra = [c for c in row[width:] if c.strip()]
        if extra:
            problems.append(Problem(label, number, None, f"{len(row)} cells but {width} headers"))
        cells.append([c.strip() for c in row[:width]] + [""] * (width - len(row)))
        numbers.append(number)
    for position, header in enumerate(headers):
        if not header and any(r[position] for r in cells):
            problems.append(Problem(label, 1, f"#{position + 1}", "column has values but no header"))
    if not cells and not problems:
        problems.append(Problem(label, None, None, "no data rows: the file has only a header"))
    if problems:
        raise InputError(problems)
    return RawTable(label, headers, cells, numbers, notes)


def _csv_rows(text: str, label: str) -> list[list[str]]:
    """The records of CSV text. The csv module's own field limit (131,072 characters, global to
    the process) is raised while reading, since the whole text is in memory already: an over-long
    cell is then refused at its row and column (`_long_cells`) instead of as a bare csv.Error."""
    with _FIELD_LIMIT_LOCK:
        previous = csv.field_size_limit(max(len(text) + 1, csv.field_size_limit()))
        reader = csv.reader(io.StringIO(text, newline=""))
        rows: list[list[str]] = []
        try:
            rows.extend(reader)
        except csv.Error as error:
            raise InputError(Problem(label, len(rows) + 1, None, f"not readable as CSV: {error}")) from None
        finally:
            csv.field_size_limit(previous)
    return rows


def _long_cells(rows: list[list[str]], label: str) -> list[Problem]:
    headers = rows[0] if rows else []
    problems = []
    for number, row in enumerate(rows, start=1):
        if max(map(len, row), default=0) <= MAX_CELL_CHARS:
            continue
        for position, cell in enumerate(row):
            if len(cell) > MAX_CELL_CHARS:
                name = headers[position].strip() if number > 1 and position < len(headers) else ""
                lines = cell.count("\n") + 1
                hint = f"; it spans {lines:,} lines: probably a quote (\") opened here and never closed" if lines > 1 else ""
                column = name if name and len(name) <= MAX_CELL_CHARS else f"#{position + 1}"
                problems.append(Problem(label, number, column, f"value of {len(cell):,} characters is longer than "
                                                               f"any real cell (limit {MAX_CELL_CHARS:,}){hint}"))
    return problems


def read_csv(path: Path, label: str | None = None) -> RawTable:
    label = label or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(Problem(label, None, None, f"cannot read: {error.strerror}")) from None
    decoded = decode(data, label)
    rows = _csv_rows(decoded.text, label)
    too_long = _long_cells(rows, label)
    if too_long:
        raise InputError(too_long)
    notes = (f"{label}: read as GB18030/GBK",) if decoded.encoding == "gb18030" else ()
    return from_rows(label, rows, notes)


def read_parquet(path: Path, label: str | None = None) -> RawTable:
    label = label or str(path)
    try:
        frame = pd.read_parquet(path)
    except Exception as error:  # pyarrow raises several types for a damaged or foreign file
        raise InputError(Problem(label, None, None, f"not a readable Parquet file ({error})")) from None
    header = [str(c) for c in frame.columns]
    body = [[cell_text(v) for v in row] for row in frame.astype(object).itertuples(index=False)]
    return from_rows(label, [header, *body])


def read_workbook(path: Path) -> tuple[dict[str, RawTable], list[str]]:
    """Each sheet named after a table (schools/学校, …) as a raw table, and notes on other sheets.

    Damaged, encrypted and never-calculated workbooks are refused by `workbook.read_grids`.
    """
    by_name = {
        normalise_header(name): table.name
        for table in dictionary().tables.values()
        for name in table.names
    }
    titles, grids = read_grids(path, wanted=lambda title: normalise_header(title) in by_name)
    found: dict[str, RawTable] = {}
    seen: set[str] = set()
    problems: list[Problem] = []
    for grid in grids:
        table = by_name[normalise_header(grid.title)]
        label = f"{path}[{grid.title}]"
        if table in seen:
            problems.append(Problem(label, None, None, f"a second sheet for table {table}"))
            continue
        seen.add(table)
        rows = [[cell_text(v) for v in row] for row in grid.rows]
        unsaved = unsaved_formula_problems(label, grid, partial(_column_name, rows[0] if rows else []))
        try:
            found[table] = from_rows(label, rows)
        except InputError as error:
            problems.extend(unsaved or error.problems)  # blank formula cells explain the rest
            continue
        problems.extend(unsaved)
    if "schools" not in seen:
        names = ", ".join(dictionary().tables["schools"].names)
        problems.append(Problem(str(path), None, None, f"no sheet named {names} (sheets: {', '.join(titles)})"))
    ignored = [title for title in titles if normalise_header(title) not in by_name]
    if problems:
        raise InputError(problems)
    notes = [f"{path}: sheets not in the data dictionary, ignored: {', '.join(ignored)}"] if ignored else []
    return found, notes


def _column_name(headers: list[str], row: int, column: int) -> str:
    """A workbook column as problems name it: its letter, and its header below row 1."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column)
    header = headers[column - 1].strip() if column <= len(headers) else ""
    return f"{letter} ({header})" if header and row > 1 else letter
