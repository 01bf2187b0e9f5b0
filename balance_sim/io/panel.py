"""Several years of one county as a panel: a folder with one sub-folder per year (`2021/`,
`2022/`, …), each holding canonical tables or statistics-export workbooks.

Each year is loaded and validated on its own (keys unique within the year, teachers belonging to
that year's schools), every problem of every year is collected, and the years are stacked into
one County whose tables carry a `year` column (design.md "Data dictionary": `year`, present when
the data hold several years). A single table with a `year` column is a panel too; the canonical
loader handles that case itself.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from balance_sim.county import County
from balance_sim.errors import InputError, Problem
from balance_sim.io.dictionary import dictionary

# A year folder is named by its year alone: 2021, not "2021年" or "data2021".
YEAR_FOLDER = re.compile(r"^(19|20)\d\d$")


def year_folders(path: Path) -> dict[int, Path]:
    """The year sub-folders of `path` by year (empty when `path` is not a folder of years)."""
    if not path.is_dir():
        return {}
    return {int(p.name): p for p in sorted(path.iterdir()) if p.is_dir() and YEAR_FOLDER.match(p.name)}


def load_panel(path: Path, years: dict[int, Path], load_year: Callable[[Path, int], County],
               beside: list[Path] = ()) -> County:
    """One County of all `years` (each loaded by `load_year(folder, year)`); `beside` lists the
    files next to the year folders, which are not read (said in the notes)."""
    counties: dict[int, County] = {}
    problems: list[Problem] = []
    for year, folder in sorted(years.items()):
        try:
            counties[year] = load_year(folder, year)
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    frames: dict[str, list[pd.DataFrame]] = {"schools": [], "teachers": [], "budget": [], "county": []}
    notes = [f"a panel of {len(years)} years ({', '.join(map(str, sorted(years)))}) from the year folders of {path}"]
    if beside:
        notes.append(f"files beside the year folders are not read: {', '.join(p.name for p in beside)}")
    for year, county in counties.items():
        schools = county.schools
        problems += _year_agrees(schools, year, years[year])
        frames["schools"].append(schools.assign(year=year))
        if county.teachers is not None:
            frames["teachers"].append(county.teachers.assign(year=year))
        for name, table in (("budget", county.budget), ("county", county.county_table)):
            if table is not None:
                frames[name].append(table)
        notes += [f"{year}: {note}" for note in county.notes]
    budget = _union(frames["budget"], "budget", path, problems)
    county_table = _union(frames["county"], "county", path, problems)
    if problems:
        raise InputError(problems)
    teachers = pd.concat(frames["teachers"], ignore_index=True) if frames["teachers"] else None
    return County.from_frames(pd.concat(frames["schools"], ignore_index=True), teachers, budget, county_table,
                              source=str(path), notes=notes)


def _year_agrees(schools: pd.DataFrame, year: int, folder: Path) -> list[Problem]:
    if "year" not in schools:
        return []
    other = sorted({int(y) for y in schools["year"].dropna()} - {year})
    if not other:
        return []
    return [Problem(str(folder), None, "year", f"the tables hold year {', '.join(map(str, other))} "
                    f"but the folder is for {year}")]


def _union(frames: list[pd.DataFrame], table: str, path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    """Rows of a per-year table given in several year folders: the same row may repeat; two
    different rows for one key are a problem."""
    if not frames:
        return None
    stacked = pd.concat(frames, ignore_index=True).drop_duplicates(ignore_index=True)
    spec = dictionary().tables.get(table)
    key = [k for k in (spec.key if spec else ("year",)) if k in stacked]
    if "year" in stacked and "year" not in key:
        key.append("year")
    clash = stacked[stacked.duplicated(key, keep=False)] if key else stacked.iloc[0:0]
    for values in clash[key].drop_duplicates().itertuples(index=False):
        problems.append(Problem(str(path), None, table, f"year folders give different {table} rows for "
                                f"({', '.join(key)}) = ({', '.join(map(str, values))})"))
    return stacked
