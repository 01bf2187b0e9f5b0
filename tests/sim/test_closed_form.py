"""Tiny cases worked by hand: one school, known budget → known purchases after one year."""
import pandas as pd
import pytest

from balance_sim.county import County
from balance_sim.sim import Streams, load_policy, simulate
from balance_sim.sim.initial import initial_state

# Everything that would move pupils or teachers is switched off, so the year's arithmetic is the
# funding rule alone.
STILL = {
    "enrolment.births_change": 0.0, "enrolment.primary_progression": 1.0,
    "enrolment.junior_progression": 1.0, "enrolment.transition_rate": 1.0,
    "enrolment.urbanisation_rate": 0.0, "enrolment.choice_sensitivity": 0.0,
    "teachers.attrition_rate.urban": 0.0, "teachers.attrition_rate.town": 0.0,
    "teachers.attrition_rate.rural": 0.0, "teachers.drift_rate": 0.0, "teachers.max_hires_share": 0.0,
    "teachers.training_rate": 0.0, "teachers.exchange_rate": 0.0,
    "funding.teacher_pay_growth": 0.0, "funding.rural_share": 0.0, "funding.allocation_rule": "per_pupil",
}


def _county(students=600, teachers=30, boarding=0, budget=None, location="urban"):
    schools = pd.DataFrame([{
        "school_id": "s1", "name": "One", "township": "t", "level": "primary", "location": location,
        "students": students, "classes": 14, "teachers": teachers, "teaching_area_m2": 3000.0,
        "sports_area_m2": 4000.0, "equipment_value_yuan": 1_000_000.0, "books": 12000,
        "computers": 50, "multimedia_classrooms": 10, "boarding_students": boarding, "year": 2023,
    }])
    roster = pd.DataFrame({
        "teacher_id": [f"t{i}" for i in range(teachers)], "school_id": "s1", "level": "primary",
        "age": 30, "sex": "female", "degree": "bachelor", "title": "intermediate",
        "backbone": "none", "subject": "math", "years_at_school": 2,
    })
    return County.from_frames(schools, teachers=roster, budget=budget)


def _due_for_the_cycle(county, policy) -> int:
    """Teachers due for the 360-hour cycle in the first simulated year (c + 1 ≥ L at the base year)."""
    state = initial_state(county, policy, Streams(0), 1)
    cycle = state.teachers.training_cycle[: state.teachers.n]
    return int((cycle.astype(int) + 1 >= policy.teachers.training_cycle_years).sum())


def test_known_budget_buys_known_floor_gaps_in_one_year():
    budget = pd.DataFrame({"year": [2023], "fiscal_revenue_yuan": [1e9], "compulsory_education_yuan": [5_000_000.0]})
    policy = load_policy(overrides={**STILL, "funding.budget_growth": 0.10})
    county = _county(budget=budget)
    result = simulate(county, policy, years=1, seed=0)
    after = result.schools[result.schools["year"] == 2024].iloc[0]
    # Claims every year: salaries 30 × 100,000; public funds 600 × 600; cycle completions
    # 0.82 × due × 3,000; replacement of the year's wear: equipment 1,000,000 / 10, computers
    # 50 / 6 × 5,000, books 12,000 / 20 × 30. The base year adds the default training rate
    # (30 × 0.10 × 5,000); other = 5,000,000 − the base claims, then grows with price_growth.
    cycle = 0.82 * _due_for_the_cycle(county, policy) * 3000
    replacement = 1_000_000 / 10 + 50 / 6 * 5000 + 12000 / 20 * 30
    claims = 30 * 100_000 + 600 * 600 + cycle + replacement
    other = (5_000_000 - claims - 30 * 0.10 * 5000) * (1 + policy.funding.price_growth)
    increment = 5_500_000 - other - claims
    # Floor gaps after replacement (quality-2017 minimums × 600 pupils, yuan): sports ground
    # (4,500 − 4,000) m² × 400, equipment 1,200,000 − 1,000,000, multimedia rooms
    # (13.8 − 10) × 60,000; teaching area 2,700 m² < 3,000 held. The increment is below their
    # sum, so it buys each gap in proportion.
    gaps = {"sports": 500 * 400, "equipment": 200_000, "multimedia": 3.8 * 60_000}
    share = increment / sum(gaps.values())
    assert 0 < share < 1
    assert after["capital_yuan"] == pytest.approx(replacement + increment)
    assert after["teaching_area_m2"] == pytest.approx(3000)
    assert after["sports_area_m2"] == pytest.approx(4000 + share * gaps["sports"] / 400)
    assert after["equipment_value_yuan"] == pytest.approx(1_000_000 + share * gaps["equipment"])
    assert after["multimedia_classrooms"] == pytest.approx(10 + share * gaps["multimedia"] / 60_000)
    assert after["computers"] == pytest.approx(50) and after["books"] == pytest.approx(12000)
    assert after["students"] == pytest.approx(600)
    funds = result.funding.groupby("item", observed=True)["yuan"].sum()
    assert funds["other"] == pytest.approx(other)
    assert funds.get("unspent", 0.0) == pytest.approx(0.0, abs=1e-6)
    assert funds.get("carried_over", 0.0) == pytest.approx(0.0, abs=1e-6)
    assert funds.sum() == pytest.approx(5_500_000)


