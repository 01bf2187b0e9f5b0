"""Conservation checks on a simulation result's tables, independent of the engine's own checks."""
from __future__ import annotations

import numpy as np
import pandas as pd

from balance_sim.sim.state import ASSETS


def county_series(result, metric: str, replication: int = 0) -> pd.Series:
    c = result.county
    rows = c[(c["metric"] == metric) & (c["level"] == "all") & (c["replication"] == replication)]
    return rows.set_index("year")["value"]


def check_teacher_conservation(result, replication: int = 0) -> None:
    start, end = county_series(result, "teachers_start", replication), county_series(result, "teachers_end", replication)
    hired, retired, left = (county_series(result, m, replication) for m in ("hired", "retired", "left"))
    assert (start + hired - retired - left == end).all()
    assert (start.iloc[1:].to_numpy() == end.iloc[:-1].to_numpy()).all()
    panel = result.schools[result.schools["replication"] == replication]
    assert (panel.groupby("year")["teachers"].sum() == end).all()
    moves = result.teacher_moves[result.teacher_moves["replication"] == replication]
    for kind, series in (("hire", hired), ("retire", retired), ("leave", left)):
        counted = moves[moves["kind"] == kind].groupby("year").size().reindex(series.index, fill_value=0)
        assert (counted == series).all(), kind


def check_school_flows(result, replication: int = 0) -> None:
    """Per section and year: teachers(y) − teachers(y−1) = arrivals − departures in the ledger."""
    panel = result.schools[result.schools["replication"] == replication]
    stock = panel.set_index(["year", "school_id", "level"])["teachers"]
    moves = result.teacher_moves[(result.teacher_moves["replication"] == replication) & (result.teacher_moves["kind"] != "exchange_stay")]
    arrivals = moves.dropna(subset=["to_school"]).groupby(["year", "to_school", "level"]).size()
    departures = moves.dropna(subset=["from_school"]).groupby(["year", "from_school", "level"]).size()
    arrivals.index.names = departures.index.names = ["year", "school_id", "level"]
    years = sorted(panel["year"].unique())
    for before, year in zip(years, years[1:]):
        change = stock.loc[year] - stock.loc[before]
        flow = arrivals.get(year, pd.Series(dtype=float)).reindex(change.index, fill_value=0) - departures.get(
            year, pd.Series(dtype=float)).reindex(change.index, fill_value=0)
        assert (change == flow).all(), year


def check_single_place(result, replication: int = 0) -> None:
    """Every physical move starts where the teacher's previous move ended; nobody moves after an exit."""
    m = result.teacher_moves[(result.teacher_moves["replication"] == replication) & (result.teacher_moves["kind"] != "exchange_stay")]
    m = m.reset_index(drop=True)
    previous_to = m.groupby("teacher_id", sort=False)["to_school"].shift(1)
    has_previous = m.groupby("teacher_id", sort=False).cumcount() > 0
    ok = ~has_previous | (previous_to.notna() & (m["from_school"] == previous_to))
    assert ok.all(), m[~ok].head()


def check_yuan(result, replication: int = 0) -> None:
    f = result.funding[result.funding["replication"] == replication]
    available = county_series(result, "available", replication).dropna()
    allocated = f[f["item"] != "unspent"].groupby("year")["yuan"].sum()
    unspent = f[f["item"] == "unspent"].groupby("year")["yuan"].sum()
    assert np.allclose((allocated + unspent).reindex(available.index), available, rtol=1e-9)
    assert (unspent >= -1e-6).all()
    assert (f["yuan"] >= 0).all()


def check_no_negative_stock(result) -> None:
    panel = result.schools
    for column in ("students", "classes", "teachers", "backbone_teachers", "pe_art_teachers", *ASSETS):
        assert (panel[column] >= -1e-9).all(), column
