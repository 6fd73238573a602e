"""One entry point per action of the page: bytes in, bytes and findings out.

The page (and any other caller without a file system of its own) hands the files a user
chose; each action runs the command line's own command on them, in a scratch folder, so
the page has no second implementation of anything: its downloads are the CLI's outputs,
named as the README's examples name them, and its findings are the CLI's JSON.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from jixiao.options import LAYOUTS, ON_CONFLICT

# The short name an output of each layout gets (the template's names without 模板).
SHORT_NAMES = ("宽表", "指标明细", "卡片", "指标行", "两栏卡片", "申报表")
LAYOUT_NAMES = dict(zip(LAYOUTS, SHORT_NAMES, strict=True))


@dataclass
class InputFile:
    """A file the user chose: its path as the browser gives it (``部门/a.xlsx`` for a folder)."""

    name: str
    data: bytes


@dataclass
class ActionResult:
    exit_code: int
    message: str  # what the command printed, for the page to show
    errors: str  # what it printed on stderr (Chinese, one line per problem)
    outputs: dict[str, bytes] = field(default_factory=dict)  # download name -> bytes
    report: Any = None  # the command's JSON (findings, counts), where it writes one

    def summary(self) -> dict[str, Any]:
        """Everything but the bytes, as JSON-ready data."""
        return {
            "exit_code": self.exit_code,
            "message": self.message,
            "errors": self.errors,
            "outputs": {name: len(data) for name, data in self.outputs.items()},
            "report": self.report,
        }


class ActionError(ValueError):
    """A request the page should not have made (no file, an unknown layout): in Chinese."""


def _stem(inputs: Sequence[InputFile]) -> str:
    return PurePosixPath(inputs[0].name).stem


def _one(inputs: Sequence[InputFile], action: str) -> None:
    if len(inputs) != 1:
        raise ActionError(f"{action}需要一个工作簿（现在是 {len(inputs)} 个）")


# Each action: (the CLI's arguments for these inputs and options, the JSON it writes or None).
# The command runs in the folder of the inputs and writes its outputs there, as a user runs
# it beside their files: paths in 来源 and in findings, and the relative links of 对比, are
# what the CLI would write. The outputs are the files that were not there before.
Plan = tuple[list[str], str | None]


def _consolidate(inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    conflict = options.get("on_conflict", "keep-both")
    if conflict not in ON_CONFLICT:
        raise ActionError(f"不认识的冲突处理方式“{conflict}”")
    tops = sorted({_safe(i.name).parts[0] for i in inputs})
    report = "汇总.json"
    args = ["consolidate", *tops, "-o", "汇总.xlsx", "--report-json", report]
    return [*args, "--on-conflict", conflict], report


def _validate(inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    _one(inputs, "校验")
    args = ["validate", _input(inputs[0]), "--json", "--excel", f"{_stem(inputs)}-校验.xlsx"]
    if options.get("profile"):
        args += ["--profile", options["profile"]]
    return args, "-"


def _fill(inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    _one(inputs, "补全")
    suffix = PurePosixPath(inputs[0].name).suffix.lower()
    suffix = suffix if suffix in (".xlsx", ".xlsm") else ".xlsx"
    return ["fill", _input(inputs[0]), "-o", f"{_stem(inputs)}-补全{suffix}"], None


def _convert(inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    _one(inputs, "转换")
    layout = options.get("to", "")
    if layout not in LAYOUT_NAMES:
        raise ActionError(f"不认识的格式“{layout}”，可选：{'、'.join(LAYOUT_NAMES.values())}")
    output = f"{_stem(inputs)}-{LAYOUT_NAMES[layout]}.xlsx"
    return ["convert", _input(inputs[0]), "--to", layout, "-o", output], None


def _unpack(inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    _one(inputs, "拆分")
    return ["unpack", _input(inputs[0]), "-o", f"{_stem(inputs)}-指标明细.xlsx"], None


def _pack(inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    _one(inputs, "合并")
    return ["pack", _input(inputs[0]), "-o", f"{_stem(inputs)}-宽表.xlsx"], None


def _cards(inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    return _convert(inputs, {"to": "card"})


def _compare(inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    if len(inputs) != 2:
        raise ActionError(f"对比需要两个工作簿：旧版本和新版本（现在是 {len(inputs)} 个）")
    old, new = (_input(i) for i in inputs)
    report = "对比.json"
    return ["compare", old, new, "-o", "对比.xlsx", "--json", report], report


def _selfeval_build(inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    _one(inputs, "生成自评表")
    args = ["selfeval", "build", _input(inputs[0]), "-o", f"{_stem(inputs)}-自评表.xlsx"]
    return [*args, *(["--year", options["year"]] if options.get("year") else [])], None


def _selfeval_score(inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    _one(inputs, "自评打分")
    report = f"{_stem(inputs)}-自评得分.json"
    output = f"{_stem(inputs)}-自评得分.xlsx"
    return ["selfeval", "score", _input(inputs[0]), "-o", output, "--json", report], report


def _selfeval_consolidate(inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    tops = sorted({_safe(i.name).parts[0] for i in inputs})
    report = "自评汇总.json"
    return ["selfeval", "consolidate", *tops, "-o", "自评汇总.xlsx", "--json", report], report


def _template(inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    return ["template", "build", "-o", "."], None


ACTIONS: dict[str, Callable[[Sequence[InputFile], Mapping[str, str]], Plan]] = {
    "consolidate": _consolidate,
    "validate": _validate,
    "fill": _fill,
    "convert": _convert,
    "unpack": _unpack,
    "pack": _pack,
    "cards": _cards,
    "compare": _compare,
    "template": _template,
    "selfeval_build": _selfeval_build,
    "selfeval_score": _selfeval_score,
    "selfeval_consolidate": _selfeval_consolidate,
}


def _input(item: InputFile) -> str:
    return str(_safe(item.name))


def _safe(name: str) -> PurePosixPath:
    """A browser's relative path, with nothing that leaves the scratch folder."""
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".", "..")]
    parts = [p for p in parts if p != "/"]
    if not parts:
        raise ActionError(f"文件名“{name}”无效")
    return PurePosixPath(*parts)


