"""Every pattern runs in linear time on any cell: a cell function must never freeze Excel.

Texts are long runs of the pieces that made the old patterns backtrack (spaces, digits,
value marks, "。"), up to Excel's 32,767-character cell. Time per character is compared
between 2,000 and 32,000 characters: linear work grows 16×, the quadratic patterns grew
200× and more (29 s on one cell of spaces).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao import packed, prose, values
from jixiao.grid import Grid
from jixiao.layouts import card

PIECES = [
    " ", "  a", "0", "1-", "。", "：", "；", "\n", "绩效目标表", "1.", "≥", "不低于",
    "1-产出指标", "产出指标：", "11-数量指标：", "；实施周期指标值：", "；年度指标值：",
    "1-产出指标：11-数量指标：x；实施周期指标值：1；年度指标值：",
]  # fmt: skip
ENDINGS = ["", "x", " ", "。", "：", "1"]


def card_titles(text: str) -> object:
    return card.find_titles(Grid(values=[[text], ["x"]]))


FUNCTIONS: dict[str, Callable[[str], object]] = {
    "packed.parse": packed.parse,
    "card title": card_titles,
    "card unit": lambda text: card._UNIT.match(text),
    "values.parse_value": values.parse_value,
    "values.normalize_value": values.normalize_value,
    "prose.parse_indicators": lambda text: prose.parse_indicators("绩效指标：" + text),
}


def seconds(function: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


def repeated(piece: str, size: int, ending: str) -> str:
    return (piece * (size // len(piece) + 1))[:size] + ending


@pytest.mark.parametrize("name", FUNCTIONS)
def test_time_per_character_stays_flat_up_to_a_full_cell(name: str) -> None:
    function = FUNCTIONS[name]
    worst = (0.0, "")
    for piece in PIECES:
        for ending in ENDINGS:
            small = seconds(function, repeated(piece, 2_000, ending))
            large = seconds(function, repeated(piece, 32_000, ending))
            if large > 0.05:  # below this, timer noise decides the ratio
                growth = large / max(small, 1e-6)
                worst = max(worst, (growth, f"{piece!r}×…+{ending!r}: {large:.2f} s"))
    assert worst[0] < 100, f"{name} grows faster than linear on {worst[1]} ({worst[0]:.0f}×)"


texts = st.lists(
    st.tuples(st.sampled_from(PIECES), st.integers(1, 2_000)), min_size=1, max_size=6
).map(lambda parts: "".join(piece * count for piece, count in parts)[:32_767])


@settings(
    max_examples=40, deadline=3_000, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(texts)
def test_long_hostile_cells_parse_quickly_and_canonically(text: str) -> None:
    result = packed.parse(text)  # never raises; the deadline fails a slow example
    canonical = result.canonical
    assert packed.parse(canonical).canonical == canonical
    card_titles(text)  # within the same deadline
