"""The exchange (exchange.py) on tiny hand-built states, worked out by hand: backbone moves that
fill from both ends of the target, two-way pairs, the quota, the backbone share, staggered terms,
term ends. The builders at the top serve test_exchange_properties.py too."""
from __future__ import annotations

import numpy as np
import pytest

from balance_sim.sim import exchange
from balance_sim.sim import ledger as L
from balance_sim.sim.exchange_moves import stagger

from balance_sim.measures.cv import weighted_cv
from balance_sim.sim.exchange import Context
from balance_sim.sim.policy import load_policy
from balance_sim.sim.roster import empty_teachers
from balance_sim.sim.state import LOCATIONS, TEACHER_COUNTS, Schools, State
from balance_sim.sim.streams import CountyDraws

LEVEL = {"primary": 0, "junior": 1}


def schools(sections) -> Schools:
    """`sections`: (level, location, weak, pupils) per section; all open."""
    n = len(sections)
    z = np.zeros(n)
    pupils = np.array([p for *_, p in sections], float)
    grades = np.zeros((n, 9))
    grades[:, 0] = pupils
    return Schools(
        ids=np.array([f"s{i}" for i in range(n)], object), names=np.array([f"s{i}" for i in range(n)], object),
        township_names=np.array(["t"] * n, object), school_types=np.array(["regular"] * n, object),
        level=np.array([LEVEL[lv] for lv, *_ in sections], np.int8),
        location=np.array([LOCATIONS.index(loc) for _, loc, *_ in sections], np.int8),
        township=np.zeros(n, np.int32), teaching_point=np.zeros(n, bool),
        weak=np.array([w for _, _, w, _ in sections], bool), open=np.ones(n, bool), grades=grades,
        boarding_share=z.copy(), rooms=z.copy(), classes=z.copy(), assets=np.zeros((n, 6)),
        public_funds=z.copy(), capital=z.copy(), quality=z.copy(),
        counts=np.zeros((n, len(TEACHER_COUNTS)), np.int64), exchange_in=np.zeros(n, np.int64),
        indicators=np.zeros((n, 11)),
    )


def state(sections, school, backbone=None, years=None, exchange_left=None, post=None, spare: int = 4) -> State:
    """A state of `sections` and one teacher per element of `school` (section taught at);
    backbone (bool), years at the school (default 10), years of exchange left (default 0), post
    (default: the section taught at); `spare` unused slots after them."""
    s = schools(sections)
    school = np.asarray(school, np.int32)
    n = len(school)
    t = empty_teachers(n + spare)
    t.n = n
    t.active[:n] = True
    t.school[:n] = school
    t.post[:n] = school if post is None else np.asarray(post, np.int32)
    t.backbone[:n] = 0 if backbone is None else np.asarray(backbone, bool).astype(np.int8)
    t.years_at_school[:n] = 10 if years is None else np.asarray(years, np.int8)
    t.exchange_left[:n] = 0 if exchange_left is None else np.asarray(exchange_left, np.int8)
    t.ids[:n] = [f"t{i}" for i in range(n)]
    return State(year=2025, schools=s, teachers=t, budget=None, pupils=s.grades.sum(axis=1))


def roster(spec) -> tuple[list, list]:
    """(school, backbone) lists from {section: (backbone teachers, other teachers)}."""
    school, backbone = [], []
    for section, (b, o) in spec.items():
        school += [section] * (b + o)
        backbone += [True] * b + [False] * o
    return school, backbone


def context(rate=0.1, min_years=6, share=0.2, term=3, stay=0.0, minimum=0.0) -> Context:
    """`minimum`: the standard's backbone teachers per 100 pupils (0: receivers fill to the target only)."""
    return Context(rate=rate, min_years=min_years, backbone_share=share, term=term, stay_probability=stay,
                   backbone_minimum=np.full(2, minimum))


def backbone_counts(st: State) -> np.ndarray:
    t = st.teachers
    serving = t.active[: t.n] & (t.backbone[: t.n] > 0)
    return np.bincount(t.school[: t.n][serving], minlength=st.schools.n)


