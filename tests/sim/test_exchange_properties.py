"""Properties of the exchange (exchange.py) on random states run for a few years: no section
that lost backbone teachers to the exchange ends below its level's target and none that gained
ends above it; every section keeps as many teachers, and as many PE and arts teachers, as it had; more exchange never raises the
backbone CV; the quota is met when there are enough eligible teachers; the ledger's rows and the
counts agree."""
from __future__ import annotations

import copy
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import exchange
from balance_sim.sim.state import LOCATIONS

from test_exchange import backbone_counts, backbone_cv, context, state, target, teacher_counts
from balance_sim.sim.streams import CountyDraws

RATES = (0.0, 0.1, 0.2, 0.3, 0.5)


def random_state(seed: int):
    """Two levels of 2–7 sections each (any location, some weak), 20–1,500 pupils, about one
    teacher per 10–25 pupils (at least 2), each section with its own share of backbone teachers,
    0–15 years at the school."""
    rng = np.random.default_rng(seed)
    sections, school, backbone = [], [], []
    for level in ("primary", "junior"):
        for _ in range(int(rng.integers(2, 8))):
            pupils = int(rng.integers(20, 1500))
            sections.append((level, LOCATIONS[rng.integers(3)], bool(rng.random() < 0.3), pupils))
            n = max(2, int(pupils / rng.uniform(10, 25)))
            school += [len(sections) - 1] * n
            backbone += list(rng.random(n) < rng.uniform(0, 0.35))
    years = rng.integers(0, 16, len(school))
    out = state(sections, school, backbone, years=years, spare=0)
    out.teachers.pe_art[: len(school)] = rng.random(len(school)) < 0.12
    return out


def next_year(st) -> None:
    t = st.teachers
    t.years_at_school[: t.n] = np.minimum(t.years_at_school[: t.n] + 1, 100)


def eligible_by_level(st, min_years: int = 6):
    """Teachers who may go (at home, long enough there), per level; their backbone flag and side."""
    t, s = st.teachers, st.schools
    n = t.n
    home = t.active[:n] & (t.exchange_left[:n] == 0) & (t.school[:n] == t.post[:n])
    ok = home & (t.years_at_school[:n] >= min_years)
    level = s.level[t.school[:n]]
    strong = (~s.rural & ~s.weak)[t.school[:n]]
    return ok, level, t.backbone[:n] > 0, strong


def check_year(before_teachers, targets, st, rows, minimum: float = 0.0):
    """The year's invariants against the teachers per section before it and each level's target."""
    stays, returns, out = rows
    t, s = st.teachers, st.schools
    # Teachers per section change only by the returns: the pairs leave every section as it was.
    expected = before_teachers + np.bincount(returns.target, minlength=s.n) - np.bincount(returns.source, minlength=s.n)
    assert teacher_counts(st).tolist() == expected.tolist()
    assert np.bincount(out.source, minlength=s.n).tolist() == np.bincount(out.target, minlength=s.n).tolist()
    assert (t.school[out.teacher] == out.target).all() and (t.post[out.teacher] == out.source).all()
    # Like for like in subject: as many PE and arts teachers arrive at each section as leave it.
    pe = t.pe_art[out.teacher]
    assert np.bincount(out.source[pe], minlength=s.n).tolist() == np.bincount(out.target[pe], minlength=s.n).tolist()
    bb = t.backbone[out.teacher] > 0
    net = np.bincount(out.target[bb], minlength=s.n) - np.bincount(out.source[bb], minlength=s.n)
    per_100 = 100.0 * backbone_counts(st) / st.pupils
    for lv in range(2):
        assert target(st, lv) == targets[lv]  # exchange moves backbone teachers, never adds or removes
        mine = s.level == lv
        assert (per_100[mine & (net < 0)] >= targets[lv] - 1e-9).all()
        # A receiver ends at most at the target, or at the standard's minimum in whole teachers.
        ceiling = np.maximum(targets[lv] * st.pupils / 100.0, np.ceil(minimum * st.pupils / 100.0 - 1e-9))
        assert (backbone_counts(st)[mine & (net > 0)] <= ceiling[mine & (net > 0)] + 1e-9).all()
    assert st.exchange_counts[1:] == (len(out.teacher), int(bb.sum()))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31), rate=st.sampled_from(RATES[1:]), stay=st.sampled_from((0.0, 0.3, 1.0)),
       term=st.integers(1, 4), years=st.integers(1, 5), minimum=st.sampled_from((0.0, 1.0, 2.5)))
