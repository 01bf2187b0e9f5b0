"""Hiring: which vacancies are filled within the quota and in which order, the subject of each
hire (what the section lacks against the PE/arts minimum, or a coin toss), the hires'
attributes, itinerant PE and arts teachers with their cost, and what subject hiring does to the
PE/arts CV over ten years."""
import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.measures.cv import weighted_cv
from balance_sim.sim import hiring, ledger as L, mobility
from balance_sim.sim.policy import load_policy

from teacher_states import GivenDraws, make_schools, make_state, make_teachers, random_state, synthetic_county, ten_years
from balance_sim.sim.streams import CountyDraws

POLICY = load_policy()
CONTEXT = hiring.Context.of(POLICY, 2025)


def _context(**changes):
    return dataclasses.replace(CONTEXT, **changes)


def _itinerant(**changes):
    return dataclasses.replace(CONTEXT.itinerant, enabled=True, **changes)


def test_vacancies_are_filled_rural_and_weak_first_then_furthest_below_the_norm_within_the_quota():
    # vacancies: 0 urban 4 of 6, 1 rural weak 1 of 5, 2 rural 2 of 4, 3 town weak 2 of 3,
    # 4 rural closed, 5 rural 5 of 10; 14 serving, quota ⌊0.5 × 14⌋ = 7
    schools = make_schools([0, 2, 2, 1, 2, 2], weak=[0, 1, 0, 1, 0, 0], open_=[1, 1, 1, 1, 0, 1])
    state = make_state(schools, make_teachers([0] * 2 + [1] * 4 + [2] * 2 + [3] + [5] * 5), norm=[6, 5, 4, 3, 5, 10])
    assert list(hiring.places(state, _context(max_share=0.5))) == [1, 2, 2, 5, 5, 5, 5]
    assert list(hiring.places(state, _context(max_share=1.0))) == [1, 2, 2, 5, 5, 5, 5, 5, 3, 3, 0, 0, 0, 0]


def _subject_state():
    # rural sections: 0 with 200 pupils and one PE teacher, 1 with 100 pupils whose PE teacher is
    # on exchange at section 0, 2 with 300 pupils and none
    schools = make_schools([2, 2, 2], pupils=[200, 100, 300])
    teachers = make_teachers([0, 0, 1, 0, 2], post=[0, 0, 1, 1, 2], pe_art=[1, 0, 0, 1, 0],
                             exchange_left=[0, 0, 0, 2, 0])
    return make_state(schools, teachers, norm=[4, 3, 3])


def test_a_section_below_the_pe_art_minimum_gets_pe_art_hires_first_the_others_general_ones():
    state = _subject_state()
    where = hiring.places(state, _context(max_share=1.0))  # by vacancy ÷ norm: 2 (2/3), 0 (2/4), 1 (1/3)
    assert list(where) == [2, 2, 0, 0, 1]
    pe = hiring.subjects(state, CONTEXT, where, np.zeros(5), hiring.pe_art_posts(state))
    # section 2 lacks ⌈2.7⌉ = 3 and gets 2; section 0 lacks ⌈1.8 − 1⌉ = 1; section 1 (0.9 − 1) none
    assert list(pe) == [True, True, True, False, False]


def test_without_hiring_by_subject_each_hire_is_a_coin_toss():
    state = _subject_state()
    where = hiring.places(state, _context(max_share=1.0))
    toss = np.array([0.1, 0.5, 0.14, 0.15, 0.0])
    pe = hiring.subjects(state, _context(by_subject=False), where, toss, hiring.pe_art_posts(state))
    assert list(pe) == [True, False, True, False, True]


def test_hires_take_sex_and_degree_from_their_draws_and_start_due_for_training():
    state = make_state(make_schools([2]), make_teachers([0, 0], spare=0), norm=[10])
    draws = [[0.69, 0.19, 0.0], [0.7, 0.2, 0.0], [0.1, 0.89, 0.0], [0.9, 0.9, 0.0]]
    context = _context(max_share=1.0, by_subject=False, pe_art_share=0.0)
    (rows,) = hiring.step(state, context, GivenDraws(draws[:2]))  # quota ⌊1.0 × 2⌋ = 2
    t = state.teachers
    assert rows.kind == L.HIRE and list(rows.teacher) == [2, 3] and list(rows.source) == [-1, -1]
    assert list(rows.target) == [0, 0] and t.n == 4 and t.active[:4].all()
    assert list(t.female[2:4]) == [True, False] and list(t.degree[2:4]) == [1, 2]
    assert list(t.age[2:4]) == [23, 23] and list(t.training_cycle[2:4]) == [5, 5]
    assert list(t.title[2:4]) == [0, 0] and list(t.backbone[2:4]) == [0, 0] and list(t.post[2:4]) == [0, 0]
    hiring.step(state, dataclasses.replace(context, max_share=0.5), GivenDraws(draws[2:]))  # ⌊0.5 × 4⌋
    assert list(t.female[4:6]) == [True, False] and list(t.degree[4:6]) == [2, 3]


