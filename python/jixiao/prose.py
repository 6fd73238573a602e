"""Prose indicators of the 部门整体绩效目标 section (seed 004), read into indicator rows.

``绩效指标：案件审判满意度大于90%为优秀；平均审理天数小于100为优秀；…`` lists indicators
as sentences: the name runs up to the first comparison word or number, the rest is the
target value. A sentence with neither is kept whole as the name and reported.
"""

from __future__ import annotations

import re

from jixiao.findings import FindingSpec
from jixiao.model import Finding, Indicator, SourceLocation
from jixiao.values import OPERATORS

PREFIX = re.compile(r"^\s*绩效指标\s*[：:]\s*")
_CUT = re.compile(
    "|".join(re.escape(op) for op in sorted(OPERATORS, key=len, reverse=True)) + r"|\d|[０-９]"
)
_SENTENCE = re.compile(r"[^；;]+")
NO_VALUE = FindingSpec(
    "prose.no_value",
    "warning",
    "绩效指标“{text}”中找不到指标值（比较词或数字）",
    "写成“指标名称+指标值”，如“案件结案率大于85%为优”",
)


def parse_indicators(
    text: str, location: SourceLocation | None = None
) -> tuple[list[Indicator], list[Finding]]:
    prefix = PREFIX.match(text)
    indicators: list[Indicator] = []
    findings: list[Finding] = []
    for part in _SENTENCE.finditer(text, prefix.end() if prefix else 0):
        sentence = part.group().strip().rstrip("。").strip()
        if not sentence:
            continue
        here = location.at_offset(part.start()) if location else None
        cut = _CUT.search(sentence)
        if cut is None or cut.start() == 0:
            findings.append(NO_VALUE.at(here, text=sentence))
            name, value = sentence, ""
        else:
            name, value = sentence[: cut.start()].strip(), sentence[cut.start() :].strip()
        indicators.append(
            Indicator(seq=len(indicators) + 1, l3=name, annual_value=value, source=here)
        )
    return indicators, findings
