"""The canonical loader accepts the statistical urban–rural codes and names as `location` values
(统计用城乡划分: 11x urban, 12x town, 2xx rural; docs/sources.md#statistics-export)."""
from pathlib import Path

import pytest

from balance_sim.cli import main
from balance_sim.io import load

HEADER = "school_id,name,level,location,students,classes,teachers\n"


def _schools(folder: Path, locations: list[str]) -> Path:
    folder.mkdir()
    rows = "".join(f"S{i:02d},学校{i},primary,{loc},100,4,8\n" for i, loc in enumerate(locations))
    (folder / "schools.csv").write_text(HEADER + rows, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "word, location",
    [("111", "urban"), ("112", "urban"), ("121", "town"), ("122", "town"), ("123", "town"),
     ("210", "rural"), ("220", "rural"), ("主城区", "urban"), ("镇中心区", "town"), ("村庄", "rural")],
)
def test_code_or_name_gives_the_location(tmp_path, word, location):
    county = load(_schools(tmp_path / "c", [word]))
    assert county.schools["location"].tolist() == [location]


def test_codes_that_are_not_statistical_codes_are_reported(tmp_path, capsys):
    # 130 and 11 are no codes of the classification: reported at their row, not guessed.
    folder = _schools(tmp_path / "c", ["111", "130", "11"])
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ")[0] for line in err] == [f"{folder}/schools.csv:3:location", f"{folder}/schools.csv:4:location"]
    assert "unknown location word '130'" in err[0]
