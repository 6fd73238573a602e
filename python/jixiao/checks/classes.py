"""一级/二级 classes: known to the profile, belonging together, codes matching names; coverage."""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.checks import Context, at, check, project_at
from jixiao.findings import FindingSpec
from jixiao.model import Finding, Project

UNKNOWN_L1 = FindingSpec(
    "class.unknown_l1",
    "error",
    "一级指标“{name}”不在{profile}指标体系中",
    "一级指标应为：{expected}",
)
WRONG_L2 = FindingSpec(
    "class.wrong_l2",
    "error",
    "二级指标“{name}”不属于一级指标“{l1}”",
    "“{l1}”下的二级指标为：{expected}",
)
CODE_MISMATCH = FindingSpec(
    "class.code",
    "warning",
    "{level}编码“{written}”与名称“{name}”不符，应为“{code}”",
    "将编码改为“{code}”，或用“补全 → 编码”自动填写",
)
NO_OUTPUT = FindingSpec(
    "coverage.output",
    "error",
    "项目“{project}”没有产出指标",
    "至少设置一个产出指标（数量、质量、时效等）",
)
NO_BENEFIT = FindingSpec(
    "coverage.benefit", "error", "项目“{project}”没有效益指标", "至少设置一个效益指标（社会效益等）"
)
NO_SATISFACTION = FindingSpec(
    "coverage.satisfaction",
    "warning",
    "项目“{project}”没有满意度指标",
    "一般应设置服务对象满意度指标",
)


@check(UNKNOWN_L1, WRONG_L2, CODE_MISMATCH)
def classes_belong(project: Project, ctx: Context) -> Iterator[Finding]:
    profile = ctx.profile
    for item in project.indicators:
        if item.raw is not None:
            continue  # the codec has reported it
        l1 = profile.l1(item.l1)
        if l1 is None:
            expected = "、".join(e.name for e in profile.level1)
            yield UNKNOWN_L1.at(
                at(item, "l1"), name=item.l1, profile=profile.name, expected=expected
            )
            continue
        l2 = profile.l2(item.l2, parent=l1.code)
        if l2 is None:
            expected = "、".join(e.name for e in profile.children(l1.code))
            yield WRONG_L2.at(at(item, "l2"), name=item.l2, l1=l1.name, expected=expected)
            continue
        for level, written, entry, field in (
            ("一级指标", item.l1_code, l1, "l1_code"),
            ("二级指标", item.l2_code, l2, "l2_code"),
        ):
            if written and written != entry.code:
                yield CODE_MISMATCH.at(
                    at(item, field), level=level, written=written, name=entry.name, code=entry.code
                )


@check(NO_OUTPUT, NO_BENEFIT, NO_SATISFACTION)
def coverage(project: Project, ctx: Context) -> Iterator[Finding]:
    names = set()
    for item in project.indicators:
        entry = ctx.profile.l1(item.l1)
        if entry is not None:
            names.add(entry.name)
    where = project_at(project, "indicators") or project_at(project, "name")
    for name, spec in (
        ("产出指标", NO_OUTPUT),
        ("效益指标", NO_BENEFIT),
        ("满意度指标", NO_SATISFACTION),
    ):
        if name not in names:
            yield spec.at(where, project=project.name)
