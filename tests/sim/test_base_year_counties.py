"""The base-year state of many counties built in one pass (initial.initial_state of a County of
several counties) equals the stack of each county's state built alone, field by field — also
when the counties' tables differ in what they give (classes, townships, training counts,
assets), their rows are interleaved, and the whole run then equals each county's run alone."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from balance_sim.county import County
from balance_sim.sim.initial import initial_state
from balance_sim.sim.model import run_county
from balance_sim.sim.one_state import reads_at_once, run_counties
from balance_sim.sim.policy import default_policy
from balance_sim.sim.streams import Streams
from stacking import TABLES, assert_same_state, province, result_of

SEED = 5


def _mixed_province() -> County:
    """Four counties of the demo province whose tables differ: one leaves a class count empty,
    one a township, one gives training counts (the others leave them empty), one has no books;
    rows shuffled so that the counties' rows interleave."""
    names = list(province().counties)[:4]
    frame = province().schools
    frame = frame[frame["county"].isin(names)].copy()
    rows = {name: frame.index[frame["county"] == name] for name in names}
    frame["classes"] = frame["classes"].astype(float)
    frame.loc[rows[names[0]][1], "classes"] = np.nan
    frame.loc[rows[names[1]][2], "township"] = np.nan
    frame["training_completed_teachers"] = np.nan
    given = rows[names[2]]
    frame.loc[given, "training_completed_teachers"] = (frame.loc[given, "teachers"] // 2).astype(float)
    frame["books"] = frame["books"].astype(float)
    frame.loc[rows[names[3]], "books"] = np.nan
    frame = frame.sample(frac=1.0, random_state=3).reset_index(drop=True)
    return County.from_frames(frame)


def _alone(county: County, policy, years: int):
    return [initial_state(county.select(county=name), policy, Streams(SEED, 0, k), years)
            for k, name in enumerate(county.counties)]


@pytest.mark.parametrize("which", ["demo province", "mixed tables"])
def test_one_pass_equals_each_county_alone(which):
    county = province() if which == "demo province" else _mixed_province()
    assert reads_at_once(county)
    policy, years = default_policy(), 3
    streams = Streams(SEED, 0, counties=tuple(range(len(county.counties))))
    together = initial_state(county, policy, streams, years)
    alone = _alone(county, policy, years)
    assert_same_state(together, alone)
    assert np.array_equal(np.asarray(together.observed_exchange), np.array([s.observed_exchange for s in alone]),
                          equal_nan=True)


def test_mixed_tables_note_each_county_as_alone():
    county = _mixed_province()
    states = _alone(county, default_policy(), 2)
    notes = [set(s.notes) for s in states]
    classes = "schools: classes missing; estimated from pupils and the class-size limit"
    township = "schools: no township; the whole county is treated as one catchment"
    assert [classes in n for n in notes] == [True, False, False, False]
    assert [township in n for n in notes] == [False, True, False, False]
    assert [any("training_completed_teachers" in x for x in n) for n in notes] == [True, True, False, True]
    assert [any("no books" in x for x in n) for n in notes] == [False, False, False, True]


def test_whole_run_from_one_pass_equals_each_county_alone():
    county = _mixed_province()
    names = list(county.counties)
    policy, years = default_policy(), 3
    together = run_counties(county, policy, years, SEED, 0)
    alone = [run_county(county.select(county=name), policy, years, Streams(SEED, 0, k)) for k, name in enumerate(names)]
    a = result_of([(n, 0, r) for n, r in zip(names, together)], names, policy, SEED, years)
    b = result_of([(n, 0, r) for n, r in zip(names, alone)], names, policy, SEED, years)
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table), check_exact=True, obj=table)


def test_tables_read_county_by_county_are_not_read_at_once():
    frame = province().schools
    with_budget = County.from_frames(frame, budget=pd.DataFrame({"year": [2020], "compulsory_education_yuan": [1e8],
                                                                 "fiscal_revenue_yuan": [1e9]}))
    unnamed = frame.copy()
    unnamed.loc[unnamed.index[0], "county"] = np.nan
    assert not reads_at_once(with_budget)
    assert not reads_at_once(County.from_frames(unnamed))
