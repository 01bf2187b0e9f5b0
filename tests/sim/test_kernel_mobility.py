"""The compiled drift, county pool and hiring passes against the array formulas they replaced
(same draws, same moves in the same order, same teachers afterwards) and against their own
kernels run as plain Python, on random counties; the compiled matching against `match`; and
small cases worked out by hand."""
import copy
from contextlib import contextmanager
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim import hiring, matching, mobility
from balance_sim.sim import ledger as L
from balance_sim.sim.matching import group_key_order, key_order, match_sections, per_school
from balance_sim.sim.state import Teachers

from array_references import match, rank_in_group, slots

# ------------------------------------------------------------------ the array formulas replaced


def _reference_posts(state):
    t = state.teachers
    return per_school(t.post[: t.n], t.active[: t.n], state.schools.n)


def _reference_move(state, who, target, kind):
    t = state.teachers
    source = t.school[who].copy()
    t.school[who] = target
    t.post[who] = target
    t.years_at_school[who] = 0
    return L.moves(kind, who, source, target)


def reference_mobility(state, policy, rng):
    """Drift, then the pool, as numpy array formulas (the mechanism before it was compiled)."""
    t, s, tp, norm = state.teachers, state.schools, policy.teachers, state.norm
    n = t.n
    candidates = np.flatnonzero(t.active[:n] & (t.exchange_left[:n] == 0) & s.rural[t.school[:n]])
    p = tp.drift_rate * state.constants.allowance_factor * np.where(t.backbone[candidates] > 0, tp.drift_backbone_factor, 1.0)
    want = candidates[rng.random(len(candidates), dtype=np.float32) < p]
    vacancy = np.where(s.open & ~s.rural, norm - _reference_posts(state), 0)
    free = slots(np.arange(s.n), vacancy)
    quality = np.where(np.isnan(s.quality), -np.inf, s.quality)
    who, where = match(s.level[t.school[want]], rng.random(len(want)), s.level[free], -quality[free], 2)
    rows = [_reference_move(state, want[who], free[where], L.DRIFT)]
    empty = L.moves(L.POOL, [], [], [])
    if not tp.pool_rebalancing:
        return rows + [empty]
    held = _reference_posts(state)
    surplus = np.maximum(held - norm, 0)
    vacancy = np.where(s.open, norm - held, 0)
    if not surplus.any() or not (vacancy > 0).any():
        return rows + [empty]
    serving = np.flatnonzero(t.active[:n] & (t.exchange_left[:n] == 0) & (t.school[:n] == t.post[:n]) & (surplus[t.post[:n]] > 0))
    home = t.post[serving]
    rank = rank_in_group(home, rng.random(len(serving)), s.n)
    spare = serving[rank < surplus[home]]
    free = slots(np.arange(s.n), vacancy)
    who, where = match(s.level[t.post[spare]], rng.random(len(spare)), s.level[free], s.priority[free], 2)
    return rows + [_reference_move(state, spare[who], free[where], L.POOL)]


def reference_hiring(state, policy, rng):
    t, s, tp = state.teachers, state.schools, policy.teachers
    norm = state.norm
    vacancy = np.where(s.open, norm - _reference_posts(state), 0)
    free = slots(np.arange(s.n), vacancy)
    quota = int(tp.max_hires_share * np.count_nonzero(t.active[: t.n]))
    with np.errstate(divide="ignore", invalid="ignore"):
        shortage = np.where(norm > 0, vacancy / np.maximum(norm, 1), 0.0)
    order = np.lexsort((-shortage[free], s.priority[free]))
    where = free[order[:quota]]
    k = len(where)
    if not k:
        return [L.moves(L.HIRE, [], [], [])]
    t.grow(k)
    new = np.arange(t.n, t.n + k)
    t.n += k
    u = rng.random((3, k))
    d = tp.new_teacher_degree
    t.active[new] = True
    t.school[new] = where
    t.post[new] = where
    t.age[new] = tp.new_teacher_age
    t.female[new] = u[0] < tp.new_teacher_female_share
    t.degree[new] = 1 + (u[1] >= d.associate) + (u[1] >= d.associate + d.bachelor)
    t.title[new] = 0
    t.backbone[new] = 0
    t.pe_art[new] = u[2] < tp.new_teacher_pe_art_share
    t.years_at_school[new] = 0
    t.rural_years[new] = 0
    t.exchange_left[new] = 0
    t.training_cycle[new] = tp.training_cycle_years
    return [L.moves(L.HIRE, new, np.full(k, -1), where)]


