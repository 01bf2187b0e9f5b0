"""Tiny cases worked by hand: one school, known budget → known purchases after one year."""
import pandas as pd
import pytest

from balance_sim.county import County
from balance_sim.sim import load_policy, simulate

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


def test_known_budget_buys_known_floor_area_in_one_year():
    budget = pd.DataFrame({"year": [2023], "fiscal_revenue_yuan": [1e9], "compulsory_education_yuan": [5_000_000.0]})
    policy = load_policy(overrides={**STILL, "funding.budget_growth": 0.10})
    result = simulate(_county(budget=budget), policy, years=1, seed=0)
    after = result.schools[result.schools["year"] == 2024].iloc[0]
    # Recurrent cost: 30 teachers × 100,000 + 600 pupils × 600 yuan = 3,360,000; other spending
    # = 5,000,000 − 3,360,000 keeps its share of the budget, so capital = 10% of the recurrent
    # cost = 336,000 yuan, of which 35% buys floor area at 3,000 yuan per m².
    capital = 0.10 * (30 * 100_000 + 600 * 600)
    assert after["capital_yuan"] == pytest.approx(capital)
    assert after["teaching_area_m2"] == pytest.approx(3000 + capital * 0.35 / 3000)
    assert after["sports_area_m2"] == pytest.approx(4000 + capital * 0.15 / 400)
    # Equipment: depreciated by a tenth, then 30% of the capital added.
    assert after["equipment_value_yuan"] == pytest.approx(1_000_000 * 0.9 + capital * 0.30)
    assert after["multimedia_classrooms"] == pytest.approx(10 + capital * 0.10 / 60_000)
    assert after["students"] == pytest.approx(600)
    funds = result.funding
    assert funds.loc[funds["item"] == "unspent", "yuan"].sum() == pytest.approx(0.0, abs=1e-6)
    assert funds["yuan"].sum() == pytest.approx(5_500_000)


def test_small_school_is_funded_as_100_pupils_plus_boarding_supplement():
    policy = load_policy(overrides={**STILL, "funding.budget_growth": 0.0})
    result = simulate(_county(students=60, teachers=5, boarding=12), policy, years=1, seed=0)
    public = result.funding[result.funding["item"] == "public_funds"]["yuan"].sum()
    assert public == pytest.approx(100 * 600 + 12 * 200)


def test_zero_growth_buys_nothing():
    policy = load_policy(overrides={**STILL, "funding.budget_growth": 0.0})
    result = simulate(_county(), policy, years=3, seed=0)
    assert result.schools["capital_yuan"].sum() == 0.0
    last = result.schools.iloc[-1]
    assert last["teaching_area_m2"] == 3000.0
    assert last["equipment_value_yuan"] == pytest.approx(1_000_000 * 0.9**3)
    assert last["computers"] == pytest.approx(50 * (5 / 6) ** 3)


def test_retirement_at_the_dated_age_and_hiring_to_the_norm():
    county = _county(students=600, teachers=30)
    roster = county.teachers.assign(age=[54] * 10 + [40] * 20, sex=["female"] * 10 + ["male"] * 20)
    county = County.from_frames(county.schools, teachers=roster)
    policy = load_policy(overrides={**STILL, "teachers.max_hires_share": 1.0})
    result = simulate(county, policy, years=1, seed=0)
    moves = result.teacher_moves
    # The ten women reach 55 (facts.md §8) and retire; the norm is ceil(600 / 19) = 32 posts,
    # so 32 − 20 = 12 are hired.
    assert (moves["kind"] == "retire").sum() == 10
    assert (moves["kind"] == "hire").sum() == 12
    assert result.schools.iloc[-1]["teachers"] == 32


def test_grades_spread_evenly_when_only_totals_are_given():
    result = simulate(_county(), load_policy(overrides=STILL), years=1, seed=0)
    assert any("spread evenly" in note for note in result.notes)