def plan(action: str, inputs: Sequence[InputFile], options: Mapping[str, str]) -> Plan:
    if action not in ACTIONS:
        raise ActionError(f"没有“{action}”这个操作")
    if action not in ("template",) and not inputs:
        raise ActionError("请先选择文件")
    return ACTIONS[action](inputs, options)


def run(
    action: str,
    inputs: Sequence[InputFile],
    options: Mapping[str, str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ActionResult:
    """Run ``action`` on ``inputs`` as the CLI does; ``progress(done, total, item)`` is told
    of each file a consolidation reads."""
    from jixiao import cli

    args, report_path = plan(action, inputs, options or {})
    before = os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory(prefix="jixiao-web-") as scratch:
        root = Path(scratch)
        for item in inputs:
            target = root / "in" / _safe(item.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item.data)
        (root / "in").mkdir(exist_ok=True)
        before_run = {p for p in (root / "in").rglob("*") if p.is_file()}
        os.chdir(root / "in")
        try:
            with (
                contextlib.redirect_stdout(out),
                contextlib.redirect_stderr(err),
                cli.progress_listener(progress),
            ):
                code = cli.main(args)
        finally:
            os.chdir(before)
        outputs = {
            path.relative_to(root / "in").as_posix(): path.read_bytes()
            for path in sorted((root / "in").rglob("*"))
            if path.is_file() and path not in before_run
        }
    report: Any = None
    text = out.getvalue()
    if report_path == "-":  # the JSON is what the command printed
        start = text.find("{")
        report = json.loads(text[start:]) if start >= 0 else None
        text = text[:start] if start >= 0 else text
    elif report_path is not None and report_path in outputs:
        report = json.loads(outputs[report_path].decode("utf-8"))
    message, errors = text.strip(), err.getvalue().strip()
    return ActionResult(code, message, errors, outputs, report)


def warm_up() -> None:
    """Import what the actions use, ahead of the first one (the page calls this when idle):
    the libraries each command imports when it runs, and the commands' own modules."""
    import openpyxl  # noqa: F401
    import python_calamine  # noqa: F401
    import xlsxwriter  # noqa: F401

    import jixiao.compare
    import jixiao.consolidate
    import jixiao.files.read
    import jixiao.fill
    import jixiao.report_excel
    import jixiao.selfeval.report
    import jixiao.summary_workbook
    import jixiao.validate  # noqa: F401


def run_for_page(
    action: str,
    uploads: str,
    names_json: str,
    options_json: str,
    downloads: str,
    progress: Callable[[int, int, str], None] | None = None,
) -> str:
    """``run`` for the page's worker, which hands files through Pyodide's in-memory file
    system: the chosen files are under ``uploads`` by their names; the outputs are written
    under ``downloads``; the answer is ``ActionResult.summary()`` as JSON."""
    names: list[str] = json.loads(names_json)
    try:
        inputs = [InputFile(name, (Path(uploads) / _safe(name)).read_bytes()) for name in names]
        result = run(action, inputs, json.loads(options_json or "{}"), progress)
    except ActionError as error:
        result = ActionResult(2, "", str(error))
    for name, data in result.outputs.items():
        target = Path(downloads) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return json.dumps(result.summary(), ensure_ascii=False)
