"""`balance-sim simulate`: files written only on success, summary contents, exit codes."""
import json

import pandas as pd
import pytest

from balance_sim.checklist import MODELLED, outside_model_items
from balance_sim.cli import main

pytest.importorskip("balance_sim.datasets")


def test_simulate_demo_writes_the_six_outputs(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["simulate", "demo", "--years", "3", "--seed", "4", "--set", "funding.rural_share=0.7", "--out", str(out)])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["schools.parquet", "county.parquet", "teacher_moves.parquet", "funding.parquet", "checklist.parquet",
         "summary.json"])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["seed"] == 4 and len(summary["years"]) == 4
    assert summary["policy"]["funding"]["rural_share"] == 0.7
    t = summary["teachers"]
    assert t["start"] + t["hired"] - t["retired"] - t["left"] == t["end"]
    f = summary["funds"]
    assert f["allocated"] + f["unspent"] == pytest.approx(f["available"])
    assert len(summary["cv"]["quality-2017"]["primary"]["backbone_teachers_per_100"]) == 4
    assert set(summary["first_year_meeting"]) == {"basic-2012", "quality-2017"}
    schools = pd.read_parquet(out / "schools.parquet")
    assert schools["year"].nunique() == 4
    checklist = pd.read_parquet(out / "checklist.parquet")
    modelled = summary["checklist"]["modelled"]
    assert set(modelled) == set(MODELLED) and all(len(v) == 4 for v in modelled.values())
    for key, statuses in modelled.items():
        rows = checklist[checklist["key"] == key].sort_values("year")
        assert list(rows["status"].astype(str)) == statuses
    outside = set(summary["checklist"]["outside_model"])
    assert outside == set(outside_model_items()["key"]) and not outside & set(MODELLED)
    assert "staffing_within_quota" in outside


@pytest.mark.parametrize("args", [
    ["--set", "funding.rural_shar=0.7"],
    ["--set", "teachers.exchange_rate=2"],
    ["--years", "0"],
    ["--policy", "missing.yaml"],
])
def test_bad_parameters_exit_2_and_write_nothing(tmp_path, capsys, args):
    out = tmp_path / "run"
    assert main(["simulate", "demo", *args, "--out", str(out)]) == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
    assert "error" in capsys.readouterr().err


def test_bad_input_exits_2(tmp_path, capsys):
    assert main(["simulate", str(tmp_path / "nothing"), "--out", str(tmp_path / "run")]) == 2
    assert not (tmp_path / "run").exists()


def test_simulate_province_prints_each_shared_note_once(tmp_path, capsys):
    out = tmp_path / "province"
    assert main(["simulate", "demo-province", "--years", "1", "--out", str(out)]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note: ")]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    shared = [line for line in notes if line.startswith("note: every county (60): ")]
    assert "note: every county (60): budget: no budget table; base budget = modelled claims of the base year × " \
           "(1 + funding.other_share)" in shared
    own = [line for line in notes if line not in shared]
    # 60 counties' own budget notes: the first 10, then where the other 50 are
    assert len(own) == 11 and own[-1] == f"note: … and 50 more notes of single counties in {out / 'summary.json'}"
    assert all(line[len("note: "):] in summary["notes"] for line in own[:-1])
    assert len(summary["notes"]) == len(shared) * 60 + 60
