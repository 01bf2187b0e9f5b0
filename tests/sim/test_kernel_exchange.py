"""The compiled exchange against the array formulas it replaced (same draws, same rows in the
same order, same teachers afterwards) on random years of random counties, against its own kernels
run as plain Python, and small cases worked out by hand (quota rounding, strength, selection,
water-filling)."""
import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import exchange, exchange_choice, load_policy, model
from balance_sim.sim import ledger as L
from balance_sim.sim.matching import per_school

from array_references import choice_by_level, level_matrix, match
from sim_counties import small_county

# ------------------------------------------------------------------ the array formulas replaced


def _smallest(positions, u, k):
    if k >= len(positions):
        return positions
    if k <= 0:
        return positions[:0]
    return positions[np.argsort(u[positions], kind="stable")[:k]]


def _reference_select(level, backbone, u, quota, share):
    backbone_quota = np.ceil(share * quota - 1e-9).astype(np.int64)
    chosen, first = [], []
    for lv in range(2):
        here = np.flatnonzero(level == lv)
        backbone_first = _smallest(here[backbone[here]], u, backbone_quota[lv])
        taken = np.zeros(len(u), dtype=bool)
        taken[backbone_first] = True
        rest = _smallest(here[~taken[here]], u, quota[lv] - len(backbone_first))
        chosen += [backbone_first, rest]
        first += [np.ones(len(backbone_first), bool), np.zeros(len(rest), bool)]
    return np.concatenate(chosen), np.concatenate(first)


def reference_step(state, policy, rng):
    """The exchange year as numpy array formulas (the mechanism before it was compiled)."""
    t, s, tp = state.teachers, state.schools, policy.teachers
    away = np.flatnonzero(t.active[: t.n] & (t.exchange_left[: t.n] > 0))
    t.exchange_left[away] -= 1
    done = away[t.exchange_left[away] == 0]
    stay = (rng.random(len(done)) < tp.exchange_stay_probability) | ~s.open[t.post[done]]
    stayers, returners = done[stay], done[~stay]
    old_post = t.post[stayers].copy()
    t.post[stayers] = t.school[stayers]
    source = t.school[returners].copy()
    t.school[returners] = t.post[returners]
    t.years_at_school[returners] = 0
    rows = [(L.EXCHANGE_STAY, stayers, old_post, t.school[stayers].copy()),
            (L.EXCHANGE_RETURN, returners, source, t.school[returners].copy())]
    n = t.n
    school = t.school[:n]
    present = t.active[:n] & (t.exchange_left[:n] == 0)
    eligible = present & (t.years_at_school[:n] >= tp.exchange_min_years) & s.open[school]
    quota = np.ceil(tp.exchange_rate * (level_matrix(s.level) @ per_school(school, eligible, s.n)) - 1e-9).astype(np.int64)
    q = np.where(np.isnan(s.quality), 0.0, s.quality) + tp.exchange_urban_bonus * ~s.rural
    w = np.where(s.open, state.pupils, 0.0)
    mean = np.bincount(s.level, weights=w * q, minlength=2) / np.maximum(np.bincount(s.level, weights=w, minlength=2), 1e-12)
    sender = s.open & (q >= mean[s.level])
    pool = np.flatnonzero(eligible & sender[school])
    level = s.level[school[pool]]
    u = rng.random(len(pool))
    picked, is_first = _reference_select(level, t.backbone[pool] > 0, u, quota, tp.backbone_share_min)
    movers, mover_level = pool[picked], level[picked]
    hosted = per_school(school, t.active[:n] & ~present, s.n)
    room = np.ceil(tp.exchange_receive_share * state.norm - 1e-9).astype(np.int64) - hosted
    capacity = np.maximum(np.where(s.open & ~sender, room, 0), 0)
    free = np.repeat(np.arange(s.n), capacity)
    j = np.arange(len(free)) - (np.cumsum(capacity) - capacity)[free]
    place = (s.counts[free, exchange.BACKBONE_COLUMN] + j + 0.5) / np.maximum(state.pupils[free], 1.0) + 1e-9 * q[free]
    who, where = match(mover_level, 0.5 * (~is_first + u[picked]), s.level[free], place, 2)
    movers, target = movers[who], free[where]
    source = school[movers]
    t.school[movers] = target
    t.exchange_left[movers] = tp.exchange_term_years
    t.years_at_school[movers] = 0
    counts = (int(eligible.sum()), len(movers), int(np.count_nonzero(t.backbone[movers])))
    return rows + [(L.EXCHANGE_OUT, movers, source, target)], counts


