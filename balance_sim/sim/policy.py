"""The policy tree: every lever and assumption of the simulation as frozen dataclasses.

Values come from `default_policy.yaml` (each with its source, facts.md section or `assumption`);
a user's YAML file or `--set key.path=value` overrides change single leaves (OpenFisca-style
reforms are deltas, not copies). Values that change over time are `Dated`: the value holds from
the year given until the next one. Loading uses `yaml.safe_load` only.
"""
from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from balance_sim.errors import ParameterError

LEAF_META = {"unit", "label", "zh", "source", "choices", "description"}


@dataclass(frozen=True)
class Dated:
    """A value that changes over time: `pairs` are (first year it holds, value), sorted."""

    pairs: tuple[tuple[int, float], ...]

    def at(self, year: int) -> float:
        """The value in force in `year` (the earliest value before the first year given)."""
        value = self.pairs[0][1]
        for start, v in self.pairs:
            if start <= year:
                value = v
        return value


def _spec(low=None, high=None, choices=None):
    return field(metadata={"low": low, "high": high, "choices": choices})


SHARE = dict(low=0.0, high=1.0)
GROWTH = dict(low=-0.5, high=1.0)
POSITIVE = dict(low=0.0, high=None)


@dataclass(frozen=True)
class ByLevel:
    primary: float = _spec(**POSITIVE)
    junior: float = _spec(**POSITIVE)


@dataclass(frozen=True)
class DatedByLevel:
    primary: Dated = _spec(**POSITIVE)
    junior: Dated = _spec(**POSITIVE)


@dataclass(frozen=True)
class Consolidation:
    enabled: bool = _spec()
    primary_min_students: int = _spec(low=0, high=5000)
    junior_min_classes: int = _spec(low=0, high=100)
    keep_teaching_points: bool = _spec()


@dataclass(frozen=True)
class Enrolment:
    births_change: float = _spec(**GROWTH)
    primary_progression: float = _spec(**SHARE)
    junior_progression: float = _spec(**SHARE)
    transition_rate: float = _spec(**SHARE)
    urbanisation_rate: float = _spec(**SHARE)
    choice_sensitivity: float = _spec(low=0.0, high=10.0)
    nearest_school_enforcement: float = _spec(**SHARE)
    choice_max_share: float = _spec(**SHARE)
    class_size_limit: ByLevel = _spec()
    teaching_area_per_classroom_m2: float = _spec(low=1.0, high=10000.0)
    consolidation: Consolidation = _spec()


@dataclass(frozen=True)
class UnitCost:
    teaching_area: float = _spec(low=1.0, high=None)
    sports_area: float = _spec(low=1.0, high=None)
    multimedia_classroom: float = _spec(low=1.0, high=None)
    computer: float = _spec(low=1.0, high=None)
    book: float = _spec(low=0.01, high=None)


@dataclass(frozen=True)
class CapitalMix:
    teaching_area: float = _spec(**SHARE)
    sports_area: float = _spec(**SHARE)
    equipment: float = _spec(**SHARE)
    multimedia_classrooms: float = _spec(**SHARE)
    computers: float = _spec(**SHARE)
    books: float = _spec(**SHARE)


@dataclass(frozen=True)
class Funding:
    budget_growth: float = _spec(**GROWTH)
    revenue_growth: float = _spec(**GROWTH)
    other_share: float = _spec(low=0.0, high=5.0)
    rural_share: float = _spec(**SHARE)
    allocation_rule: str = _spec(choices=("per_pupil", "per_school", "need"))
    weak_school_tilt: float = _spec(low=0.0, high=10.0)
    need_target: float = _spec(low=0.0, high=5.0)
    public_funds_per_pupil: DatedByLevel = _spec()
    small_school_floor: int = _spec(low=0, high=10000)
    boarding_supplement: Dated = _spec(**POSITIVE)
    teacher_pay_yuan: float = _spec(**POSITIVE)
    teacher_pay_growth: float = _spec(**GROWTH)
    unit_cost: UnitCost = _spec()
    capital_mix: CapitalMix = _spec()
    equipment_life_years: float = _spec(low=1.0, high=100.0)
    computer_life_years: float = _spec(low=1.0, high=100.0)


