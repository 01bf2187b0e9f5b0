"""The levers' directions on random counties (hypothesis): in the first simulated year, where only
the lever differs between the two runs (common random numbers), exchange never raises the backbone
CV and more exchange never raises it further; a larger allowance keeps every rural teacher a smaller
one kept, and more; intake caps bring an oversized school within the size limit."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.county import County
from balance_sim.sim import default_policy, simulate
from sim_counties import small_county


def _first_year_cv(county, changes: dict, seed: int, level: str) -> float:
    result = simulate(county, default_policy().override(changes), years=1, seed=seed)
    rows = result.metric("cv", "quality-2017", level=level, key="backbone_teachers_per_100")
    return float(rows[rows["year"] == result.years[-1]]["value"].iloc[0])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), level=st.sampled_from(["primary", "junior"]))
def test_exchange_never_raises_the_first_years_backbone_cv(seed, level):
    county = small_county(seed=seed % 997, n_primary=8, n_junior=5, roster=True)
    cvs = [_first_year_cv(county, {"teachers.exchange_rate": rate}, seed, level) for rate in (0.0, 0.1, 0.3)]
    if np.isfinite(cvs).all():
        assert cvs[1] <= cvs[0] + 1e-12 and cvs[2] <= cvs[1] + 1e-12, cvs


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), low=st.sampled_from([0, 300]), high=st.sampled_from([800, 1500]))
def test_a_larger_allowance_keeps_every_rural_teacher_a_smaller_one_keeps(seed, low, high):
    county = small_county(seed=seed % 997, n_primary=8, n_junior=4, roster=True)
    leavers = []
    for allowance in (low, high):
        result = simulate(county, default_policy().override({"teachers.hardship_allowance_yuan_month": allowance}),
                          years=1, seed=seed)
        moves = result.teacher_moves
        leavers.append(set(moves.loc[moves["kind"].astype(str) == "leave", "teacher_id"]))
    assert leavers[1] <= leavers[0]


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31), pupils=st.integers(2100, 2900))
def test_intake_caps_bring_an_oversized_school_within_the_limit(seed, pupils):
    county = small_county(seed=seed % 997, n_primary=6, n_junior=3)
    schools = county.schools
    big = schools.index[(schools["level"] == "primary") & (schools["location"] == "urban")][0]
    schools.loc[big, ["students", "classes", "teachers"]] = [pupils, int(np.ceil(pupils / 45)), pupils // 19]
    county = County.from_frames(schools)
    runs = [simulate(county, default_policy().override({"capacity.intake_caps": caps}), years=3, seed=seed)
            for caps in (False, True)]
    size = [r.schools[r.schools["school_id"] == schools.loc[big, "school_id"]].groupby("year")["students"].sum()
            for r in runs]
    assert (size[1] <= size[0] + 1e-6).all()  # the caps never enlarge it
    c = runs[1].checklist
    rows = c[(c["key"].astype(str) == "school_size") & (c["year"] > runs[1].years[0] + 1)]
    assert (rows["status"].astype(str) == "pass").all() and (size[1].iloc[2:] <= 2000 + 1e-6).all()