# ------------------------------------------------------------------ whole years on random counties

TEACHER_ARRAYS = ("active", "school", "post", "years_at_school", "exchange_left", "backbone")


def _compare_years(seed, n_primary, n_junior, rate, min_years, term, stay, share, receive, bonus, years):
    """Run `years` years; at each exchange, the kernels and the array formulas on copies of the
    state with the same draws. Returns (rows compared: stays and returns, sent)."""
    policy = load_policy(overrides={
        "teachers.exchange_rate": rate, "teachers.exchange_min_years": min_years,
        "teachers.exchange_term_years": term, "teachers.exchange_stay_probability": stay,
        "teachers.backbone_share_min": share, "teachers.exchange_receive_share": receive,
        "teachers.exchange_urban_bonus": bonus, "enrolment.consolidation.enabled": True})
    county = small_county(seed=seed % 1000, n_primary=n_primary, n_junior=n_junior, roster=True)
    rng = np.random.default_rng(seed)
    run, state = model.start(county, policy, years + 1, rng)
    ended = sent = 0
    for year in range(years):  # earlier years give teachers away, ending terms, closed sections
        state.year += 1
        for mechanism in model.MECHANISMS:
            if mechanism is not exchange.step:
                state, _ = mechanism(state, policy, rng)
                continue
            before = copy.deepcopy(state)
            rows_expected, counts_expected = reference_step(before, policy, np.random.default_rng(year))
            state, rows = mechanism(state, policy, np.random.default_rng(year))
            assert state.exchange_counts == counts_expected
            for got, (kind, teacher, source, target) in zip(rows, rows_expected, strict=True):
                assert got.kind == kind
                for a, b in ((got.teacher, teacher), (got.source, source), (got.target, target)):
                    assert np.array_equal(a, b)
            for name in TEACHER_ARRAYS:
                assert np.array_equal(getattr(state.teachers, name), getattr(before.teachers, name)), name
            ended += len(rows[0].teacher) + len(rows[1].teacher)
            sent += len(rows[2].teacher)
    return ended, sent


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(3, 12), st.integers(1, 6), st.floats(0.05, 0.6),
       st.integers(0, 4), st.integers(1, 3), st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.05, 0.6),
       st.floats(-0.5, 0.5), st.integers(2, 6))
def test_compiled_years_match_the_array_formulas(seed, n_primary, n_junior, rate, min_years, term, stay,
                                                 share, receive, bonus, years):
    _compare_years(seed, n_primary, n_junior, rate, min_years, term, stay, share, receive, bonus, years)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compiled_years_match_with_terms_ending(seed):
    """Many teachers sent, one-year terms, half staying: every kind of row occurs."""
    ended, sent = _compare_years(seed, 10, 5, 0.5, 0, 1, 0.5, 0.4, 0.6, 0.2, 5)
    assert ended > 20 and sent > 40


# ------------------------------------------------------------------ compiled against plain Python


def _random_sections(rng, n_sections):
    quality = rng.normal(0, 1, n_sections)
    quality[rng.random(n_sections) < 0.2] = np.nan
    return dict(section_open=rng.random(n_sections) < 0.85, level=rng.integers(0, 2, n_sections).astype(np.int8),
                quality=quality, urban_bonus=0.3 * (rng.random(n_sections) < 0.6),
                pupils=np.round(rng.uniform(0, 900, n_sections)))


def _random_teachers(rng, n, n_sections):
    return dict(active=rng.random(n) < 0.9, exchange_left=rng.integers(0, 4, n).astype(np.int8) * (rng.random(n) < 0.3),
                school=rng.integers(0, n_sections, n).astype(np.int32), years=rng.integers(0, 12, n).astype(np.int8),
                backbone=rng.integers(0, 3, n).astype(np.int8) * (rng.random(n) < 0.4),
                post=rng.integers(0, n_sections, n).astype(np.int32))


def _same(a, b):
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


def _buffers(n, n_sections):
    return dict(done=np.full(n, -7, np.int64), pool=np.full(n, -7, np.int64), pool_group=np.full(n, -7, np.int8),
                hosted=np.full(n_sections, -7, np.int64), eligible=np.full(2, -7, np.int64),
                score=np.full(n_sections, np.nan), sender=np.zeros(n_sections, bool))


def _serve(fn, n, tea, sec, min_years, left, years, buf):
    return fn(n, tea["active"], left, tea["school"], tea["post"], years, tea["backbone"], min_years, sec["section_open"], sec["level"],
              sec["quality"], sec["urban_bonus"], sec["pupils"], buf["done"], buf["pool"], buf["pool_group"],
              buf["hosted"], buf["eligible"], buf["score"], buf["sender"])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 300), st.integers(1, 12), st.integers(0, 8),
       st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.05, 1.0))
