"""Tiny simulation states built by hand for the teacher mechanisms' tests (retirement, mobility,
hiring, training): sections and teachers given as short lists, the rest filled with plain
defaults; a random state for the properties; and a generator stand-in that hands out given
draws, so a test can say which teacher draws what."""
from __future__ import annotations

import numpy as np

from balance_sim.sim import hiring, mobility, retirement, training
from balance_sim.sim.state import ASSETS, N_GRADES, TEACHER_COUNTS, Schools, State, Teachers
from balance_sim.sim.streams import CountyDraws

TEACHER_DEFAULTS = dict(active=True, age=40, female=False, degree=2, title=1, backbone=0, pe_art=False,
                        years_at_school=5, rural_years=0, exchange_left=0, training_cycle=0)
TEACHER_DTYPES = dict(active=bool, school=np.int32, post=np.int32, age=np.int8, female=bool, degree=np.int8,
                      title=np.int8, backbone=np.int8, pe_art=bool, years_at_school=np.int8, rural_years=np.int8,
                      exchange_left=np.int8, training_cycle=np.int8)


def make_schools(location, level=None, pupils=None, weak=None, open_=None, quality=None) -> Schools:
    """Sections with the given locations (0 urban, 1 town, 2 rural) and, optionally, levels (0
    primary, 1 junior), pupils (put in the first grade of the level), weak flags, open flags and
    quality index."""
    location = np.asarray(location, np.int8)
    n = len(location)
    level = np.zeros(n, np.int8) if level is None else np.asarray(level, np.int8)
    pupils = np.full(n, 100.0) if pupils is None else np.asarray(pupils, float)
    grades = np.zeros((n, N_GRADES))
    grades[np.arange(n), np.where(level == 0, 0, 6)] = pupils
    words = np.array([f"s{i}" for i in range(n)], dtype=object)
    return Schools(
        ids=words, names=words.copy(), township_names=np.full(n, "", object), school_types=np.full(n, "regular", object),
        level=level, location=location, township=np.zeros(n, np.int32), teaching_point=np.zeros(n, bool),
        weak=np.zeros(n, bool) if weak is None else np.asarray(weak, bool),
        open=np.ones(n, bool) if open_ is None else np.asarray(open_, bool),
        grades=grades, boarding_share=np.zeros(n), rooms=np.ones(n), classes=np.ones(n),
        assets=np.zeros((n, len(ASSETS))), public_funds=np.zeros(n), capital=np.zeros(n),
        quality=np.zeros(n) if quality is None else np.asarray(quality, float),
        counts=np.zeros((n, len(TEACHER_COUNTS)), np.int64), exchange_in=np.zeros(n, np.int64),
        indicators=np.zeros((n, 11)),
    )


def make_teachers(school, spare: int = 8, **columns) -> Teachers:
    """Teachers at sections `school` (their post there too unless `post` is given), the other
    attributes from `columns` (a scalar or one value per teacher) or TEACHER_DEFAULTS; `spare`
    unused slots after them."""
    school = np.asarray(school, np.int32)
    n = len(school)
    values = {**TEACHER_DEFAULTS, "school": school, "post": columns.pop("post", school), **columns}
    arrays = {}
    for name, dtype in TEACHER_DTYPES.items():
        array = np.zeros(n + spare, dtype)
        array[:n] = values[name]
        arrays[name] = array
    return Teachers(ids=np.array([f"t{i}" for i in range(n + spare)], dtype=object), n=n, **arrays)


def make_state(schools: Schools, teachers: Teachers, norm=None, year: int = 2025) -> State:
    """A state with pupils from the grades and the given staffing norm (default: 5 posts each)."""
    state = State(year=year, schools=schools, teachers=teachers, budget=None)
    state.pupils = schools.grades.sum(axis=1)
    state.norm = np.full(schools.n, 5, np.int64) if norm is None else np.asarray(norm, np.int64)
    return state


def random_state(seed: int, n_sections: int = 12, n_teachers: int = 150, year: int = 2025) -> State:
    """A random county: sections of both levels in all locations, teachers of all kinds (a few on
    exchange, some slots already vacated), norms near the teachers each section holds."""
    rng = np.random.default_rng(seed)
    schools = make_schools(rng.integers(0, 3, n_sections), level=rng.integers(0, 2, n_sections),
                           pupils=rng.integers(0, 600, n_sections), weak=rng.random(n_sections) < 0.3,
                           open_=rng.random(n_sections) < 0.9, quality=rng.normal(0, 1, n_sections))
    school = rng.integers(0, n_sections, n_teachers)
    on_exchange = rng.random(n_teachers) < 0.05
    post = np.where(on_exchange, rng.integers(0, n_sections, n_teachers), school)
    teachers = make_teachers(
        school, spare=rng.integers(0, 20), post=post, active=rng.random(n_teachers) < 0.95,
        age=rng.integers(22, 62, n_teachers), female=rng.random(n_teachers) < 0.6,
        degree=rng.integers(0, 4, n_teachers), title=rng.integers(0, 5, n_teachers),
        backbone=(rng.random(n_teachers) < 0.15).astype(np.int8), pe_art=rng.random(n_teachers) < 0.1,
        years_at_school=rng.integers(0, 20, n_teachers), rural_years=rng.integers(0, 5, n_teachers),
        exchange_left=np.where(on_exchange, rng.integers(1, 4, n_teachers), 0),
        training_cycle=rng.integers(0, 6, n_teachers),
    )
    held = np.bincount(post[teachers.active[:n_teachers]], minlength=n_sections)
    norm = np.where(schools.open, np.maximum(held + rng.integers(-4, 5, n_sections), 0), 0)
    return make_state(schools, teachers, norm, year)


def synthetic_county(seed: int, n_sections: int = 40):
    """Primary sections of 50–900 pupils, staffed near the norm (1:19), PE and arts teachers
    scarcer in rural sections; ages 23–59."""
    rng = np.random.default_rng(seed)
    location = rng.integers(0, 3, n_sections)
    pupils = rng.integers(50, 900, n_sections).astype(float)
    norm = np.ceil(pupils / 19).astype(np.int64)
    staff = np.maximum(norm - rng.integers(0, 3, n_sections), 1)
    school = np.repeat(np.arange(n_sections), staff)
    pe_share = np.array([0.12, 0.08, 0.03])[location[school]]
    teachers = make_teachers(school, spare=len(school), age=rng.integers(23, 60, len(school)),
                             female=rng.random(len(school)) < 0.6, pe_art=rng.random(len(school)) < pe_share,
                             years_at_school=rng.integers(0, 15, len(school)))
    return make_state(make_schools(location, pupils=pupils), teachers, norm)


def ten_years(state, policy, seed: int):
    """Ten years of the teacher mechanisms in the loop's order, each with its own stream."""
    for year in range(2025, 2035):
        state.year = year
        for code, module in enumerate((retirement, mobility, hiring, training)):
            rng = CountyDraws.of(np.random.default_rng([seed, year, code]))
            module.step(state, module.Context.of(policy, year), rng)
    return state


class GivenDraws:
    """A stand-in for CountyDraws whose `random(county, *columns)` returns the arrays given, in turn."""

    def __init__(self, *draws):
        self.draws = [np.asarray(d, float) for d in draws]

    def random(self, county, *columns):
        draw = self.draws.pop(0)
        size = (len(county), *columns)
        assert draw.shape == size, (draw.shape, size)
        return draw
