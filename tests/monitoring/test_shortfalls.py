"""What failing schools lack, worked out by hand, and its price from the unit-cost YAML."""
import pytest

from balance_sim.assessment import assess
from balance_sim.errors import InputError
from balance_sim.shortfalls import unit_costs
from monitoring_counties import county_of, section


def _failing_school():
    # 500 primary pupils: 3.0 m² teaching area per pupil (minimum 4.5), 2 backbone teachers
    # (0.4 per 100; minimum 1.0), 5 multimedia rooms (1.0 per 100; minimum 2.3); the rest at minimum.
    return section("poor", students=500, teaching_area_m2=1500.0, backbone_teachers=2,
                   multimedia_classrooms=5)


def test_missing_amounts_and_costs_by_hand():
    table = assess(county_of(_failing_school(), section("ok"))).shortfalls.set_index("key")
    assert set(table["school_id"]) == {"poor"}
    assert set(table.index) == {"teaching_area_per_student", "backbone_teachers_per_100",
                                "multimedia_classrooms_per_100"}
    area = table.loc["teaching_area_per_student"]
    assert area["missing"] == pytest.approx(750.0)          # (4.5 − 3.0) × 500 m²
    assert area["cost_yuan"] == pytest.approx(750.0 * 3000)  # assumption: 3,000 yuan per m²
    assert area["basis"] == "one-off" and area["cost_source"].startswith("assumption")
    backbone = table.loc["backbone_teachers_per_100"]
    assert backbone["missing"] == pytest.approx(3.0)         # (1.0 − 0.4) × 500 / 100 teachers
    assert backbone["cost_yuan"] == pytest.approx(300_000)   # three yearly salaries (assumption)
    assert backbone["basis"] == "per year"
    rooms = table.loc["multimedia_classrooms_per_100"]
    assert rooms["missing"] == pytest.approx(6.5)            # (2.3 − 1.0) × 500 / 100 rooms
    assert rooms["missing_whole"] == 7 and rooms["cost_yuan"] == pytest.approx(7 * 60_000)


def test_schools_meeting_the_rule_have_no_shortfall_rows():
    # 6 of 7 met, equipment at 90%: meets the rule, so nothing to price.
    school = section("nearly", equipment_value_yuan=1_800_000)
    assessment = assess(county_of(school, section("ok")))
    assert assessment.shortfalls.empty
    schools = assessment.schools
    assert (schools.loc[schools["school_id"] == "nearly", "meets_standard"]).all()


def test_equipment_shortfall_is_priced_in_yuan_one_to_one():
    school = section("x", students=200, equipment_value_yuan=100_000.0, sports_area_m2=750.0)
    table = assess(county_of(school)).shortfalls.set_index("key")
    assert table.loc["equipment_value_per_student", "missing"] == pytest.approx(300_000.0)  # (2000 − 500) × 200
    assert table.loc["equipment_value_per_student", "cost_yuan"] == pytest.approx(300_000.0)
    assert table.loc["sports_area_per_student", "missing"] == pytest.approx(750.0)  # (7.5 − 3.75) × 200


def test_unit_costs_override_by_key_and_refuse_bad_values(tmp_path):
    path = tmp_path / "costs.yaml"
    path.write_text("teaching_area_per_student: {yuan_per_unit: 4200}\n", encoding="utf-8")
    costs = unit_costs(path)
    assert costs["teaching_area_per_student"]["yuan_per_unit"] == 4200
    assert costs["sports_area_per_student"]["yuan_per_unit"] == 400
    table = assess(county_of(_failing_school()), costs=path).shortfalls.set_index("key")
    assert table.loc["teaching_area_per_student", "cost_yuan"] == pytest.approx(750 * 4200)
    path.write_text("teaching_area_per_student: {yuan_per_unit: -1}\nroofs: {}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        unit_costs(path)
    assert {p.column for p in caught.value.problems} == {"teaching_area_per_student.yuan_per_unit", "roofs"}