def test_small_school_is_funded_as_100_pupils_plus_boarding_supplement():
    policy = load_policy(overrides={**STILL, "funding.budget_growth": 0.0})
    result = simulate(_county(students=60, teachers=5, boarding=12), policy, years=1, seed=0)
    public = result.funding[result.funding["item"] == "public_funds"]["yuan"].sum()
    assert public == pytest.approx(100 * 600 + 12 * 200)


def test_a_flat_budget_keeps_the_stock_and_buys_nothing_new():
    """Budget, prices and pay flat, the levers at their defaults and no cycle cost (whose due
    teachers vary from year to year): every year's claims are the base year's, so replacement keeps the stock where it was and nothing is left for new funds."""
    flat = {**STILL, "funding.budget_growth": 0.0, "funding.price_growth": 0.0,
            "teachers.training_rate": 0.10, "funding.cycle_cost_per_teacher": 0.0}
    result = simulate(_county(), load_policy(overrides=flat), years=3, seed=0)
    funds = result.funding
    bought = funds[funds["item"].astype(str).str.startswith("capital_")]["yuan"].sum()
    assert bought == pytest.approx(0.0, abs=1.0)
    last = result.schools.iloc[-1]
    assert last["teaching_area_m2"] == pytest.approx(3000.0)
    assert last["equipment_value_yuan"] == pytest.approx(1_000_000)
    assert last["computers"] == pytest.approx(50)


def test_a_budget_that_stops_growing_is_cut_and_reported():
    """Budget flat while pay rises 4% a year: the claims outgrow it, the shortfall is reported as
    unaffordable, and no new funds are bought."""
    policy = load_policy(overrides={**STILL, "funding.budget_growth": 0.0, "funding.teacher_pay_growth": 0.04})
    result = simulate(_county(), policy, years=3, seed=0)
    funds = result.funding
    assert funds[funds["item"].astype(str).str.startswith("capital_")]["yuan"].sum() == 0.0
    gap = result.metric("unaffordable_gap").dropna(subset=["value"])
    assert len(gap) == 3 and (gap["value"] > 0).all()
    assert any("unaffordable" in note for note in result.notes)


def test_retirement_at_the_dated_age_and_hiring_to_the_norm():
    county = _county(students=600, teachers=30)
    roster = county.teachers.assign(age=[54] * 10 + [40] * 20, sex=["female"] * 10 + ["male"] * 20)
    county = County.from_frames(county.schools, teachers=roster)
    policy = load_policy(overrides={**STILL, "teachers.max_hires_share": 1.0})
    result = simulate(county, policy, years=1, seed=0)
    moves = result.teacher_moves
    # The ten women reach 55 (docs/sources.md#teachers) and retire; the norm is ceil(600 / 19) = 32 posts,
    # so 32 − 20 = 12 are hired.
    assert (moves["kind"] == "retire").sum() == 10
    assert (moves["kind"] == "hire").sum() == 12
    assert result.schools.iloc[-1]["teachers"] == 32


def test_grades_spread_evenly_when_only_totals_are_given():
    result = simulate(_county(), load_policy(overrides=STILL), years=1, seed=0)
    assert any("spread evenly" in note for note in result.notes)


def test_a_budget_table_with_later_years_is_followed_as_a_plan_then_grows():
    budget = pd.DataFrame({"year": [2022, 2023, 2024], "fiscal_revenue_yuan": [9e8, 1e9, 1.1e9],
                           "compulsory_education_yuan": [4_800_000.0, 5_000_000.0, 5_300_000.0]})
    policy = load_policy(overrides={**STILL, "funding.budget_growth": 0.10})
    result = simulate(_county(budget=budget), policy, years=2, seed=0)
    series = result.metric("budget").set_index("year")["value"]
    # 2024 is the table's plan; 2025 grows from it at budget_growth.
    assert series[2024] == pytest.approx(5_300_000.0)
    assert series[2025] == pytest.approx(5_300_000.0 * 1.10)
