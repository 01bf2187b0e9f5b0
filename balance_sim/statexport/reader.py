"""Reading the education statistics export (教育事业统计基层表) into the canonical tables.

One workbook (or CSV) per level, 小学 / 初中 / 高中 (docs/sources.md#statistics-export): each sheet's header
paths go through a mapping (`mapping.py`), branch campuses are folded into their parents
(`campuses.py`), and the whole-school facilities that combined schools report in every level's
workbook become one `shared_facilities` row per school, which the loader splits between the
sections by the weights of docs/sources.md#combined-schools (design.md "Data dictionary"). Every problem in every file
is collected before anything is reported.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from balance_sim.errors import InputError, Problem
from balance_sim.statexport.campuses import fold_campuses, read_campus_parents
from balance_sim.io.combined import shared_columns, split_weights
from balance_sim.io.dictionary import dictionary, normalise_word
from balance_sim.statexport.cells import as_text
from balance_sim.statexport.extract import check_totals, is_total_row, read_row
from balance_sim.statexport.headers import Sheet, read_sheets
from balance_sim.statexport.mapping import HELPER_COLUMNS, Mapping, column_spec, load_mapping
from balance_sim.statexport.report import MappingReport, SheetRead, build_report
from balance_sim.statexport.resolve import BreakdownCheck, SheetMapping, resolve

COMPULSORY_LEVELS = ("primary", "junior")
_TABLE_WORDS = {"schools": "schools", "shared_facilities": "whole-school facilities"}
_HELPER_COLUMNS = (*HELPER_COLUMNS, "parent_school_id")  # used here, not kept


@dataclass(frozen=True)
class ExportResult:
    """Canonical `schools` and `shared_facilities` tables, the mapping report, and notes.

    `origins[table][i]` is the sheet row that row `i` of the table was read from, so that a
    problem found later in the canonical table can be reported where the user can see it.
    """

    schools: pd.DataFrame
    shared_facilities: pd.DataFrame
    report: MappingReport
    notes: tuple[str, ...]
    origins: dict[str, tuple[tuple[SheetMapping, int], ...]] = field(default_factory=dict)
    source: str = ""  # the files read, as a problem without a sheet cell names them

    def locate(self, table: str, position: int, canonical: str) -> tuple[str, int, str] | None:
        """File, row and column (letter and header path) of a canonical cell; None if unknown."""
        rows = self.origins.get(table, ())
        if not 0 <= position < len(rows):
            return None
        mapped, number = rows[position]
        return mapped.sheet.where, number, mapped.label(canonical)

    def table_label(self, table: str, source: str | None = None) -> str:
        """How a problem in a whole canonical table (a missing column) names it."""
        return f"{self.source if source is None else source} ({_TABLE_WORDS[table]} as read from the export)"

    def at_source(self, problem: Problem, table: str, source: str | None = None) -> Problem:
        """A problem found in the canonical `table` as written out (header = row 1, the first
        record row 2), moved to the sheet cell the value was read from; a problem of no record
        (a missing column) is put on the table as read from `source` (default: the files read)."""
        where = None
        if problem.row is not None and problem.row >= 2:
            where = self.locate(table, problem.row - 2, problem.column or "")
        if where is None:
            return Problem(self.table_label(table, source), problem.row, problem.column, problem.message)
        file, row, column = where
        return Problem(file, row, column if problem.column else None, problem.message)


def read_export(
    paths: str | Path | Iterable[str | Path],
    mapping: str | Path | Mapping | None = None,
    campus_parents: str | Path | dict[str, str] | None = None,
    header_rows: int | None = None,
    year: int | None = None,
) -> ExportResult:
    """Read export workbooks (one per level) into canonical tables; raise InputError listing every
    problem (file:row:column) when anything cannot be read without guessing.

    `campus_parents`: a CSV (campus → parent, codes or names) or a dict; `header_rows`: the number
    of header rows when detection should be overridden; `year`: attached as a `year` column.
    """
    mapping = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
    parents = read_campus_parents(campus_parents)
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    problems, sheets, records = [], [], []
    for path in paths:
        try:
            workbook = read_sheets(path, header_rows)
        except InputError as error:  # reported with the other files' problems
            problems += error.problems
            continue
        for sheet in workbook:
            for mapped, rows, found in _map_sheet(sheet, mapping):
                problems += found
                kept = [(n, cells) for n, cells in rows if not is_total_row(mapped, cells)]
                short_rows: dict[BreakdownCheck, list[int]] = {}
                if not found:
                    records += _read_rows(mapped, mapping, kept, problems, short_rows)
                sheets.append(SheetRead(mapped, len(kept), {c: tuple(r) for c, r in short_rows.items()}))
    if not records and not problems:
        problems.append(Problem(", ".join(map(str, paths)) or "-", None, None, "no school rows found"))
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(records)
    numeric = [c for c in frame if c in dictionary().tables["schools"].columns
               and column_spec(c).type in ("int", "float")]
    frame, problems = fold_campuses(frame, parents, numeric, locate)
    if problems:
        raise InputError(problems)
    schools, shared, notes = _split_shared(frame)
    campuses = len(records) - len(frame)
    if campuses:
        notes.insert(0, f"{campuses} campus row(s) not counted as schools (是否计校数 = 0) folded into their parents")
    first_rows = schools.drop_duplicates("school_id").set_index("school_id")
    origins = {"schools": _origins(schools),
               "shared_facilities": _origins(first_rows.reindex(shared["school_id"]))}
    return ExportResult(_canonical(schools, "schools", year), _canonical(shared, "shared_facilities", year),
                        build_report(sheets, mapping), tuple(notes), origins, ", ".join(map(str, paths)))


def _origins(frame: pd.DataFrame) -> tuple[tuple[SheetMapping, int], ...]:
    return tuple(zip(frame["_mapped"], frame["_row"].astype(int)))


def _map_sheet(sheet: Sheet, mapping: Mapping):
    """(mapping, rows, problems) per level in the sheet: the level of its name, else of a 学段 column."""
    named = [level for word, level in mapping.level_words.items() if word in sheet.name]
    named = named or [level for word, level in mapping.level_words.items() if word in Path(sheet.file).name]
    if len(set(named)) == 1:
        mapped, problems = resolve(mapping, sheet, named[0])
        return [(mapped, sheet.rows, problems)]
    probe, _ = resolve(mapping, sheet, "primary")
    if "level" not in probe.sources:
        return [(probe, (), [Problem(sheet.where, None, None, "cannot tell the level: put 小学, 初中 or 高中 "
                                     "in the file or sheet name, or map a 学段 column")])]
    column = probe.sources["level"][0].column
    by_level, problems = {}, []
    for number, cells in sheet.rows:
        if is_total_row(probe, cells):
            continue
        level = mapping.values["level"].get(normalise_word(cells[column.index]))
        if level is None:
            problems.append(Problem(sheet.where, number, column.label, f"level: unknown value {as_text(cells[column.index])!r}"))
        by_level.setdefault(level, []).append((number, cells))
    out = [(probe, (), problems)] if problems else []
    for level, rows in by_level.items():
        if level is not None:
            mapped, found = resolve(mapping, sheet, level)
            out.append((mapped, tuple(rows), found))
    return out


def _read_rows(mapped: SheetMapping, mapping: Mapping, rows, problems: list[Problem],
               short: dict[BreakdownCheck, list[int]]) -> list[dict]:
    """The records of `rows`; their problems go to `problems`, and the rows where a trimmed
    breakdown falls short of its total to `short`."""
    records = []
    for number, cells in rows:
        record, found = read_row(mapped, mapping, number, cells)
        wrong_totals, short_checks = check_totals(mapped, number, cells)
        problems += found + wrong_totals
        for check in short_checks:
            short.setdefault(check, []).append(number)
        record.update(level=mapped.level, _mapped=mapped, _row=number)
        records.append(record)
    return records


def locate(record: pd.Series, canonical: str) -> tuple[str, int, str]:
    """File, visible row and column (letter and header path) of a record's canonical value."""
    mapped = record["_mapped"]
    return mapped.sheet.where, int(record["_row"]), mapped.label(canonical)


