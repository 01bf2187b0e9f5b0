"""Counts add up: roster ↔ school totals exactly, sub-counts within totals, layout rules, dtypes."""
from importlib import resources

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.datasets import synthetic_county, synthetic_province
from balance_sim.datasets.checklist_data import CHECKLIST_COLUMNS
from balance_sim.datasets.synthetic import SCHOOL_COLUMNS

DICTIONARY = yaml.safe_load(resources.files("balance_sim").joinpath("io/dictionary.yaml").read_text(encoding="utf-8"))
SUB_COUNTS = ["teachers_above_degree", "teachers_mid_senior_title", "backbone_teachers", "pe_art_teachers"]
PUPIL_GROUPS = ["boarding_students", "migrant_students", "left_behind_students"]
COUNTED_FACILITIES = ["books", "computers", "multimedia_classrooms"]


def roster_totals(teachers: pd.DataFrame) -> pd.DataFrame:
    """Per section, the school columns recomputed from the roster by their definitions (docs/sources.md#quality-2017)."""
    t = teachers
    above = np.where(t["level"] == "primary", t["degree"] != "secondary", t["degree"].isin(["bachelor", "postgraduate"]))
    flags = pd.DataFrame({
        "school_id": t["school_id"], "level": t["level"], "teachers": 1,
        "teachers_above_degree": above.astype(int),
        "teachers_mid_senior_title": t["title"].isin(["intermediate", "senior", "professor"]).astype(int),
        "backbone_teachers": (t["backbone"] != "none").astype(int),
        "pe_art_teachers": t["subject"].isin(["pe", "music", "art"]).astype(int),
    })
    return flags.groupby(["school_id", "level"]).sum()


def assert_roster_matches(county):
    s = county.schools.set_index(["school_id", "level"])[["teachers"] + SUB_COUNTS]
    recomputed = roster_totals(county.teachers).reindex(s.index, fill_value=0)
    pd.testing.assert_frame_equal(recomputed.astype("int64"), s.astype("int64"), check_like=True)


def assert_counts_consistent(schools):
    assert (schools[["students", "classes", "teachers"] + SUB_COUNTS + PUPIL_GROUPS].to_numpy() >= 0).all()
    assert (schools[["teaching_area_m2", "sports_area_m2", "equipment_value_yuan", "public_funds_yuan"]].to_numpy() >= 0).all()
    for column in SUB_COUNTS:
        assert (schools[column] <= schools["teachers"]).all(), column
    for column in PUPIL_GROUPS:
        assert (schools[column] <= schools["students"]).all(), column
    assert (schools["migrant_students"] + schools["left_behind_students"] <= schools["students"]).all()
    assert (schools["classes"] <= schools["students"].clip(lower=1)).all()
    assert (schools["teachers"] >= 1).all()
    assert not schools.duplicated(["school_id", "level"]).any()


def test_demo_roster_reproduces_every_school_total(demo):
    assert_roster_matches(demo)


def test_demo_counts_are_consistent(demo):
    assert_counts_consistent(demo.schools)


def test_demo_roster_rows_are_plausible(demo):
    t = demo.teachers
    assert t["teacher_id"].is_unique
    assert (t["birth_year"] + t["age"] == 2021).all()
    assert t["age"].between(22, 60).all()
    assert (t.loc[t["sex"] == "female", "age"] <= 55).all()
    assert (t["years_at_school"] <= t["age"] - 22).all()
    assert (t["rural_service_years"] <= t["age"] - 22).all()
    assert (t.loc[t["title"] == "professor", "age"] >= 45).all()
    rural_ids = set(demo.schools.loc[demo.schools["location"] == "rural", "school_id"])
    rural = t["school_id"].isin(rural_ids)
    # a rural teacher has at least served the years at this school in the countryside
    assert (t.loc[rural, "rural_service_years"] >= t.loc[rural, "years_at_school"]).all()
    # urban and town teachers with a senior title served at least a year in the countryside (docs/sources.md#teachers)
    senior = ~rural & t["title"].isin(["senior", "professor"])
    assert (t.loc[senior, "rural_service_years"] >= 1).all()


def test_every_schools_column_of_the_dictionary_is_filled(demo):
    s = demo.schools
    expected = set(DICTIONARY["tables"]["schools"]["columns"]) - {"parent_school_id", "year"}
    assert set(s.columns) == expected
    assert not s.isna().any().any()
    assert list(s.columns) == SCHOOL_COLUMNS + CHECKLIST_COLUMNS


