"""Done-when: the demo county written as the statistics export (小学 and 初中 workbooks, its
nine-year schools in both with whole-school facilities) loads straight from the folder and gives
back the demo county, after the combined-school split (docs/sources.md#combined-schools, docs/sources.md#statistics-export)."""
import json

import numpy as np
import pandas as pd
import pytest

import panel_builder as build
from balance_sim.assessment import assess
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
    # 2299010056: 385 primary and 378 junior pupils and 30,721 books for the whole school
    # (data/demo/shared_facilities.csv), which the export states in both workbooks. Split by hand:
    # 30,721 · 385 / (385 + 1.1 · 378) = 30,721 · 385 / 800.8 = 14,769.71 primary, 15,951.29 junior.
    # The demo itself holds the same split, so reading it back from the export changes nothing.
    nine = demo_schools[demo_schools["school_id"] == "2299010056"].set_index("level")
    assert (nine.loc["primary", "students"], nine.loc["junior", "students"]) == (385, 378)
    assert build.whole_school(demo_schools).set_index("school_id").loc["2299010056", "books"] == pytest.approx(30721, abs=1e-9)
    got = _by_key(from_export.schools).loc["2299010056", "books"]
    for books in (got, nine["books"]):
        assert books["primary"] == pytest.approx(14769.7115, abs=1e-4)
        assert books["junior"] == pytest.approx(15951.2885, abs=1e-4)


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


def test_cli_json_of_the_export_folder_is_assess_demo_under_basic_2012(export_folder, capsys):
    # The demo's nine-year schools are divided in the official 1 : 1.1 proportion, as the loader
    # divides the export's whole-school totals: every number of `assess demo` comes back.
    _numbers_close(_assess_json(export_folder, capsys, "basic-2012"), _assess_json("demo", capsys, "basic-2012"))


# What the export workbooks cannot carry: the county table and the checklist school columns.
_NOT_IN_THE_EXPORT = {"county"} | {f"schools.{c}" for c in (
    "music_rooms", "music_room_area_m2", "art_rooms", "art_room_area_m2", "public_funds_yuan",
    "training_completed_teachers", "certified_teachers", "catchment_students", "training_spending_yuan",
)}


def test_cli_json_of_the_export_folder_is_assess_demo_under_quality_2017(export_folder, capsys):
    demo, export = _assess_json("demo", capsys), _assess_json(export_folder, capsys)
    assert demo.keys() == export.keys() and demo["standard"] == export["standard"] == "quality-2017"
    (d_county,), (e_county,) = demo["counties"], export["counties"]
    assert list(d_county) == list(e_county)
    assert (d_county["county"], d_county["verdict"]) == (e_county["county"], e_county["verdict"]) == ("示范县", "fail")
    # every level number (CVs, means, schools meeting the standard) and the resources part alike
    _numbers_close(d_county["levels"], e_county["levels"])
    d_parts, e_parts = {p["part"]: p for p in d_county["parts"]}, {p["part"]: p for p in e_county["parts"]}
    assert list(d_parts) == list(e_parts) == ["resources", "government", "quality", "recognition"]
    _numbers_close(d_parts["resources"], e_parts["resources"])
    # the other parts: the same items; those left out are not assessable for lack of the
    # county table or a checklist column, never for a school figure the export holds
    for part in ("government", "quality", "recognition"):
        d_items, e_items = d_parts[part]["items"], e_parts[part]["items"]
        assert [(i["key"], i["rule"]) for i in d_items] == [(i["key"], i["rule"]) for i in e_items]
        for d, e in zip(d_items, e_items):
            if e["status"] == "not_assessable":
                assert all(m.split(".")[0] in _NOT_IN_THE_EXPORT or m in _NOT_IN_THE_EXPORT for m in e["missing"]), e
            elif e["key"] == "class_size":  # class-size bins in the demo, section averages in the export
                assert e["status"] == d["status"] == "fail"
            else:
                _numbers_close(d, e)


def test_validate_prints_the_mapping_report(export_folder, capsys):
    assert main(["validate", str(export_folder)]) == 0
    out = capsys.readouterr().out
    assert "primary: 49 school sections" in out and "junior: 14 school sections" in out
    assert "note: read as an education statistics export (2 file(s)); mapping report:" in out
