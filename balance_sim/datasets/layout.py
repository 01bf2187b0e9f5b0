"""The layout of synthetic counties: townships and the school sections in each (vectorised).

A county has a seat (城关镇, urban schools) and townships; a third of the townships are towns (镇),
the rest rural (乡). Every township has one central primary school and one junior school; in
nine-year townships these are one school (九年一贯制, two section rows, one `school_id`). Town
townships may have a second primary school; village primary schools and teaching points (rural
townships) feed their township's junior school. Shares: `calibration.yaml` `layout`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.datasets import calibration as cal
from balance_sim.errors import ParameterError

# Order of sections inside a township (for readable ids): central, its junior, a second primary,
# villages, teaching points.
_SLOT_CENTRAL, _SLOT_JUNIOR, _SLOT_EXTRA, _SLOT_VILLAGE, _SLOT_POINT = range(5)


@dataclass(frozen=True)
class Layout:
    """One element per school section, sorted by county, township and slot."""

    county: np.ndarray  # county index
    township: np.ndarray  # township index within the county (0 = the seat)
    township_kind: np.ndarray  # 0 seat, 1 town, 2 rural
    role: np.ndarray  # role code (calibration.ROLES)
    nine_year: np.ndarray  # bool: section of a nine-year school
    school_no: np.ndarray  # school number within the county, 1-based (shared by nine-year sections)
    ordinal: np.ndarray  # 1-based number of the section among its county's urban schools of its level,
    #                      or among its township's villages / teaching points (for names)
    townships_per_county: np.ndarray


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner index, 0-based index within owner) for owners with `counts` items each."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    start = np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.arange(counts.sum()) - start


def _round(x) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=float) + 0.5).astype(np.int64)


def _check(n_primary, n_junior, n_points, n_nine, townships, rural_townships) -> None:
    problems = []
    for i in range(len(n_primary)):
        if n_junior[i] < 1:
            problems.append(f"county {i}: n_junior must be at least 1 (got {n_junior[i]})")
        elif n_primary[i] < townships[i] + 1:
            problems.append(
                f"county {i}: n_primary must be at least {townships[i] + 1} "
                f"(one seat school and one central school per township; got {n_primary[i]})"
            )
        if n_points[i] < 0 or n_nine[i] < 0:
            problems.append(f"county {i}: n_teaching_points and n_nine_year must be >= 0")
        if n_nine[i] > rural_townships[i]:
            problems.append(
                f"county {i}: n_nine_year must be at most {rural_townships[i]} (rural townships; got {n_nine[i]})"
            )
    if problems:
        raise ParameterError("; ".join(problems[:5]))


def build(n_primary, n_junior, n_points, n_nine, rng: np.random.Generator) -> Layout:
    """Townships and sections for counties with the given numbers of sections.

    n_primary counts primary sections without teaching points (nine-year primary sections
    included); n_junior counts junior sections (nine-year junior sections included).
    """
    n_primary, n_junior, n_points, n_nine = (np.atleast_1d(np.asarray(a, dtype=np.int64)) for a in (n_primary, n_junior, n_points, n_nine))
    urban_junior = _round(n_junior * cal.value("layout", "urban_junior_share"))
    townships = n_junior - urban_junior
    town_townships = np.minimum(_round(townships * cal.value("layout", "town_township_share")), np.maximum(townships - n_nine, 0))
    _check(n_primary, n_junior, n_points, n_nine, townships, townships - town_townships)
    urban_primary = np.clip(_round(n_primary * cal.value("layout", "urban_primary_share")), 1, n_primary - townships)
    extra = np.minimum(town_townships, n_primary - urban_primary - townships)
    villages = n_primary - urban_primary - townships - extra

    parts = []  # (county, township, slot, index-within, role)

    def add(county, township, slot, within, role):
        parts.append((county, township, np.full(len(county), slot), within, np.asarray(role)))

    c, k = _expand(urban_primary)
    add(c, np.zeros_like(c), _SLOT_CENTRAL, k, np.full(len(c), cal.role_code("urban_primary")))
    c, k = _expand(urban_junior)
    add(c, np.zeros_like(c), _SLOT_JUNIOR, k, np.full(len(c), cal.role_code("urban_junior")))

    # townships 1..T: 1..town are towns, the last n_nine are nine-year rural townships
    tc, tk = _expand(townships)
    t_index = tk + 1
    is_town = tk < town_townships[tc]
    is_nine = tk >= townships[tc] - n_nine[tc]
    add(tc, t_index, _SLOT_CENTRAL, np.zeros_like(tc), np.where(is_town, cal.role_code("town_central"), cal.role_code("rural_central")))
    add(tc, t_index, _SLOT_JUNIOR, np.zeros_like(tc), np.where(is_town, cal.role_code("town_junior"), cal.role_code("rural_junior")))
    has_extra = tk < extra[tc]
    add(tc[has_extra], t_index[has_extra], _SLOT_EXTRA, np.zeros(has_extra.sum(), dtype=np.int64), np.full(has_extra.sum(), cal.role_code("town_primary")))

    # villages anywhere outside the seat; teaching points in rural townships (any township if none)
    c, k = _expand(villages)
    add(c, 1 + rng.integers(0, townships[c]), _SLOT_VILLAGE, k, np.full(len(c), cal.role_code("village")))
    c, k = _expand(n_points)
    first_rural = np.where(town_townships[c] < townships[c], town_townships[c], 0)
    add(c, 1 + first_rural + rng.integers(0, townships[c] - first_rural), _SLOT_POINT, k, np.full(len(c), cal.role_code("teaching_point")))

    county, township, slot, within, role = (np.concatenate([p[i] for p in parts]) for i in range(5))
    order = np.lexsort((within, slot, township, county))
    county, township, slot, within, role = county[order], township[order], slot[order], within[order], role[order]

    kind = np.where(township == 0, 0, np.where(township <= town_townships[county], 1, 2))
    nine = (township > townships[county] - n_nine[county]) & (township > 0) & ((slot == _SLOT_CENTRAL) | (slot == _SLOT_JUNIOR))
    # a nine-year junior section shares the number of the central school just before it
    new_school = ~(nine & (slot == _SLOT_JUNIOR))
    running = np.cumsum(new_school)
    county_start = np.searchsorted(county, county, side="left")
    school_no = running - (running[county_start] - 1)

    # ordinals for names: rank within (county, township, slot): urban schools per level,
    # villages and teaching points per township
    group = np.concatenate([[True], (np.diff(county) != 0) | (np.diff(township) != 0) | (np.diff(slot) != 0)])
    starts = np.flatnonzero(group)
    ordinal = np.arange(len(county)) - np.repeat(starts, np.diff(np.append(starts, len(county)))) + 1
    return Layout(county, township, kind, role, nine, school_no, ordinal, townships)