@dataclass(frozen=True)
class RetirementAge:
    male: Dated = _spec(low=40, high=80)
    female: Dated = _spec(low=40, high=80)


@dataclass(frozen=True)
class ByLocation:
    urban: float = _spec(**SHARE)
    town: float = _spec(**SHARE)
    rural: float = _spec(**SHARE)


@dataclass(frozen=True)
class NewDegree:
    associate: float = _spec(**SHARE)
    bachelor: float = _spec(**SHARE)
    postgraduate: float = _spec(**SHARE)


@dataclass(frozen=True)
class Promotion:
    junior: float = _spec(**SHARE)
    intermediate: float = _spec(**SHARE)
    senior: float = _spec(**SHARE)
    professor: float = _spec(**SHARE)


@dataclass(frozen=True)
class Teachers:
    retirement_age: RetirementAge = _spec()
    attrition_rate: ByLocation = _spec()
    hardship_allowance_yuan_month: float = _spec(low=0.0, high=20000.0)
    allowance_effect_per_1000: float = _spec(low=0.0, high=10.0)
    drift_rate: float = _spec(**SHARE)
    drift_backbone_factor: float = _spec(low=0.0, high=20.0)
    pupils_per_teacher: ByLevel = _spec()
    small_school_students: int = _spec(low=0, high=5000)
    teachers_per_class_small: float = _spec(low=0.0, high=10.0)
    max_hires_share: float = _spec(**SHARE)
    new_teacher_age: int = _spec(low=18, high=40)
    new_teacher_female_share: float = _spec(**SHARE)
    new_teacher_degree: NewDegree = _spec()
    new_teacher_pe_art_share: float = _spec(**SHARE)
    training_rate: float = _spec(**SHARE)
    rural_training_priority: float = _spec(low=0.0, high=20.0)
    degree_upgrade_probability: float = _spec(**SHARE)
    backbone_probability: float = _spec(**SHARE)
    promotion_probability: Promotion = _spec()
    rural_service_before_senior: bool = _spec()
    rural_service_years_required: int = _spec(low=0, high=20)
    exchange_rate: float = _spec(**SHARE)
    exchange_min_years: int = _spec(low=0, high=40)
    backbone_share_min: float = _spec(**SHARE)
    exchange_term_years: int = _spec(low=1, high=20)
    exchange_stay_probability: float = _spec(**SHARE)
    exchange_receive_share: float = _spec(low=0.0, high=5.0)
    exchange_urban_bonus: float = _spec(low=-10.0, high=10.0)
    pool_rebalancing: bool = _spec()


@dataclass(frozen=True)
class QualityCoefficients:
    above_degree_teachers_per_100: float = _spec(low=-10.0, high=10.0)
    backbone_teachers_per_100: float = _spec(low=-10.0, high=10.0)
    pe_art_teachers_per_100: float = _spec(low=-10.0, high=10.0)
    teaching_area_per_student: float = _spec(low=-10.0, high=10.0)
    sports_area_per_student: float = _spec(low=-10.0, high=10.0)
    equipment_value_per_student: float = _spec(low=-10.0, high=10.0)
    multimedia_classrooms_per_100: float = _spec(low=-10.0, high=10.0)


@dataclass(frozen=True)
class Quality:
    intercept: float = _spec(low=-100.0, high=100.0)
    coefficients: QualityCoefficients = _spec()
    ratio_cap: float = _spec(low=0.0, high=100.0)
    class_size_penalty: float = _spec(low=0.0, high=100.0)


@dataclass(frozen=True)
class Targets:
    small_class_size: int = _spec(low=1, high=200)
    large_class_size: int = _spec(low=1, high=200)
    super_large_class_size: int = _spec(low=1, high=200)


@dataclass(frozen=True)
class Roster:
    female_share: float = _spec(**SHARE)
    min_age: int = _spec(low=16, high=40)
    max_years_at_school: int = _spec(low=0, high=45)


