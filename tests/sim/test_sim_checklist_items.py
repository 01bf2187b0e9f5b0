"""The modelled quality-2017 checklist items per simulated year: cross-checked against the
checklist's own `modelled_items` and the assessment, and the behaviour of the levers behind them."""
import numpy as np
import pandas as pd
import pytest

from balance_sim.assessment import assess
from balance_sim.checklist import MODELLED, modelled_items
from balance_sim.county import County
from balance_sim.sim import load_policy, simulate
from sim_counties import small_county

datasets = pytest.importorskip("balance_sim.datasets")

PANEL_COLUMNS = ["school_id", "level", "school_type", "students", "classes", "teachers", "public_funds_yuan",
                 "boarding_students", "training_completed_teachers"]
EXCHANGE = {"exchange_eligible_teachers": "exchange_eligible", "exchange_rotated_teachers": "exchange_sent",
            "exchange_rotated_backbone_teachers": "exchange_backbone_sent"}


@pytest.fixture(scope="module")
def demo():
    return datasets.demo_county()


def _items(result, year, replication=0):
    rows = result.checklist[(result.checklist["year"] == year) & (result.checklist["replication"] == replication)]
    return rows.set_index(rows["key"].astype(str))


def _reference(result, year, replication=0):
    """`modelled_items` fed from the result's own tables for one simulated year."""
    panel = result.schools[(result.schools["year"] == year) & (result.schools["replication"] == replication)
                           & result.schools["open"]]
    county = result.county[(result.county["year"] == year) & (result.county["level"] == "all")
                           & (result.county["replication"] == replication)].set_index("metric")["value"]
    county_year = {column: county[metric] for column, metric in EXCHANGE.items()}
    return modelled_items(panel[PANEL_COLUMNS], county_year, even_classes=True).set_index("key")


def _assert_same(ours, reference):
    for key in MODELLED:
        assert ours.loc[key, "status"] == reference.loc[key, "status"], key
        assert ours.loc[key, "rule"] == reference.loc[key, "rule"], key
        expected = reference.loc[key, "value"]
        if expected is None or pd.isna(expected):
            assert pd.isna(ours.loc[key, "value"]), key
        else:
            assert ours.loc[key, "value"] == pytest.approx(float(expected), rel=1e-12), key


@pytest.mark.parametrize("overrides", [{}, {"enrolment.consolidation.enabled": True, "teachers.exchange_rate": 0.25,
                                            "funding.public_funds_per_pupil.primary": 580}])
def test_simulated_years_equal_the_checklists_own_judgement(demo, overrides):
    result = simulate(demo, load_policy(overrides=overrides), years=6, seed=3)
    for year in result.years[1:]:
        _assert_same(_items(result, year), _reference(result, year))


def test_small_county_without_training_column_equals_the_reference():
    result = simulate(small_county(seed=2, roster=True), years=4, seed=1)
    assert any("training_completed_teachers" in note for note in result.notes)
    for year in result.years[1:]:
        _assert_same(_items(result, year), _reference(result, year))


def test_base_year_items_equal_the_assessment(demo):
    """The base year reads the input as the assessment does: the county table's exchange
    figures (97 of 1,244 rotated, 23 backbone), the class-size bins, the public funds paid and
    each section's teachers who completed the training cycle."""
    result = simulate(demo, years=1, seed=0)
    parts = assess(demo, "quality-2017").parts.set_index("key")
    ours = _items(result, result.years[0])
    _assert_same(ours, parts.loc[list(MODELLED)])
    assert ours.loc["exchange_share", "value"] == pytest.approx(97 / 1244)
    assert ours.loc["training_completion", "value"] == pytest.approx(2459 / 2567)


@pytest.mark.parametrize("seed", [0, 1])
def test_high_exchange_rate_passes_exchange_share_from_year_one(demo, seed):
    # Exchange is two-way (swaps), so a high rate needs no room at the receivers.
    policy = load_policy(overrides={"teachers.exchange_rate": 0.3})
    result = simulate(demo, policy, years=8, seed=seed)
    status = result.checklist[result.checklist["key"] == "exchange_share"].set_index("year")["status"].astype(str)
    assert status.iloc[0] == "fail"  # the county table's 7.8%
    assert (status.iloc[1:] == "pass").all()
    shares = result.checklist[result.checklist["key"] == "exchange_share"]["value"].iloc[1:]
    assert (shares >= 0.10).all()


def test_default_exchange_rate_rotates_at_least_ten_percent(demo):
    result = simulate(demo, load_policy(), years=4, seed=0)
    rows = result.checklist[result.checklist["key"] == "exchange_share"].iloc[1:]
    assert (rows["value"] >= 0.10).all() and (rows["status"] == "pass").all()