def test_kernels_compiled_and_as_python_agree(seed, n, n_sections, min_years, stay, rate, share, receive):
    rng = np.random.default_rng(seed)
    sec, tea = _random_sections(rng, n_sections), _random_teachers(rng, n, n_sections)
    outputs, states = [], []
    for fn in (exchange._serve_and_sort_out, exchange._serve_and_sort_out.py_func):
        left, years, buf = tea["exchange_left"].copy(), tea["years"].copy(), _buffers(n, n_sections)
        outputs.append(_serve(fn, n, tea, sec, min_years, left, years, buf))
        states.append((left, years, buf))
    assert outputs[0] == outputs[1]
    assert all(_same(a, b) for a, b in zip(states[0][:2], states[1][:2]))
    assert all(_same(states[0][2][k], states[1][2][k]) for k in states[0][2])
    n_done, n_pool = outputs[0]
    buf = states[0][2]
    draws = rng.random(n_done)
    settled, after = [], []
    for fn in (exchange._settle, exchange._settle.py_func):
        school, post, years = tea["school"].copy(), tea["post"].copy(), states[0][1].copy()
        eligible, quota, pool, pool_group = buf["eligible"].copy(), np.zeros(2, np.int64), buf["pool"].copy(), buf["pool_group"].copy()
        settled.append(fn(buf["done"], draws, stay, school, post, years, tea["backbone"], min_years, sec["section_open"],
                          sec["level"], buf["sender"], eligible, quota, rate, pool, pool_group, n_pool))
        after.append((school, post, years, eligible, quota, pool, pool_group))
    assert _same(settled[0], settled[1]) and _same(after[0], after[1])
    n_pool = settled[0][3]
    pool, pool_group, quota = after[0][5], after[0][6], after[0][4]
    assert np.all(np.diff(pool[:n_pool]) > 0)  # the pool stays in slot order
    u = rng.random(n_pool)
    norm = rng.integers(0, 40, n_sections)
    counts = rng.integers(0, 9, (n_sections, 6))
    sent, moved = [], []
    for fn in (exchange._send_kernel, exchange._send_kernel.py_func):
        school, left, years = after[0][0].copy(), states[0][0].copy(), after[0][2].copy()
        sent.append(fn(pool, pool_group, u, school, tea["backbone"], quota, share, sec["level"], sec["section_open"],
                       buf["sender"], buf["score"], norm, receive, buf["hosted"], counts, 3, sec["pupils"], left, years, 3))
        moved.append((school, left, years))
    assert _same(sent[0], sent[1]) and _same(moved[0], moved[1])


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 400), st.integers(0, 120), st.integers(0, 120),
       st.floats(0.0, 1.0), st.sampled_from(["uniform", "high", "low", "steps"]))
def test_choice_is_the_smallest_draws_backbone_first(seed, m, q0, q1, share, shape):
    """Any draws in [0, 1), also far from uniform (where the pre-sorting limit lets too few
    through and the group is scanned in full): the same positions, in the same order, as sorting."""
    rng = np.random.default_rng(seed)
    level = rng.integers(0, 2, m).astype(np.int8)
    backbone = rng.random(m) < 0.3
    u = {"uniform": rng.random(m), "high": 0.9 + 0.1 * rng.random(m), "low": 0.01 * rng.random(m),
         "steps": np.round(rng.random(m), 1) * 0.999 + 1e-6 * rng.random(m)}[shape]
    quota = np.array([q0, q1])
    picked, is_first = choice_by_level(level, backbone, u, quota, share)
    expected, expected_first = _reference_select(level, backbone, u, quota, share)
    # the order within each level: backbone first by draw, then the others by draw
    order = np.lexsort((u[expected], ~expected_first, level[expected]))
    assert np.array_equal(picked, expected[order])
    assert np.array_equal(is_first, expected_first[order])
    group = (2 * level + backbone).astype(np.int8)
    assert _same(exchange_choice.choose(group, u, quota, share), exchange_choice.choose.py_func(group, u, quota, share))


# ------------------------------------------------------------------ worked by hand


