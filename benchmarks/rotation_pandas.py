"""The rotation model of `bench_rotation.py` (its docstring defines it) as a pandas user writes it:
a DataFrame of teachers, one row each, and every decision taken row by row (`iterrows`, writes
with `DataFrame.at`); counts by section with `value_counts`, hires appended with `pd.concat`.

`RotationTable(sections, teachers, base_year, seed)` takes the plain tables of
`bench_rotation.sections_table` / `teachers_table`; `step(parameters)` simulates one year with
that year's parameters (`bench_rotation.year_parameters`), `record()` returns the year's counts.
"""
from __future__ import annotations

import heapq
import math
from collections import Counter

import numpy as np
import pandas as pd

TOLERANCE = 1e-9
MOVES = ("retired", "left", "drift", "hired", "exchanged", "returned", "stayed")


class RotationTable:
    """The county's teachers as a DataFrame, advanced a year at a time."""

    def __init__(self, sections: pd.DataFrame, teachers: pd.DataFrame, base_year: int, seed: int):
        self.sections = sections
        self.teachers = teachers.copy()
        self.year = base_year
        self.rng = np.random.default_rng(seed)
        self.next_id = int(teachers.index.max()) + 1 if len(teachers) else 0
        # What the row loops read of a section, as plain lists indexed by section.
        self.level = sections["level"].tolist()
        self.location = sections["location"].tolist()
        self.rural = sections["rural"].tolist()
        self.open = sections["open"].tolist()
        self.pupils = sections["pupils"].tolist()
        self.norm = sections["norm"].tolist()
        self.strong = (~sections["rural"] & ~sections["weak"]).tolist()
        self.priority = (2 * ~sections["rural"] + 1 * ~sections["weak"]).tolist()
        self.best_first = sections.sort_values("quality", ascending=False, kind="stable", na_position="last").index
        self.counts = dict.fromkeys(MOVES, 0)
        self.start = len(self.teachers)
        self.eligible = self.backbone_sent = 0

    # -- the year ---------------------------------------------------------------------------

    def step(self, p: dict) -> None:
        self.year += 1
        self.counts = dict.fromkeys(MOVES, 0)
        self.start = len(self.teachers)
        self.retire_and_leave(p)
        self.drift(p)
        self.hire(p)
        self.exchange(p)

    def record(self) -> dict:
        df = self.teachers
        backbone = df.loc[df["backbone"], "school"].value_counts()
        backbone = backbone.reindex(range(len(self.sections)), fill_value=0).to_numpy()
        return {"year": self.year, "teachers_start": self.start, "teachers_end": len(df), **self.counts,
                "eligible": self.eligible, "backbone_sent": self.backbone_sent, "backbone": backbone}

    def retire_and_leave(self, p: dict) -> None:
        df = self.teachers
        df["age"] += 1
        df["years"] += 1
        male_age, female_age = p["retirement_age"]
        u = self.rng.random(len(df))
        retired, left = [], []
        for (i, row), draw in zip(df.iterrows(), u):
            if row["age"] >= (female_age if row["female"] else male_age):
                retired.append(i)
            elif draw < p["attrition"][self.location[row["school"]]]:
                left.append(i)
        self.counts["retired"], self.counts["left"] = len(retired), len(left)
        self.teachers = df.drop(index=retired + left)

    def drift(self, p: dict) -> None:
        df = self.teachers
        u = self.rng.random(len(df))
        seekers = []
        for (i, row), draw in zip(df.iterrows(), u):
            if row["exchange_left"] == 0 and self.rural[row["school"]]:
                chance = min(p["drift_rate"] * (p["drift_backbone_factor"] if row["backbone"] else 1.0), 1.0)
                if draw < chance:
                    seekers.append(i)
        posts = df["post"].value_counts()
        vacant = {0: [], 1: []}  # per level, vacant town and urban posts, best quality first
        for s in self.best_first:
            if self.open[s] and not self.rural[s]:
                vacant[self.level[s]] += [s] * max(self.norm[s] - int(posts.get(s, 0)), 0)
        taken = {0: 0, 1: 0}
        for k in self.rng.permutation(len(seekers)):
            i = seekers[k]
            lv = self.level[df.at[i, "school"]]
            if taken[lv] < len(vacant[lv]):
                target = vacant[lv][taken[lv]]
                taken[lv] += 1
                df.at[i, "school"] = target
                df.at[i, "post"] = target
                df.at[i, "years"] = 0
        self.counts["drift"] = sum(taken.values())

    def hire(self, p: dict) -> None:
        df = self.teachers
        posts = df["post"].value_counts()
        pe_art = df.loc[df["pe_art"], "post"].value_counts()
        vacancy = {s: max(self.norm[s] - int(posts.get(s, 0)), 0) for s in range(len(self.norm)) if self.open[s]}
        short = sorted((s for s, v in vacancy.items() if v > 0),
                       key=lambda s: (self.priority[s], -vacancy[s] / max(self.norm[s], 1), s))
        quota = int(p["max_hires_share"] * len(df))
        rows = []
        for s in short:
            minimum = p["pe_art_minimum"][self.level[s]]
            lack = max(math.ceil(minimum * self.pupils[s] / 100.0 - int(pe_art.get(s, 0)) - TOLERANCE), 0)
            for k in range(vacancy[s]):
                if len(rows) == quota:
                    break
                rows.append({"school": s, "post": s, "age": p["hire_age"],
                             "female": bool(self.rng.random() < p["female_share"]), "backbone": False,
                             "pe_art": k < lack, "years": 0, "exchange_left": 0, "partner": -1})
        if rows:
            new = pd.DataFrame(rows, index=pd.RangeIndex(self.next_id, self.next_id + len(rows)))
            self.next_id += len(rows)
            self.teachers = pd.concat([df, new.astype(df.dtypes.to_dict())])
        self.counts["hired"] = len(rows)

    # -- exchange ---------------------------------------------------------------------------

    def exchange(self, p: dict) -> None:
        df = self.teachers
        back = self.end_terms(df, p)
        backbone = df[df["backbone"]]
        here = backbone["school"].value_counts()  # backbone teachers teaching at each section
        held = backbone["post"].value_counts()  # backbone posts held at each section
        lot = self.rng.random(len(df))
        counted = {0: 0, 1: 0}
        info = {}  # eligible teachers at home: (school, backbone, PE/arts, lot)
        givers, partners = {}, {}
        for (i, row), draw in zip(df.iterrows(), lot):
            s = row["school"]
            if row["exchange_left"] != 0 or s != row["post"] or i in back or not self.open[s]:
                continue
            eligible = row["years"] >= p["min_years"]
            counted[self.level[s]] += eligible
            if self.pupils[s] <= 0:
                continue
            if eligible:
                info[i] = (s, row["backbone"], row["pe_art"], draw)
            if not row["pe_art"]:
                if row["backbone"] and eligible:
                    givers.setdefault(s, []).append((draw, i))
                elif not row["backbone"]:
                    partners.setdefault(s, []).append((not eligible, draw, i))
        pairs = []
        for lv in (0, 1):
            n_pairs = math.ceil(math.ceil(p["exchange_rate"] * counted[lv] - TOLERANCE) / 2)
            pairs += self.plan(lv, n_pairs, p["backbone_share"], here, held, info, givers, partners)
        self.depart(df, pairs, p["term"])
        self.eligible = sum(counted.values())
        self.backbone_sent = sum(bool(df.at[i, "backbone"]) + bool(df.at[j, "backbone"]) for i, j in pairs)
        self.counts["exchanged"] = 2 * len(pairs)

    def end_terms(self, df: pd.DataFrame, p: dict) -> set:
        ended = []
        for i, row in df.iterrows():
            if row["exchange_left"] > 0:
                df.at[i, "exchange_left"] = row["exchange_left"] - 1
                if row["exchange_left"] == 1:
                    ended.append(i)
        back, decided = set(ended), {}
        for i in ended:  # the two teachers of a pair decide together
            stay = decided.pop(i) if i in decided else bool(self.rng.random() < p["stay_probability"])
            partner = df.at[i, "partner"]
            if partner in back and partner not in decided:
                decided[partner] = stay
            if stay:
                df.at[i, "post"] = df.at[i, "school"]
                df.at[i, "years"] = 0
                self.counts["stayed"] += 1
            else:
                df.at[i, "school"] = df.at[i, "post"]
                self.counts["returned"] += 1
            df.at[i, "partner"] = -1
        return back

    def plan(self, lv, n_pairs, backbone_share, here, held, info, givers, partners) -> list:
        """The level's pairs (teacher going out of a section, teacher going the other way)."""
        sections = [s for s in range(len(self.level)) if self.level[s] == lv and self.open[s] and self.pupils[s] > 0]
        if n_pairs <= 0 or not sections:
            return []
        target = 100.0 * sum(int(here.get(s, 0)) for s in sections) / sum(self.pupils[s] for s in sections)
        # Backbone moves, one at a time: furthest above the target to furthest below.
        give, take, sent, got, senders, takers = {}, {}, {}, {}, [], []
        for s in sections:
            b, share = int(here.get(s, 0)), target * self.pupils[s] / 100.0
            give[s] = min(max(math.floor(b - share + TOLERANCE), 0), len(givers.get(s, [])))
            take[s] = min(max(math.floor(share - b + TOLERANCE), 0), len(partners.get(s, [])))
            sent[s] = got[s] = 0
            if give[s]:
                givers[s].sort()
                heapq.heappush(senders, (not self.strong[s], -b / self.pupils[s], s))
            if take[s]:
                partners[s].sort()
                heapq.heappush(takers, (self.strong[s], b / self.pupils[s], s))
        pairs = []
        while len(pairs) < n_pairs and senders and takers:
            tier, _, s = heapq.heappop(senders)
            out = givers[s][sent[s]][-1]
            sent[s] += 1
            if sent[s] < give[s]:
                heapq.heappush(senders, (tier, -(int(here.get(s, 0)) - sent[s]) / self.pupils[s], s))
            tier, _, r = heapq.heappop(takers)
            back = partners[r][got[r]][-1]
            got[r] += 1
            if got[r] < take[r]:
                heapq.heappush(takers, (tier, (int(here.get(r, 0)) + got[r]) / self.pupils[r], r))
            pairs.append((out, back))
        n_bb = math.ceil(max(0.0, 2 * backbone_share * n_pairs - len(pairs) - TOLERANCE) / 2)
        # The sections whose posts hold at least one backbone teacher more than the target asks.
        keeps = {s for s in sections if int(held.get(s, 0)) - target * self.pupils[s] / 100.0 >= 1.0 - TOLERANCE}
        mine = [i for i, (s, *_) in info.items() if self.level[s] == lv]
        by_draw = sorted(mine, key=lambda i: info[i][3])
        by_backbone_key = sorted(mine, key=lambda i: info[i][3] + (info[i][0] in keeps))
        used = {i for pair in pairs for i in pair}

        def swap_stage(backbone, pe_art, order, most) -> int:
            n = min(most, n_pairs - len(pairs))
            if n <= 0:
                return 0
            candidates = [i for i in order if i not in used and info[i][1] == backbone and info[i][2] == pe_art]
            side_a = [i for i in candidates if self.strong[info[i][0]]]
            side_b = [i for i in candidates if not self.strong[info[i][0]]]
            k = min(n, len(side_a), len(side_b))
            made = list(zip(side_a[:k], side_b[:k]))
            waiting = []  # the rest, paired across two different sections in order of preference
            for i in side_a[k:] + side_b[k:]:
                if len(made) == n:
                    break
                j = next((j for j in waiting if info[j][0] != info[i][0]), None)
                if j is None:
                    waiting.append(i)
                else:
                    waiting.remove(j)
                    made.append((j, i))
            pairs.extend(made)
            used.update(i for pair in made for i in pair)
            return len(made)

        for pe_art in (False, True):  # the backbone share
            n_bb -= swap_stage(True, pe_art, by_backbone_key, n_bb)
        for backbone, order in ((False, by_draw), (True, by_backbone_key)):  # like for like
            for pe_art in (False, True):
                swap_stage(backbone, pe_art, order, n_pairs)
        return pairs

    def depart(self, df: pd.DataFrame, pairs: list, term: int) -> None:
        """Each pair changes places for a staggered term."""
        away = Counter()
        for i, row in df.iterrows():
            if row["exchange_left"] > 0:
                away[self.level[row["school"]], row["exchange_left"]] += 1
        for k in self.rng.permutation(len(pairs)):
            i, j = pairs[k]
            lv = self.level[df.at[i, "school"]]
            years = min(range(1, term + 1), key=lambda y: (away[lv, y], -y))
            away[lv, years] += 2
            a, b = df.at[i, "school"], df.at[j, "school"]
            df.at[i, "school"], df.at[j, "school"] = b, a
            df.at[i, "exchange_left"] = df.at[j, "exchange_left"] = years
            df.at[i, "partner"], df.at[j, "partner"] = j, i
