"""`load(path) -> County`: files as county staff keep them (a folder of CSV or Parquet files, one
Excel workbook, a single schools file, the statistics export's workbooks, a folder of year
folders), the embedded demo data, or a synthetic country named `synthetic:N[:SEED]`, read, typed
and validated.

Every problem in every table is collected before one InputError is raised; nothing is returned
half-checked and the input is only ever read. Source: design.md "Data flow", "Data dictionary".
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from balance_sim.county import County
from balance_sim.errors import InputError, Problem
from balance_sim.io.combined import apply_split, shared_columns
from balance_sim.io.convert import read_column
from balance_sim.io.dictionary import dictionary, normalise_header
from balance_sim.io.export_forms import export_files, load_export
from balance_sim.io.headers import MappedTable, map_headers
from balance_sim.io.links import school_links, shared_links, teacher_links
from balance_sim.io.panel import load_panel, year_folders
from balance_sim.io.readers import RawTable, read_csv, read_parquet, read_workbook
from balance_sim.io.schema import cell_problems, table_problems

DEMOS = {"demo": "demo_county", "demo-province": "demo_province"}
SYNTHETIC_PREFIX = "synthetic:"  # synthetic:N[:SEED], balance_sim.datasets.national
_FILE_READERS = {".csv": read_csv, ".parquet": read_parquet}


def load(path: str | os.PathLike) -> County:
    """The validated County in `path` (folder, .xlsx, .csv, .parquet), the word `demo`, or
    `synthetic:N[:SEED]` (N counties of the synthetic country, SEED default 1; like the demo
    words, this form wins over a file of that name: write ./synthetic:5 for one).

    A folder of export workbooks or one export workbook is read through the export reader
    (`export_forms.py` states the detection rule); a folder of year folders (2021/, 2022/, …)
    is a panel (`panel.py`). Raises InputError listing every problem as file, row (header = 1)
    and column.
    """
    if str(path) in DEMOS:
        return _demo(str(path))
    if str(path).startswith(SYNTHETIC_PREFIX):
        return _synthetic(str(path))
    path = Path(path)
    years = year_folders(path)
    if not years:
        return _load_one(path)
    beside = [p for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith(".")]
    if export_files(path) or any(_table_of(p.stem) == "schools" for p in beside):
        # The folder's own tables are what it holds; sub-folders named by years are not read.
        return _load_one(path, extra_notes=[f"sub-folders {', '.join(map(str, years))} not read: "
                                            "the folder holds tables of its own"])
    return load_panel(path, years, _load_one, beside)


def _load_one(path: Path, year: int | None = None, extra_notes: list[str] = ()) -> County:
    """One year's data at `path`: export workbooks or canonical tables."""
    files = export_files(path)
    if files:
        return load_export(path, files, build, year, list(extra_notes))
    raws, notes = read_tables(path)
    return build(raws, source=str(path), notes=[*extra_notes, *notes])


def _demo(word: str) -> County:
    # Imported here: the datasets layer builds on io, not the other way round.
    try:
        from balance_sim import datasets
    except ImportError:
        raise InputError(Problem(word, None, None, "the demo data are not installed")) from None
    return getattr(datasets, DEMOS[word])()


def _synthetic(text: str) -> County:
    # a malformed form is a ParameterError naming the PATH (exit 2 on the command line)
    try:
        from balance_sim.datasets.national import country_from_source
    except ImportError:
        raise InputError(Problem(text, None, None, "the synthetic data generator is not installed")) from None
    return country_from_source(text)


def _table_of(stem: str) -> str | None:
    for table in dictionary().tables.values():
        if normalise_header(stem) in map(normalise_header, table.names):
            return table.name
    return None


