"""Several years: year folders (canonical or export) and tables with a `year` column load as one
County; each year is validated on its own; the assessment and the trend cover every year."""
import json

import numpy as np
import pandas as pd
import pytest

import panel_builder as build
from balance_sim.assessment.panel import assess_panel
from balance_sim.assessment.trend import slope, trend, trend_row
from balance_sim.cli import main
from balance_sim.errors import InputError, ParameterError
from balance_sim.io import load

export_builder = build.export_builder


def _schools_csv(folder, schools: pd.DataFrame):
    folder.mkdir(parents=True, exist_ok=True)
    schools.to_csv(folder / "schools.csv", index=False)
    return folder


@pytest.fixture
def mixed_panel(tmp_path):
    """2022 as canonical tables, 2023 as the export workbooks of the same known county."""
    root = tmp_path / "panel"
    schools, shared = export_builder.known_county()
    _schools_csv(root / "2022", schools)
    shared.to_csv(root / "2022" / "shared_facilities.csv", index=False)
    for level, word in export_builder.LEVEL_WORDS.items():
        export_builder.write_export((root / "2023").mkdir(exist_ok=True) or root / "2023" / f"{word}.xlsx", level)
    export_builder.campus_csv(root / "2023" / "campuses.csv")
    return root


def test_year_folders_of_either_form_make_one_panel(mixed_panel):
    county = load(mixed_panel)
    assert county.years == (2022, 2023)
    by_year = [county.select(year=y).schools.set_index(["school_id", "level"]).sort_index() for y in county.years]
    pd.testing.assert_index_equal(by_year[0].index, by_year[1].index)
    for column in ["students", "teachers", "teaching_area_m2", "books"]:
        np.testing.assert_allclose(by_year[0][column].astype(float), by_year[1][column].astype(float), rtol=1e-9)
    assert any(note.startswith("2023: read as an education statistics export") for note in county.notes)


def test_problems_of_every_year_are_listed_together(mixed_panel):
    schools = pd.read_csv(mixed_panel / "2022" / "schools.csv", dtype=str)
    schools.loc[0, "students"] = "-5"
    schools.to_csv(mixed_panel / "2022" / "schools.csv", index=False)
    (mixed_panel / "2023" / "campuses.csv").unlink()
    with pytest.raises(InputError) as error:
        load(mixed_panel)
    files = sorted({p.file.split("/")[-1] for p in error.value.problems})
    assert files == ["schools.csv", "小学.xlsx[小学基层表]"]


def test_a_year_column_that_contradicts_its_folder_is_a_problem(mixed_panel):
    schools = pd.read_csv(mixed_panel / "2022" / "schools.csv", dtype=str).assign(year="2021")
    schools.to_csv(mixed_panel / "2022" / "schools.csv", index=False)
    with pytest.raises(InputError, match="the tables hold year 2021 but the folder is for 2022"):
        load(mixed_panel)


def test_a_canonical_folder_with_year_named_sub_folders_stays_canonical(mixed_panel):
    (mixed_panel / "schools.csv").write_text((mixed_panel / "2022" / "schools.csv").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    county = load(mixed_panel)
    assert county.years == () and len(county.schools) == 11
    assert "sub-folders 2022, 2023 not read: the folder holds tables of its own" in county.notes


def test_other_files_beside_year_folders_are_named_in_the_notes(mixed_panel):
    (mixed_panel / "readme.txt").write_text("2022–2023", encoding="utf-8")
    county = load(mixed_panel)
    assert "files beside the year folders are not read: readme.txt" in county.notes


# ---- one table with a year column --------------------------------------------------------------

SCHOOLS = """\
school_id,name,level,location,students,classes,teachers,year
S1,一小,primary,urban,500,10,30,2021
S2,二小,primary,rural,100,5,8,2021
S1,一小,primary,urban,520,11,31,2022
S2,二小,primary,rural,90,5,8,2022
"""
TEACHERS = """\
teacher_id,school_id,level,sex,degree,title,subject,year
T1,S1,primary,female,bachelor,intermediate,math,2021
T1,S1,primary,female,bachelor,intermediate,math,2022
T2,S2,primary,male,associate,junior,pe,2022
"""


def _folder(tmp_path, schools=SCHOOLS, teachers=TEACHERS):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "schools.csv").write_text(schools, encoding="utf-8")
    (folder / "teachers.csv").write_text(teachers, encoding="utf-8")
    return folder


def test_keys_and_teachers_are_per_year(tmp_path):
    county = load(_folder(tmp_path))
    assert county.years == (2021, 2022)
    assert county.select(year=2021).teachers["teacher_id"].tolist() == ["T1"]
    assert county.select(year=2022).teachers["teacher_id"].tolist() == ["T1", "T2"]