def teacher_counts(st: State) -> np.ndarray:
    t = st.teachers
    return np.bincount(t.school[: t.n][t.active[: t.n]], minlength=st.schools.n)


def backbone_cv(st: State, level: int) -> float:
    """Enrolment-weighted CV of backbone teachers per 100 pupils over the level's sections."""
    keep = (st.schools.level == level) & (st.pupils > 0)
    per_100 = 100.0 * backbone_counts(st) / np.maximum(st.pupils, 1e-12)
    return weighted_cv(per_100[keep], st.pupils[keep])


def target(st: State, level: int) -> float:
    keep = (st.schools.level == level) & st.schools.open & (st.pupils > 0)
    return 100.0 * backbone_counts(st)[keep].sum() / st.pupils[keep].sum()


def run(st: State, seed: int = 0, **kwargs) -> list:
    return exchange.step(st, context(**kwargs), CountyDraws.of(np.random.default_rng(seed)))


# A primary level of three sections: urban 200 pupils with 6 backbone teachers (3.0 per 100),
# rural 100 pupils with none, rural 100 pupils with 2. Target T = 100 · 8 / 400 = 2.0 per 100:
# the urban section can give 6 − 4 = 2 backbone teachers, the first rural section take 2 − 0 = 2.
THREE = [("primary", "urban", False, 200), ("primary", "rural", False, 100), ("primary", "rural", False, 100)]
THREE_ROSTER = {0: (6, 4), 1: (0, 5), 2: (2, 3)}  # section: (backbone teachers, others); 20 eligible


def three(**kwargs) -> State:
    school, backbone = roster(THREE_ROSTER)
    return state(THREE, school, backbone, **kwargs)


@pytest.mark.parametrize("rate, backbone_after, rotated", [
    (0.0, [6, 0, 2], 0),
    (0.1, [5, 1, 2], 2),  # quota ⌈0.1 · 20⌉ = 2: one pair, a backbone move
    (0.2, [4, 2, 2], 4),  # two pairs: both backbone moves, both sections at the target
    (0.5, [4, 2, 2], 10),  # five pairs: the gap is closed after two, three ordinary swaps
])
def test_backbone_moves_fill_from_both_ends_and_stop_at_the_target(rate, backbone_after, rotated):
    st = three()
    run(st, rate=rate)
    assert backbone_counts(st).tolist() == backbone_after
    assert st.exchange_counts[:2] == (20, rotated)
    assert teacher_counts(st).tolist() == [10, 5, 5]


def test_each_backbone_teacher_sent_is_matched_by_a_teacher_of_the_receiver_going_the_other_way():
    st = three()
    rows = run(st, rate=0.2)[2]
    t = st.teachers
    assert rows.kind == L.EXCHANGE_OUT
    sent = rows.teacher[t.backbone[rows.teacher] > 0]
    back = rows.teacher[t.backbone[rows.teacher] == 0]
    assert sorted(rows.source[np.isin(rows.teacher, sent)]) == [0, 0]
    assert sorted(rows.target[np.isin(rows.teacher, sent)]) == [1, 1]
    assert sorted(rows.source[np.isin(rows.teacher, back)]) == [1, 1]
    assert (t.school[back] == 0).all() and (t.post[back] == 1).all()  # posts stay at home
    assert (t.post[sent] == 0).all()
    assert (t.years_at_school[rows.teacher] == 10).all()  # years at the post's section go on
    assert st.exchange_counts == (20, 4, 2)


def test_the_rest_of_the_quota_is_ordinary_swaps_between_town_or_urban_and_rural_sections():
    st = three()
    rows = run(st, rate=0.5)[2]
    t = st.teachers
    other = rows.teacher[t.backbone[rows.teacher] == 0]
    urban = rows.source[np.isin(rows.teacher, other)] == 0
    assert urban.sum() == 3  # three urban teachers out, each for a rural one
    assert (rows.target[np.isin(rows.teacher, other)][urban] > 0).all()
    assert np.bincount(rows.source, minlength=3).tolist() == np.bincount(rows.target, minlength=3).tolist()


