"""Combined schools: whole-school facilities split across sections by pupil weights (docs/sources.md#combined-schools)."""
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from io_inputs import write

from balance_sim.io import load
from balance_sim.io.combined import apply_split, split, split_weights

HEADER = "school_id,name,level,location,school_type,students,classes,teachers,books,computers\n"


def test_worked_example_nine_year_school_books(tmp_path):
    # docs/sources.md#combined-schools: 166 primary and 210 junior pupils share 23,226 books.
    folder = write(
        tmp_path / "c",
        {
            "schools.csv": HEADER
            + "N1,红星九年一贯制学校,primary,rural,nine_year,166,6,12,,\n"
            + "N1,红星九年一贯制学校,junior,rural,nine_year,210,6,18,,\n"
            + "S1,城关一小,primary,urban,regular,400,9,22,9000,40\n",
            "shared_facilities.csv": "学校代码,办学类型,图书（册）\nN1,九年一贯制,23226\n",
        },
    )
    county = load(folder)
    books = county.schools.set_index(["school_id", "level"])["books"]
    assert books["N1", "primary"] == pytest.approx(9711.6, abs=0.05)
    assert books["N1", "junior"] == pytest.approx(13514.4, abs=0.05)
    assert books["N1", "primary"] / 166 == pytest.approx(58.50, abs=0.005)
    assert books["N1", "junior"] / 210 == pytest.approx(64.35, abs=0.005)
    assert books["N1", "primary"] + books["N1", "junior"] == pytest.approx(23226, rel=1e-12)
    assert books["S1", "primary"] == 9000  # a regular school keeps its own figure
    assert county.schools["computers"].isna().sum() == 2  # not given anywhere for N1
    assert any("split" in note for note in county.notes)


def test_senior_share_of_a_twelve_year_school_goes_to_no_section(tmp_path):
    # 100 primary, 100 junior, 100 senior pupils, 332 m²: weighted pupils 100 + 110 + 132 = 342.
    folder = write(
        tmp_path / "c",
        {
            "schools.csv": HEADER.replace("books,computers", "teaching_area_m2")
            + "T1,十二年一贯制学校,primary,town,twelve_year,100,4,8,\n"
            + "T1,十二年一贯制学校,junior,town,twelve_year,100,4,9,\n",
            "shared_facilities.csv": "school_id,school_type,students_senior,teaching_area_m2\n"
            "T1,twelve_year,100,342\n",
        },
    )
    area = load(folder).schools.set_index("level")["teaching_area_m2"]
    assert area["primary"] == pytest.approx(100.0)
    assert area["junior"] == pytest.approx(110.0)  # the remaining 132 m² are the senior high's


def test_weights_are_the_official_ones_with_their_source():
    weights = split_weights()
    assert weights.weights == {"primary": 1.0, "junior": 1.1, "senior": 1.32}
    assert weights.weights["senior"] / weights.weights["junior"] == pytest.approx(1.2)
    assert "docs/sources.md#combined-schools" in weights.source


pupils = st.integers(min_value=0, max_value=5000)


@settings(max_examples=100, deadline=None)
@given(
    primary=pupils,
    junior=pupils,
    senior=pupils,
    total=st.floats(min_value=0, max_value=1e8, allow_nan=False),
)
def test_shares_sum_to_the_total_and_follow_the_weights(primary, junior, senior, total):
    if primary + junior + senior == 0:
        return
    shares = split(total, {"primary": primary, "junior": junior, "senior": senior})
    assert sum(shares.values()) == pytest.approx(total, rel=1e-9, abs=1e-6)
    weights = split_weights().weights
    per_pupil = {s: shares[s] / n for s, n in (("primary", primary), ("junior", junior), ("senior", senior)) if n}
    base = next(iter(per_pupil))
    for section, value in per_pupil.items():
        expected = per_pupil[base] * weights[section] / weights[base]
        assert value == pytest.approx(expected, rel=1e-9, abs=1e-9)

    # The table path gives the same shares as the plain function.
    schools = pd.DataFrame(
        {"school_id": ["X", "X"], "level": ["primary", "junior"], "students": [primary, junior]}
    )
    shared = pd.DataFrame({"school_id": ["X"], "students_senior": [senior], "books": [total]})
    out = apply_split(schools, shared)["books"].tolist()
    assert out == pytest.approx([shares["primary"], shares["junior"]], rel=1e-9, abs=1e-9)