def test_duplicates_within_a_year_and_teachers_of_absent_sections_are_reported(tmp_path, capsys):
    schools = SCHOOLS.replace("S2,二小,primary,rural,90,5,8,2022", "S1,二小,primary,rural,90,5,8,2022")
    teachers = TEACHERS + "T3,S2,primary,male,associate,junior,pe,2023\nT1,S1,primary,female,bachelor,junior,math,2022\n"
    folder = _folder(tmp_path, schools, teachers)
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert f"{folder}/schools.csv:5:school_id: duplicate key (school_id, level, year) = (S1, primary, 2022), first on row 4" in err
    assert f"{folder}/teachers.csv:5:school_id: no school section (S2, primary, 2023) in schools" in err
    assert f"{folder}/teachers.csv:6:teacher_id: duplicate key (teacher_id, year) = (T1, 2022), first on row 3" in err


# ---- trend --------------------------------------------------------------------------------------

def test_slope_is_least_squares():
    # years 2019, 2020, 2022 and CVs 0.6, 0.5, 0.45: x − x̄ = −4/3, −1/3, 5/3; y − ȳ = 0.1, 0, −0.05;
    # Σxy = −0.13333 − 0.08333 = −0.21667; Σx² = 14/3; slope = −0.046429
    assert slope(np.array([2019.0, 2020.0, 2022.0]), np.array([0.6, 0.5, 0.45])) == pytest.approx(-0.0464286, abs=1e-7)
    assert np.polyfit([2019, 2020, 2022], [0.6, 0.5, 0.45], 1)[0] == pytest.approx(-0.0464286, abs=1e-7)


@pytest.mark.parametrize("cvs, status, change, to_ceiling", [
    ([0.62, 0.58], "approaching", -0.04, 2.0),   # (0.58 − 0.50) / 0.04 = 2 years
    ([0.58, 0.62], "moving away", 0.04, None),
    ([0.55, 0.55], "not moving", 0.0, None),
    ([0.62, 0.48], "within ceiling", -0.14, None),
    ([float("nan"), 0.7], "one year", None, None),
])
def test_trend_row_by_hand(cvs, status, change, to_ceiling):
    row = trend_row(np.array([2021.0, 2022.0]), np.array(cvs), 0.50)
    assert row["status"] == status and row["cv_last"] == cvs[-1]
    assert (np.isnan(row["change_per_year"]) if change is None else row["change_per_year"] == pytest.approx(change))
    assert (np.isnan(row["years_to_ceiling"]) if to_ceiling is None else row["years_to_ceiling"] == pytest.approx(to_ceiling))


def _three_schools(per_pupil: dict[int, list[float]]) -> str:
    """A primary county of three schools (100, 300, 600 pupils) whose teaching area per pupil in
    each year is given; every other indicator the same in every school."""
    lines = ["school_id,name,level,location,students,classes,teachers,teachers_above_degree,"
             "teachers_mid_senior_title,backbone_teachers,pe_art_teachers,teaching_area_m2,sports_area_m2,"
             "equipment_value_yuan,books,computers,multimedia_classrooms,year"]
    for year, values in per_pupil.items():
        for i, (pupils, value) in enumerate(zip([100, 300, 600], values)):
            n = pupils // 100
            lines.append(f"S{i},学校{i},primary,rural,{pupils},{2 * n},{6 * n},{5 * n},{3 * n},{n},{n},"
                         f"{value * pupils},{8 * pupils},{2500 * pupils},{30 * pupils},{n * 10},{3 * n},{year}")
    return "\n".join(lines) + "\n"


def test_trend_of_a_hand_computed_panel(tmp_path):
    # Teaching area per pupil (docs/sources.md#cv formula, weights 100, 300, 600):
    # 2021: 1, 2, 10 → mean 6.7, S² = (100·32.49 + 300·22.09 + 600·10.89)/1000 = 16.41, CV = √16.41 / 6.7 = 0.604616
    # 2022: 2, 2, 10 → mean 6.8, S² = (400·23.04 + 600·10.24)/1000 = 15.36, CV = √15.36 / 6.8 = 0.576351
    # change per year −0.028265; years to 0.50 = (0.576351 − 0.50) / 0.028265 = 2.7012
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "schools.csv").write_text(_three_schools({2021: [1, 2, 10], 2022: [2, 2, 10]}), encoding="utf-8")
    panel = assess_panel(load(folder), "quality-2017")
    row = trend(panel).set_index("key").loc["teaching_area_per_student"]
    assert (row["first_year"], row["last_year"], row["years"]) == (2021, 2022, 2)
    assert row["cv_first"] == pytest.approx(0.604616, abs=1e-6)
    assert row["cv_last"] == pytest.approx(0.576351, abs=1e-6)
    assert row["change_per_year"] == pytest.approx(-0.028265, abs=1e-6)
    assert row["years_to_ceiling"] == pytest.approx(2.7012, abs=1e-4)
    assert row["status"] == "approaching" and row["cv_max"] == 0.50
    assert panel.levels["verdict"].tolist() == ["fail", "fail"]
    same = trend(panel).set_index("key").loc["sports_area_per_student"]
    assert (same["cv_first"], same["change_per_year"], same["status"]) == (0.0, 0.0, "within ceiling")