def test_a_receiver_is_never_taken_above_the_target():
    # T = 100 · 6 / 400 = 1.5; the 50-pupil section would go from 0 to 2.0 per 100: it takes none.
    sections = [("primary", "urban", False, 200), ("primary", "rural", False, 50), ("primary", "rural", False, 150)]
    school, backbone = roster({0: (6, 4), 1: (0, 5), 2: (0, 5)})
    st = state(sections, school, backbone)
    run(st, rate=0.5)
    # The 150-pupil section takes ⌊1.5 · 1.5 − 0⌋ = 2; the urban one gives ⌊6 − 3⌋ = 3, only 2 used.
    assert backbone_counts(st).tolist() == [4, 0, 2]


def test_exchange_to_the_minimum_lets_a_small_receiver_take_a_whole_backbone_teacher():
    # As above, T = 1.5, but with the quality-2017 minimum of 1 per 100 pupils the 50-pupil
    # section's ceiling is max(0.75, ⌈0.5⌉) = 1 teacher and the 150-pupil one's max(2.25, ⌈1.5⌉)
    # = 2.25: they take 1 and 2, the urban section gives 3 and ends at the target (1.5).
    sections = [("primary", "urban", False, 200), ("primary", "rural", False, 50), ("primary", "rural", False, 150)]
    school, backbone = roster({0: (6, 4), 1: (0, 5), 2: (0, 5)})
    st = state(sections, school, backbone)
    exchange.step(st, context(rate=0.5, minimum=1.0), CountyDraws.of(np.random.default_rng(0)))
    assert backbone_counts(st).tolist() == [3, 1, 2]
    # The lever: off by default (receivers fill to the target), on it reads the quality-2017 minimum.
    assert exchange.Context.of(load_policy(), 2025).backbone_minimum.tolist() == [0.0, 0.0]
    on = load_policy(overrides={"teachers.exchange_to_minimum": True})
    assert exchange.Context.of(on, 2025).backbone_minimum.tolist() == [1.0, 1.0]  # docs/sources.md#quality-2017


def test_a_sender_is_never_taken_below_the_target():
    # T = 100 · 7 / 400 = 1.75: the urban section (200 pupils, 4) can give ⌊4 − 3.5⌋ = 0.
    sections = [("primary", "urban", False, 200), ("primary", "rural", False, 200)]
    school, backbone = roster({0: (4, 6), 1: (3, 7)})
    st = state(sections, school, backbone)
    run(st, rate=0.5, share=0.0)
    assert backbone_counts(st).tolist() == [4, 3]


def test_urban_and_town_sections_send_before_rural_ones_and_rural_or_weak_receive_first():
    # T = 100 · 12 / 600 = 2.0. The rural section 1 (4.0 per 100, can give 2) is further above
    # the target than the urban section 0 (2.5, can give 1), but the urban one sends first; the
    # rural section 2 and the weak town section 3 (1.0 each) receive before the town section 4.
    sections = [("primary", "urban", False, 200), ("primary", "rural", False, 100), ("primary", "rural", False, 100),
                ("primary", "town", True, 100), ("primary", "town", False, 100)]
    school, backbone = roster({0: (5, 5), 1: (4, 5), 2: (1, 5), 3: (1, 5), 4: (1, 5)})
    st = state(sections, school, backbone)
    run(st, rate=0.1, share=0.0)  # 37 eligible: ⌈3.7⌉ = 4 rotated, 2 pairs
    assert backbone_counts(st).tolist() == [4, 3, 2, 2, 1]


