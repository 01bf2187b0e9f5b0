"""Run every lever setting against the baseline with the same seed and replications, and gather
the paired effects: CV changes at two horizons, costs, checklist items moved, certification."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from balance_sim.county import County
from balance_sim.scenarios import paired, paired_county_series, paired_cvs
from balance_sim.sim import SimulationResult, default_policy, simulate
from balance_sim.validation.levers import LEVERS, Lever

HORIZONS = (3, 10)  # simulated years after the base year at which CV changes are reported
RECURRENT = ("recurrent",)  # other + public funds + salaries + allowance + itinerant + training
CAPITAL = ("capital",)  # replacement + construction + new funds spent
MILLION = 1e6


@dataclass
class LeverEffects:
    """What one lever setting does against its baseline."""

    lever: Lever
    setting: dict
    cvs: pd.DataFrame  # level, key, year, baseline, scenario, difference, low, high, detectable
    costs: pd.DataFrame  # key (a funding series), baseline, scenario, difference, low, high
    items: pd.DataFrame  # key, baseline pass share, scenario pass share (final year)
    certified: tuple[float, float]  # share of replications certified by the last year: baseline, scenario


def _run(county: County, delta: dict, years: int, seed: int, replications: int) -> SimulationResult:
    policy = default_policy().override(delta) if delta else default_policy()
    return simulate(county, policy, years=years, seed=seed, replications=replications)


def _pass_shares(result: SimulationResult) -> pd.Series:
    last = result.checklist[result.checklist["year"] == result.years[-1]]
    return (last["status"].astype(str) == "pass").groupby(last["key"].astype(str)).mean()


def certified_share(result: SimulationResult, by_year: int | None = None) -> float:
    """Share of replications in which the county passes quality-2017 (resources and the modelled
    items) in some year up to `by_year` (default: the last)."""
    by_year = result.years[-1] if by_year is None else by_year
    verdict = result.metric("verdict", "quality-2017").dropna(subset=["value"])
    verdict = verdict[verdict["year"] <= by_year]
    resources = verdict.groupby(["replication", "year"])["value"].min() > 0
    c = result.checklist[result.checklist["year"] <= by_year]
    items = (c["status"].astype(str) == "pass").groupby([c["replication"], c["year"]]).all()
    both = resources & items.reindex(resources.index, fill_value=False)
    return float(both.groupby("replication").any().mean())


def compare(county: County, lever: Lever, setting: dict, baseline: SimulationResult, years: int, seed: int,
            replications: int) -> LeverEffects:
    scenario = _run(county, {**lever.baseline, **setting}, years, seed, replications)
    horizon_years = [baseline.years[0] + h for h in HORIZONS if h <= years]
    cvs = paired_cvs(baseline, scenario, years=horizon_years)
    costs = pd.concat([paired_county_series(baseline, scenario, name, total=True) for name in RECURRENT + CAPITAL],
                      ignore_index=True)
    items = pd.DataFrame({"baseline": _pass_shares(baseline), "scenario": _pass_shares(scenario)}).reset_index(names="key")
    return LeverEffects(lever, setting, cvs, costs, items, (certified_share(baseline), certified_share(scenario)))


def lever_effects(county: County, levers=LEVERS, years: int = 10, seed: int = 2024,
                  replications: int = 10) -> list[LeverEffects]:
    """Every setting of every lever against the default policy (or the lever's own baseline)."""
    baselines: dict[tuple, SimulationResult] = {}
    out = []
    for lever in levers:
        key = tuple(sorted(lever.baseline.items()))
        if key not in baselines:
            baselines[key] = _run(county, lever.baseline, years, seed, replications)
        for setting in lever.settings:
            out.append(compare(county, lever, setting, baselines[key], years, seed, replications))
    return out


__all__ = ["LeverEffects", "certified_share", "compare", "lever_effects", "paired"]
