"""The directions a planner expects, measured on two counties side by side: the rural earmark's
share of new funds, the backbone CV as exchange grows, rural leavers and cost as the allowance
grows, the PE/arts CV with and without hiring by subject, school size with and without intake
caps. Each figure is a mean over the replications of the same seed (common random numbers)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from balance_sim.county import County
from balance_sim.scenarios.earmark import earmark_use
from balance_sim.sim import SimulationResult, default_policy, simulate


@dataclass(frozen=True)
class Check:
    """One direction: the settings tried, what is measured, and the direction expected."""

    name: str
    measure: str  # what the figure is, in words
    settings: tuple[dict, ...]
    expected: str  # "equal to the setting", "falls", "falls, then flat", "rises", "passes"


CHECKS = (
    Check("rural earmark", "rural schools' share of new funds (spent or carried over)",
          tuple({"funding.rural_share": v} for v in (0.2, 0.5, 0.8)), "equal to the setting"),
    Check("exchange", "backbone CV, primary, mean of years 2–10",
          tuple({"teachers.exchange_rate": v} for v in (0.0, 0.1, 0.2, 0.3, 0.5)), "falls, then flat"),
    Check("allowance", "rural teachers leaving or drifting a year",
          tuple({"teachers.hardship_allowance_yuan_month": v} for v in (0, 300, 800, 1500)), "falls"),
    Check("allowance cost", "allowance, M yuan a year",
          tuple({"teachers.hardship_allowance_yuan_month": v} for v in (0, 300, 800, 1500)), "rises"),
    Check("hiring by subject", "PE/arts CV, primary, final year",
          ({"teachers.hire_by_subject": False}, {"teachers.hire_by_subject": True}), "falls"),
    Check("intake caps", "years the school-size item passes",
          ({"capacity.intake_caps": False}, {"capacity.intake_caps": True}), "rises"),
)


def _series(result: SimulationResult, metric: str) -> pd.DataFrame:
    rows = result.metric(metric)
    rows = rows[rows["year"] > result.years[0]]
    return rows.pivot_table(index="replication", columns="year", values="value")


def rural_earmark_share(result: SimulationResult) -> float:
    use = earmark_use(result)
    return use["earmarked"] / use["new_funds"]


def cv(result: SimulationResult, key: str, level: str, final_only: bool) -> float:
    rows = result.metric("cv", "quality-2017", level=level, key=key)
    rows = rows[rows["year"] >= result.years[0] + 2]
    if final_only:
        rows = rows[rows["year"] == result.years[-1]]
    return float(rows["value"].mean())


def rural_leavers(result: SimulationResult) -> float:
    moves, panel = result.teacher_moves, result.schools
    rural = set(panel.loc[panel["location"].astype(str) == "rural", "school_id"])
    left = moves["kind"].astype(str).isin(["leave", "drift"]) & moves["from_school"].isin(rural)
    return float(left.sum()) / result.replications / (len(result.years) - 1)


def school_size_years(result: SimulationResult) -> float:
    c = result.checklist
    rows = c[(c["key"].astype(str) == "school_size") & (c["year"] > result.years[0])]
    return float((rows["status"].astype(str) == "pass").groupby(rows["replication"]).sum().mean())


MEASURES = {
    "rural earmark": rural_earmark_share,
    "exchange": lambda r: cv(r, "backbone_teachers_per_100", "primary", final_only=False),
    "allowance": rural_leavers,
    "allowance cost": lambda r: float(_series(r, "allowance").to_numpy().mean()) / 1e6,
    "hiring by subject": lambda r: cv(r, "pe_art_teachers_per_100", "primary", final_only=True),
    "intake caps": school_size_years,
}


def holds(check: Check, values: list[float]) -> bool:
    v = np.asarray(values)
    if check.expected == "equal to the setting":
        return bool(np.allclose(v, [next(iter(s.values())) for s in check.settings], atol=1e-6))
    if check.expected == "falls, then flat":  # the first step lowers it; no later step raises it by 0.03
        return bool(v[1] < v[0] and (v[2:] < v[1] + 0.03).all())
    if check.expected == "falls":
        return bool((np.diff(v) < 0).all())
    return bool((np.diff(v) > 0).all())


def directions(county: County, years: int, seed: int, replications: int) -> pd.DataFrame:
    """check, setting, value and whether the check's direction holds, for one county."""
    rows = []
    for check in CHECKS:
        values = []
        for setting in check.settings:
            result = simulate(county, default_policy().override(setting), years=years, seed=seed,
                              replications=replications)
            values.append(MEASURES[check.name](result))
        label = ", ".join(f"{next(iter(s.values()))}" for s in check.settings)
        rows.append({"check": check.name, "measure": check.measure, "settings": label,
                     "values": ", ".join(f"{v:.3g}" for v in values), "expected": check.expected,
                     "holds": holds(check, values)})
    return pd.DataFrame(rows)


def directions_section(counties: dict[str, County], years: int, seed: int, replications: int) -> list[str]:
    tables = {name: directions(county, years, seed, replications) for name, county in counties.items()}
    names = list(tables)
    lines = ["## Directions on two counties", "",
             f"The demo county and a second county of the demo province ({names[1]}: its own schools, no "
             f"roster), {years} years, seed {seed}, {replications} replications, means over the replications; "
             "one row per lever, its settings in order and the figure each gives. The same checks, with "
             "intervals, on random counties too, are the tests in `tests/validity/`.", "",
             "| lever | measure | settings | expected | " + " | ".join(names) + " |",
             "|---|---|---|---|" + "---|" * len(names)]
    first = tables[names[0]]
    for i, row in first.iterrows():
        cells = [f"{tables[n].loc[i, 'values']} ({'holds' if tables[n].loc[i, 'holds'] else 'does not hold'})"
                 for n in names]
        lines.append(f"| {row['check']} | {row['measure']} | {row['settings']} | {row['expected']} | "
                     + " | ".join(cells) + " |")
    return lines + [""]