# ------------------------------------------------------------------ random counties


def random_county(seed: int, pool: bool):
    """A state of `S` sections and `n` teachers (spare slots after them, few enough that hiring
    may have to grow the arrays), and a policy with the levers these passes read."""
    rng = np.random.default_rng(seed)
    n_sections = int(rng.integers(1, 25))
    n = int(rng.integers(0, 300))
    capacity = n + int(rng.integers(0, 20))
    location = rng.integers(0, 3, n_sections)
    weak = rng.random(n_sections) < 0.3
    rural = location == 2
    quality = np.round(rng.normal(0, 1, n_sections), 1)  # ties between sections
    quality[rng.random(n_sections) < 0.15] = np.nan
    schools = SimpleNamespace(
        n=n_sections, level=rng.integers(0, 2, n_sections).astype(np.int8), rural=rural, weak=weak,
        open=rng.random(n_sections) < 0.9, quality=quality, priority=2.0 * ~rural + 1.0 * ~weak,
    )

    def column(values, dtype):
        out = np.zeros(capacity, dtype)
        out[:n] = values
        return out

    school = rng.integers(0, n_sections, n)
    away = rng.random(n) < 0.1
    post = np.where(away, rng.integers(0, n_sections, n), school)
    teachers = Teachers(
        ids=np.array([f"T{i}" for i in range(capacity)], dtype=object),
        active=column(rng.random(n) < 0.9, bool), school=column(school, np.int32), post=column(post, np.int32),
        age=column(rng.integers(22, 60, n), np.int8), female=column(rng.random(n) < 0.6, bool),
        degree=column(rng.integers(0, 4, n), np.int8), title=column(rng.integers(0, 5, n), np.int8),
        backbone=column(rng.integers(0, 3, n) * (rng.random(n) < 0.3), np.int8), pe_art=column(rng.random(n) < 0.1, bool),
        years_at_school=column(rng.integers(0, 20, n), np.int8), rural_years=column(rng.integers(0, 10, n), np.int8),
        exchange_left=column(np.where(away, rng.integers(1, 3, n), 0), np.int8),
        training_cycle=column(rng.integers(0, 6, n), np.int8), n=n,
    )
    held = per_school(post, teachers.active[:n], n_sections)
    norm = np.maximum(held + rng.integers(-4, 5, n_sections), 0).astype(np.int64)
    state = SimpleNamespace(teachers=teachers, schools=schools, norm=norm, scratch={},
                            constants=SimpleNamespace(allowance_factor=float(rng.uniform(0.5, 1.0))))
    policy = SimpleNamespace(teachers=SimpleNamespace(
        drift_rate=float(rng.uniform(0.0, 0.5)), drift_backbone_factor=float(rng.uniform(0.5, 3.0)),
        pool_rebalancing=pool, max_hires_share=float(rng.uniform(0.0, 0.2)), new_teacher_age=24,
        new_teacher_female_share=0.7, new_teacher_degree=SimpleNamespace(associate=0.2, bachelor=0.7),
        new_teacher_pe_art_share=0.15, training_cycle_years=5,
    ))
    return state, policy


TEACHER_FIELDS = ("active", "school", "post", "age", "female", "degree", "title", "backbone", "pe_art",
                  "years_at_school", "rural_years", "exchange_left", "training_cycle")
KERNELS = {mobility: ("_drift_candidates", "_drift_seekers", "_move", "_drift_moves_then_pool", "_pool_spare",
                      "_pool_moves", "_year_pass"),
           hiring: ("_places", "_write_hires", "_hire", "_year_pass"),
           matching: ("key_order", "group_key_order", "match_sections")}


@contextmanager
def plain_python():
    """The kernels of these passes run as the Python functions they are compiled from."""
    saved = {(module, name): getattr(module, name) for module, names in KERNELS.items() for name in names}
    try:
        for (module, name), compiled in saved.items():
            setattr(module, name, compiled.py_func)
        mobility.match_sections = matching.match_sections  # the name mobility imported
        yield
    finally:
        for (module, name), compiled in saved.items():
            setattr(module, name, compiled)
        mobility.match_sections = matching.match_sections