def _small_schools():
    # rural 60, rural 120, urban 60, rural 80 with a PE teacher, rural 30, rural 99, 70, 55
    schools = make_schools([2, 2, 0, 2, 2, 2, 2, 2], pupils=[60, 120, 60, 80, 30, 99, 70, 55])
    teachers = make_teachers([0, 1, 2, 3, 3, 4, 5, 6, 7], pe_art=[0, 0, 0, 1, 0, 0, 0, 0, 0])
    return make_state(schools, teachers, norm=[2, 1, 1, 2, 1, 1, 1, 1])  # a vacancy at section 0 only


def test_itinerant_teachers_serve_small_rural_schools_lacking_pe_and_arts_teachers():
    state = _small_schools()
    context = _context(itinerant=_itinerant())
    served = hiring.assign_itinerant(state, context, hiring.pe_art_posts(state))
    assert list(served) == [1, 0, 0, 0, 0, 1, 1, 1]
    assert hiring.itinerant_teachers(served, context) == 2  # ⌈4 ÷ 3⌉
    assert hiring.itinerant_cost_yuan(served, context) == 220_000.0
    assert list(hiring.itinerant_counted(state)) == [True, False, False, True, False, True, True, True]
    assert not hiring.assign_itinerant(state, CONTEXT, hiring.pe_art_posts(state)).any()  # the lever is off


def test_a_school_served_by_an_itinerant_teacher_fills_its_vacancy_with_a_general_teacher():
    for enabled, subject in ((False, True), (True, False)):
        state = _small_schools()
        context = _context(max_share=1.0, itinerant=dataclasses.replace(CONTEXT.itinerant, enabled=enabled))
        (rows,) = hiring.step(state, context, CountyDraws.of(np.random.default_rng(0)))
        assert list(rows.target) == [0]  # section 0: 60 pupils, no PE teacher
        assert state.teachers.pe_art[rows.teacher[0]] == subject
        assert state.schools.itinerant_pe_art[0] == enabled


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 1.0), st.booleans())
def test_hires_never_exceed_the_vacancies_or_the_quota(seed, share, by_subject):
    state = random_state(seed)
    t, s = state.teachers, state.schools
    n, serving = t.n, np.count_nonzero(t.active[: t.n])
    vacancy = np.where(s.open, np.maximum(state.norm - mobility.posts_held(t, s.n), 0), 0)
    (rows,) = hiring.step(state, _context(max_share=share, by_subject=by_subject), CountyDraws.of(np.random.default_rng(seed)))
    hired = np.bincount(rows.target, minlength=s.n)
    assert (hired <= vacancy).all()
    assert rows.rows.shape[1] == min(int(share * serving), vacancy.sum())
    assert list(rows.teacher) == list(range(n, t.n)) and t.active[n: t.n].all()
    assert np.array_equal(t.school[n: t.n], rows.target) and np.array_equal(t.post[n: t.n], rows.target)
    if by_subject:
        lack = hiring.pe_art_lack(state, CONTEXT, np.zeros(s.n))  # no section gets more PE/arts than it lacked
        assert (np.bincount(rows.target[t.pe_art[rows.teacher]], minlength=s.n) <= lack).all()


# ------------------------------------------------------------------ ten years on a synthetic county


def pe_art_cv(state) -> float:
    t, n = state.teachers, state.teachers.n
    pe = np.bincount(t.school[:n][t.active[:n] & t.pe_art[:n]], minlength=state.schools.n)
    return weighted_cv(pe / state.pupils * 100, state.pupils)


def test_hiring_by_subject_lowers_the_pe_art_cv_against_a_coin_toss():
    coin = POLICY.override({"teachers.hire_by_subject": False})
    for seed in range(4):
        start = pe_art_cv(synthetic_county(seed))
        by_subject = pe_art_cv(ten_years(synthetic_county(seed), POLICY, seed))
        by_coin = pe_art_cv(ten_years(synthetic_county(seed), coin, seed))
        assert by_subject < by_coin and by_subject < start


def _pe_art_cv(result, years) -> dict:
    """Mean quality-2017 PE/arts CV by level over `years` (replications pooled)."""
    c = result.county
    rows = c[(c.standard == "quality-2017") & (c.key == "pe_art_teachers_per_100") & (c.metric == "cv")
             & c.year.isin(years)]
    return rows.groupby(rows.level.astype(str)).value.mean().to_dict()


def test_hiring_by_subject_lowers_the_pe_art_cv_of_the_demo_county():
    import balance_sim as bs
    from balance_sim.sim import simulate

    county = bs.load("demo")
    results = {by_subject: simulate(county, POLICY.override({"teachers.hire_by_subject": by_subject}),
                                    years=10, seed=1, replications=3) for by_subject in (True, False)}
    later = results[True].years[2:]  # years 2–10
    by_subject, by_coin = (_pe_art_cv(results[k], later) for k in (True, False))
    for level in ("primary", "junior"):
        assert by_subject[level] < by_coin[level] - 0.02, (level, by_subject, by_coin)
