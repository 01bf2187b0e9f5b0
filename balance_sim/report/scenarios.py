"""Scenario comparisons for notebooks 02 and 03: the baseline (default policy) and scenarios that
change a few levers by key path, simulated with the same seed, reported as paths with uncertainty
bands and as "scenario minus baseline".

Every scenario uses the same seed, so replication r of each scenario draws the same random numbers
(common random numbers): the differences come from the policy, not from luck.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from balance_sim.county import County
from balance_sim.scenarios import paired_county_series, paired_cvs
from balance_sim.sim import Scenario, SimulationResult, simulate

BASELINE = "baseline"
QUALITY = "quality-2017"
BAND = (5, 50, 95)  # percentiles over replications shown as band and line


@dataclass(frozen=True)
class Comparison:
    """The simulation result of each scenario, baseline first."""

    results: dict[str, SimulationResult]

    @property
    def names(self) -> list[str]:
        return list(self.results)

    @property
    def years(self) -> list[int]:
        return self.results[BASELINE].years

    @property
    def replications(self) -> int:
        return self.results[BASELINE].replications


def compare(county: County, scenarios: Mapping[str, Mapping[str, object]], years: int = 10, seed: int = 0,
            replications: int = 1) -> Comparison:
    """Simulate the baseline and each scenario (name → {key path: value}) on `county`."""
    baseline = Scenario.baseline()
    runs = {BASELINE: baseline, **{name: baseline.with_changes(name, dict(changes)) for name, changes in scenarios.items()}}
    return Comparison({name: simulate(county, scenario, years, seed, replications) for name, scenario in runs.items()})


def _metric_rows(result: SimulationResult, metric: str, standard: str) -> pd.DataFrame:
    rows = result.metric(metric, standard)
    return rows[rows["county"] == result.counties[0]]  # notebooks speak of one county


def metric_bands(comparison: Comparison, metric: str, standard: str = "") -> pd.DataFrame:
    """Per scenario, level, key and year: the 5th, 50th and 95th percentile over replications."""
    parts = []
    for name, result in comparison.results.items():
        rows = _metric_rows(result, metric, standard)
        grouped = rows.groupby(["level", "key", "year"], sort=False)["value"]
        bands = pd.concat({f"p{p}": grouped.quantile(p / 100) for p in BAND}, axis=1).reset_index()
        parts.append(bands.assign(scenario=name))
    out = pd.concat(parts, ignore_index=True)
    return out[["scenario", "level", "key", "year", *[f"p{p}" for p in BAND]]]


def share_meeting(comparison: Comparison, standard: str = QUALITY) -> pd.DataFrame:
    """Per scenario and year: share of counted school sections meeting the per-school standard,
    all levels together (mean over replications)."""
    parts = []
    for name, result in comparison.results.items():
        meeting = _metric_rows(result, "schools_meeting", standard).groupby(["replication", "year"])["value"].sum()
        schools = _metric_rows(result, "schools", standard).groupby(["replication", "year"])["value"].sum()
        share = (meeting / schools).groupby("year").mean()
        parts.append(pd.DataFrame({"scenario": name, "year": share.index, "share_meeting": share.to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def county_series(comparison: Comparison, metric: str, level: str = "all", standard: str = "") -> pd.DataFrame:
    """Per scenario and year: a county-wide metric (e.g. `exchange_sent`, `allocated`), mean over
    replications."""
    parts = []
    for name, result in comparison.results.items():
        rows = _metric_rows(result, metric, standard)
        rows = rows[rows["level"] == level]
        series = rows.groupby(["replication", "year"])["value"].sum().groupby("year").mean()
        parts.append(pd.DataFrame({"scenario": name, "year": series.index, metric: series.to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def final_differences(comparison: Comparison, standard: str = QUALITY) -> pd.DataFrame:
    """Final-year CV of each level and indicator, paired over replications: the baseline's and
    each scenario's mean, the mean difference scenario − baseline (negative = smaller gaps) and
    its 90% interval (`low`, `high`); `detectable` when the interval excludes 0."""
    baseline = comparison.results[BASELINE]
    rows = []
    for name in comparison.names[1:]:
        effect = paired_cvs(baseline, comparison.results[name], standard, years=[comparison.years[-1]])
        rows.append(effect.rename(columns={"scenario": "value"}).assign(scenario=name))
    out = pd.concat(rows, ignore_index=True)
    return out[["scenario", "level", "key", "baseline", "value", "difference", "low", "high", "detectable"]]


def paired_total(comparison: Comparison, scenario: str, metric: str) -> pd.Series:
    """A county series summed over the simulated years, paired over replications: baseline,
    scenario, difference, low, high, detectable."""
    effect = paired_county_series(comparison.results[BASELINE], comparison.results[scenario], metric, total=True)
    return effect.iloc[0]


def first_years(comparison: Comparison) -> pd.DataFrame:
    """Per scenario and standard: the first year the county passes (None: not within the run)."""
    return pd.DataFrame([
        {"scenario": name, "standard": standard, "certified_year": year}
        for name, result in comparison.results.items() for standard, year in result.first_year_meeting.items()
    ])


def final_value(frame: pd.DataFrame, scenario: str, column: str) -> float:
    """The last year's value of `column` for `scenario` in a per-year table."""
    rows = frame[frame["scenario"] == scenario].sort_values("year")
    return float(rows[column].iloc[-1]) if len(rows) else float("nan")


def total(frame: pd.DataFrame, scenario: str, column: str) -> float:
    """Sum over the simulated years (the base year excluded) of `column` for `scenario`."""
    rows = frame[frame["scenario"] == scenario].sort_values("year").iloc[1:]
    return float(np.nansum(rows[column].to_numpy(dtype=float)))