def _rows(rows):
    return [(r.kind, np.asarray(r.teacher).tolist(), np.asarray(r.source).tolist(), np.asarray(r.target).tolist()) for r in rows]


def _same_teachers(a, b):
    assert a.n == b.n and a.capacity == b.capacity
    for name in TEACHER_FIELDS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def _three_ways(seed, pool, step, reference):
    base_state, policy = random_county(seed, pool)
    results = []
    for how in ("reference", "compiled", "python"):
        state, rng = copy.deepcopy(base_state), np.random.default_rng(seed)
        if how == "reference":
            rows = reference(state, policy, rng)
        elif how == "compiled":
            rows = step(state, policy, rng)[1]
        else:
            with plain_python():
                rows = step(state, policy, rng)[1]
        results.append((state, _rows(rows), rng.bit_generator.state))
    (ref_state, ref_rows, ref_rng), *others = results
    for state, rows, rng_state in others:
        assert rows == ref_rows
        assert rng_state == ref_rng  # the same draws, no more and no fewer
        _same_teachers(state.teachers, ref_state.teachers)
    return ref_rows


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_mobility_moves_the_teachers_the_array_formulas_moved(seed, pool):
    _three_ways(seed, pool, mobility.step, reference_mobility)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_hiring_hires_whom_the_array_formulas_hired(seed):
    _three_ways(seed, False, hiring.step, reference_hiring)


def test_random_counties_move_and_hire_someone():
    """The random counties above exercise every branch: drift and pool moves, hires, growth."""
    moved = {L.DRIFT: 0, L.POOL: 0, L.HIRE: 0}
    grown = 0
    for seed in range(40):
        for rows in (_three_ways(seed, True, mobility.step, reference_mobility),
                     _three_ways(seed, False, hiring.step, reference_hiring)):
            for kind, teacher, _, _ in rows:
                moved[kind] += len(teacher)
        state, policy = random_county(seed, False)
        capacity = state.teachers.capacity
        hiring.step(state, policy, np.random.default_rng(seed))
        grown += state.teachers.capacity > capacity
    assert min(moved.values()) > 20 and grown > 0


# ------------------------------------------------------------------ matching


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 60), st.integers(0, 30), st.integers(1, 4))
def test_compiled_matching_pairs_as_match(seed, n_movers, n_sections, n_groups):
    rng = np.random.default_rng(seed)
    mover_group = rng.integers(0, n_groups, n_movers).astype(np.int8)
    mover_key = rng.random(n_movers)
    section_group = rng.integers(0, n_groups, n_sections).astype(np.int8)
    section_key = rng.integers(0, 4, n_sections).astype(float)  # ties: the section order decides
    capacity = rng.integers(-2, 5, n_sections)
    free = slots(np.arange(n_sections), capacity)
    who, where = match(mover_group, mover_key, section_group[free], section_key[free], n_groups)
    expected = (who.tolist(), free[where].tolist())
    for fn in (match_sections, match_sections.py_func):
        got = fn(mover_group, mover_key, section_group, section_key, capacity, n_groups)
        assert (got[0].tolist(), got[1].tolist()) == expected
    slot_key = rng.integers(0, 3, len(free)).astype(float)
    expected = match(mover_group, mover_key, section_group[free], slot_key, n_groups)
    one_each = np.ones(len(free), np.int64)  # every slot a section of its own, with its own key
    for fn in (match_sections, match_sections.py_func):
        got = fn(mover_group, mover_key, section_group[free], slot_key, one_each, n_groups)
        assert got[0].tolist() == expected[0].tolist() and got[1].tolist() == expected[1].tolist()


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 200), st.integers(1, 8))
def test_group_key_order_is_the_two_key_lexsort(seed, n, n_groups):
    rng = np.random.default_rng(seed)
    group = rng.integers(0, n_groups, n)
    key = rng.integers(0, 5, n).astype(float)  # many ties: position decides, as in a stable sort
    for fn in (group_key_order, group_key_order.py_func):
        order, counts = fn(group, key, n_groups)
        assert order.tolist() == np.lexsort((key, group)).tolist()
        assert counts.tolist() == np.bincount(group, minlength=n_groups).tolist()


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 3000), st.sampled_from(["draws", "bunched", "ties", "any"]))
def test_key_order_is_a_stable_argsort(seed, n, spread):
    rng = np.random.default_rng(seed)
    key = {
        "draws": rng.random(n),  # one bucket per key: the linear-time path
        "bunched": 0.5 + 1e-6 * rng.random(n),  # crowded buckets: the merge sort
        "ties": rng.integers(0, 3, n) / 4,  # equal keys: positions decide
        "any": rng.normal(0, 1, n),  # outside [0, 1): the merge sort
    }[spread]
    expected = np.argsort(key, kind="stable").tolist()
    assert key_order(key).tolist() == expected
    if n <= 400:  # as plain Python (slow for long arrays)
        assert key_order.py_func(key).tolist() == expected


