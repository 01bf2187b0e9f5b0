"""Done-when: the demo county written as the statistics export (小学 and 初中 workbooks, its
nine-year schools in both with whole-school facilities) loads straight from the folder and gives
back the demo county, after the combined-school split (reference/facts.md §4, §11)."""
import json

import numpy as np
import pandas as pd
import pytest

import panel_builder as build
from balance_sim.assess import assess
from balance_sim.cli import main
from balance_sim.datasets import demo_county
from balance_sim.io import load


@pytest.fixture(scope="module")
def demo_schools() -> pd.DataFrame:
    return demo_county().schools


@pytest.fixture(scope="module")
def export_folder(tmp_path_factory, demo_schools):
    return build.write_demo_export(tmp_path_factory.mktemp("export"), demo_schools)


@pytest.fixture(scope="module")
def from_export(export_folder):
    return load(export_folder)


def _by_key(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index(["school_id", "level"]).sort_index()


def test_same_schools_counts_and_areas_after_the_split(from_export, demo_schools):
    got, expected = _by_key(from_export.schools), _by_key(build.split_expected(demo_schools))
    assert list(got.index) == list(expected.index)  # 49 primary and 14 junior sections
    assert (len(got), got["students"].sum()) == (63, demo_schools["students"].sum())
    for column in ["name", "county", "location", "school_type"]:
        assert got[column].tolist() == expected[column].tolist(), column
    for column in build.COUNTS:
        assert got[column].astype("int64").tolist() == expected[column].astype("int64").tolist(), column
    for column in build.SHARED:
        np.testing.assert_allclose(got[column].astype(float), expected[column].astype(float), rtol=1e-9, err_msg=column)


def test_nine_year_split_by_hand(from_export, demo_schools):
    # 2299010056: 385 primary and 378 junior pupils; the demo gives 11,078 + 19,643 = 30,721 books,
    # which the export states for the whole school in both workbooks. Split by hand:
    # 30,721 · 385 / (385 + 1.1 · 378) = 30,721 · 385 / 800.8 = 14,769.71 primary, 15,951.29 junior.
    nine = demo_schools[demo_schools["school_id"] == "2299010056"].set_index("level")
    assert (nine.loc["primary", "students"], nine.loc["junior", "students"]) == (385, 378)
    assert nine["books"].tolist() == [11078, 19643]
    got = _by_key(from_export.schools).loc["2299010056", "books"]
    assert got["primary"] == pytest.approx(14769.7115, abs=1e-4)
    assert got["junior"] == pytest.approx(15951.2885, abs=1e-4)


def test_mapping_report_is_in_the_notes(from_export, export_folder):
    report = next(n for n in from_export.notes if n.startswith("read as an education statistics export"))
    assert "level primary, header rows 1–5, 49 rows read" in report
    assert "level junior, header rows 1–5, 14 rows read" in report
    assert "teaching_area_m2          ← AD−AE" in report
    assert any("split across their sections" in n for n in from_export.notes)


@pytest.mark.parametrize("standard, verdict", [("basic-2012", "pass"), ("quality-2017", "fail")])
def test_same_verdicts_as_the_demo(from_export, standard, verdict):
    demo, export = assess(demo_county(), standard), assess(from_export, standard)
    assert demo.verdict == export.verdict == {"示范县": verdict}
    assert demo.levels["verdict"].tolist() == export.levels["verdict"].tolist()
    keep = ["level", "schools", "students", "schools_meeting_standard"]
    pd.testing.assert_frame_equal(demo.levels[keep], export.levels[keep])


def _numbers_close(a, b, path="$"):
    """Same JSON shape, same words, numbers equal within float tolerance."""
    assert type(a) is type(b) or {type(a), type(b)} <= {int, float}, path
    if isinstance(a, dict):
        assert list(a) == list(b), path
        for key in a:
            _numbers_close(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _numbers_close(x, y, f"{path}[{i}]")
    elif isinstance(a, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), path
    else:
        assert a == b, path


def _assess_json(path, capsys, standard="quality-2017") -> dict:
    assert main(["assess", str(path), "--standard", standard, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("standard", ["quality-2017", "basic-2012"])
def test_cli_json_of_the_export_folder_is_the_demo_json(export_folder, demo_schools, tmp_path, capsys, standard):
    # The demo's own nine-year sections are not divided in the 1 : 1.1 proportion, so the demo as
    # the export holds it is the demo with those schools' facilities given as whole-school totals.
    canonical = build.write_canonical_split(tmp_path / "canonical", demo_schools)
    _numbers_close(_assess_json(export_folder, capsys, standard), _assess_json(canonical, capsys, standard))


def test_cli_json_of_the_export_folder_against_assess_demo(export_folder, capsys):
    # Against `assess demo` itself: same shape, counties, levels, keys, counts and verdicts; the
    # CVs of the area and equipment indicators move only by the re-division of two nine-year schools.
    demo, export = _assess_json("demo", capsys), _assess_json(export_folder, capsys)
    assert demo.keys() == export.keys()
    for d_level, e_level in zip(demo["counties"][0]["levels"], export["counties"][0]["levels"]):
        for key in ("level", "schools", "students", "verdict", "schools_meeting_standard"):
            assert d_level[key] == e_level[key], key
        for d, e in zip(d_level["indicators"], e_level["indicators"]):
            assert d["key"] == e["key"]
            if d["key"] in ("above_degree_teachers_per_100", "backbone_teachers_per_100", "pe_art_teachers_per_100"):
                assert d["cv"] == pytest.approx(e["cv"], rel=1e-12)  # teachers are never split
            else:
                assert abs(d["cv"] - e["cv"]) < 0.05


def test_validate_prints_the_mapping_report(export_folder, capsys):
    assert main(["validate", str(export_folder)]) == 0
    out = capsys.readouterr().out
    assert "primary: 49 school sections" in out and "junior: 14 school sections" in out
    assert "note: read as an education statistics export (2 file(s)); mapping report:" in out
