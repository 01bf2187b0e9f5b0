"""The assessment of a county over several years (a panel): the official assessment of each year
on its own, as a certification is of one year (教督〔2012〕3号, 教督〔2017〕6号; docs/sources.md#cv, docs/sources.md#basic-2012, docs/sources.md#quality-2017),
and the per-year tables stacked with a `year` column.

    panel = assess_panel(load("county_2019_2023"), "basic-2012")
    panel.levels          # county, level, year, composite_cv, verdict, …
    trend(panel)          # see `balance_sim.assessment.trend`
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from balance_sim.assessment.core import assess
from balance_sim.assessment.result import Assessment
from balance_sim.county import County
from balance_sim.errors import ParameterError
from balance_sim.standards import Standard, load_standard


@dataclass(frozen=True, eq=False)
class PanelAssessment:
    """One Assessment per year (`by_year`, in year order) against one standard."""

    standard: Standard
    by_year: dict[int, Assessment]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(self.by_year)

    @property
    def latest(self) -> Assessment:
        """The assessment of the last year: what a single-year view of the panel shows."""
        return self.by_year[self.years[-1]]

    def _stacked(self, table: str) -> pd.DataFrame:
        parts = [getattr(a, table).assign(year=year) for year, a in self.by_year.items()]
        frame = pd.concat([p for p in parts if not p.empty] or parts[:1], ignore_index=True)
        # year right after county and level, where a reader looks for it
        columns = list(frame.columns)
        columns.remove("year")
        at = next((i + 1 for i, c in enumerate(columns) if c == "level"), 0)
        return frame[columns[:at] + ["year"] + columns[at:]]

    @property
    def indicators(self) -> pd.DataFrame:
        """The indicators table of every year, with `year` after county and level."""
        return self._stacked("indicators")

    @property
    def levels(self) -> pd.DataFrame:
        """The levels table (composite CV, verdict, reasons) of every year, with `year`."""
        return self._stacked("levels")

    @property
    def verdicts(self) -> pd.DataFrame:
        """county, year, verdict: the county verdict of each year."""
        rows = [{"county": county, "year": year, "verdict": verdict}
                for year, a in self.by_year.items() for county, verdict in a.verdict.items()]
        return pd.DataFrame(rows, columns=["county", "year", "verdict"])

    def to_dict(self) -> dict:
        """The single-year JSON object of the latest year, plus `years`: one object per year of
        the same shape (without `standard`), each with its `year`."""
        out = self.latest.to_dict()
        years = []
        for year, assessment in self.by_year.items():
            one = assessment.to_dict()
            one.pop("standard", None)
            years.append({"year": year, **one})
        out["years"] = years
        return out


def assess_panel(
    county: County,
    standard: str | Path | Standard = "quality-2017",
    costs: str | Path | None = None,
) -> PanelAssessment:
    """Assess every year of `county` against `standard`; ParameterError when the data hold no
    `year` column (a single year: use `assess`)."""
    if not county.years:
        raise ParameterError("the data hold no year column: a panel needs years (use assess for one year)")
    std = load_standard(standard)
    return PanelAssessment(std, {year: assess(county, std, costs, year=year) for year in county.years})