def test_match_sections_by_hand():
    # Level 0: sections 0 (key 2, 1 place), 2 (key 1, 2 places), 3 (key 1, 1 place); level 1: section 1.
    # Three level-0 movers by key: 4 (0.1), 0 (0.3), 2 (0.7) take 2, 2, 3; mover 3 (0.9) finds no place.
    # The level-1 mover 1 takes section 1; section 4 (no room) is never used.
    who, where = match_sections(
        np.array([0, 1, 0, 0, 0], np.int8), np.array([0.3, 0.5, 0.7, 0.9, 0.1]),
        np.array([0, 1, 0, 0, 1], np.int8), np.array([2.0, 0.0, 1.0, 1.0, -5.0]), np.array([1, 3, 2, 1, 0]), 2)
    assert who.tolist() == [4, 0, 2, 3, 1]
    assert where.tolist() == [2, 2, 3, 0, 1]


# ------------------------------------------------------------------ worked by hand


def test_hiring_places_by_priority_then_shortage_by_hand():
    # Sections: norm 10/4/8/5, posts 8/2/7/5, priority 3/3/0/0 (the last two rural and weak).
    # Vacancies 2, 2, 1, 0; shortages 0.2, 0.5, 0.125. Priority 0 first: section 2 (1 post);
    # then priority 3 by shortage: section 1 (0.5, 2 posts), section 0 (0.2, 2 posts).
    post = np.repeat(np.arange(4), [8, 2, 7, 5]).astype(np.int32)
    active = np.ones(len(post), bool)
    norm = np.array([10, 4, 8, 5])
    priority = np.array([3.0, 3.0, 0.0, 0.0])
    is_open = np.ones(4, bool)
    for fn in (hiring._places, hiring._places.py_func):
        assert fn(active, post, len(post), norm, is_open, priority, 1.0).tolist() == [2, 1, 1, 0, 0]
        # 22 serving × 0.2 = 4.4: a quota of four hires.
        assert fn(active, post, len(post), norm, is_open, priority, 0.2).tolist() == [2, 1, 1, 0]
        closed = np.array([True, False, True, True])
        assert fn(active, post, len(post), norm, closed, priority, 1.0).tolist() == [2, 0, 0]


def test_pool_spare_takes_the_smallest_draws_of_each_section_by_hand():
    # Section 0 holds one post too many, section 1 two; section 2 none.
    serving = np.array([0, 1, 2, 3, 4, 5, 6])
    post = np.array([0, 1, 1, 0, 1, 2, 0], np.int32)
    draw = np.array([0.9, 0.4, 0.1, 0.5, 0.2, 0.0, 0.3])
    surplus = np.array([1, 2, 0])
    level = np.array([0, 1, 1], np.int8)
    for fn in (mobility._pool_spare, mobility._pool_spare.py_func):
        spare, spare_level = np.zeros(7, np.int64), np.zeros(7, np.int8)
        k = fn(serving, draw, post, surplus, level, np.zeros(4, np.int64), spare, spare_level)
        # Section 0: draws 0.9, 0.5, 0.3 → teacher 6; section 1: 0.4, 0.1, 0.2 → teachers 2 and 4.
        assert spare[:k].tolist() == [2, 4, 6]
        assert spare_level[:k].tolist() == [1, 1, 0]
