"""The rotation model of `bench_rotation.py` (its docstring defines it) as a Mesa user writes it:
one `mesa.Agent` per teacher, which each year ages, retires or leaves, may seek a town post and,
at the end of an exchange term, stays or goes home with its partner; a `mesa.Model` whose `step`
runs the teachers, places the seekers, hires to the staffing norm and plans the year's exchange
(as the county bureau does). Sections are plain objects the teachers point to.

`RotationModel(sections, teachers, base_year, rng=seed)` takes the plain tables of
`bench_rotation.sections_table` / `teachers_table`; `step(parameters)` simulates one year with
that year's parameters (`bench_rotation.year_parameters`), `record()` returns the year's counts.
"""
from __future__ import annotations

import heapq
import math
from collections import Counter

import mesa
import numpy as np
import pandas as pd

TOLERANCE = 1e-9
MOVES = ("retired", "left", "drift", "hired", "exchanged", "returned", "stayed")


class Section:
    """A school section: what the teachers and the model read of it."""

    def __init__(self, index: int, row):
        self.index = index
        self.level = int(row.level)
        self.location = int(row.location)
        self.rural = bool(row.rural)
        self.weak = bool(row.weak)
        self.open = bool(row.open)
        self.pupils = float(row.pupils)
        self.norm = int(row.norm)
        self.quality = float(row.quality)
        self.strong = not self.rural and not self.weak  # town or urban and not weak
        self.priority = 2 * (not self.rural) + (not self.weak)  # hires: rural and weak first


class Teacher(mesa.Agent):
    """A teacher: where they teach (`school`), the section holding the post (`post`)."""

    def __init__(self, model, school: Section, age: int, female: bool, backbone: bool, pe_art: bool,
                 years_at_school: int = 0):
        super().__init__(model)
        self.school = school
        self.post = school
        self.age = age
        self.female = female
        self.backbone = backbone
        self.pe_art = pe_art
        self.years_at_school = years_at_school
        self.exchange_left = 0
        self.partner = None
        self.back_this_year = False

    def step(self) -> None:
        """The teacher's year: a year older, then retires, leaves or may seek a town post."""
        p = self.model.p
        self.age += 1
        self.years_at_school += 1
        self.back_this_year = False
        if self.age >= p["retirement_age"][self.female]:
            self.quit("retired")
        elif self.random.random() < p["attrition"][self.school.location]:
            self.quit("left")
        elif self.exchange_left == 0 and self.school.rural:
            chance = min(p["drift_rate"] * (p["drift_backbone_factor"] if self.backbone else 1.0), 1.0)
            if self.random.random() < chance:
                self.model.seekers.append(self)

    def quit(self, why: str) -> None:
        self.model.counts[why] += 1
        if self.partner is not None:
            self.partner.partner = None
        self.remove()

    def move_to(self, section: Section) -> None:
        """Drift: the teacher takes the post along to `section`."""
        self.school = self.post = section
        self.years_at_school = 0

    def serve_term(self) -> None:
        """A year of the exchange term served; at its end the pair decides."""
        if self.exchange_left > 0:
            self.exchange_left -= 1
            if self.exchange_left == 0:
                self.model.terms_over.append(self)

    def end_term(self, stay: bool) -> None:
        if stay:  # the post moves here
            self.post = self.school
            self.years_at_school = 0
            self.model.counts["stayed"] += 1
        else:
            self.school = self.post
            self.model.counts["returned"] += 1
        self.partner = None
        self.back_this_year = True

    @property
    def at_home(self) -> bool:
        return (self.exchange_left == 0 and self.school is self.post and not self.back_this_year
                and self.school.open)

    def eligible(self, min_years: int) -> bool:
        return self.at_home and self.years_at_school >= min_years

    def go(self, host: Section, partner: "Teacher", term: int) -> None:
        self.school = host
        self.partner = partner
        self.exchange_left = term