def _split_shared(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Compulsory sections (combined schools without their whole-school facilities) and one
    whole-school facilities row per combined school; the senior pupils come from the 高中 rows."""
    facilities = [c for c in shared_columns() if c in frame]
    types = frame["school_type"] if "school_type" in frame else pd.Series("regular", index=frame.index)
    combined_ids = set(frame.loc[types.isin(split_weights().combined_types), "school_id"])
    compulsory = frame[frame["level"].isin(COMPULSORY_LEVELS)].copy()
    problems, notes = [], []
    rows = [_shared_row(frame[frame["school_id"] == school_id], facilities, problems, notes)
            for school_id in sorted(combined_ids & set(compulsory["school_id"]))]
    for _, at in compulsory[compulsory.duplicated(["school_id", "level"])].iterrows():
        problems.append(Problem(*locate(at, "school_id"), f"school {at['school_id']} appears twice at level {at['level']}"))
    if problems:
        raise InputError(problems)
    compulsory.loc[compulsory["school_id"].isin(combined_ids), facilities] = pd.NA
    left_out = frame[(frame["level"] == "senior") & ~frame["school_id"].isin(combined_ids)]
    if len(left_out):
        notes.append(f"{len(left_out)} senior-only school(s) of the 高中 workbook left out (not compulsory education)")
    shared = pd.DataFrame(rows, columns=["school_id", "school_type", "students_senior", *facilities])
    return compulsory, shared, notes


def _shared_row(sections: pd.DataFrame, facilities: list[str], problems: list[Problem], notes: list[str]) -> dict:
    """One combined school's whole-school facilities, which every workbook must state alike."""
    first = sections.iloc[0]
    senior = sections[sections["level"] == "senior"]
    row = {"school_id": first["school_id"], "school_type": first["school_type"],
           "students_senior": senior["students"].iloc[0] if len(senior) else pd.NA}
    if not len(senior) and first["school_type"] != "nine_year":
        notes.append(f"{first['name']} ({first['school_id']}) has a senior part but no 高中 row was read: "
                     "students_senior left empty")
    for column in facilities:
        values = sections[column].dropna()
        row[column] = values.iloc[0] if len(values) else pd.NA
        stated = sections.loc[values.index[:1]]
        for index, value in values.iloc[1:].items():
            if abs(value - values.iloc[0]) > 1e-6 * max(1.0, abs(values.iloc[0])):
                where, number, _ = locate(stated.iloc[0], column)
                problems.append(Problem(*locate(sections.loc[index], column),
                                        f"whole-school {column} of {first['name']} is {value:g} here but "
                                        f"{values.iloc[0]:g} in {where} row {number}"))
    return row


def _canonical(frame: pd.DataFrame, table: str, year: int | None) -> pd.DataFrame:
    """Columns in data-dictionary order with its types: text as str, counts as Int64 (empty allowed)."""
    spec = dictionary().tables[table].columns
    frame = frame.assign(year=year) if year is not None else frame
    columns = [c for c in spec if c in frame and c not in _HELPER_COLUMNS]
    out = {}
    for column in columns:
        kind = spec[column].type
        values = frame[column]
        if kind == "int":
            out[column] = pd.array(values.astype("Float64").round(), dtype="Int64")
        elif kind == "float":
            out[column] = values.astype("float64")
        else:
            out[column] = values.astype("str").where(values.notna(), pd.NA).astype("str")
    return pd.DataFrame(out, columns=columns).reset_index(drop=True)
