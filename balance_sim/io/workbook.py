"""Reading the cells of an .xlsx workbook so that a file that cannot be read faithfully is an
InputError naming the file, and the sheet or cell when known, never a traceback or a silent blank.

Refused: a file that is not a zip archive; an OLE2 compound file under an .xlsx name (what a
spreadsheet program writes for a password-protected workbook, or an old .xls renamed); a damaged
archive (a zip checksum error, compressed data or sheet XML cut off), found while the file is
opened or while its sheets are read; a formula cell without a saved value, which a workbook holds
when it was written by a program and never saved by a spreadsheet program (openpyxl reads it as
blank, so an optional cell would silently drop a school from an indicator).

Formulas are found in one pass that reads formulas instead of their saved values; only when the
sheets hold any are they read a second time for the saved values, so a workbook without formulas
costs one reading, as before.
"""
from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from balance_sim.errors import InputError, Problem

# The first bytes of an OLE2 compound file (Compound File Binary, MS-CFB §2.2).
COMPOUND_FILE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# Types of a formula's saved text result: an empty text (=IF(…,"")) reads as blank but is a value.
_TEXT_TYPES = {"s", "str", "inlineStr"}
_ADVICE = "copy it again from its source, or export it anew"


@dataclass(frozen=True)
class SheetGrid:
    """The cells of one sheet as values, row 1 first; merged ranges as (min_row, min_col, max_row,
    max_col), 1-based; formula cells without a saved value by (row, column), 1-based."""

    title: str
    rows: list[list[object]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    unsaved_formulas: dict[tuple[int, int], str] = field(default_factory=dict)


def read_grids(path: str | Path, wanted: Callable[[str], bool] = lambda title: True,
               merged: bool = False) -> tuple[list[str], list[SheetGrid]]:
    """The titles of every sheet of the workbook at `path` and the grids of the `wanted` ones.

    `merged`: also read the merged ranges (the full, slower reading mode of openpyxl).
    """
    path = Path(path)
    _refuse_foreign_file(path)
    titles, grids = _read(path, wanted, merged, formulas=True)
    found = {grid.title: _formula_cells(grid) for grid in grids}
    if not any(found.values()):
        return titles, grids
    _, saved = _read(path, lambda title: bool(found.get(title)), merged, formulas=False, watched=found)
    by_title = {grid.title: grid for grid in saved}
    return titles, [by_title.get(grid.title, grid) for grid in grids]


def unsaved_formula_problems(label: str, grid: SheetGrid, column_name: Callable[[int, int], str]) -> list[Problem]:
    """One problem per column holding formulas without a saved value, at its first such cell.

    `column_name(row, column)` names a column as the caller's messages do (letter, header).
    """
    by_column: dict[int, list[tuple[int, str]]] = {}
    for (row, column), formula in sorted(grid.unsaved_formulas.items(), key=lambda item: (item[0][1], item[0][0])):
        by_column.setdefault(column, []).append((row, formula))
    problems = []
    for column, cells in by_column.items():
        row, formula = cells[0]
        more = f" (and {len(cells) - 1} more in this column, down to row {cells[-1][0]})" if len(cells) > 1 else ""
        problems.append(Problem(label, row, column_name(row, column),
                                f"formula {formula} has no saved value{more}: the workbook must be saved by a "
                                "spreadsheet program (Excel, WPS, LibreOffice) so that its values are stored"))
    return problems


def _refuse_foreign_file(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            start = handle.read(len(COMPOUND_FILE_MAGIC))
    except OSError as error:
        raise InputError(Problem(str(path), None, None, f"cannot read: {error.strerror}")) from None
    if start == COMPOUND_FILE_MAGIC:
        raise InputError(Problem(str(path), None, None,
                                 "cannot read workbook: it is password-protected (encrypted), or an old .xls file "
                                 "named .xlsx (an OLE2 compound file, not the zip archive of an .xlsx file); remove "
                                 "the password in the spreadsheet program, or save the file as .xlsx, and give that copy"))
    if not zipfile.is_zipfile(path):
        raise InputError(Problem(str(path), None, None, "cannot read workbook: not an .xlsx file (which is a zip "
                                 f"archive), or one cut off short; {_ADVICE}"))


def _formula_cells(grid: SheetGrid) -> dict[tuple[int, int], str]:
    """The cells of a grid read with formulas that hold one, with its text. A text cell beginning
    with '=' is among them too: the reading of the saved values tells the two apart."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    found = {}
    for r, row in enumerate(grid.rows, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str) and value.startswith("="):
                found[(r, c)] = value
            elif isinstance(value, ArrayFormula):
                found[(r, c)] = str(value.text)
            elif isinstance(value, DataTableFormula):
                found[(r, c)] = "(a data table)"
    return found


def _read(path: Path, wanted, merged: bool, formulas: bool,
          watched: dict[str, dict[tuple[int, int], str]] | None = None) -> tuple[list[str], list[SheetGrid]]:
    """One reading: with formulas in place of values (`formulas`), or with the saved values, noting
    which `watched` formula cells have none."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=not merged, data_only=not formulas)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise InputError(_damaged(path, error, _damaged_sheet(path))) from None
    try:
        titles = list(book.sheetnames)
        grids = []
        for sheet in book.worksheets:
            if not wanted(sheet.title):
                continue
            try:
                grids.append(_grid(sheet, merged, (watched or {}).get(sheet.title)))
            except Exception as error:  # a sheet's XML is read only now in the read-only mode
                raise InputError(_damaged(path, error, sheet.title)) from None
        return titles, grids
    finally:
        book.close()


def _grid(sheet, merged: bool, watched: dict[tuple[int, int], str] | None) -> SheetGrid:
    ranges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges] if merged else []
    if not watched:
        return SheetGrid(sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)], ranges)
    rows, unsaved = [], {}
    for r, cells in enumerate(sheet.iter_rows(), start=1):
        rows.append([cell.value for cell in cells])
        for c, cell in enumerate(cells, start=1):
            if (r, c) in watched and cell.value is None and cell.data_type not in _TEXT_TYPES:
                unsaved[(r, c)] = watched[(r, c)]
    return SheetGrid(sheet.title, rows, ranges, unsaved)