class RotationModel(mesa.Model):
    """One county's teachers under retirement, attrition, drift, hiring and exchange."""

    def __init__(self, sections: pd.DataFrame, teachers: pd.DataFrame, base_year: int, rng=None):
        super().__init__(rng=rng)
        self.year = base_year
        self.sections = [Section(i, row) for i, row in enumerate(sections.itertuples(index=False))]
        for row in teachers.itertuples(index=False):
            Teacher(self, self.sections[row.school], int(row.age), bool(row.female), bool(row.backbone),
                    bool(row.pe_art), int(row.years))
        quality = [-s.quality if not math.isnan(s.quality) else math.inf for s in self.sections]
        self.best_first = sorted(self.sections, key=lambda s: (quality[s.index], s.index))
        self.p = {}
        self.counts = Counter()
        self.seekers, self.terms_over = [], []
        self.start = len(self.agents)
        self.eligible_count = self.backbone_sent = 0

    def step(self, p: dict) -> None:
        self.p = p
        self.year += 1
        self.counts = Counter()
        self.start = len(self.agents)
        self.seekers = []
        self.agents.shuffle_do("step")
        self.place_seekers()
        self.hire()
        self.exchange()

    def record(self) -> dict:
        backbone = Counter(a.school.index for a in self.agents if a.backbone)
        return {"year": self.year, "teachers_start": self.start, "teachers_end": len(self.agents),
                **{k: self.counts[k] for k in MOVES}, "eligible": self.eligible_count,
                "backbone_sent": self.backbone_sent,
                "backbone": np.array([backbone[s.index] for s in self.sections])}

    def posts(self, teachers=None) -> Counter:
        return Counter(a.post for a in (self.agents if teachers is None else teachers))

    def place_seekers(self) -> None:
        """Drift: the seekers, in random order, take the vacant town and urban posts of their
        level, best-quality sections first."""
        posts = self.posts()
        vacant = {0: [], 1: []}
        for s in self.best_first:
            if s.open and not s.rural:
                vacant[s.level] += [s] * max(s.norm - posts[s], 0)
        self.random.shuffle(self.seekers)
        for teacher in self.seekers:
            free = vacant[teacher.school.level]
            if free:
                teacher.move_to(free.pop(0))
                self.counts["drift"] += 1

    def hire(self) -> None:
        """Hires to the norm within the county's yearly quota, the neediest sections first."""
        p = self.p
        posts = self.posts()
        pe_art = self.posts(a for a in self.agents if a.pe_art)
        vacancy = {s: max(s.norm - posts[s], 0) for s in self.sections if s.open}
        short = sorted((s for s, v in vacancy.items() if v > 0),
                       key=lambda s: (s.priority, -vacancy[s] / max(s.norm, 1), s.index))
        quota = int(p["max_hires_share"] * len(self.agents))
        for s in short:
            lack = max(math.ceil(p["pe_art_minimum"][s.level] * s.pupils / 100.0 - pe_art[s] - TOLERANCE), 0)
            for k in range(vacancy[s]):
                if self.counts["hired"] == quota:
                    return
                Teacher(self, s, p["hire_age"], self.random.random() < p["female_share"], False, k < lack)
                self.counts["hired"] += 1

    # -- exchange ---------------------------------------------------------------------------

    def exchange(self) -> None:
        p = self.p
        self.terms_over = []
        self.agents.do("serve_term")
        for teacher in self.terms_over:  # the two teachers of a pair decide together
            if teacher.back_this_year:
                continue
            stay = self.random.random() < p["stay_probability"]
            partner = teacher.partner
            teacher.end_term(stay)
            if partner is not None and partner.exchange_left == 0 and not partner.back_this_year:
                partner.end_term(stay)
        here = Counter(a.school for a in self.agents if a.backbone)
        held = Counter(a.post for a in self.agents if a.backbone)
        counted = {0: 0, 1: 0}
        candidates = {0: [], 1: []}  # eligible teachers at home at a section with pupils
        givers, partners = {}, {}
        for a in self.agents:
            if not a.at_home:
                continue
            eligible = a.years_at_school >= p["min_years"]
            counted[a.school.level] += eligible
            if a.school.pupils <= 0:
                continue
            a.lot = self.random.random()
            if eligible:
                candidates[a.school.level].append(a)
            if not a.pe_art:
                if a.backbone and eligible:
                    givers.setdefault(a.school, []).append(a)
                elif not a.backbone:
                    partners.setdefault(a.school, []).append(a)
        for group in givers.values():
            group.sort(key=lambda a: a.lot)
        for group in partners.values():  # eligible ones first
            group.sort(key=lambda a: (a.years_at_school < p["min_years"], a.lot))
        pairs = []
        for lv in (0, 1):
            n_pairs = math.ceil(math.ceil(p["exchange_rate"] * counted[lv] - TOLERANCE) / 2)
            pairs += self.plan(lv, n_pairs, here, held, candidates[lv], givers, partners)
        self.depart(pairs)
        self.eligible_count = sum(counted.values())
        self.backbone_sent = sum(a.backbone + b.backbone for a, b in pairs)
        self.counts["exchanged"] = 2 * len(pairs)

    def plan(self, lv, n_pairs, here, held, candidates, givers, partners) -> list:
        """The level's pairs (teacher going out of a section, teacher going the other way)."""
        sections = [s for s in self.sections if s.level == lv and s.open and s.pupils > 0]
        if n_pairs <= 0 or not sections:
            return []
        target = 100.0 * sum(here[s] for s in sections) / sum(s.pupils for s in sections)
        # Backbone moves, one at a time: furthest above the target to furthest below.
        give, take, sent, got, senders, takers = {}, {}, Counter(), Counter(), [], []
        for s in sections:
            share = target * s.pupils / 100.0
            give[s] = min(max(math.floor(here[s] - share + TOLERANCE), 0), len(givers.get(s, [])))
            take[s] = min(max(math.floor(share - here[s] + TOLERANCE), 0), len(partners.get(s, [])))
            if give[s]:
                heapq.heappush(senders, (not s.strong, -here[s] / s.pupils, s.index, s))
            if take[s]:
                heapq.heappush(takers, (s.strong, here[s] / s.pupils, s.index, s))
        pairs = []
        while len(pairs) < n_pairs and senders and takers:
            tier, _, _, s = heapq.heappop(senders)
            out = givers[s][sent[s]]
            sent[s] += 1
            if sent[s] < give[s]:
                heapq.heappush(senders, (tier, -(here[s] - sent[s]) / s.pupils, s.index, s))
            tier, _, _, r = heapq.heappop(takers)
            back = partners[r][got[r]]
            got[r] += 1
            if got[r] < take[r]:
                heapq.heappush(takers, (tier, (here[r] + got[r]) / r.pupils, r.index, r))
            pairs.append((out, back))
        n_bb = math.ceil(max(0.0, 2 * self.p["backbone_share"] * n_pairs - len(pairs) - TOLERANCE) / 2)
        # The sections whose posts hold at least one backbone teacher more than the target asks.
        keeps = {s for s in sections if held[s] - target * s.pupils / 100.0 >= 1.0 - TOLERANCE}
        by_draw = sorted(candidates, key=lambda a: a.lot)
        by_backbone_key = sorted(candidates, key=lambda a: a.lot + (a.school in keeps))
        used = {a for pair in pairs for a in pair}

        def swap_stage(backbone, pe_art, order, most) -> int:
            n = min(most, n_pairs - len(pairs))
            if n <= 0:
                return 0
            pool = [a for a in order if a not in used and a.backbone == backbone and a.pe_art == pe_art]
            side_a = [a for a in pool if a.school.strong]
            side_b = [a for a in pool if not a.school.strong]
            k = min(n, len(side_a), len(side_b))
            made = list(zip(side_a[:k], side_b[:k]))
            waiting = []  # the rest, paired across two different sections in order of preference
            for a in side_a[k:] + side_b[k:]:
                if len(made) == n:
                    break
                b = next((b for b in waiting if b.school is not a.school), None)
                if b is None:
                    waiting.append(a)
                else:
                    waiting.remove(b)
                    made.append((b, a))
            pairs.extend(made)
            used.update(a for pair in made for a in pair)
            return len(made)

        for pe_art in (False, True):  # the backbone share
            n_bb -= swap_stage(True, pe_art, by_backbone_key, n_bb)
        for backbone, order in ((False, by_draw), (True, by_backbone_key)):  # like for like
            for pe_art in (False, True):
                swap_stage(backbone, pe_art, order, n_pairs)
        return pairs

    def depart(self, pairs: list) -> None:
        """Each pair changes places for a staggered term."""
        term = self.p["term"]
        away = Counter((a.school.level, a.exchange_left) for a in self.agents if a.exchange_left > 0)
        pairs = list(pairs)
        self.random.shuffle(pairs)
        for a, b in pairs:
            lv = a.school.level
            years = min(range(1, term + 1), key=lambda y: (away[lv, y], -y))
            away[lv, years] += 2
            host_a, host_b = b.school, a.school
            a.go(host_a, b, years)
            b.go(host_b, a, years)