@dataclass(frozen=True)
class Policy:
    """The whole tree. Build with `load_policy()`; change with `policy.override({...})`."""

    start_year: int = _spec(low=1949, high=2200)
    enrolment: Enrolment = _spec()
    funding: Funding = _spec()
    teachers: Teachers = _spec()
    quality: Quality = _spec()
    targets: Targets = _spec()
    roster: Roster = _spec()

    def override(self, changes: dict[str, object]) -> Policy:
        """A new policy with the leaves at the given key paths replaced (values validated)."""
        tree = to_dict(self)
        for path, value in changes.items():
            _set_path(tree, path, value)
        return _build(Policy, tree, "")

    def get(self, path: str):
        """The value at a key path, e.g. `policy.get("funding.rural_share")`."""
        node = self
        for part in path.split("."):
            if isinstance(node, Dated) or not dataclasses.is_dataclass(node) or part not in _fields(type(node)):
                raise ParameterError(f"{path}: unknown key")
            node = getattr(node, part)
        return node


# ---------------------------------------------------------------- building and validation


@cache
def _fields(cls) -> dict[str, tuple[type, dict]]:
    hints = typing.get_type_hints(cls)
    return {f.name: (hints[f.name], dict(f.metadata)) for f in dataclasses.fields(cls)}


def _is_leaf_mapping(raw) -> bool:
    return isinstance(raw, dict) and ("value" in raw or "values" in raw)


def _leaf_value(raw, path: str):
    if not _is_leaf_mapping(raw):
        return raw
    extra = set(raw) - LEAF_META - {"value", "values"}
    if extra:
        raise ParameterError(f"{path}.{sorted(extra)[0]}: unknown key")
    return raw["values"] if "values" in raw else raw["value"]


def _build(cls, raw, path: str):
    where = path or "policy"
    if not isinstance(raw, dict):
        raise ParameterError(f"{where}: must be a mapping of keys, got {raw!r}")
    fields = _fields(cls)
    unknown = sorted(set(raw) - set(fields), key=str)
    if unknown:
        raise ParameterError(f"{_join(path, unknown[0])}: unknown key")
    missing = [name for name in fields if name not in raw]
    if missing:
        raise ParameterError(f"{_join(path, missing[0])}: missing")
    values = {
        name: _convert(kind, meta, raw[name], _join(path, name)) for name, (kind, meta) in fields.items()
    }
    built = cls(**values)
    _check_sums(built, path)
    return built


def _join(path: str, name) -> str:
    return f"{path}.{name}" if path else str(name)


def _convert(kind, meta, raw, path):
    if kind is Dated:
        return _dated(_leaf_value(raw, path), meta, path)
    if dataclasses.is_dataclass(kind):
        return _build(kind, raw, path)
    return _scalar(kind, meta, _leaf_value(raw, path), path)


