"""Read a standard from YAML and check every key, so that a provincial variant dropped into
this folder (or given as a path) is either valid or refused with the file and key path named.
"""
from __future__ import annotations

from functools import cache
from importlib import resources as package_files
from pathlib import Path
from types import MappingProxyType

import yaml

from balance_sim.county import LEVELS
from balance_sim.errors import InputError, ParameterError, Problem
from balance_sim.indicators import KEYS
from balance_sim.standards.model import Inclusion, Resources, SchoolRule, Standard
from balance_sim.yaml_input import read_yaml

TOP_KEYS = {"name", "title", "source", "year", "resources", "parts"}
RESOURCE_KEYS = {"indicators", "cv_max", "cv_rule", "cv_decimals", "minimums", "school_rule", "inclusion",
                 "not_assessed"}
# More decimals than a CV is ever published with would be a typo, not a convention.
MAX_CV_DECIMALS = 6
INCLUSION_KEYS = {"exclude_school_types", "teaching_point_min_students", "exclude_zero_enrolment", "source"}
SCHOOL_TYPES = {"regular", "teaching_point", "nine_year", "twelve_year", "complete_secondary"}


def available_standards() -> tuple[str, ...]:
    """Names of the standards shipped in this folder (file names without `.yaml`)."""
    folder = package_files.files("balance_sim.standards")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")))


def load_standard(name_or_path: str | Path = "quality-2017") -> Standard:
    """The standard called `name_or_path` in this folder, or the YAML file at that path.

    Raises ParameterError for an unknown name, InputError (file, key path) for a bad file.
    """
    if isinstance(name_or_path, Standard):
        return name_or_path
    text_name = str(name_or_path)
    path = Path(text_name)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        if not path.is_file():
            raise InputError(Problem(text_name, None, None, "standard file not found"))
        return _parse(read_yaml(path), text_name)  # a user's file: encoding, syntax and size checked
    if text_name not in available_standards():
        raise ParameterError(
            f"unknown standard {text_name!r}; known: {', '.join(available_standards())} "
            "(or give the path of a YAML file)"
        )
    return _shipped(text_name)