def _damaged(path: Path, error: Exception, sheet: str | None) -> Problem:
    if isinstance(error, zipfile.BadZipFile) and "CRC" in str(error):
        reason = f"its data fail the zip checksum ({error})"
    elif isinstance(error, ElementTree.ParseError):
        reason = f"its XML is cut off or malformed ({error})"
    elif isinstance(error, (zlib.error, EOFError)):
        reason = f"its compressed data are cut off or corrupt ({error})"
    else:
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if sheet is None:
        return Problem(str(path), None, None, f"cannot read workbook: the file is damaged, {reason}; {_ADVICE}")
    return Problem(f"{path}[{sheet}]", None, None, f"cannot read workbook: this sheet is damaged, {reason}; {_ADVICE}")


def _damaged_sheet(path: Path) -> str | None:
    """The title of the first sheet whose part of the archive cannot be read, or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            for title, part in _sheet_parts(archive):
                try:
                    with archive.open(part) as stream:
                        for _, element in ElementTree.iterparse(stream):
                            element.clear()
                except Exception:  # the same damage the reader met: this is the sheet
                    return title
    except Exception:  # the archive's own structure is damaged: no sheet to name
        return None
    return None


def _sheet_parts(archive: zipfile.ZipFile) -> Iterator[tuple[str, str]]:
    """(title, part name) of each sheet, from the workbook part and its relationships (ECMA-376 Part 2)."""
    def relationships(part: str) -> dict[str, tuple[str, str]]:
        """Id → (type, part name) of the relationships of `part` ("" for the package)."""
        folder, name = posixpath.split(part)
        root = ElementTree.fromstring(archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))
        out = {}
        for relation in root:
            target = relation.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[relation.get("Id")] = (relation.get("Type", ""), target)
        return out

    workbook = next(target for kind, target in relationships("").values() if kind.endswith("/officeDocument"))
    targets = {key: target for key, (_, target) in relationships(workbook).items()}
    for element in ElementTree.fromstring(archive.read(workbook)).iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet":
            relation = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
            if relation in targets:
                yield element.get("name", ""), targets[relation]