def test_the_furthest_above_sends_to_the_furthest_below_first():
    # T = 100 · 10 / 500 = 2.0: urban 0 at 3.0 (gives 1), urban 1 at 4.0 (gives 2); rural 2 at
    # 0.0 (takes 2), rural 3 at 1.0 (takes 1). One pair: section 1 to section 2.
    sections = [("primary", "urban", False, 100), ("primary", "urban", False, 100), ("primary", "rural", False, 200),
                ("primary", "rural", False, 100)]
    school, backbone = roster({0: (3, 2), 1: (4, 2), 2: (0, 3), 3: (1, 4)})
    st = state(sections, school, backbone, years=[10] * 2 + [0] * 3 + [10] * 6 + [0] * 3 + [0] * 5)
    run(st, rate=0.1)  # eligible: 2 + 4 + 2 = 8 (the others are new); ⌈0.8⌉ = 1 rotated, 1 pair
    assert backbone_counts(st).tolist() == [3, 3, 1, 1]


def test_levels_exchange_separately_with_their_own_targets():
    sections = THREE + [("junior", "urban", False, 100), ("junior", "rural", False, 100)]
    school, backbone = roster({**THREE_ROSTER, 3: (4, 4), 4: (0, 8)})
    st = state(sections, school, backbone)
    rows = run(st, rate=0.5)[2]
    assert backbone_counts(st).tolist() == [4, 2, 2, 2, 2]
    level = st.schools.level
    assert (level[rows.source] == level[rows.target]).all()


def test_backbone_teachers_swap_with_backbone_teachers_to_reach_the_backbone_share():
    # Every section at the target (2.0 per 100): no backbone move; 20 eligible at rate 0.5 give
    # 5 pairs (10 rotated), of whom 20% (2) must be backbone: one backbone swap, four others.
    sections = [("primary", "urban", False, 100), ("primary", "rural", False, 100)]
    school, backbone = roster({0: (2, 8), 1: (2, 8)})
    st = state(sections, school, backbone)
    run(st, rate=0.5)
    assert backbone_counts(st).tolist() == [2, 2]
    assert st.exchange_counts == (20, 10, 2)


def test_the_quota_is_rounded_up_and_counts_both_teachers_of_a_pair():
    sections = [("primary", "urban", False, 100), ("primary", "rural", False, 100)]
    school, backbone = roster({0: (2, 9), 1: (2, 8)})
    st = state(sections, school, backbone)
    run(st, rate=0.1)  # 21 eligible: ⌈2.1⌉ = 3 rotated: two pairs (4 teachers)
    assert st.exchange_counts[:2] == (21, 4)


def test_only_teachers_long_enough_at_their_school_and_at_home_are_eligible():
    sections = [("primary", "urban", False, 100), ("primary", "rural", False, 100)]
    # 0, 1: 6 and 5 years; 2: away (teaching at 1, post at 0); 3, 4: at home at 1, 9 years.
    st = state(sections, [0, 0, 1, 1, 1], years=[6, 5, 9, 9, 9], exchange_left=[0, 0, 2, 0, 0],
               post=[0, 0, 0, 1, 1])
    run(st, rate=0.0)
    assert st.exchange_counts == (3, 0, 0)


def test_teachers_per_section_and_posts_are_unchanged_by_the_sending():
    st = three()
    before_posts = np.bincount(st.teachers.post[: st.teachers.n], minlength=3)
    run(st, rate=0.5)
    assert teacher_counts(st).tolist() == [10, 5, 5]
    assert np.bincount(st.teachers.post[: st.teachers.n], minlength=3).tolist() == before_posts.tolist()


# ------------------------------------------------------------------ terms


def test_a_first_cohort_is_spread_over_the_term_and_later_cohorts_serve_it_in_full():
    assert stagger(np.zeros(0, np.int8), 3, 6).tolist() == [3, 3, 2, 2, 1, 1]
    # Away: 4 teachers (2 pairs) return next year, 4 the year after, none in three years.
    away = np.array([1, 1, 1, 1, 2, 2, 2, 2], np.int8)
    assert stagger(away, 3, 2).tolist() == [3, 3]
    assert stagger(away, 3, 5).tolist() == [3, 3, 3, 2, 1]
    assert stagger(away, 3, 0).tolist() == []


def test_both_teachers_of_a_pair_serve_the_same_term():
    st = three()
    rows = run(st, rate=0.5)[2]
    left = st.teachers.exchange_left[rows.teacher]
    half = len(rows.teacher) // 2
    assert (left[:half] == left[half:]).all()
    assert sorted(left[:half].tolist()) == [1, 2, 2, 3, 3]