def test_no_sender_ends_below_and_no_receiver_above_the_target_and_staff_is_kept(seed, rate, stay, term, years,
                                                                                  minimum):
    st_ = random_state(seed)
    for year in range(years):
        next_year(st_)
        before = teacher_counts(st_)
        targets = [target(st_, lv) for lv in range(2)]
        rows = exchange.step(st_, context(rate=rate, stay=stay, term=term, minimum=minimum),
                             CountyDraws.of(np.random.default_rng([seed, year])))
        check_year(before, targets, st_, rows, minimum)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31), years=st.integers(0, 3))
def test_more_exchange_never_raises_the_backbone_cv(seed, years):
    base = random_state(seed)
    for year in range(years):  # some teachers away, some terms ending in the year compared
        next_year(base)
        exchange.step(base, context(rate=0.2, term=2), CountyDraws.of(np.random.default_rng([seed, year])))
    next_year(base)
    cvs = []
    for rate in RATES:
        st_ = copy.deepcopy(base)
        exchange.step(st_, context(rate=rate, term=2), CountyDraws.of(np.random.default_rng([seed, 99])))
        cvs.append([backbone_cv(st_, lv) for lv in range(2)])
    cvs = np.nan_to_num(np.array(cvs))  # NaN: a level without backbone teachers
    assert (np.diff(cvs, axis=0) <= 1e-12).all(), cvs


def test_a_first_exchange_lowers_the_backbone_cv_where_a_section_is_above_and_one_below():
    lowered = 0
    for seed in range(20):
        st_ = random_state(seed)
        before = [backbone_cv(st_, lv) for lv in range(2)]
        rows = exchange.step(st_, context(rate=0.1), CountyDraws.of(np.random.default_rng(seed)))
        out = rows[2]
        bb = st_.teachers.backbone[out.teacher] > 0
        n = st_.schools.n
        lost = np.bincount(out.source[bb], minlength=n) > np.bincount(out.target[bb], minlength=n)
        for lv in range(2):
            if (lost & (st_.schools.level == lv)).any():  # a backbone move, not only swaps
                assert backbone_cv(st_, lv) < before[lv]
                lowered += 1
    assert lowered >= 10


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31), rate=st.sampled_from(RATES[1:]), share=st.sampled_from((0.0, 0.2, 0.4)))
def test_the_quota_and_the_backbone_share_are_met_when_enough_teachers_are_eligible(seed, rate, share):
    st_ = random_state(seed)
    ok, level, backbone, strong = eligible_by_level(st_)
    rows = exchange.step(st_, context(rate=rate, share=share), CountyDraws.of(np.random.default_rng(seed)))
    out = rows[2]
    sent_level = st_.schools.level[out.source]
    for lv in range(2):
        mine = ok & (level == lv)
        quota = math.ceil(rate * mine.sum() - 1e-9)
        pairs = math.ceil(quota / 2)
        rotated = (sent_level == lv).sum()
        # Enough: town and urban sections hold N eligible non-backbone teachers, rural and weak 2N,
        # counting teachers of other subjects than PE and arts (those swap only among themselves).
        other = mine & ~backbone & ~st_.teachers.pe_art[: st_.teachers.n]
        if (other & strong).sum() >= pairs and (other & ~strong).sum() >= 2 * pairs:
            assert rotated >= quota
        backbone_other = mine & backbone & ~st_.teachers.pe_art[: st_.teachers.n]
        if rotated and min((backbone_other & strong).sum(), (backbone_other & ~strong).sum()) >= pairs:
            backbone_sent = (st_.teachers.backbone[out.teacher][sent_level == lv] > 0).sum()
            assert backbone_sent >= share * rotated - 1e-9