def _one_crowded_school() -> County:
    schools = pd.DataFrame([{
        "school_id": "x1", "name": "crowded", "township": "t", "level": "primary", "location": "rural",
        "students": 60, "classes": 1, "teachers": 4, "teachers_above_degree": 4, "teachers_mid_senior_title": 2,
        "backbone_teachers": 1, "pe_art_teachers": 1, "teaching_area_m2": 100.0, "sports_area_m2": 600.0,
        "equipment_value_yuan": 150_000.0, "books": 2000, "computers": 10, "multimedia_classrooms": 1,
        "public_funds_yuan": 60_000.0, "training_completed_teachers": 4,
    }])
    return County.from_frames(schools)


def test_class_of_sixty_fails_class_size_until_classes_are_added():
    policy = load_policy(overrides={"funding.budget_growth": 0.5})
    result = simulate(_one_crowded_school(), policy, years=6, seed=0)
    panel = result.schools.set_index("year")
    status = result.checklist[result.checklist["key"] == "class_size"].set_index("year")["status"].astype(str)
    largest = np.ceil(panel["students"] / panel["classes"] - 1e-9)
    assert panel["classes"].iloc[0] == 1 and largest.iloc[0] == 60
    assert status.iloc[0] == "fail"
    assert (status == np.where(largest > 45, "fail", "pass")).all()
    first_pass = status[status == "pass"].index.min()
    assert first_pass is not None and panel.loc[first_pass, "classes"] >= 2
    assert (status.loc[first_pass:] == "pass").all()


def test_training_completion_lapses_without_training_and_holds_at_rate_one(demo):
    none = simulate(demo, load_policy(overrides={"teachers.training_completion_rate": 0.0}), years=5, seed=0)
    values = none.checklist[none.checklist["key"] == "training_completion"]["value"].to_numpy()
    assert (np.diff(values) <= 0).all() and values[-1] == 0.0  # every completion is at most 4 years old
    full = simulate(demo, load_policy(overrides={"teachers.training_completion_rate": 1.0}), years=3, seed=0)
    rows = full.checklist[full.checklist["key"] == "training_completion"].iloc[1:]
    assert (rows["value"] == 1.0).all() and (rows["status"] == "pass").all()


def test_default_completion_rate_keeps_the_demo_near_its_base_share(demo):
    result = simulate(demo, years=10, seed=5, replications=2)
    values = result.checklist[result.checklist["key"] == "training_completion"]["value"]
    assert values.mean() == pytest.approx(2459 / 2567, abs=0.015)


def _two_crowded_schools() -> County:
    """Two primary sections that meet the resource part from the start (one school per level
    and equal resources: CVs near 0), each with its 60 pupils in one class."""
    base = {"township": "t", "level": "primary", "students": 60, "classes": 1, "teachers": 5,
            "teachers_above_degree": 5, "teachers_mid_senior_title": 3, "pe_art_teachers": 1,
            "teaching_area_m2": 300.0, "sports_area_m2": 600.0, "equipment_value_yuan": 150_000.0,
            "books": 2000, "computers": 10, "multimedia_classrooms": 2, "public_funds_yuan": 60_000.0,
            "training_completed_teachers": 5}
    schools = pd.DataFrame([{**base, "school_id": "a", "name": "town school", "location": "town", "backbone_teachers": 2},
                            {**base, "school_id": "b", "name": "village school", "location": "rural", "backbone_teachers": 1}])
    rows = [{"teacher_id": f"{sid}{j}", "school_id": sid, "level": "primary", "age": 35 + j, "sex": "female",
             "degree": "bachelor", "title": "intermediate" if j < 3 else "junior",
             "backbone": "county" if j < backbone else "none", "subject": "pe" if j == 4 else "math",
             "years_at_school": 8, "rural_service_years": 0}
            for sid, backbone in (("a", 2), ("b", 1)) for j in range(5)]
    return County.from_frames(schools, pd.DataFrame(rows))


def _check_first_years(result):
    whole, resources = result.first_year("quality-2017"), result.first_year("quality-2017", modelled_items=False)
    assert result.first_year_meeting["quality-2017"] == whole
    assert result.first_year("basic-2012") == result.first_year("basic-2012", modelled_items=False)
    if resources is None:
        assert whole is None
    if whole is not None:
        assert whole >= resources
        assert (result.checklist[result.checklist["year"] == whole]["status"] == "pass").all()
    return whole, resources


def test_first_year_meeting_is_never_before_the_resource_part_alone():
    policy = load_policy(overrides={"funding.budget_growth": 0.5, "teachers.training_completion_rate": 1.0,
                                    "teachers.exchange_term_years": 1})
    met = []
    for seed in range(8):
        result = simulate(_two_crowded_schools(), policy, years=8, seed=seed)
        whole, resources = _check_first_years(result)
        assert resources == result.years[0]  # the resource part passes at once, the classes of 60 do not
        assert whole != resources
        met.append(whole)
    assert any(year is not None for year in met)  # some runs meet the whole standard later


def test_first_year_meeting_on_the_demo_follows_the_same_rule(demo):
    policy = load_policy(overrides={"teachers.exchange_rate": 0.3, "teachers.training_completion_rate": 1.0})
    _check_first_years(simulate(demo, policy, years=8, seed=1))