def test_demo_and_a_changed_second_year(tmp_path, capsys):
    # 2022 = the demo with its two worst-equipped primary schools (per pupil) raised to the
    # level mean; the CVs of 2021 and 2022 are recomputed here by the docs/sources.md#cv formula.
    from balance_sim.datasets import demo_county, demo_county_tables
    schools = demo_county().schools
    second = schools.copy()
    # basic-2012 leaves teaching points out (docs/sources.md#basic-2012)
    counted = lambda frame: frame[(frame["level"] == "primary") & (frame["school_type"] != "teaching_point")]  # noqa: E731
    primary = counted(second)
    per_pupil = primary["teaching_area_m2"] / primary["students"]
    mean = primary["teaching_area_m2"].sum() / primary["students"].sum()
    worst = per_pupil.nsmallest(2).index
    second.loc[worst, "teaching_area_m2"] = mean * second.loc[worst, "students"]
    root = tmp_path / "demo_panel"
    # each year as data/demo/ holds it: nine-year schools' facilities whole in shared_facilities.csv
    files = demo_county_tables()
    assert (files.schools.loc[worst, "school_type"] == "regular").all()
    for year, frame in ((2021, schools), (2022, second)):
        written = files.schools.copy()
        written.loc[worst, "teaching_area_m2"] = frame.loc[worst, "teaching_area_m2"]
        _schools_csv(root / str(year), written)
        files.shared_facilities.to_csv(root / str(year) / "shared_facilities.csv", index=False)

    def cv(frame):
        p = counted(frame)
        x, w = p["teaching_area_m2"] / p["students"], p["students"]
        m = (w * x).sum() / w.sum()
        return float(np.sqrt((w * (x - m) ** 2).sum() / w.sum()) / m)

    panel = assess_panel(load(root), "basic-2012")
    table = trend(panel).set_index(["level", "key"])
    row = table.loc[("primary", "teaching_area_per_student")]
    assert panel.by_year[2021].schools.query("level == 'primary'")["school_id"].nunique() == len(counted(schools)) == 45
    first, last = cv(schools), cv(second)
    assert row["cv_first"] == pytest.approx(first, rel=1e-9) and row["cv_last"] == pytest.approx(last, rel=1e-9)
    assert row["change_per_year"] == pytest.approx(last - first, rel=1e-9) and last < first
    assert row["status"] == "within ceiling" and np.isnan(row["years_to_ceiling"])
    composite = table.loc[("primary", "composite_cv")]
    by_year = panel.levels.set_index(["level", "year"])["composite_cv"]
    assert composite["change_per_year"] == pytest.approx(by_year[("primary", 2022)] - by_year[("primary", 2021)])
    assert composite["change_per_year"] == pytest.approx((last - first) / 8, rel=1e-9)  # one of eight CVs moved
    junior = table.loc["junior"]
    assert (junior["change_per_year"] == 0).all() and set(junior["status"]) == {"within ceiling"}

    assert main(["assess", str(root), "--standard", "basic-2012", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [y["year"] for y in data["years"]] == [2021, 2022]
    assert data["counties"] == data["years"][1]["counties"]
    primary_2021 = data["years"][0]["counties"][0]["levels"][0]
    assert primary_2021["composite_cv"] == pytest.approx(by_year[("primary", 2021)])
    assert main(["assess", str(root), "--standard", "basic-2012", "--format", "csv"]) == 0
    csv = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert list(csv.columns[:3]) == ["county", "level", "year"] and len(csv) == 2 * 16
    assert main(["assess", str(root), "--standard", "basic-2012"]) == 0
    text = capsys.readouterr().out
    assert "-- by year --" in text and "-- trend 2021–2022" in text and "composite_cv" in text


def test_single_year_output_is_unchanged(capsys):
    assert main(["assess", "demo", "--format", "json"]) == 0
    assert "years" not in json.loads(capsys.readouterr().out)


def test_panel_needs_years():
    from balance_sim.datasets import demo_county
    with pytest.raises(ParameterError, match="no year column"):
        assess_panel(demo_county())
