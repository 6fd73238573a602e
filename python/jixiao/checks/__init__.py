"""Validation checks: small units in a registry, each with stable codes and Chinese text.

A check is a function decorated with ``@check(SPEC, ...)``; it receives a project (or,
for ``scope="workbook"``, the whole workbook) and a ``Context``, and yields findings made
from its own specs. ``run_checks`` runs those that apply to the chosen profile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from jixiao import framework
from jixiao.findings import FindingSpec
from jixiao.layouts.headers import WHOLE_UNIT
from jixiao.model import Amounts, Finding, Indicator, Project, SourceLocation, Unit

if TYPE_CHECKING:
    from jixiao.workbook import WorkbookRead

Scope = Literal["project", "workbook"]


@dataclass(frozen=True)
class Context:
    profile: framework.Profile
    workbook: WorkbookRead


@dataclass(frozen=True)
class Check:
    name: str
    specs: tuple[FindingSpec, ...]
    scope: Scope
    profiles: frozenset[str] | None  # None: every profile
    run: Callable[..., Iterator[Finding]]


REGISTRY: list[Check] = []


def check(
    *specs: FindingSpec, scope: Scope = "project", profiles: Iterable[str] | None = None
) -> Callable[[Callable[..., Iterator[Finding]]], Callable[..., Iterator[Finding]]]:
    def register(function: Callable[..., Iterator[Finding]]) -> Callable[..., Iterator[Finding]]:
        REGISTRY.append(
            Check(
                name=function.__name__,
                specs=specs,
                scope=scope,
                profiles=frozenset(profiles) if profiles is not None else None,
                run=function,
            )
        )
        return function

    return register


def at(indicator: Indicator, field: str) -> SourceLocation | None:
    """The cell of an indicator's field, or the packed cell (with offset) it came from."""
    return indicator.cells.get(field) or indicator.source


def project_at(project: Project, field: str) -> SourceLocation | None:
    return project.cells.get(field) or project.source


def specs() -> dict[str, FindingSpec]:
    """Every code a check can report, for documentation and tests."""
    _load()
    return {spec.code: spec for c in REGISTRY for spec in c.specs}


def run_checks(workbook: WorkbookRead, profile: framework.Profile) -> list[Finding]:
    _load()
    context = Context(profile=profile, workbook=workbook)
    findings: list[Finding] = []
    for unit in REGISTRY:
        if unit.profiles is not None and profile.name not in unit.profiles:
            continue
        if unit.scope == "workbook":
            findings.extend(unit.run(workbook, context))
        else:
            for project in [*workbook.projects, *unit_targets(workbook)]:
                findings.extend(unit.run(project, context))
    return findings


def unit_targets(workbook: WorkbookRead) -> list[Project]:
    """A unit's own (部门整体) goals read from a table, as the projects the project checks
    take: their indicators are checked like a project's, though they are never one (no 合计).
    Goals written as prose have no 一级/二级 to check."""
    return [
        Project(
            unit=Unit(name=workbook.department),
            name=WHOLE_UNIT,
            amounts=Amounts(total=goal.total),
            goals=[goal.goal] if goal.goal else [],
            indicators=goal.indicators,
            source=goal.source,
        )
        for goal in workbook.department_goals
        if any(i.l1 or i.l2 for i in goal.indicators)
    ]


def _load() -> None:
    """Import the check modules, which register themselves."""
    from jixiao.checks import amounts, attributes, classes, indicators, plan  # noqa: F401
