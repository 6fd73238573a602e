"""The indicator framework: 一级/二级 names and codes by profile, from one table.

Every name or code the tool knows comes from ``data/framework.csv`` so that a new
profile (another province, another year's rules) is a table edit, not a code change.
Profiles:

- ``gd``: the Guangzhou budget system's spelling, as seen in packed strings
  (``22-社会效益``: 二级 names of 效益/满意度 written without 指标).
- ``2020``: 财预〔2020〕10号 style; 成本指标 is a 二级 under 产出指标.
- ``2021``: 财预〔2021〕101号 style; 成本指标 is a 一级.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

PROFILE_NAMES = ("gd", "2020", "2021")
DEFAULT_PROFILE = "2020"


@dataclass(frozen=True, slots=True)
class Entry:
    """One 一级 (level 1) or 二级 (level 2) indicator class of a profile."""

    profile: str
    level: int
    code: str
    name: str
    parent: str  # the 一级 code of a 二级 entry, "" for 一级
    aliases: tuple[str, ...]
    skeleton: bool = False  # one of the standard rows a new project starts with

    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


# Tables copied from Traditional-script pages (mirrors of Hunan's disclosures) spell headers
# and class names in Traditional characters: those characters compare as their Simplified
# forms, and full-width brackets, colons and percent signs as one width.
_TRADITIONAL = (
    "單編碼稱資總額級標類計釋評準備註績項預數門體務產滿質時據確實週報財撥專戶與經濟會態環對護"
    "長當萬號劃規權內請續響細際說執況進現開縣鄉鎮應負責審簽聯繫電話達區間範億構綜"
)
_SIMPLE = (
    "单编码称资总额级标类计释评准备注绩项预数门体务产满质时据确实周报财拨专户与经济会态环对护"
    "长当万号划规权内请续响细际说执况进现开县乡镇应负责审签联系电话达区间范亿构综"
)
SIMPLIFIED = str.maketrans(_TRADITIONAL + "()％:", _SIMPLE + "（）%：")


# A note printed after a class name: its score (``产出指标(50分)``, ``成本指标(0-20)分``) or
# what the form asks of it (``数量指标(必填硬性指标)``, ``(选填)``).
_NOTE = re.compile(r"（[^（）]*）分?$")


@lru_cache(maxsize=1 << 12)  # a few dozen class names, looked up per indicator per check
def _key(name: str) -> str:
    """Lookup key: spacing, Traditional or Simplified characters and a note in brackets after
    the name do not distinguish names."""
    key = "".join(name.split()).translate(SIMPLIFIED)
    bare = _NOTE.sub("", key)
    return bare or key


class Profile:
    """The 一级/二级 classes of one profile with lookups by name, alias or code."""

    def __init__(self, name: str, entries: Iterable[Entry]) -> None:
        self.name = name
        self.entries = tuple(entries)
        self.level1 = tuple(e for e in self.entries if e.level == 1)
        self.level2 = tuple(e for e in self.entries if e.level == 2)
        self._by_code = {(e.level, e.code): e for e in self.entries}
        self._by_name: dict[tuple[int, str], Entry] = {}
        for entry in self.entries:
            for spelling in entry.spellings():
                self._by_name.setdefault((entry.level, _key(spelling)), entry)

    def __repr__(self) -> str:
        return f"Profile({self.name!r})"

    def l1(self, name: str) -> Entry | None:
        return self._by_name.get((1, _key(name)))

    def l1_code(self, code: str) -> Entry | None:
        return self._by_code.get((1, code.strip()))

    def l2(self, name: str, parent: str | None = None) -> Entry | None:
        """The 二级 entry for a name; with ``parent`` (a 一级 code) only under that 一级."""
        entry = self._by_name.get((2, _key(name)))
        if entry is not None and parent is not None and entry.parent != parent:
            return None
        return entry

    def l2_code(self, code: str) -> Entry | None:
        return self._by_code.get((2, code.strip()))

    def children(self, l1_code: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.level2 if e.parent == l1_code)

    def skeleton(self) -> tuple[tuple[Entry, Entry], ...]:
        """The standard (一级, 二级) rows of a project that has no indicators yet."""
        return tuple((self._by_code[(1, e.parent)], e) for e in self.level2 if e.skeleton)


@cache
def _table() -> tuple[Entry, ...]:
    text = resources.files("jixiao").joinpath("data/framework.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        Entry(
            profile=row["profile"],
            level=int(row["level"]),
            code=row["code"],
            name=row["name"],
            parent=row["parent"],
            aliases=tuple(a for a in row["aliases"].split("|") if a),
            skeleton=row["skeleton"] == "1",
        )
        for row in rows
    )


@cache
def profile(name: str) -> Profile:
    entries = [e for e in _table() if e.profile == name]
    if not entries:
        known = "、".join(PROFILE_NAMES)
        raise ValueError(f"未知的指标体系“{name}”，可选：{known}")
    return Profile(name, entries)


def detect_profile(l1_names: Iterable[str], l2_names: Iterable[str] = ()) -> Profile:
    """Guess the profile of a table from the 一级/二级 names it uses.

    成本指标 as a 一级 only exists in ``2021``; 二级 spelled without 指标
    (``社会效益``) is the Guangzhou system's habit; anything else is ``2020``.
    """
    l1_keys = {_key(n) for n in l1_names if n}
    if "成本指标" in l1_keys:
        return profile("2021")
    gd = profile("gd")
    gd_only = {_key(e.name) for e in gd.level2} - {_key(e.name) for e in profile("2020").level2}
    if any(_key(n) in gd_only for n in l2_names if n):
        return gd
    return profile(DEFAULT_PROFILE)


def canonical_class(l1: str, l2: str) -> tuple[str, str, tuple[int, int, int]]:
    """(一级, 二级) under the framework's canonical names, and their rank in its order.

    ``社会效益`` and ``社会效益指标`` are one class whichever profile a table follows; a name
    the framework does not know stays as written and ranks after the known ones.
    """
    profiles = (profile("2020"), profile("2021"))
    for number, chosen in enumerate(profiles):
        first = chosen.l1(l1)
        if first is not None:
            second = chosen.l2(l2, first.code)
            rank = (number, int(first.code), int(second.code) if second else 99)
            return first.name, second.name if second else l2, rank
    return l1, l2, (len(profiles), 0, 0)
