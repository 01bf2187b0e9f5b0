"""The County: validated input tables of one or more counties, immutable once built.

Loaders (`balance_sim.io`) and generators (`balance_sim.datasets`) build it; indicators,
assessment and simulation read it. Tables use the canonical column names of the data dictionary
(`balance_sim/io/dictionary.yaml`); the schools table has one row per school section
(key `school_id`, `level`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

LEVELS = ("primary", "junior")
LOCATIONS = ("urban", "town", "rural")


def _frozen(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    # A private copy: the caller's frame may change later, ours never does.
    return None if frame is None else frame.copy(deep=True)


@dataclass(frozen=True, eq=False)
class County:
    """Validated tables: `schools` (required), `teachers`, `budget`, `county_table` (optional).

    `source` names where the data came from (a path or `demo`); `notes` holds what the loader
    wants the user to know (e.g. "no teacher roster: one will be synthesised").
    Frames handed out are copies, so nothing outside can change the county. What is derived
    from the frames (levels, locations, counties, years: tuples) is computed on first use and kept.
    """

    _schools: pd.DataFrame
    _teachers: pd.DataFrame | None = None
    _budget: pd.DataFrame | None = None
    _county_table: pd.DataFrame | None = None
    source: str = "memory"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_frames(
        cls,
        schools: pd.DataFrame,
        teachers: pd.DataFrame | None = None,
        budget: pd.DataFrame | None = None,
        county_table: pd.DataFrame | None = None,
        source: str = "memory",
        notes: tuple[str, ...] | list[str] = (),
    ) -> County:
        """Build from canonical frames that have already been validated."""
        return cls(
            _frozen(schools.reset_index(drop=True)),
            _frozen(teachers),
            _frozen(budget),
            _frozen(county_table),
            source,
            tuple(notes),
        )

    @property
    def schools(self) -> pd.DataFrame:
        return self._schools.copy()

    @property
    def teachers(self) -> pd.DataFrame | None:
        return None if self._teachers is None else self._teachers.copy()

    @property
    def budget(self) -> pd.DataFrame | None:
        return None if self._budget is None else self._budget.copy()

    @property
    def county_table(self) -> pd.DataFrame | None:
        return None if self._county_table is None else self._county_table.copy()

    @cached_property
    def levels(self) -> tuple[str, ...]:
        present = set(self._schools["level"].astype(str))
        return tuple(level for level in LEVELS if level in present)

    @cached_property
    def locations(self) -> tuple[str, ...]:
        present = set(self._schools["location"].astype(str))
        return tuple(loc for loc in LOCATIONS if loc in present)

    @cached_property
    def counties(self) -> tuple[str, ...]:
        if "county" not in self._schools or self._schools["county"].isna().all():
            return ("county",)
        return tuple(sorted(self._schools["county"].dropna().astype(str).unique()))

    @cached_property
    def years(self) -> tuple[int, ...]:
        if "year" not in self._schools or self._schools["year"].isna().all():
            return ()
        return tuple(sorted(int(y) for y in self._schools["year"].dropna().unique()))

    def select(self, county: str | None = None, year: int | None = None) -> County:
        """The sub-county of one county name and/or one year (teachers and budget follow)."""
        mask = pd.Series(True, index=self._schools.index)
        if county is not None and "county" in self._schools:
            mask &= self._schools["county"].astype(str) == county
        if year is not None and "year" in self._schools:
            mask &= self._schools["year"] == year
        schools = self._schools[mask]
        teachers = self._teachers
        if teachers is not None:
            teachers = teachers[teachers["school_id"].isin(set(schools["school_id"]))]
            if year is not None and "year" in teachers:  # a panel's roster has one row per teacher and year
                teachers = teachers[teachers["year"] == year]
        county_table = self._county_table
        if county_table is not None and county is not None and "county" in county_table:
            county_table = county_table[county_table["county"].astype(str) == county]
        return County.from_frames(
            schools, teachers, self._budget, county_table, self.source, self.notes
        )

    def split(self) -> list[County]:
        """One County per county name, in `counties` order (what `select(county=name)` gives for
        each, found in one pass over the tables)."""
        if len(self.counties) == 1:
            return [self]
        names = self._schools["county"].astype(str)
        rows = names.groupby(names, sort=True).indices
        teachers_by_school = None
        if self._teachers is not None:
            teachers_by_school = self._teachers.groupby("school_id", sort=False).indices
        table_rows = None
        if self._county_table is not None and "county" in self._county_table:
            table_rows = self._county_table["county"].astype(str).groupby(
                self._county_table["county"].astype(str), sort=True).indices
        out = []
        for name in self.counties:
            schools = self._schools.iloc[rows[name]]
            teachers = self._teachers
            if teachers_by_school is not None:
                found = [teachers_by_school[i] for i in schools["school_id"].unique() if i in teachers_by_school]
                teachers = teachers.iloc[np.sort(np.concatenate(found))] if found else teachers.iloc[:0]
            county_table = self._county_table
            if table_rows is not None:
                county_table = county_table.iloc[table_rows.get(name, np.zeros(0, int))]
            out.append(County.from_frames(schools, teachers, self._budget, county_table, self.source, self.notes))
        return out

    def summary(self) -> str:
        """A few lines saying what was loaded."""
        s = self._schools
        lines = [f"source: {self.source}"]
        lines.append(f"counties: {', '.join(self.counties)}")
        for level in self.levels:
            part = s[s["level"] == level]
            by_loc = part.groupby("location", observed=True).size()
            locs = ", ".join(f"{loc} {int(by_loc.get(loc, 0))}" for loc in LOCATIONS)
            lines.append(
                f"{level}: {len(part)} school sections ({locs}), "
                f"{int(part['students'].sum())} pupils, {int(part['teachers'].sum())} teachers"
            )
        if self.years:
            lines.append(f"years: {', '.join(map(str, self.years))}")
        if self._teachers is not None:
            lines.append(f"teacher roster: {len(self._teachers)} teachers")
        if self._budget is not None:
            years = self._budget["year"]
            lines.append(f"budget: {len(self._budget)} years ({years.min()}–{years.max()})")
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)
