"""Notebook parameters: check the values of a notebook's `parameters` cell, one clear line per error.

Every notebook's second code cell calls `check_parameters(...)` with its parameters; a bad value
raises `balance_sim.errors.ParameterError` whose notebook traceback is that one line. The same
rules (`parameters.yaml`) let `balance-sim run` reject a bad `-p` value before a kernel starts.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from balance_sim.errors import ParameterError

LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class ParameterSpec:
    """What one notebook parameter may hold, with its labels (English and Chinese) and unit."""

    name: str
    kind: str
    en: str = ""
    zh: str = ""
    unit: str = ""
    path: str = ""  # for a policy lever: its key path in the policy tree
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()

    def label(self, language: str = "en") -> str:
        return self.zh if language == "zh" else self.en


@cache
def specs() -> dict[str, ParameterSpec]:
    """Every known notebook parameter, from `parameters.yaml`."""
    text = resources.files(__package__).joinpath("parameters.yaml").read_text(encoding="utf-8")
    out = {}
    for name, spec in yaml.safe_load(text).items():
        spec = dict(spec, choices=tuple(spec.get("choices", ())))
        if spec["kind"] == "policy":
            spec = {**_policy_labels(spec["path"]), **spec}
        out[name] = ParameterSpec(name=name, **spec)
    return out


def _policy_labels(path: str) -> dict[str, str]:
    from balance_sim.sim import describe

    leaf = next(row for row in describe() if row["key"] == path)
    return {"en": leaf["label"], "zh": leaf["zh"], "unit": leaf["unit"]}


def one_line_error(message: str) -> ParameterError:
    """A ParameterError that IPython shows as its message alone, not a traceback."""
    error = ParameterError(message)
    # IPython renders an exception with `_render_traceback_` by calling it instead of printing the
    # stack: a policy officer sees the one line that says what to change.
    error._render_traceback_ = lambda: [f"ParameterError: {message}"]
    return error


def _check_int(spec: ParameterSpec, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise one_line_error(f"{spec.name}: expected a whole number{_range(spec)}, got {value!r}")
    _check_range(spec, value)
    return value


def _check_number(spec: ParameterSpec, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise one_line_error(f"{spec.name}: expected a number{_range(spec)}, got {value!r}")
    _check_range(spec, value)
    return float(value)


def _range(spec: ParameterSpec) -> str:
    if spec.min is not None and spec.max is not None:
        return f" from {spec.min:g} to {spec.max:g}"
    if spec.min is not None:
        return f" of at least {spec.min:g}"
    if spec.max is not None:
        return f" of at most {spec.max:g}"
    return ""


def _check_range(spec: ParameterSpec, value: float) -> None:
    too_low = spec.min is not None and value < spec.min
    too_high = spec.max is not None and value > spec.max
    if too_low or too_high:
        raise one_line_error(f"{spec.name}: expected a value{_range(spec)}, got {value!r}")


def _check_text(spec: ParameterSpec, value: Any) -> str:
    if not isinstance(value, (str, Path)) or not str(value).strip():
        raise one_line_error(f"{spec.name}: expected a non-empty text, got {value!r}")
    return str(value)


def _check_source(spec: ParameterSpec, value: Any) -> str:
    text = _check_text(spec, value)
    if text != "demo" and not Path(text).expanduser().exists():
        raise one_line_error(
            f"{spec.name}: no file or folder at {text!r} (give a path to the county's data, or \"demo\")"
        )
    return text


def _check_choice(spec: ParameterSpec, value: Any) -> str:
    if value not in spec.choices:
        allowed = ", ".join(repr(c) for c in spec.choices)
        raise one_line_error(f"{spec.name}: expected one of {allowed}, got {value!r}")
    return value


def _check_standard(spec: ParameterSpec, value: Any) -> str:
    from balance_sim.standards import available_standards

    text = _check_text(spec, value)
    if text in available_standards() or (text.endswith((".yaml", ".yml")) and Path(text).expanduser().is_file()):
        return text
    allowed = ", ".join(repr(c) for c in available_standards())
    raise one_line_error(f"{spec.name}: expected one of {allowed} or a standard's YAML file, got {value!r}")


def _check_policy(spec: ParameterSpec, value: Any) -> Any:
    from balance_sim.sim import default_policy

    try:
        return default_policy().override({spec.path: value}).value(spec.path)
    except ParameterError as error:
        message = str(error).removeprefix(f"{spec.path}: ")
        raise one_line_error(f"{spec.name}: {message} (policy key {spec.path})") from None


_CHECKERS = {
    "policy": _check_policy,
    "standard": _check_standard,
    "int": _check_int,
    "share": _check_number,
    "number": _check_number,
    "text": _check_text,
    "source": _check_source,
    "choice": _check_choice,
}


def check_value(name: str, value: Any) -> Any:
    """The value, normalised (e.g. 3.0 → 3 for a whole number); ParameterError if it is not allowed."""
    if name not in specs():
        known = ", ".join(sorted(specs()))
        raise one_line_error(f"unknown parameter {name!r}; known parameters: {known}")
    spec = specs()[name]
    return _CHECKERS[spec.kind](spec, value)


@dataclass(frozen=True)
class RunSettings:
    """The checked parameters of one notebook run; `out_dir` exists once this is built."""

    values: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def language(self) -> str:
        return self.values.get("language", "en")

    @property
    def out_dir(self) -> Path:
        return Path(self.values["out_dir"])


def project_folder(start: Path | None = None) -> Path:
    """The folder a relative `out_dir` is read against: the nearest folder, from the working
    folder up, that holds a `notebooks/` folder of numbered notebooks (so a notebook writes into
    the project's `reports/` whether it runs in JupyterLab from `notebooks/` or under papermill
    from the project root); else the working folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            return folder
    return here


# Read a relative out_dir against this folder instead (the notebook checks in the tests set it, so
# that they write into a temporary folder, never into the project's reports/).
REPORTS_BASE_ENV = "BALANCE_SIM_REPORTS_BASE"


def resolve_out_dir(value: str | Path, start: Path | None = None) -> Path:
    path = Path(value).expanduser()
    if path.is_absolute():
        return path
    base = os.environ.get(REPORTS_BASE_ENV)
    return (Path(base) if base else project_folder(start)) / path


def check_parameters(**values: Any) -> RunSettings:
    """Check every parameter of a notebook, create its output folder, return the settings.

    Raises ParameterError (shown as one line in a notebook) on the first bad value.
    """
    checked = {name: check_value(name, value) for name, value in values.items()}
    if "out_dir" in checked:
        out_dir = resolve_out_dir(checked["out_dir"])
        if out_dir.exists() and not out_dir.is_dir():
            raise one_line_error(f"out_dir: {str(out_dir)!r} exists and is not a folder")
        out_dir.mkdir(parents=True, exist_ok=True)
        checked["out_dir"] = str(out_dir)
    return RunSettings(checked)