@cache
def _shipped(name: str) -> Standard:
    # Shipped files do not change while the package runs, and a Standard is immutable.
    resource = package_files.files("balance_sim.standards").joinpath(f"{name}.yaml")
    raw = yaml.load(resource.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return _parse(raw, str(resource))


class _Checker:
    """Collects every problem of one file before raising."""

    def __init__(self, file: str):
        self.file, self.problems = file, []

    def fail(self, key: str, message: str):
        self.problems.append(Problem(self.file, None, key, message))

    def mapping(self, value, key: str, allowed: set[str] | None = None) -> dict:
        if not isinstance(value, dict):
            self.fail(key, "must be a mapping")
            return {}
        for extra in sorted(set(value) - allowed) if allowed else ():
            self.fail(f"{key}.{extra}", "unknown key")
        return value

    def number(self, value, key: str, low: float = 0.0, high: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"must be a number, got {value!r}")
            return float("nan")
        if value < low or (high is not None and value > high):
            self.fail(key, f"must be between {low} and {high}, got {value}")
        return float(value)


def _parse(raw: object, file: str) -> Standard:
    check = _Checker(file)
    raw = check.mapping(raw, "(top)", TOP_KEYS)
    for key in ("name", "resources"):
        if key not in raw:
            check.fail(key, "required key missing")
    title = raw.get("title") or {}
    title = check.mapping(title, "title", {"en", "zh"}) if title else {}
    res = check.mapping(raw.get("resources", {}), "resources", RESOURCE_KEYS)
    resources = _resources(res, check)
    parts = check.mapping(raw.get("parts") or {}, "parts")
    if check.problems:
        raise InputError(check.problems)
    return Standard(
        name=str(raw["name"]),
        title_en=str(title.get("en", "")),
        title_zh=str(title.get("zh", "")),
        source=str(raw.get("source", "")),
        year=raw.get("year"),
        resources=resources,
        path=file,
        parts=MappingProxyType(dict(parts)),
    )


def _resources(res: dict, check: _Checker) -> Resources | None:
    indicators = res.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        check.fail("resources.indicators", "must be a non-empty list of indicator keys")
        indicators = []
    for i, key in enumerate(indicators):
        if not isinstance(key, str) or key not in KEYS:
            check.fail(f"resources.indicators[{i}]", f"unknown indicator key {key!r}")
    indicators = [key for key in indicators if isinstance(key, str)]
    cv_raw = check.mapping(res.get("cv_max"), "resources.cv_max", set(LEVELS) | {"source"})
    cv_max = {lv: check.number(cv_raw[lv], f"resources.cv_max.{lv}", 0.0) for lv in LEVELS if lv in cv_raw}
    for level in LEVELS:
        if level not in cv_raw:
            check.fail(f"resources.cv_max.{level}", "required key missing")
    cv_rule = res.get("cv_rule")
    if cv_rule not in ("each", "mean"):
        check.fail("resources.cv_rule", f"must be 'each' or 'mean', got {cv_rule!r}")
    cv_decimals, cv_decimals_source = _cv_decimals(res.get("cv_decimals"), check)
    minimums = _minimums(res.get("minimums"), indicators, check)
    school_rule = _school_rule(res.get("school_rule"), len(indicators), bool(minimums), check)
    inclusion = _inclusion(res.get("inclusion") or {}, check)
    not_assessed = res.get("not_assessed") or []
    if not isinstance(not_assessed, list):
        check.fail("resources.not_assessed", "must be a list of strings")
        not_assessed = []
    if check.problems:
        return None
    return Resources(
        indicators=tuple(indicators),
        cv_max=MappingProxyType(cv_max),
        cv_rule=cv_rule,
        minimums=MappingProxyType({lv: MappingProxyType(m) for lv, m in minimums.items()}),
        school_rule=school_rule,
        inclusion=inclusion,
        not_assessed=tuple(str(x) for x in not_assessed),
        cv_source=str(cv_raw.get("source", "")),
        minimums_source=str((res.get("minimums") or {}).get("source", "")),
        cv_decimals=cv_decimals,
        cv_decimals_source=cv_decimals_source,
    )


def _cv_decimals(raw, check: _Checker) -> tuple[int | None, str]:
    """`cv_decimals: 2`, or `cv_decimals: {value: 2, source: ...}`; absent or null: unrounded."""
    key, source = "resources.cv_decimals", ""
    if isinstance(raw, dict):
        raw = check.mapping(raw, key, {"value", "source"})
        key, source = f"{key}.value", str(raw.get("source", ""))
        raw = raw.get("value")
    if raw is None:
        return None, source
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_CV_DECIMALS:
        check.fail(key, f"must be a whole number of decimals from 0 to {MAX_CV_DECIMALS}, "
                        f"or null for unrounded; got {raw!r}")
        return None, source
    return raw, source


def _minimums(raw, indicators: list, check: _Checker) -> dict[str, dict[str, float]]:
    if raw is None:
        return {}
    raw = check.mapping(raw, "resources.minimums", set(LEVELS) | {"source"})
    out = {}
    for level in LEVELS:
        if level not in raw:
            check.fail(f"resources.minimums.{level}", "required key missing")
            continue
        by_key = check.mapping(raw[level], f"resources.minimums.{level}", {k for k in indicators if isinstance(k, str)})
        for key in indicators:
            if key not in by_key:
                check.fail(f"resources.minimums.{level}.{key}", "required key missing")
        out[level] = {
            key: check.number(value, f"resources.minimums.{level}.{key}", 0.0)
            for key, value in by_key.items() if key in indicators
        }
    return out


def _school_rule(raw, n_indicators: int, has_minimums: bool, check: _Checker) -> SchoolRule | None:
    if raw is None:
        # Minimums without a stated rule: every minimum must be met.
        return SchoolRule(n_indicators, 1.0, "every minimum met") if has_minimums else None
    raw = check.mapping(raw, "resources.school_rule", {"min_met", "floor_ratio", "source"})
    if not has_minimums:
        check.fail("resources.school_rule", "a school rule needs per-school minimums")
    min_met = raw.get("min_met", n_indicators)
    if isinstance(min_met, bool) or not isinstance(min_met, int) or not 0 <= min_met <= n_indicators:
        check.fail("resources.school_rule.min_met", f"must be an integer from 0 to {n_indicators}")
    floor = check.number(raw.get("floor_ratio", 1.0), "resources.school_rule.floor_ratio", 0.0, 1.0)
    return SchoolRule(int(min_met) if isinstance(min_met, int) else 0, floor, str(raw.get("source", "")))


def _inclusion(raw, check: _Checker) -> Inclusion:
    raw = check.mapping(raw, "resources.inclusion", INCLUSION_KEYS)
    types = raw.get("exclude_school_types") or []
    if not isinstance(types, list):
        check.fail("resources.inclusion.exclude_school_types", "must be a list")
        types = []
    for i, school_type in enumerate(types):
        if not isinstance(school_type, str) or school_type not in SCHOOL_TYPES:
            check.fail(f"resources.inclusion.exclude_school_types[{i}]", f"unknown school type {school_type!r}")
    minimum = raw.get("teaching_point_min_students")
    if minimum is not None and (isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0):
        check.fail("resources.inclusion.teaching_point_min_students", "must be a whole number ≥ 0 or null")
        minimum = None
    zero = raw.get("exclude_zero_enrolment", True)
    if not isinstance(zero, bool):
        check.fail("resources.inclusion.exclude_zero_enrolment", "must be true or false")
        zero = True
    return Inclusion(tuple(types), minimum, zero, str(raw.get("source", "")))
