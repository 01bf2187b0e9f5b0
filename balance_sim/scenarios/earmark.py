"""What a run's rural schools did with the new funds earmarked for them, over its simulated years
(mean over replications): the yuan newly earmarked each year (the year's share of the increment,
without what was carried in), the yuan they spent, and the yuan still carried over at the end."""
from __future__ import annotations

import pandas as pd

from balance_sim.sim import SimulationResult


def _by_year(result: SimulationResult, metric: str) -> pd.DataFrame:
    rows = result.metric(metric)
    rows = rows[(rows["county"] == result.counties[0]) & (rows["year"] > result.years[0])]
    return rows.pivot_table(index="replication", columns="year", values="value")


def earmark_use(result: SimulationResult) -> dict[str, float]:
    """earmarked, used, carried_over (yuan), new_funds (the whole increment, yuan) and
    share_used (used ÷ earmarked) of the first county."""
    used, carried = _by_year(result, "rural_used"), _by_year(result, "rural_carried_over")
    fresh = (_by_year(result, "rural_earmark") - carried.shift(1, axis=1).fillna(0.0)).sum(axis=1).mean()
    spent = used.sum(axis=1).mean()
    return {"earmarked": float(fresh), "used": float(spent), "carried_over": float(carried.iloc[:, -1].mean()),
            "new_funds": float(_by_year(result, "new_funds").sum(axis=1).mean()),
            "share_used": float(spent / fresh) if fresh > 0 else float("nan")}
