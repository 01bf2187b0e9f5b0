"""Paired scenario − baseline differences with intervals.

A scenario and its baseline run with the same seed, so replication r of each draws the same random
numbers for every mechanism (common random numbers, sim/streams.py): the difference of replication
r is the policy's effect on that replication's county. Over R replications the mean difference d̄
and its 90% interval d̄ ± t₀.₉₅,R−1 · s_d / √R (Student's t, `scipy.stats.t`) say how large the
effect is and whether it can be told from zero ("no detectable effect" when the interval holds 0).
With one replication there is no interval (NaN).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

if TYPE_CHECKING:
    from balance_sim.sim import SimulationResult

INTERVAL = 0.90


def paired(baseline: pd.DataFrame, scenario: pd.DataFrame, keys: list[str], value: str = "value",
           interval: float = INTERVAL) -> pd.DataFrame:
    """Per group of `keys`: mean baseline, mean scenario, mean paired difference and its interval.

    Both frames hold one row per replication and group (`replication`, *keys, `value`). Returns
    `keys` + baseline, scenario, difference, low, high, replications, detectable (the interval
    excludes 0)."""
    on = ["replication", *keys]
    both = baseline[on + [value]].merge(scenario[on + [value]], on=on, suffixes=("_base", "_scenario"))
    both["difference"] = both[f"{value}_scenario"] - both[f"{value}_base"]
    grouped = both.groupby(keys, sort=False, dropna=False)
    out = pd.DataFrame({
        "baseline": grouped[f"{value}_base"].mean(),
        "scenario": grouped[f"{value}_scenario"].mean(),
        "difference": grouped["difference"].mean(),
        "sd": grouped["difference"].std(ddof=1),
        "replications": grouped["difference"].count(),
    })
    n = out["replications"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stats.t.ppf(0.5 + interval / 2, np.maximum(n - 1, 1))
        half = np.where(n > 1, t * out["sd"].to_numpy(float) / np.sqrt(n), np.nan)
    out["low"] = out["difference"] - half
    out["high"] = out["difference"] + half
    out["detectable"] = (out["low"] > 0) | (out["high"] < 0)
    return out.drop(columns="sd").reset_index()


def paired_cvs(baseline: SimulationResult, scenario: SimulationResult, standard: str = "quality-2017",
               years: list[int] | None = None) -> pd.DataFrame:
    """Paired differences of every CV of `standard` (first county), per level, key and year."""
    frames = [_metric(result, "cv", standard, years) for result in (baseline, scenario)]
    return paired(*frames, keys=["level", "key", "year"])


def paired_county_series(baseline: SimulationResult, scenario: SimulationResult, metric: str,
                         total: bool = False) -> pd.DataFrame:
    """Paired differences of a county-wide series (e.g. `allowance`, `capital`) per year, or of
    its sum over the simulated years (`total`, the base year left out)."""
    frames = []
    for result in (baseline, scenario):
        rows = _metric(result, metric, "", None)
        rows = rows[rows["level"] == "all"]
        if total:
            rows = rows[rows["year"] > result.years[0]].groupby("replication", as_index=False)["value"].sum()
            rows["key"] = metric
        frames.append(rows)
    return paired(*frames, keys=["key"] if total else ["year"])


def _metric(result: SimulationResult, metric: str, standard: str, years) -> pd.DataFrame:
    rows = result.metric(metric, standard)
    rows = rows[rows["county"] == result.counties[0]]
    if years is not None:
        rows = rows[rows["year"].isin(years)]
    return rows[["replication", "level", "key", "year", "value"]]
