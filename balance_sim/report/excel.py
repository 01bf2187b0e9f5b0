"""Excel workbook of a report's main tables, for policy staff (openpyxl).

School names and other text come from users' files. Excel would run a text cell that starts with
`=`, `+`, `-` or `@` as a formula (formula injection), so every such cell is stored as a string
with Excel's quote prefix: it shows exactly as typed and never calculates. The workbook is written
to a temporary file and moved into place, so a failed write leaves nothing half-written.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from balance_sim import atomic
from balance_sim.spreadsheet_safe import FORMULA_TRIGGERS
from balance_sim.indicators import definitions
from balance_sim.report.labels import indicator_label, translate

INDICATORS = frozenset(definitions())

_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
_MAX_WIDTH = 60


def _plain(value: object) -> object:
    """A cell value openpyxl can store: Python scalars, missing values as empty cells."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def set_cell(cell, value: object) -> None:
    """Put `value` in `cell`; text that Excel would read as a formula stays text."""
    value = _plain(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"  # openpyxl guessed "f" from the leading "="
        cell.quotePrefix = True  # Excel shows it as typed, even after the user edits the cell


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet title (≤ 31 characters, none of []:*?/\\)."""
    base = (name.translate(_BAD_SHEET_CHARS).strip("'") or "Sheet")[:31]
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def number_format(column: str, values: pd.Series) -> str | None:
    """How a numeric column shows (the cell keeps every digit): whole numbers and yuan without
    decimals, other measures with three."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    whole = pd.api.types.is_integer_dtype(values) or bool(((values.dropna() % 1) == 0).all())
    return "#,##0" if whole or "yuan" in str(column) or "元" in str(column) else "#,##0.000"


def _shown(value: object, fmt: str | None) -> str:
    if fmt is None or not isinstance(value, (int, float, np.number)) or value != value:
        return str(value)
    return f"{value:,.0f}" if fmt == "#,##0" else f"{value:,.3f}"


def _fill_sheet(sheet, frame: pd.DataFrame, raw_columns=None) -> None:
    bold = Font(bold=True)
    raw_columns = list(raw_columns if raw_columns is not None else frame.columns)
    formats = [number_format(raw, frame.iloc[:, i]) for i, raw in enumerate(raw_columns)]
    for col, header in enumerate(frame.columns, start=1):
        set_cell(sheet.cell(row=1, column=col), str(header))
        sheet.cell(row=1, column=col).font = bold
    for row, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col)
            set_cell(cell, value)
            if formats[col - 1] and isinstance(cell.value, (int, float)):
                cell.number_format = formats[col - 1]
    for col, header in enumerate(frame.columns, start=1):
        fmt = formats[col - 1]
        longest = max([len(str(header))] + [len(_shown(v, fmt)) for v in frame.iloc[:200, col - 1]])
        sheet.column_dimensions[get_column_letter(col)].width = min(_MAX_WIDTH, longest + 2)
    sheet.freeze_panes = "A2"


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame], language: str = "en") -> Path:
    """Write one sheet per table; headers (and category words for `zh`) in `language`."""
    path = Path(path)
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for name, frame in sheets.items():
        shown = frame
        if language == "zh" and "key" in frame:  # indicator keys read as indicator names
            shown = frame.assign(key=[indicator_label(k, "zh") if k in INDICATORS else k for k in frame["key"]])
        _fill_sheet(workbook.create_sheet(sheet_title(name, taken)), translate(shown, language), frame.columns)
    return atomic.write_file(path, workbook.save)
