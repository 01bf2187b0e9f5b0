"""What a checklist item reads: the county's school sections of one year (official definitions
applied) and the county table's row for that county and year, if any."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class ItemData:
    schools: pd.DataFrame
    county: Mapping[str, object] | None = None

    def has_school_column(self, column: str) -> bool:
        return column in self.schools and bool(self.schools[column].notna().any())

    def county_value(self, column: str) -> object | None:
        """The county table's value, or None when the table, the column or the cell is empty."""
        if self.county is None:
            return None
        value = self.county.get(column)
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        return value

    def missing(self, needs) -> tuple[str, ...]:
        """The `table.column` names among `needs` that hold no data."""
        out = []
        for table, column in needs:
            present = self.has_school_column(column) if table == "schools" else self.county_value(column) is not None
            if not present:
                out.append(f"{table}.{column}")
        return tuple(out)


def county_row(table: pd.DataFrame | None, county: str, year: int | None, several_counties: bool) -> dict | None:
    """The county table's row for `county` in `year` (the latest row when `year` is None).

    A table without a `county` column holds one county; with several counties in the schools
    table it cannot be matched and is ignored (the items become not assessable)."""
    if table is None or table.empty:
        return None
    # A mask over the rows, then one row read: filtering the frame step by step costs
    # milliseconds even for a table of one row.
    keep = np.ones(len(table), dtype=bool)
    if "county" in table and table["county"].notna().any():
        names = table["county"].tolist()
        keep &= np.array([name is not None and name is not pd.NA and str(name) == county for name in names])
    elif several_counties:
        return None
    if "year" in table:
        years = pd.to_numeric(table["year"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        known = keep & ~np.isnan(years)
        if known.any():
            keep &= years == (year if year is not None else years[known].max())
    rows = np.flatnonzero(keep)
    if not len(rows):
        return None
    return table.iloc[int(rows[-1])].to_dict()
