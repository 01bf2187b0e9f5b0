"""Notebook parameters are checked with one clear line per bad value."""
from __future__ import annotations

import pytest

from balance_sim.errors import ParameterError
from balance_sim.report.parameters import check_parameters, check_value, specs


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("years", 0, "years: expected a value from 1 to 30, got 0"),
        ("years", "ten", "years: expected a whole number from 1 to 30, got 'ten'"),
        ("years", True, "years: expected a whole number from 1 to 30, got True"),
        ("years", 2.5, "years: expected a whole number from 1 to 30, got 2.5"),
        ("seed", -1, "seed: expected a value of at least 0, got -1"),
        ("replications", 501, "replications: expected a value from 1 to 500, got 501"),
        ("language", "fr", "language: expected one of 'en', 'zh', got 'fr'"),
        ("standard", "basic-2013", "standard: expected one of 'basic-2012', 'quality-2017' or a standard's YAML file, got 'basic-2013'"),
        ("out_dir", "  ", "out_dir: expected a non-empty text, got '  '"),
    ],
)
def test_bad_value_raises_one_line_naming_the_parameter(name, value, message):
    with pytest.raises(ParameterError) as caught:
        check_value(name, value)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_missing_data_path_says_what_to_give(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(ParameterError, match=r"^data: no file or folder at .*nowhere.* or \"demo\"\)$"):
        check_value("data", str(missing))


def test_notebook_shows_the_error_as_its_message_alone():
    with pytest.raises(ParameterError) as caught:
        check_value("years", 0)
    # IPython prints `_render_traceback_()` instead of the stack
    assert caught.value._render_traceback_() == ["ParameterError: years: expected a value from 1 to 30, got 0"]


def test_unknown_parameter_lists_the_known_ones():
    with pytest.raises(ParameterError, match=r"^unknown parameter 'yeers'; known parameters: .*years"):
        check_value("yeers", 3)


def test_good_values_pass_and_whole_floats_become_ints():
    assert check_value("years", 10) == 10
    assert check_value("years", 10.0) == 10 and isinstance(check_value("years", 10.0), int)
    assert check_value("language", "zh") == "zh"
    assert check_value("data", "demo") == "demo"


def test_check_parameters_creates_the_output_folder(tmp_path):
    out = tmp_path / "a" / "b"
    settings = check_parameters(data="demo", years=5, language="zh", out_dir=str(out))
    assert out.is_dir()
    assert settings.out_dir == out
    assert settings.language == "zh"
    assert settings["years"] == 5


def test_output_folder_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(ParameterError, match="out_dir: .* exists and is not a folder"):
        check_parameters(out_dir=str(target))


def test_every_parameter_has_english_and_chinese_labels():
    for spec in specs().values():
        assert spec.label("en") and spec.label("zh") and spec.label("en") != spec.label("zh")