def read_tables(path: Path) -> tuple[dict[str, RawTable], list[str]]:
    """The raw tables at `path` by table name, and notes; InputError for what cannot be read."""
    label = str(path)
    if not path.exists():
        raise InputError(Problem(label, None, None, "no such file or folder"))
    if path.is_dir():
        return _read_folder(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_workbook(path)
    if suffix == ".xls":
        raise InputError(Problem(label, None, None, "old .xls workbooks are not read; save as .xlsx"))
    if suffix not in _FILE_READERS:
        raise InputError(Problem(label, None, None, "not a folder, .xlsx, .csv or .parquet file"))
    table = _table_of(path.stem) or "schools"
    if table != "schools":
        message = f"a {table} table alone is not a county; give the folder that holds schools too"
        raise InputError(Problem(label, None, None, message))
    return {"schools": _FILE_READERS[suffix](path)}, []


def _read_folder(folder: Path) -> tuple[dict[str, RawTable], list[str]]:
    files: dict[str, list[Path]] = {}
    for entry in sorted(folder.iterdir()):
        table = _table_of(entry.stem)
        if entry.is_file() and entry.suffix.lower() in _FILE_READERS and table:
            files.setdefault(table, []).append(entry)
    problems: list[Problem] = []
    raws: dict[str, RawTable] = {}
    if "schools" not in files:
        names = "/".join(dictionary().tables["schools"].names)
        problems.append(Problem(str(folder), None, None, f"no {names}.csv or .parquet file here"))
    for table, paths in files.items():
        if len(paths) > 1:
            found = ", ".join(p.name for p in paths)
            problems.append(Problem(str(folder), None, None, f"several files for {table}: {found}"))
            continue
        try:
            raws[table] = _FILE_READERS[paths[0].suffix.lower()](paths[0])
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return raws, []


def _typed(mapped: MappedTable) -> pd.DataFrame:
    columns = mapped.table.columns
    return pd.DataFrame(
        {c: read_column(mapped.text[c], columns[c], mapped.scales[c])[0] for c in mapped.text.columns},
        index=mapped.text.index,
    )


def _with_defaults(frame: pd.DataFrame, table_name: str) -> pd.DataFrame:
    out = frame.copy()
    for column in dictionary().tables[table_name].columns.values():
        if column.default is not None:
            filled = out[column.name].fillna(column.default) if column.name in out else column.default
            out[column.name] = pd.Series(filled, index=out.index, dtype="str")
    return out


def _classes_column(mapped: MappedTable, schools: pd.DataFrame) -> list[Problem]:
    # classes is required only where there are pupils (design.md), so pandera cannot declare it.
    if "classes" in schools or not schools.get("students", pd.Series()).gt(0).any():
        return []
    return [Problem(mapped.label, 1, "classes", "required column missing (班级数): there are pupils")]


def _link_rules(table: str, typed: dict[str, pd.DataFrame]) -> list:
    schools = typed["schools"]
    if table == "schools":
        return school_links(typed.get("shared_facilities"))
    if table == "teachers":
        return teacher_links(schools)
    if table == "shared_facilities":
        return shared_links(schools)
    return []


def build(raws: dict[str, RawTable], source: str, notes: list[str] = ()) -> County:
    """Map, type and validate raw tables, then split shared facilities and fill defaults."""
    problems: list[Problem] = []
    notes = list(notes)
    mapped = {name: map_headers(raw, dictionary().tables[name]) for name, raw in raws.items()}
    typed: dict[str, pd.DataFrame] = {}
    for name, table in mapped.items():
        problems += table.problems
        notes += table.notes
        problems += cell_problems(table.table, table.text, table.label, table.headers, table.scales)
        typed[name] = _typed(table)
    problems += _classes_column(mapped["schools"], typed["schools"])
    for name, table in mapped.items():
        found = table_problems(
            table.table, typed[name], table.label, table.headers, _link_rules(name, typed)
        )
        # A column whose header was rejected (foreign unit) is not "missing" as well.
        problems += [p for p in found if not (p.row == 1 and p.column in table.unreadable_headers)]
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.file, p.row or 0)))
    return _county(typed, source, notes)


def _county(typed: dict[str, pd.DataFrame], source: str, notes: list[str]) -> County:
    schools = _with_defaults(typed["schools"], "schools")
    shared = typed.get("shared_facilities")
    if shared is not None:
        schools = apply_split(schools, shared)
        given = [c for c in shared_columns() if c in shared]
        notes.append(
            f"whole-school {', '.join(given)} of {len(shared)} combined schools split across "
            "their sections by pupil weights (primary 1, junior 1.1, senior 1.32; docs/sources.md#combined-schools)"
        )
    teachers = typed.get("teachers")
    if teachers is None:
        notes.append("no teacher roster: one consistent with the school totals will be synthesised")
    else:
        teachers = _with_defaults(teachers, "teachers").reset_index(drop=True)
    budget = typed.get("budget")
    county_table = typed.get("county")
    return County.from_frames(
        schools,
        teachers,
        None if budget is None else budget.reset_index(drop=True),
        None if county_table is None else county_table.reset_index(drop=True),
        source=source,
        notes=notes,
    )
