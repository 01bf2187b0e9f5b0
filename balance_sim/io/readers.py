"""Readers: CSV, Excel workbook sheets and Parquet files → raw tables of text, labelled by source.

Every cell is read as text so that each bad cell can later be reported at the row and column the
user sees (header = row 1, first data row = row 2). Files are only ever opened for reading.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from balance_sim.errors import InputError, Problem
from balance_sim.io.dictionary import dictionary, normalise_header
from balance_sim.io.encoding import decode


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


def read_csv(path: Path, label: str | None = None) -> RawTable:
    label = label or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(Problem(label, None, None, f"cannot read: {error.strerror}")) from None
    decoded = decode(data, label)
    rows = list(csv.reader(io.StringIO(decoded.text, newline="")))
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
    """Each sheet named after a table (schools/学校, …) as a raw table, and notes on other sheets."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputError(Problem(str(path), None, None, f"not a readable .xlsx workbook ({error})")) from None
    try:
        return _sheets(path, book)
    finally:
        book.close()


def _sheets(path: Path, book) -> tuple[dict[str, RawTable], list[str]]:
    by_name = {
        normalise_header(name): table.name
        for table in dictionary().tables.values()
        for name in table.names
    }
    found: dict[str, RawTable] = {}
    seen: set[str] = set()
    ignored: list[str] = []
    problems: list[Problem] = []
    for sheet in book.worksheets:
        table = by_name.get(normalise_header(sheet.title))
        label = f"{path}[{sheet.title}]"
        if table is None:
            ignored.append(sheet.title)
        elif table in seen:
            problems.append(Problem(label, None, None, f"a second sheet for table {table}"))
        else:
            seen.add(table)
            rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            try:
                found[table] = from_rows(label, rows)
            except InputError as error:
                problems.extend(error.problems)
    if "schools" not in seen:
        names = ", ".join(dictionary().tables["schools"].names)
        sheets = ", ".join(s.title for s in book.worksheets)
        problems.append(Problem(str(path), None, None, f"no sheet named {names} (sheets: {sheets})"))
    if problems:
        raise InputError(problems)
    notes = [f"{path}: sheets not in the data dictionary, ignored: {', '.join(ignored)}"] if ignored else []
    return found, notes