def _scalar(kind, meta, value, path):
    if kind is bool:
        if not isinstance(value, bool):
            raise ParameterError(f"{path}: must be true or false, got {value!r}")
        return value
    if kind is str:
        choices = meta.get("choices") or ()
        if not isinstance(value, str) or value not in choices:
            raise ParameterError(f"{path}: must be one of {', '.join(choices)}, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ParameterError(f"{path}: must be a number, got {value!r}")
    if kind is int:
        if not float(value).is_integer():
            raise ParameterError(f"{path}: must be a whole number, got {value!r}")
        value = int(value)
    else:
        value = float(value)
    if not math.isfinite(value):
        raise ParameterError(f"{path}: must be finite, got {value!r}")
    low, high = meta.get("low"), meta.get("high")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        raise ParameterError(f"{path}: must be {bounds}, got {value!r}")
    return value


def _dated(value, meta, path) -> Dated:
    if isinstance(value, Dated):
        return Dated(tuple((y, _scalar(float, meta, v, path)) for y, v in value.pairs))
    if not isinstance(value, dict):
        # A plain number: the same value in every year.
        return Dated(((1949, _scalar(float, meta, value, path)),))
    if not value:
        raise ParameterError(f"{path}: needs at least one year")
    pairs = []
    for year, v in value.items():
        if isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 2200:
            raise ParameterError(f"{path}.{year}: a dated value is keyed by a year (e.g. 2016: 600)")
        pairs.append((year, _scalar(float, meta, v, f"{path}.{year}")))
    return Dated(tuple(sorted(pairs)))


def _check_sums(built, path):
    # Shares that must add up to one: a mix that does not is a typo, not a policy.
    if isinstance(built, (CapitalMix, NewDegree)):
        total = sum(dataclasses.astuple(built))
        if abs(total - 1.0) > 1e-6:
            raise ParameterError(f"{path}: shares must add up to 1, got {total:g}")


def to_dict(policy) -> dict:
    """Plain nested dict of values (Dated as {year: value}), as YAML or JSON would hold it."""
    out = {}
    for f in dataclasses.fields(policy):
        value = getattr(policy, f.name)
        if dataclasses.is_dataclass(value) and not isinstance(value, Dated):
            out[f.name] = to_dict(value)
        elif isinstance(value, Dated):
            out[f.name] = {int(y): v for y, v in value.pairs}
        else:
            out[f.name] = value
    return out


def _set_path(tree: dict, path: str, value) -> None:
    parts = path.split(".")
    node = tree
    for i, part in enumerate(parts[:-1]):
        if not isinstance(node, dict) or part not in node or not isinstance(node[part], dict):
            raise ParameterError(f"{'.'.join(parts[: i + 1])}: unknown key")
        node = node[part]
    if not isinstance(node, dict) or parts[-1] not in node:
        raise ParameterError(f"{path}: unknown key")
    node[parts[-1]] = value


def _merge(base: dict, delta, path: str) -> dict:
    """Apply a user's (partial) tree to the default tree; leaves replace, sections merge."""
    if not isinstance(delta, dict):
        raise ParameterError(f"{path or 'policy'}: must be a mapping of keys")
    out = dict(base)
    for key, value in delta.items():
        here = _join(path, key)
        if key not in base:
            raise ParameterError(f"{here}: unknown key")
        section = isinstance(base[key], dict) and not _is_leaf_mapping(base[key])
        if section and isinstance(value, dict) and not _is_leaf_mapping(value):
            out[key] = _merge(base[key], value, here)
        else:
            out[key] = value
    return out


# ---------------------------------------------------------------- public entry points


@cache
def _default_raw() -> dict:
    text = resources.files("balance_sim.sim").joinpath("default_policy.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def default_policy() -> Policy:
    """The shipped default policy."""
    return _build(Policy, _default_raw(), "")


def parse_assignment(text: str) -> tuple[str, object]:
    """`"funding.rural_share=0.8"` → ("funding.rural_share", 0.8); the value is read as YAML
    (numbers, true/false, words, `{2016: 600, 2020: 650}`) by the safe loader."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ParameterError(f"{text!r}: expected KEY=VALUE, e.g. funding.rural_share=0.8")
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError:
        raise ParameterError(f"{key}: cannot read value {raw!r}") from None
    if value is None:
        raise ParameterError(f"{key}: missing value")
    return key, value


def load_policy(path: str | Path | None = None, overrides=()) -> Policy:
    """The default policy, changed by the YAML file at `path` (partial trees allowed) and then
    by `overrides` ("key.path=value" strings or a {key path: value} mapping)."""
    tree = _default_raw()
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ParameterError(f"{path}: cannot read policy file ({error})") from None
        try:
            user = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise ParameterError(f"{path}: not valid YAML ({error})") from None
        if user is not None:
            tree = _merge(tree, user, "")
    policy = _build(Policy, tree, "")
    changes = dict(overrides) if isinstance(overrides, dict) else dict(map(parse_assignment, overrides))
    return policy.override(changes) if changes else policy


def describe(policy: Policy | None = None) -> list[dict]:
    """Every leaf as {key, value, unit, label, zh, source}: the default file's metadata with the
    policy's current values (for tables, forms and reports)."""
    policy = policy or default_policy()
    rows = []

    def walk(node, path):
        if _is_leaf_mapping(node):
            value = policy.get(path)
            value = {int(y): v for y, v in value.pairs} if isinstance(value, Dated) else value
            meta = {k: node.get(k, "") for k in ("unit", "label", "zh", "source")}
            rows.append({"key": path, "value": value, **meta})
            return
        for key, child in node.items():
            walk(child, _join(path, key))

    walk(_default_raw(), "")
    return rows