def test_strength_and_senders_by_hand():
    # level 0: strengths 1.0 (urban, 0.7 + bonus 0.3), 0.0 (rural, unknown quality), 0.5 (rural);
    # mean weighted by pupils (100, 300, 100; the closed one left out) = (100 + 0 + 50) / 500 = 0.3.
    quality = np.array([0.7, np.nan, 0.5, 2.0, 0.2])
    bonus = np.array([0.3, 0.0, 0.0, 0.0, 0.0])
    section_open = np.array([True, True, True, False, True])
    pupils = np.array([100.0, 300.0, 100.0, 999.0, 50.0])
    level = np.array([0, 0, 0, 0, 1], np.int8)
    score, sender = np.empty(5), np.empty(5, bool)
    exchange._strength(quality, bonus, section_open, pupils, level, score, sender)
    assert np.allclose(score, [1.0, 0.0, 0.5, 2.0, 0.2])
    assert sender.tolist() == [True, False, True, False, True]  # a closed section never sends


@pytest.mark.parametrize("eligible, rate, quota", [(30, 0.1, 3), (31, 0.1, 4), (9, 0.1, 1), (0, 0.1, 0), (20, 0.25, 5)])
def test_quota_is_at_least_the_rate_rounded_up(eligible, rate, quota):
    # 0.1 × 30 is 3.0000000000000004 in floating point: still 3, not 4.
    n = eligible
    school, years = np.zeros(n, np.int32), np.full(n, 7, np.int8)
    sec = dict(section_open=np.array([True]), level=np.array([0], np.int8), quality=np.array([1.0]),
               urban_bonus=np.array([0.0]), pupils=np.array([100.0]))
    tea = dict(active=np.ones(n, bool), school=school, post=school, backbone=np.zeros(n, np.int8))
    buf = _buffers(n, 1)
    n_done, n_pool = _serve(exchange._serve_and_sort_out, n, tea, sec, 6, np.zeros(n, np.int8), years, buf)
    assert (n_done, n_pool) == (0, eligible)  # the one section sends (its strength is the mean)
    quotas = np.zeros(2, np.int64)
    settled = exchange._settle(buf["done"], np.zeros(0), 0.5, school, school.copy(), years, tea["backbone"], 6,
                               sec["section_open"], sec["level"], buf["sender"], buf["eligible"], quotas, rate,
                               buf["pool"], buf["pool_group"], n_pool)
    assert settled[2] == eligible and quotas.tolist() == [quota, 0]


def test_water_filling_by_hand():
    """Two receivers of one level: A (section 1) has 1 backbone teacher for 100 pupils, B
    (section 2) 0 for 200; places rank (backbone + j + ½) / pupils: B 0.0025, 0.0075, 0.0125…;
    A 0.015, 0.025. Four movers, backbone teachers first, take B, B, B, A (A's first place 0.015
    beats B's fourth 0.0175). Section 0 sends; B holds at most ⌈0.5 · 8⌉ = 4, A ⌈0.5 · 10⌉ − 2
    already hosted = 3."""
    level = np.zeros(3, np.int8)
    section_open = np.ones(3, bool)
    sender = np.array([True, False, False])
    score = np.array([1.0, 0.0, 0.0])
    norm = np.array([10, 10, 8])
    hosted = np.array([0, 2, 0])
    counts = np.zeros((3, 6), np.int64)
    counts[1, exchange.BACKBONE_COLUMN] = 1
    pupils = np.array([500.0, 100.0, 200.0])
    pool = np.array([0, 1, 2, 3, 4], np.int64)  # teachers 0..4 at section 0; 1 and 3 backbone
    backbone = np.array([0, 1, 0, 2, 0], np.int8)
    group = (backbone > 0).astype(np.int8)
    u = np.array([0.9, 0.6, 0.1, 0.2, 0.3])
    school = np.zeros(5, np.int32)
    left = np.zeros(5, np.int8)
    years = np.full(5, 8, np.int8)
    (movers, source, target), n_backbone = exchange._send_kernel(
        pool, group, u, school, backbone, np.array([4, 0]), 0.5, level, section_open, sender, score, norm, 0.5,
        hosted, counts, exchange.BACKBONE_COLUMN, pupils, left, years, 3)
    # quota 4, backbone first ⌈0.5 · 4⌉ = 2: teachers 3 (0.2) and 1 (0.6); then 2 (0.1), 4 (0.3).
    assert movers.tolist() == [3, 1, 2, 4]
    assert target.tolist() == [2, 2, 2, 1]
    assert source.tolist() == [0, 0, 0, 0] and n_backbone == 2
    assert school.tolist() == [0, 2, 2, 2, 1]
    assert left.tolist() == [0, 3, 3, 3, 3] and years.tolist() == [8, 0, 0, 0, 0]