def away_pair(left: int = 1, home_open: bool = True) -> State:
    """Teacher 0 (backbone, post at 0) teaching at 1 and teacher 1 (post at 1) teaching at 0,
    `left` years of their term to serve; both sections also have teachers at home."""
    sections = [("primary", "urban", False, 100), ("primary", "rural", False, 100)]
    st = state(sections, [1, 0, 0, 0, 1, 1], backbone=[1, 0, 1, 0, 0, 0], post=[0, 1, 0, 0, 1, 1],
               exchange_left=[left, left, 0, 0, 0, 0], years=[2, 2, 10, 10, 10, 10])
    st.schools.open[0] = home_open
    return st


def test_at_term_end_both_teachers_of_a_pair_return_home():
    st = away_pair()
    stays, returns, out = run(st, rate=0.0)
    t = st.teachers
    assert sorted(returns.teacher.tolist()) == [0, 1] and stays.rows.shape[1] == 0
    assert t.school[:2].tolist() == [0, 1] and t.post[:2].tolist() == [0, 1]
    assert t.exchange_left[:2].tolist() == [0, 0] and t.years_at_school[:2].tolist() == [2, 2]


def test_a_pair_that_stays_keeps_its_places_and_its_posts_move():
    st = away_pair()
    stays, returns, _ = run(st, rate=0.0, stay=1.0)
    t = st.teachers
    assert sorted(stays.teacher.tolist()) == [0, 1] and returns.rows.shape[1] == 0
    assert t.school[:2].tolist() == [1, 0] and t.post[:2].tolist() == [1, 0]
    assert stays.source.tolist() == [0, 1] and stays.target.tolist() == [1, 0]  # old post → new
    assert t.years_at_school[:2].tolist() == [0, 0]  # a new post


def test_a_teacher_whose_home_section_has_closed_stays():
    st = away_pair(home_open=False)
    stays, returns, _ = run(st, rate=0.0)
    assert sorted(stays.teacher.tolist()) == [0, 1]


def test_a_term_not_yet_ended_goes_on():
    st = away_pair(left=2)
    stays, returns, _ = run(st, rate=0.0)
    assert st.teachers.exchange_left[:2].tolist() == [1, 1]
    assert stays.rows.shape[1] == returns.rows.shape[1] == 0


def test_a_teacher_back_this_year_is_not_sent_again_this_year_but_may_be_the_next():
    st = away_pair()
    st.teachers.years_at_school[:2] = 10
    out = run(st, rate=1.0)[2]
    assert not np.isin([0, 1], out.teacher).any()
    assert st.exchange_counts[0] == 4  # the teachers at home only
    st.teachers.exchange_left[: st.teachers.n] = 0  # everyone home again a year later
    st.teachers.school[: st.teachers.n] = st.teachers.post[: st.teachers.n]
    assert run(st, rate=0.0)[2].rows.shape[1] == 0 and st.exchange_counts[0] == 6


# ------------------------------------------------------------------ policy and draws


def test_the_context_reads_the_dated_values_in_force_that_year():
    from balance_sim.sim.policy import load_policy

    policy = load_policy(overrides={"teachers.exchange_rate": {2025: 0.1, 2027: 0.3}})
    assert exchange.Context.of(policy, 2026).rate == pytest.approx(0.1)
    assert exchange.Context.of(policy, 2027).rate == pytest.approx(0.3)
    assert exchange.Context.of(policy, 2027).term == policy.teachers.exchange_term_years


def test_new_teachers_in_later_slots_do_not_change_who_is_sent():
    st, grown = three(), three(spare=12)
    # Six hires (not eligible: new at their school) in the slots after the serving teachers.
    t = grown.teachers
    t.active[20:26], t.school[20:26], t.post[20:26], t.n = True, 2, 2, 26
    a, b = run(st, seed=3, rate=0.5)[2], run(grown, seed=3, rate=0.5)[2]
    assert a.rows.tolist() == b.rows.tolist()
