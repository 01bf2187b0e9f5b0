"""Nine-year schools report whole-school facilities (design.md `shared_facilities`, docs/sources.md#combined-schools):
the files hold the totals, the demo county is exactly what the loader makes of the files."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.datasets import demo_county_tables, synthetic_county, synthetic_county_tables
from balance_sim.datasets.tables import whole_school
from balance_sim.io import load

DATA = Path(__file__).resolve().parents[2] / "data"
FACILITIES = ["teaching_area_m2", "sports_area_m2", "equipment_value_yuan", "books", "computers", "multimedia_classrooms"]


def _assert_same_tables(got, expected):
    for table in ("schools", "teachers", "budget", "county_table"):
        a, b = getattr(got, table), getattr(expected, table)
        assert (a is None) == (b is None), table
        if a is not None:
            pd.testing.assert_frame_equal(a, b, check_exact=True, obj=table)


def test_demo_county_is_what_the_loader_reads_from_data_demo(demo):
    loaded = load(DATA / "demo")
    _assert_same_tables(demo, loaded)
    split_note = next(n for n in loaded.notes if "split across their sections" in n)
    assert split_note in demo.notes


def test_demo_province_is_what_the_loader_reads_from_data_demo_province(province):
    loaded = load(DATA / "demo-province")
    pd.testing.assert_frame_equal(province.schools, loaded.schools, check_exact=True)
    shared = pd.read_csv(DATA / "demo-province" / "shared_facilities.csv", dtype={"school_id": str})
    nine = province.schools[province.schools["school_type"] == "nine_year"]
    assert len(shared) == nine["school_id"].nunique() == len(nine) // 2 > 0


def test_files_hold_whole_school_totals_and_empty_section_cells():
    schools = pd.read_csv(DATA / "demo" / "schools.csv", dtype={"school_id": str})
    shared = pd.read_csv(DATA / "demo" / "shared_facilities.csv", dtype={"school_id": str})
    assert list(shared.columns) == ["school_id", "school_type", *FACILITIES]
    assert shared["school_id"].tolist() == ["2299010056", "2299010058"]
    assert set(shared["school_type"]) == {"nine_year"}
    nine = schools["school_type"] == "nine_year"
    assert sorted(schools.loc[nine, "school_id"].unique()) == shared["school_id"].tolist()
    assert schools.loc[nine, FACILITIES].isna().all().all()
    assert schools.loc[~nine, FACILITIES].notna().all().all()
    # whole numbers stay whole in the files
    assert shared["books"].tolist() == [30721, 29243]
    assert "30721.0" not in (DATA / "demo" / "shared_facilities.csv").read_text(encoding="utf-8")


def test_demo_nine_year_split_by_hand(demo):
    # 2299010056: 385 primary and 378 junior pupils, 30,721 books and 6,034.8 m² of teaching
    # area for the whole school; weighted pupils 385 + 1.1 · 378 = 800.8.
    # books: 30,721 · 385 / 800.8 = 14,769.7115 primary, 30,721 · 415.8 / 800.8 = 15,951.2885 junior;
    # area: 6,034.8 · 385 / 800.8 = 2,901.3462 primary, 6,034.8 · 415.8 / 800.8 = 3,133.4538 junior.
    nine = demo.schools[demo.schools["school_id"] == "2299010056"].set_index("level")
    assert (nine.loc["primary", "students"], nine.loc["junior", "students"]) == (385, 378)
    assert nine.loc["primary", "books"] == pytest.approx(14769.7115, abs=1e-4)
    assert nine.loc["junior", "books"] == pytest.approx(15951.2885, abs=1e-4)
    assert nine.loc["primary", "teaching_area_m2"] == pytest.approx(2901.3462, abs=1e-4)
    assert nine.loc["junior", "teaching_area_m2"] == pytest.approx(3133.4538, abs=1e-4)


def test_every_demo_nine_year_school_follows_the_official_proportion(demo):
    nine = demo.schools[demo.schools["school_type"] == "nine_year"]
    shared = demo_county_tables().shared_facilities.set_index("school_id")
    for school_id, sections in nine.groupby("school_id"):
        part = sections.set_index("level")
        per_pupil = part[FACILITIES].div(part["students"], axis=0)
        # a junior pupil counts 1.1 primary pupils (docs/sources.md#combined-schools), and the shares add up to the total
        np.testing.assert_allclose(per_pupil.loc["junior"] / per_pupil.loc["primary"], 1.1, rtol=1e-12)
        np.testing.assert_allclose(part[FACILITIES].sum(), shared.loc[school_id, FACILITIES].astype(float), rtol=1e-12)


def test_whole_school_sums_sections_and_leaves_other_schools_alone():
    schools = pd.DataFrame({
        "school_id": ["N1", "N1", "S1"], "level": ["primary", "junior", "primary"],
        "school_type": ["nine_year", "nine_year", "regular"], "students": [166, 210, 400],
        "teaching_area_m2": [1234.5, 2345.6, 2000.0], "sports_area_m2": [3000.0, 2200.0, 4100.0],
        "equipment_value_yuan": [400_000.0, 490_000.0, 900_000.0], "books": [10_000, 13_226, 9000],
        "computers": [25, 35, 40], "multimedia_classrooms": [5, 7, 9],
    })
    sections, shared = whole_school(schools)
    assert shared.to_dict("records") == [{
        "school_id": "N1", "school_type": "nine_year", "teaching_area_m2": 3580.1,  # not 3580.1000000000004
        "sports_area_m2": 5200.0, "equipment_value_yuan": 890_000.0, "books": 23226, "computers": 60,
        "multimedia_classrooms": 12,
    }]
    assert sections.loc[:1, FACILITIES].isna().all().all()
    assert sections.loc[2, FACILITIES].tolist() == [2000.0, 4100.0, 900_000.0, 9000, 40, 9]
    assert str(sections["books"].dtype) == "Int64"
    assert schools.loc[0, "books"] == 10_000  # the input is not modified


def test_county_without_nine_year_schools_has_no_shared_table():
    tables = synthetic_county_tables(4, 20, 6, 1, 0)
    assert tables.shared_facilities is None
    assert "shared_facilities" not in tables.files()
    assert tables.county().schools[FACILITIES].notna().all().all()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_nine=st.integers(1, 3))
def test_synthetic_nine_year_schools_split_in_the_official_proportion(seed, n_nine):
    tables = synthetic_county_tables(seed, 30, 9, 1, n_nine, roster=False, budget=False)
    county = tables.county()
    assert len(tables.shared_facilities) == n_nine
    pd.testing.assert_frame_equal(county.schools, synthetic_county(seed, 30, 9, 1, n_nine, roster=False, budget=False).schools)
    nine = county.schools[county.schools["school_type"] == "nine_year"]
    totals = nine.groupby("school_id")[FACILITIES].sum()
    expected = tables.shared_facilities.set_index("school_id")[FACILITIES].astype(float)
    np.testing.assert_allclose(totals.loc[expected.index], expected, rtol=1e-12)
    p = nine[nine["level"] == "primary"].set_index("school_id")
    j = nine[nine["level"] == "junior"].set_index("school_id").loc[p.index]
    ratio = (j[FACILITIES].div(j["students"], axis=0)) / (p[FACILITIES].div(p["students"], axis=0))
    np.testing.assert_allclose(ratio.to_numpy(dtype=float)[~np.isnan(ratio.to_numpy(dtype=float))], 1.1, rtol=1e-12)
