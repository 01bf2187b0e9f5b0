"""All four parts of the 2017 method for every county of an assessed County (one year): the
resource part from the assessment's level tables, the other three from the schools table and
the optional county table (教督〔2017〕6号; docs/sources.md#quality-2017, docs/sources.md#quality-2017-checklist)."""
from __future__ import annotations

import pandas as pd

from balance_sim.checklist.data import ItemData, county_row
from balance_sim.checklist.verdict import COLUMNS, item_rows, resource_rows
from balance_sim.county import County
from balance_sim.standards import Standard


def parts_table(county: County, standard: Standard, levels: pd.DataFrame, indicators: pd.DataFrame,
                year: int | None = None) -> pd.DataFrame:
    """One row per county and item of the four parts (see `verdict.COLUMNS`); empty when the
    standard has no `parts:` section. `county` holds one year (`year`, or no year column)."""
    if not standard.parts:
        return pd.DataFrame(columns=COLUMNS)
    several = len(county.counties) > 1
    frames = []
    for name in county.counties:
        schools = county.select(county=name).schools if several else county.schools
        row = county_row(county.county_table, name, year, several)
        frames.append(resource_rows(name, levels[levels["county"] == name], indicators[indicators["county"] == name], standard))
        frames.append(item_rows(name, ItemData(schools, row), standard))
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
