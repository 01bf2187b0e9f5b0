"""Official definitions before indicators: campus merge, gym counted once, dense urban grounds,
itinerant PE/arts teachers in small rural schools, degrees above the requirement."""
import numpy as np
import pandas as pd
import pytest

from balance_sim.assessment import assess
from balance_sim.checklist.definitions import official_county
from balance_sim.county import County
from passing_county import passing_section


def test_campus_not_counted_as_a_school_is_merged_into_its_parent():
    parent = passing_section("p", students=600)
    campus = {**passing_section("c", students=200), "parent_school_id": "p", "name": "Campus"}
    other = passing_section("o", students=800)
    county = County.from_frames(pd.DataFrame([parent, campus, other]))
    merged, notes = official_county(county)
    schools = merged.schools.set_index("school_id")
    assert list(schools.index) == ["p", "o"] and "1 campuses" in notes[0]
    assert schools.loc["p", "students"] == 800 and schools.loc["p", "classes"] == parent["classes"] + campus["classes"]
    assert schools.loc["p", "teaching_area_m2"] == pytest.approx(parent["teaching_area_m2"] + campus["teaching_area_m2"])
    assert schools.loc["p", "music_room_area_m2"] == 100.0  # the smallest room, not a sum
    assessment = assess(county)
    assert set(assessment.schools["school_id"]) == {"p", "o"}
    assert assessment.levels.iloc[0]["students"] == 1600


def test_indoor_sports_room_counts_once_in_sports_area():
    row = passing_section("a", students=1000)
    row.update(teaching_area_m2=6000.0, sports_area_m2=7000.0, indoor_sports_area_m2=1000.0)
    county, notes = official_county(County.from_frames(pd.DataFrame([row])))
    s = county.schools.iloc[0]
    assert (s["teaching_area_m2"], s["sports_area_m2"]) == (5000.0, 8000.0)
    assert s["teaching_area_m2"] + s["sports_area_m2"] == 13000.0 and "indoor sports" in notes[0]
    values = assess(County.from_frames(pd.DataFrame([row]))).schools.set_index("key")["value"]
    assert values["teaching_area_per_student"] == 5.0 and values["sports_area_per_student"] == 8.0


def test_dense_urban_grounds_count_only_for_flagged_urban_schools():
    rows = [{**passing_section(i), "sports_area_m2": 5000.0, "dense_urban": flag, "extra_sports_area_m2": 2000.0, "location": loc}
            for i, flag, loc in (("a", True, "urban"), ("b", False, "urban"), ("c", True, "town"))]
    s = official_county(County.from_frames(pd.DataFrame(rows)))[0].schools.set_index("school_id")
    assert s["sports_area_m2"].to_dict() == {"a": 7000.0, "b": 5000.0, "c": 5000.0}


@pytest.mark.parametrize("students, location, counted", [(50, "rural", True), (99, "rural", True), (100, "rural", False),
                                                         (49, "rural", False), (80, "town", False)])
def test_itinerant_pe_art_teachers_count_in_rural_schools_of_50_to_99(students, location, counted):
    row = {**passing_section("a", students=students), "pe_art_teachers": 0, "itinerant_pe_art_teachers": 2, "location": location}
    s = official_county(County.from_frames(pd.DataFrame([row])))[0].schools.iloc[0]
    assert s["pe_art_teachers"] == (2 if counted else 0)


def test_above_degree_from_roster_is_associate_for_primary_and_bachelor_for_junior():
    rows = [passing_section("p"), passing_section("j", "junior")]
    for row in rows:
        row.pop("teachers_above_degree")
    degrees = ["secondary", "associate", "bachelor", "postgraduate"]
    roster = pd.DataFrame({"teacher_id": [f"t{i}" for i in range(8)], "school_id": ["p"] * 4 + ["j"] * 4,
                           "level": ["primary"] * 4 + ["junior"] * 4, "degree": degrees * 2})
    county, notes = official_county(County.from_frames(pd.DataFrame(rows), teachers=roster))
    assert county.schools.set_index("school_id")["teachers_above_degree"].to_dict() == {"p": 3, "j": 2}


def test_above_degree_from_by_degree_columns():
    row = {**passing_section("j", "junior"), "teachers_associate": 10, "teachers_bachelor": 50, "teachers_postgraduate": 5}
    row.pop("teachers_above_degree")
    s = official_county(County.from_frames(pd.DataFrame([row])))[0].schools.iloc[0]
    assert s["teachers_above_degree"] == 55


def test_nothing_applies_without_the_columns():
    county = County.from_frames(pd.DataFrame([passing_section("a")]))
    same, notes = official_county(county)
    assert same is county and notes == ()
