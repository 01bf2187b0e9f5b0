"""A synthetic county as its files hold it, and the County a loader makes of those files.

Combined schools (nine-year 九年一贯制 and the like) report their floor area, sports area,
equipment, books, computers and multimedia rooms once for the whole school (design.md
`shared_facilities`, docs/sources.md#combined-schools). The generators do the same: `whole_school` sums the facilities
of each combined school's sections into one `shared_facilities` row and leaves the section cells
empty; `CountyTables.county()` then splits the totals with the loader's own
`balance_sim.io.combined.apply_split`, so `demo_county()` is exactly what
`balance_sim.io.load("data/demo")` reads from the written files.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from balance_sim.county import County
from balance_sim.io.combined import apply_split, shared_columns, split_weights
from balance_sim.io.dictionary import dictionary

# file stem (= table name of the data dictionary) of each table, in the order files are written
FILE_TABLES = ("schools", "shared_facilities", "teachers", "budget", "county")


def whole_school(schools: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sections, shared_facilities): the combined schools' facilities as one whole-school row each.

    A school's total is the sum of what its sections were given; `sections` is `schools` with
    those sections' facility cells empty (integer columns become nullable Int64, so a file shows
    32843, not 32843.0). Sections of other schools keep their figures.
    """
    combined = schools["school_type"].isin(split_weights().combined_types)
    columns = shared_columns()
    parts = schools[combined]
    totals = parts.groupby("school_id", sort=False)[columns].sum()
    for column in columns:
        if dictionary().tables["shared_facilities"].columns[column].type == "float":
            # areas come in tenths of m², equipment in hundreds of yuan: a sum of two such values
            # carries float noise (1234.5 + 2345.6 = 3580.1000000000004) that the files should not
            totals[column] = totals[column].round(1)
    types = parts.groupby("school_id", sort=False)["school_type"].first()
    shared = pd.concat([types, totals], axis=1).reset_index()
    shared["school_id"] = shared["school_id"].astype("str")
    shared["school_type"] = shared["school_type"].astype("str")

    sections = schools.copy()
    for column in columns:
        if pd.api.types.is_integer_dtype(sections[column]):
            sections[column] = sections[column].astype("Int64")
        sections.loc[combined, column] = pd.NA
    return sections, shared


@dataclass(frozen=True)
class CountyTables:
    """The tables of one synthetic county (or province) as written to its files.

    `schools` leaves the facility cells of combined schools empty; `shared_facilities` holds their
    whole-school totals (None when the county has no combined school).
    """

    schools: pd.DataFrame
    shared_facilities: pd.DataFrame | None = None
    teachers: pd.DataFrame | None = None
    budget: pd.DataFrame | None = None
    county_table: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    def county(self, source: str = "synthetic") -> County:
        """The County these files load as: shared totals split by pupil weights (docs/sources.md#combined-schools)."""
        schools, notes = self.schools, list(self.notes)
        if self.shared_facilities is not None:
            schools = apply_split(schools, self.shared_facilities)
            given = [c for c in shared_columns() if c in self.shared_facilities]
            # worded as the loader words it (balance_sim.io.load), so both say the same
            notes.append(
                f"whole-school {', '.join(given)} of {len(self.shared_facilities)} combined schools split "
                "across their sections by pupil weights (primary 1, junior 1.1, senior 1.32; docs/sources.md#combined-schools)"
            )
        return County.from_frames(schools, self.teachers, self.budget, self.county_table, source=source, notes=notes)

    def files(self) -> dict[str, pd.DataFrame]:
        """Table name (= file stem) → frame, for every table present."""
        frames = dict(zip(FILE_TABLES, (self.schools, self.shared_facilities, self.teachers, self.budget, self.county_table)))
        return {name: frame for name, frame in frames.items() if frame is not None}