def test_canonical_dtypes_and_words(demo):
    s, t = demo.schools, demo.teachers
    for column in ["students", "classes", "teachers"] + SUB_COUNTS + PUPIL_GROUPS:
        assert s[column].dtype == np.int64, column
    # facility columns hold the split shares of the nine-year schools (docs/sources.md#combined-schools): floats,
    # as the loader gives them; every other section's counts are whole numbers
    for column in ["teaching_area_m2", "sports_area_m2", "equipment_value_yuan", "public_funds_yuan"] + COUNTED_FACILITIES:
        assert s[column].dtype == np.float64, column
    regular = s[s["school_type"] != "nine_year"]
    for column in COUNTED_FACILITIES:
        assert (regular[column] == regular[column].round()).all(), column
    assert s["weak_school"].dtype == bool
    assert pd.api.types.is_string_dtype(s["school_id"]) and pd.api.types.is_string_dtype(t["teacher_id"])
    values = DICTIONARY["values"]
    for frame, column, vocabulary in [
        (s, "level", "level"), (s, "location", "location"), (s, "school_type", "school_type"),
        (t, "level", "level"), (t, "sex", "sex"), (t, "degree", "degree"), (t, "title", "title"),
        (t, "backbone", "backbone"), (t, "subject", "subject"),
    ]:
        assert set(frame[column]) <= set(values[vocabulary]), column
    for column in ["birth_year", "age", "years_at_school", "rural_service_years"]:
        assert t[column].dtype == np.int64
    assert demo.budget.dtypes.to_dict() == {
        "year": np.int64, "fiscal_revenue_yuan": np.float64, "compulsory_education_yuan": np.float64,
        "transfer_yuan": np.float64, "surcharge_yuan": np.float64,
    }


def test_township_structure(demo):
    s = demo.schools
    townships = s.loc[s["township"] != "城关镇", "township"].unique()
    for township in townships:
        part = s[s["township"] == township]
        assert part["name"].str.contains("中心小学|九年一贯制学校").any(), township
        assert (part["level"] == "junior").sum() == 1, township
    seat = s[s["township"] == "城关镇"]
    assert set(seat["location"]) == {"urban"}
    assert (s.loc[s["location"] == "urban", "township"] == "城关镇").all()
    assert set(s.loc[s["school_type"] == "teaching_point", "location"]) == {"rural"}


def test_nine_year_schools_have_one_id_and_two_sections(demo):
    s = demo.schools
    nine = s[s["school_type"] == "nine_year"]
    assert nine["school_id"].nunique() == 2
    for _, part in nine.groupby("school_id"):
        assert sorted(part["level"]) == ["junior", "primary"]
        assert part["name"].nunique() == 1
    single = s[s["school_type"] != "nine_year"]
    assert not single["school_id"].duplicated().any()


def test_demo_mix_of_schools(demo):
    s = demo.schools
    points = s[s["school_type"] == "teaching_point"]
    assert len(points) == 4 and (points["students"] < 50).any()
    assert ((s["level"] == "primary") & (s["school_type"] != "teaching_point")).sum() == 45
    assert (s["level"] == "junior").sum() == 14
    assert set(s["location"]) == {"urban", "town", "rural"}
    assert 0 < s["weak_school"].sum() < len(s) / 3
    assert set(s["county"]) == {"示范县"}


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_junior=st.integers(1, 12),
    extra_primary=st.integers(0, 30),
    n_points=st.integers(0, 5),
    gap=st.floats(0.0, 2.5),
    wealth=st.floats(0.5, 2.0),
)
def test_any_seed_and_size_gives_consistent_tables(seed, n_junior, extra_primary, n_points, gap, wealth):
    n_primary = n_junior + 1 + extra_primary
    county = synthetic_county(seed, n_primary, n_junior, n_points, 0, gap=gap, wealth=wealth)
    s = county.schools
    assert ((s["level"] == "primary") & (s["school_type"] != "teaching_point")).sum() == n_primary
    assert (s["level"] == "junior").sum() == n_junior
    assert (s["school_type"] == "teaching_point").sum() == n_points
    assert_counts_consistent(s)
    assert_roster_matches(county)


@pytest.mark.parametrize("n_nine", [0, 1, 3])
def test_nine_year_count_is_honoured(n_nine):
    s = synthetic_county(11, 40, 12, 2, n_nine).schools
    assert s.loc[s["school_type"] == "nine_year", "school_id"].nunique() == n_nine
    assert (s["school_type"] == "nine_year").sum() == 2 * n_nine


def test_large_county_sizes_are_honoured():
    county = synthetic_county(1, n_primary=900, n_junior=280, n_teaching_points=50, n_nine_year=10)
    s = county.schools
    assert ((s["level"] == "primary") & (s["school_type"] != "teaching_point")).sum() == 900
    assert (s["level"] == "junior").sum() == 280
    assert len(county.teachers) == s["teachers"].sum() > 40_000
    assert county.teachers["teacher_id"].is_unique
    assert s["name"].is_unique or s.loc[s["school_type"] != "nine_year", "name"].is_unique


def test_province_counts_are_consistent(province):
    assert_counts_consistent(province.schools)
    assert province.teachers is None


def test_province_roster_on_request_matches():
    county = synthetic_province(2, n_counties=3, roster=True)
    assert_roster_matches(county)
    assert len(county.counties) == 3
