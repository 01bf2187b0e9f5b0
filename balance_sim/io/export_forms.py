"""The education statistics export (教育事业统计基层表) as an input form of `load`: a folder of
export workbooks, or one export workbook, read through `balance_sim.statexport.read_export` and
then validated like any canonical table.

Detection rule (a canonical folder or workbook is never read as an export):
- a folder is an export when it holds **no canonical schools table** (schools/学校 .csv or
  .parquet) and at least one .xlsx, .xlsm or .csv file whose name contains a level word of the
  mapping (小学, 初中, 高中 in the shipped one); `mapping.yaml` (or `.yml`) and `campuses.csv` in
  the folder are used as the mapping file and the campus → parent list;
- a single .xlsx/.xlsm file is an export when **no sheet is named after a canonical table**
  (schools/学校, teachers/教师, …) and its file name or one of its sheet names contains a level word.
Source: design.md "Input forms", "Command line" (`import`); docs/sources.md#statistics-export.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from balance_sim.county import County
from balance_sim.errors import InputError
from balance_sim.io.dictionary import dictionary, normalise_header
from balance_sim.io.readers import RawTable, cell_text, from_rows

EXPORT_SUFFIXES = (".xlsx", ".xlsm", ".csv")
MAPPING_FILES = ("mapping.yaml", "mapping.yml")
CAMPUS_FILE = "campuses.csv"
_TABLE_SUFFIXES = (".csv", ".parquet")


def _mapping(folder: Path):
    # Imported here: the export reader builds on this package's dictionary and combined modules.
    from balance_sim.statexport import load_mapping

    found = [folder / name for name in MAPPING_FILES if (folder / name).is_file()]
    return load_mapping(found[0] if found else None)


def _table_names() -> set[str]:
    return {normalise_header(name) for table in dictionary().tables.values() for name in table.names}


def _has_level_word(text: str, words) -> bool:
    return any(word in text for word in words)


def export_files(path: Path) -> list[Path] | None:
    """The export files at `path` (folder or workbook) by the rule above, or None when `path` is
    not an export (a canonical form, or neither)."""
    if path.is_dir():
        schools_names = {normalise_header(n) for n in dictionary().tables["schools"].names}
        entries = sorted(p for p in path.iterdir() if p.is_file())
        if any(p.suffix.lower() in _TABLE_SUFFIXES and normalise_header(p.stem) in schools_names for p in entries):
            return None
        words = _mapping(path).level_words
        tables = _table_names()
        found = [p for p in entries if p.suffix.lower() in EXPORT_SUFFIXES and not p.name.startswith(("~$", "."))
                 and normalise_header(p.stem) not in tables and _has_level_word(p.name, words)]
        return found or None
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = _sheet_names(path)
        if sheets is None or {normalise_header(s) for s in sheets} & _table_names():
            return None
        words = _mapping(path.parent).level_words
        if _has_level_word(path.name, words) or any(_has_level_word(s, words) for s in sheets):
            return [path]
    return None


def _sheet_names(path: Path) -> list[str] | None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # not a workbook: the canonical reader reports it properly
        return None
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def load_export(path: Path, files: list[Path], build: Callable[..., County], year: int | None = None,
                notes: list[str] = ()) -> County:
    """The County in export `files` at `path`: read, mapped, then validated by `build` (the
    canonical loader's); problems in the mapped tables are reported at the export's rows."""
    from balance_sim.statexport import read_export

    folder = path if path.is_dir() else path.parent
    campuses = folder / CAMPUS_FILE
    result = read_export(files, mapping=_mapping(folder), campus_parents=campuses if campuses.is_file() else None,
                         year=year)
    labels = {table: result.table_label(table, str(path)) for table in ("schools", "shared_facilities")}
    raws = {"schools": _raw(result.schools, labels["schools"])}
    if len(result.shared_facilities):
        raws["shared_facilities"] = _raw(result.shared_facilities, labels["shared_facilities"])
    notes = [*notes, f"read as an education statistics export ({len(files)} file(s)); mapping report:\n{result.report.text}",
             *result.notes]
    try:
        return build(raws, source=str(path), notes=notes)
    except InputError as error:
        tables = {label: table for table, label in labels.items()}
        raise InputError([result.at_source(p, tables[p.file], str(path)) if p.file in tables else p
                          for p in error.problems]) from None


def _raw(frame: pd.DataFrame, label: str) -> RawTable:
    cells = [[cell_text(v) for v in row] for row in frame.astype(object).itertuples(index=False)]
    return from_rows(label, [list(frame.columns), *cells])
