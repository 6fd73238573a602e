"""Properties of the codec over generated indicator lists and arbitrary text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao import framework, packed
from jixiao.values import normalize_value

GD = framework.profile("gd")
CLASSES = [(GD.l1_code(e.parent), e) for e in GD.level2]
NAME_CHARS = "指标率数量完成合格满意度服务对象审判执行经费年期项目系统运维0123456789-—%（）()、，,．. "
names = st.text(alphabet=NAME_CHARS, min_size=1, max_size=25).map(str.strip).filter(bool)
names_with_ranges = st.one_of(names, st.builds(lambda a, b: f"{a}-{b}年期{a}", st.integers(1, 9), st.integers(2, 12)))

quantities = st.builds(
    lambda op, number, unit: f"{op}{number}{unit}",
    st.sampled_from(["", "≥", "≤", ">", "<", "=", "不低于", "大于"]),
    st.one_of(st.integers(0, 100000).map(str), st.decimals(0, 1000, places=2).map(str)),
    st.sampled_from(["", "%", "万元", "人", "小时/周", "平方米", "百分比", "个", "%为优"]),
)
texts = st.text(alphabet="达标维持提升有效保障进一步畅通合规良好优", min_size=1, max_size=12)
bracketed = st.builds(
    lambda head, inner: f"{head}（{inner}）",
    texts,
    st.text(alphabet="材料之日起在规定时间内完成退费手续。；，、", min_size=1, max_size=40),
)
values = st.one_of(quantities, texts, bracketed, st.just("")).filter(lambda v: normalize_value(v) == v)


@st.composite
def indicator_lists(draw: st.DrawFn) -> list[packed.PackedItem]:
    count = draw(st.integers(1, 30))
    items = []
    for seq in range(1, count + 1):
        l1, l2 = draw(st.sampled_from(CLASSES))
        assert l1 is not None
        items.append(
            packed.PackedItem(
                seq, l1.code, l1.name, l2.code, l2.name, draw(names_with_ranges), draw(values), draw(values)
            )
        )
    return items


def fields(items: list[packed.PackedItem]) -> list[tuple[object, ...]]:
    return [(i.seq, i.l1_code, i.l1, i.l2_code, i.l2, i.l3, i.period_value, i.annual_value, i.raw) for i in items]


@settings(max_examples=300, deadline=None)
@given(indicator_lists())
def test_parse_gives_back_what_render_wrote(items: list[packed.PackedItem]) -> None:
    text = packed.render(items)
    result = packed.parse(text)
    assert list(result.findings) == []
    assert fields(result.indicators) == fields(items)
    assert result.canonical == text


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_parse_never_raises_and_its_canonical_form_is_stable(text: str) -> None:
    result = packed.parse(text)
    for item in result.indicators:
        if item.raw is not None:
            assert item.raw in text  # unreadable text is kept verbatim
    canonical = result.canonical
    again = packed.parse(canonical)
    assert again.canonical == canonical


PIECES = ["1-", "2-1-", "产出指标", "：", "12-质量指标", "；", "实施周期指标值：", "年度指标值：", "≥95%",
          "。", "（", "）", " ", "\n", ":", ";", ">=", "％", "31-服务对象满意度", "3-满意度指标", "合格率"]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_parse_never_raises_on_near_miss_text(text: str) -> None:
    result = packed.parse(text)
    assert packed.parse(result.canonical).canonical == result.canonical
    for item in result.indicators:
        if item.raw is not None:
            assert item.raw in text


def _same_as_careful(text: str) -> None:
    """The whole-cell fast path only answers where the careful reader, step by step, finds
    the same items at the same offsets and nothing to report."""
    fast = packed._parse_canonical(text)
    if fast is None:
        return
    careful = packed._parse_careful(text, None, packed.PROFILE, fast_items=False)
    assert careful.findings == []
    assert [(*fields([i]), i.offset) for i in fast] == [(*fields([i]), i.offset) for i in careful.indicators]


@settings(max_examples=300, deadline=None)
@given(indicator_lists())
def test_the_fast_path_reads_rendered_lists_as_the_careful_one(items: list[packed.PackedItem]) -> None:
    _same_as_careful(packed.render(items))


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_the_fast_path_agrees_with_the_careful_one_on_near_miss_text(text: str) -> None:
    _same_as_careful(text)


SLIPS = [" ", "\u3000", "\n", "\t", "％", "０", "９", "．", ">=", "≧", "≦", "=", "＝", "＞", "＜", "：", "；", "。", "-", "1"]


@settings(max_examples=300, deadline=None)
@given(indicator_lists(), st.sampled_from(SLIPS), st.data())
def test_the_fast_path_agrees_with_the_careful_one_after_a_slip(
    items: list[packed.PackedItem], slip: str, data: st.DataObject
) -> None:
    """Canonical text with one character slipped in next to a mark (the edge of 三级 or of a
    value, most often) or anywhere: the pattern alone must keep every such cell from the fast
    path wherever the careful reader would see it differently."""
    text = packed.render(items)
    edges = [i for i in range(len(text) + 1) if text[i - 1 : i + 1].strip("：；。-") != text[i - 1 : i + 1]]
    at = data.draw(st.one_of(st.sampled_from(edges), st.integers(0, len(text))))
    _same_as_careful(text[:at] + slip + text[at:])
