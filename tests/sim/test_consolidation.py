"""Consolidation on tiny hand-built states: small sections merge into their township's largest
section of the same level, with their pupils, teachers and posts; teaching points are kept when
the policy keeps them; nothing changes when it is off."""
import pytest

from balance_sim.sim import consolidation, enrolment
from balance_sim.sim import ledger as L
from balance_sim.sim.policy import default_policy

from test_enrolment import context, tiny_state

ON = consolidation.Context(enabled=True, primary_min_students=200.0, junior_min_classes=3.0, keep_teaching_points=True)


def county():
    """Township 0: a central primary (600), a village primary (120), a teaching point (30) and a
    junior section of 2 classes; township 1: a small primary (90) with no larger neighbour.
    Teachers: two at the village school (one of them on exchange at the central school), one at
    the central school on exchange from the village school, one at the teaching point."""
    return tiny_state([[100] * 6, [20] * 6, [5] * 6, [0] * 6 + [30] * 3, [15] * 6], level=[0, 0, 0, 1, 0],
                      township=[0, 0, 0, 0, 1], teaching_point=[False, False, True, False, False],
                      classes=[14, 6, 1, 2, 6], location=["town", "rural", "rural", "town", "rural"],
                      teachers=[(1, 1), (1, 1), (0, 1), (2, 2), (4, 4)])


def test_a_small_primary_section_merges_into_the_largest_of_its_township_with_teachers_and_posts():
    state = county()
    rows = consolidation.step(state, ON)
    s, t = state.schools, state.teachers
    assert s.open.tolist() == [True, False, True, True, True]
    assert s.grades[0, :6].tolist() == [120.0] * 6 and s.grades[1].sum() == 0.0
    assert t.school.tolist() == [0, 0, 0, 2, 4]  # the village school's teachers now teach at the central one
    assert t.post.tolist() == [0, 0, 0, 2, 4]  # and the posts it held moved with it
    assert t.years_at_school.tolist() == [0, 0, 5, 5, 5]
    (moves,) = rows
    assert moves.kind == L.CONSOLIDATION
    assert moves.teacher.tolist() == [0, 1] and moves.source.tolist() == [1, 1] and moves.target.tolist() == [0, 0]
    assert "1 small sections merged" in state.notes[-1]


def test_a_junior_section_with_few_classes_has_no_larger_neighbour_and_stays():
    state = county()
    consolidation.step(state, ON)
    assert state.schools.open[3]  # 2 classes < 3, but the township has no other junior section


def test_teaching_points_merge_when_the_policy_does_not_keep_them():
    state = county()
    consolidation.step(state, consolidation.Context(True, 200.0, 3.0, keep_teaching_points=False))
    assert state.schools.open.tolist() == [True, False, False, True, True]
    assert state.schools.grades[0, :6].tolist() == [125.0] * 6
    assert state.teachers.school.tolist() == [0, 0, 0, 0, 4]


def test_the_central_school_is_the_last_in_section_order_among_equals():
    state = tiny_state([[50] * 6, [50] * 6, [10] * 6], level=[0, 0, 0])
    into = consolidation.receivers(state.schools.grades.sum(axis=1), state.schools.classes, state.schools.level,
                                   state.schools.township, state.schools.teaching_point, state.schools.open,
                                   consolidation.Context(True, 100.0, 3.0, True))
    assert into.tolist() == [-1, -1, 1]  # two sections of 300 keep: the small one joins the later


def test_consolidation_off_changes_nothing():
    state = county()
    before = state.schools.grades.copy()
    assert consolidation.step(state, consolidation.Context.of(default_policy(), 2022)) == []
    assert (state.schools.grades == before).all() and state.schools.open.all()


def test_enrolment_merges_then_counts_classes_and_norms_of_the_merged_school():
    state = county()
    enrolment.step(state, context(consolidation=ON), None)
    s = state.schools
    assert not s.open[1] and state.pupils[1] == 0.0 and state.norm[1] == 0 and s.classes[1] == 0.0
    assert state.pupils[0] == pytest.approx(720.0)  # grades move up, entrants as last year
    # Primary sections keep their size (grade 6 leaves, as many enter grade 1); junior: 140
    # leavers enter grade 7 (15 from the township without a junior section), grade 9 leaves.
    assert state.pupils.sum() == pytest.approx(840.0 + 140.0 + 60.0)
