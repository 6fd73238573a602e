"""The ``jixiao`` command: a thin layer over the Python API, one subcommand per job."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from jixiao import __version__, framework
from jixiao.cli_parser import Parser
from jixiao.errors import WorkbookError, reason
from jixiao.options import LAYOUT_NAMES, LAYOUTS, ON_CONFLICT, STEPS

if TYPE_CHECKING:
    from jixiao.model import Finding

# Each command imports the libraries it uses when it runs: ``jixiao --help`` and
# ``--version`` load none, and each command loads only its own.


class CommandError(Exception):
    """A failure to report to the user in one Chinese sentence, without a traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    from jixiao.bulk import paused_gc

    previous = _on_terminate()
    try:
        with paused_gc():  # once per command: see paused_gc
            code: int = args.run(args)
    except (CommandError, WorkbookError) as error:
        print(f"jixiao: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader (``| head``) left early: not an error of ours
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - quiet interpreter exit
        return 0
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM: temporary files are gone (atomically)
        print("jixiao: 已中断；未完成的输出没有写入，输入文件未改动", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return code


def _on_terminate() -> Any:
    """SIGTERM (a closed terminal, a stopped service) ends a command as Ctrl-C does, so that
    the temporary file of an output being written is removed; the previous handler, or None
    where signals cannot be set (not the main thread, Pyodide)."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, interrupt)
    except (ValueError, AttributeError, OSError):
        return None


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="jixiao", description="项目支出绩效目标表工具：拆分、合并、校验、补全、汇总。"
    )
    parser.add_argument(
        "--version", action="version", version=f"jixiao {__version__}", help="显示版本号并退出"
    )
    commands = parser.add_subparsers(title="命令")

    packed_parser = commands.add_parser("packed", help="打包的绩效指标字符串（广州格式）")
    packed_commands = packed_parser.add_subparsers(title="子命令")
    parse_cmd = packed_commands.add_parser(
        "parse", help="从标准输入读取一个打包字符串，输出 JSON（指标、问题、规范写法）"
    )
    parse_cmd.set_defaults(run=_packed_parse)
    render_cmd = packed_commands.add_parser(
        "render", help='从标准输入读取 {"indicators": [...]}，输出规范的打包字符串'
    )
    render_cmd.set_defaults(run=_packed_render)
    table_cmd = packed_commands.add_parser(
        "table", help="把文件中每行一个打包字符串（可在前面加“项目名称<Tab>”）拆成指标行（TSV）"
    )
    table_cmd.add_argument("file", nargs="?", help="输入文件，缺省为标准输入")
    table_cmd.set_defaults(run=_packed_table)

    unpack_cmd = commands.add_parser(
        "unpack", help="拆分：任意格式的工作簿 → 指标明细（每条指标一行）"
    )
    unpack_cmd.set_defaults(run=_convert, to="long")
    pack_cmd = commands.add_parser(
        "pack", help="合并：任意格式的工作簿 → 广州格式宽表（每个项目一行）"
    )
    pack_cmd.set_defaults(run=_convert, to="wide")
    convert_cmd = commands.add_parser(
        "convert", help="转换为另一种格式（宽表、指标明细、卡片、指标行、两栏卡片、申报表）"
    )
    layouts = "、".join(f"{name}（{LAYOUT_NAMES[name]}）" for name in LAYOUTS)
    convert_cmd.add_argument(
        "--to", choices=LAYOUTS, required=True, metavar="格式", help=f"输出格式：{layouts}"
    )
    consolidate_cmd = commands.add_parser(
        "consolidate", help="汇总：把多个单位的工作簿（文件或文件夹）合并为一个"
    )
    consolidate_cmd.add_argument("inputs", nargs="+", help="工作簿或文件夹（任意格式，自动识别）")
    consolidate_cmd.add_argument(
        "-o", "--output", required=True, help="汇总工作簿 .xlsx（--format parquet 时为文件夹）"
    )
    consolidate_cmd.add_argument(
        "--format",
        choices=("xlsx", "parquet"),
        default="xlsx",
        help="xlsx：汇总工作簿（缺省）；parquet：projects/indicators/findings 三个 Parquet 表，"
        "供 DuckDB、pandas、Power BI 分析（需要 pyarrow）",
    )
    consolidate_cmd.add_argument("--report-json", metavar="R", help="另存汇总报告（JSON）")
    consolidate_cmd.add_argument(
        "--on-conflict",
        choices=ON_CONFLICT,
        default="keep-both",
        help="同一项目在多个文件中内容不同时：都保留（缺省）、保留先读到的、保留后读到的",
    )
    consolidate_cmd.add_argument(
        "--jobs", type=int, default=1, help="并行读取的进程数（缺省 1；双核机器上并无收益）"
    )
    consolidate_cmd.set_defaults(run=_consolidate)
    fill_cmd = commands.add_parser(
        "fill", help="补全：编码、规范写法、指标值、合计公式、指标框架、序号（写入新文件）"
    )
    fill_cmd.add_argument("input", help="输入工作簿（不会被修改）")
    fill_cmd.add_argument("-o", "--output", required=True, help="输出工作簿 .xlsx")
    fill_cmd.add_argument(
        "--only",
        type=_steps,
        default=STEPS,
        metavar="STEPS",
        help=f"只做其中几步，逗号分隔：{','.join(STEPS)}（缺省全部）",
    )
    fill_cmd.add_argument(
        "--values", action="store_true", help="合计写成数值（缺省在宽表中写成 =SUM 公式）"
    )
    fill_cmd.add_argument(
        "--profile", choices=framework.PROFILE_NAMES, help="指标体系（缺省按指标名称自动判断）"
    )
    fill_cmd.set_defaults(run=_fill)
    validate_cmd = commands.add_parser("validate", help="校验：找出每个文件、工作表、单元格的问题")
    validate_cmd.add_argument("inputs", nargs="+", help="工作簿（可多个）")
    validate_cmd.add_argument(
        "--profile", choices=framework.PROFILE_NAMES, help="指标体系（缺省按指标名称自动判断）"
    )
    validate_cmd.add_argument("--json", action="store_true", help="输出 JSON")
    validate_cmd.add_argument(
        "--excel", metavar="OUT", help="另存一份标出问题单元格、带“校验结果”工作表的工作簿"
    )
    validate_cmd.set_defaults(run=_validate)
    addin_parser = commands.add_parser("addin", help="Excel 加载项（功能区“绩效目标”）")
    addin_commands = addin_parser.add_subparsers(title="子命令")
    addin_build = addin_commands.add_parser(
        "build", help="由文本源生成 jixiao.xlam（每次字节相同）"
    )
    addin_build.add_argument("-o", "--output", default="jixiao.xlam", help="输出文件")
    addin_build.add_argument(
        "--self-test",
        action="store_true",
        help="自检版本：只含一个写单元格的宏（供无 Excel 环境验证）",
    )
    addin_build.set_defaults(run=_addin_build)
    addin_install = addin_commands.add_parser(
        "install", help="安装到 Excel 启动文件夹，并让 xlwings 使用当前 Python"
    )
    addin_install.add_argument(
        "--addin", help="安装此加载项文件（缺省：由随包附带的文本源现场生成）"
    )
    addin_install.add_argument("--target", help="安装到此文件夹（缺省为 Excel 的 XLSTART）")
    addin_install.add_argument(
        "--home", help="把 .jixiao/jixiao.conf 写到此文件夹（缺省为用户主目录）"
    )
    addin_install.set_defaults(run=_addin_install)
    compare_cmd = commands.add_parser(
        "compare", help="对比：两个版本（上年与本年、审核前与审核后）逐项目、逐指标的变化"
    )
    compare_cmd.add_argument("old", help="旧版本：工作簿或文件夹（任意格式）")
    compare_cmd.add_argument("new", help="新版本：工作簿或文件夹（任意格式）")
    compare_cmd.add_argument("-o", "--output", required=True, help="对比结果工作簿 .xlsx")
    compare_cmd.add_argument("--json", metavar="R", help="另存对比结果（JSON）")
    compare_cmd.set_defaults(run=_compare)
    lite_cmd = commands.add_parser(
        "lite", help="生成 xlwings Lite 用的 main.py 和 requirements.txt（无需本机 Python）"
    )
    lite_cmd.add_argument("-o", "--output", default="addin/lite", help="输出文件夹")
    lite_cmd.add_argument(
        "--wheel-url",
        help="jixiao 安装包（.whl）的网址，服务器须允许 CORS（推荐）",
    )
    lite_cmd.add_argument("--index-url", help="自建 xlwings Lite 的私有软件包索引地址")
    lite_cmd.add_argument(
        "--public-index",
        action="store_true",
        help="按名称（jixiao==版本）从公共软件包索引安装：同名的其他软件包也会被安装，慎用",
    )
    lite_cmd.set_defaults(run=_lite)
    selfeval_cmd = commands.add_parser(
        "selfeval", help="自评：由绩效目标生成自评表、按规则计算得分并检查、汇总各单位的自评"
    )
    selfeval_commands = selfeval_cmd.add_subparsers(title="子命令", metavar="命令")
    selfeval_build = selfeval_commands.add_parser(
        "build", help="由绩效目标（任意格式）生成每个项目的自评表和“自评明细”"
    )
    selfeval_build.add_argument("input", help="绩效目标工作簿")
    selfeval_build.add_argument("-o", "--output", required=True, help="输出的自评工作簿")
    selfeval_build.add_argument("--year", help="自评年度（缺省：从目标中读取，否则为上一年）")
    selfeval_build.set_defaults(run=_selfeval_build)
    selfeval_score = selfeval_commands.add_parser(
        "score", help="按规则计算已填写的自评表的得分，并检查（实际完成值、偏差原因、得分、总分）"
    )
    selfeval_score.add_argument("input", help="填写好的自评表（jixiao 生成的或其他单位的）")
    selfeval_score.add_argument("-o", "--output", help="另存得分和检查结果（.xlsx）")
    selfeval_score.add_argument("--json", metavar="R", help="另存得分和检查结果（JSON）")
    selfeval_score.add_argument("--targets", help="批复的绩效目标，用来核对年度指标值")
    selfeval_score.set_defaults(run=_selfeval_score)
    selfeval_sum = selfeval_commands.add_parser(
        "consolidate", help="汇总各单位的自评表：每个项目的总分和等级、各单位平均分、未完成的指标"
    )
    selfeval_sum.add_argument("inputs", nargs="+", help="自评表文件或文件夹")
    selfeval_sum.add_argument("-o", "--output", required=True, help="输出的汇总工作簿")
    selfeval_sum.add_argument("--json", metavar="R", help="另存汇总结果（JSON）")
    selfeval_sum.set_defaults(run=_selfeval_consolidate)
    web_cmd = commands.add_parser(
        "web", help="浏览器版：生成网页（无需安装，文件不离开本机）或在本机打开"
    )
    web_commands = web_cmd.add_subparsers(title="子命令", metavar="命令")
    web_build = web_commands.add_parser(
        "build", help="生成网页文件夹（页面、Python 运行环境和全部安装包，均在本地）"
    )
    web_build.add_argument("-o", "--output", required=True, help="输出文件夹")
    web_build.add_argument(
        "--pyodide", help="Pyodide 运行环境和安装包所在的文件夹（缺省：.pyodide）"
    )
    web_build.add_argument("--jixiao-wheel", help="jixiao 的 .whl（缺省：从源代码生成）")
    web_build.set_defaults(run=_web_build)
    web_serve = web_commands.add_parser("serve", help="在本机（127.0.0.1）打开网页")
    web_serve.add_argument("folder", nargs="?", default="jixiao-web", help="网页文件夹")
    web_serve.add_argument("--port", type=int, default=8765, help="端口（缺省 8765；0 为任选）")
    web_serve.set_defaults(run=_web_serve)
    template_parser = commands.add_parser("template", help="空白模板（宽表、指标明细、卡片）")
    template_commands = template_parser.add_subparsers(title="子命令")
    build_cmd = template_commands.add_parser(
        "build",
        help="生成各种格式的空白模板工作簿（宽表、指标明细、卡片、指标行、两栏卡片、申报表）",
    )
    build_cmd.add_argument("-o", "--output", default="xlsx_templates", help="输出目录")
    build_cmd.add_argument(
        "--profile",
        default=framework.DEFAULT_PROFILE,
        choices=framework.PROFILE_NAMES,
        help="下拉列表使用的指标体系",
    )
    build_cmd.set_defaults(run=_template_build)
    for command in (unpack_cmd, pack_cmd, convert_cmd):
        command.add_argument("input", help="输入工作簿（不会被修改）")
        command.add_argument("-o", "--output", required=True, help="输出工作簿 .xlsx")
        command.set_defaults(run=_convert)
    return parser


def _packed_parse(args: argparse.Namespace) -> int:
    from jixiao import packed

    text = sys.stdin.read()
    if not text.strip():
        raise CommandError(
            "标准输入为空：请输入一个打包的绩效指标字符串（例如从宽表的“绩效指标”单元格复制）"
        )
    result = packed.parse(text)
    indicators = []
    for item in result.indicators:
        data = {k: getattr(item, k) for k in packed.FIELDS}
        if item.raw is not None:
            data["raw"] = item.raw  # what could not be read, verbatim
        indicators.append(data)
    report = {
        "indicators": indicators,
        "findings": [
            {"code": f.code, "severity": f.severity, "message": f.message, "offset": f.offset}
            for f in result.findings
        ],
        "canonical": result.canonical,
    }
    _dump(report, sys.stdout)
    return 0 if result.ok else 1


def _packed_render(args: argparse.Namespace) -> int:
    from jixiao import packed
    from jixiao.model import validate_indicator

    try:
        document = json.loads(sys.stdin.read())
    except json.JSONDecodeError as error:
        raise CommandError(
            f"输入不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列）"
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("indicators"), list):
        raise CommandError('输入应为 {"indicators": [...]}')
    indicators = []
    for number, entry in enumerate(document["indicators"], start=1):
        if not isinstance(entry, dict):
            raise CommandError(f"第 {number} 个指标不是 JSON 对象")
        try:
            indicators.append(validate_indicator(entry))
        except ValueError as error:
            raise CommandError(f"第 {number} 个指标的字段有误：{error}") from None
    try:
        print(packed.render(indicators))
    except packed.RenderError as error:
        raise CommandError(str(error)) from None
    return 0


def _tsv_cell(text: str) -> str:
    """A cell of TSV meant for Excel: a tab would split it, and text starting with = + - @
    would be taken for a formula when pasted (``=HYPERLINK(…)``); a leading ' keeps it text,
    as Excel itself marks text typed so."""
    text = text.replace("\t", " ")
    return "'" + text if len(text) > 1 and text[0] in "=+-@" else text


def _packed_table(args: argparse.Namespace) -> int:
    from jixiao import packed
    from jixiao.layouts.headers import LONG_COLUMNS

    if args.file:
        try:
            source: TextIO = open(args.file, encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as error:
            raise CommandError(f"无法打开文件 {args.file}：{error.strerror}") from None
    else:
        source = sys.stdin
    columns = ["project_name", *packed.FIELDS]
    print("\t".join(LONG_COLUMNS[c] for c in columns))
    worst = 0
    with source:
        for line in source:
            name, _, text = line.rstrip("\n").rpartition("\t")
            if not text.strip():
                continue
            result = packed.parse(text)
            for item in result.indicators:
                values = [name] + [str(getattr(item, c) or "") for c in packed.FIELDS]
                print("\t".join(_tsv_cell(v) for v in values))
            for finding in result.findings:
                print(f"{name or '（未命名）'}：{finding.message}", file=sys.stderr)
            worst = max(worst, 0 if result.ok else 1)
    return worst


def _writable(path: str, inputs: Sequence[str | os.PathLike[str]] = (), **kind: Any) -> str:
    """Refuse an output that is an input or cannot be written, before any work is done.

    Returns the verb to report the output with: an existing file is replaced (atomically,
    only once the new one is complete), and the user is told so.
    """
    from jixiao.files.paths import output_path

    target = output_path(path, inputs, **kind)
    return "已覆盖" if target.exists() else "已写入"


def _writable_folder(path: str, inputs: Sequence[str | os.PathLike[str]]) -> str:
    """A folder for tables: none of the inputs, and not a file."""
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise CommandError(f"{target} 是文件；--format parquet 的输出应为文件夹")
    for item in inputs:
        if Path(item).resolve().is_relative_to(target.resolve()) and target.exists():
            raise CommandError(f"输出文件夹 {target} 中有输入文件 {item}；请换一个文件夹")
    return "已覆盖" if (target / "indicators.parquet").exists() else "已写入"


def _convert(args: argparse.Namespace) -> int:
    from jixiao.conversion import describe, dropped
    from jixiao.files.write import write_sheets
    from jixiao.workbook import layout_sheets, read_workbook

    verb = _writable(args.output, [args.input])
    read = read_workbook(args.input, keep_other_sheets=True)
    sheets = layout_sheets(
        read.projects, args.to, read.department, department_goals=read.department_goals
    )
    written = write_sheets(args.output, sheets, protect=[args.input])
    origin = "、".join(f"{sheet}（{LAYOUT_NAMES[layout]}）" for sheet, layout in read.sheets)
    print(
        f"{verb} {written}：{len(read.projects)} 个项目，{read.indicator_count} 条指标"
        f"（读取自 {origin}）"
    )
    if read.other_sheets:  # a conversion writes the tables alone: say what stays behind
        names = "、".join(f"“{grid.sheet}”" for grid in read.other_sheets)
        print(f"工作表{names}没有绩效目标表，未转换（仍在原文件中）")
    lost = dropped(read.projects, read_workbook(written).projects)  # measured, per field
    if lost:
        print(describe(LAYOUT_NAMES[args.to], lost), file=sys.stderr)
    return _report(read.findings + [f for sheet in sheets for f in sheet.findings])


def _consolidate(args: argparse.Namespace) -> int:
    from jixiao.consolidate import consolidate, consolidation_inputs
    from jixiao.files.write import save_json
    from jixiao.summary_workbook import write_consolidation

    skipped: list[Path] = []
    parquet = args.format == "parquet"
    files = consolidation_inputs(args.inputs, args.output, skipped, folder_output=parquet)
    for path in skipped:
        print(
            f"跳过 {path}：是之前汇总生成的工作簿，再汇总会把各部门算两次"
            "（如确要汇总几个汇总结果，请直接列出这些文件）",
            file=sys.stderr,
        )
    verb = _writable_folder(args.output, files) if parquet else _writable(args.output, files)
    if args.report_json:
        _writable(args.report_json, [*files, args.output], suffixes=(".json",))
    with _progress(len(files), "个文件") as advance:
        result = consolidate(files, on_conflict=args.on_conflict, jobs=args.jobs, progress=advance)
    if sys.stderr.isatty():  # the bar is full, and writing a large workbook takes a while
        print(f"正在写入 {args.output}（{len(result.projects)} 个项目）…", file=sys.stderr)
    if parquet:
        from jixiao.frames import frames_of, write_parquet

        tables = write_parquet(frames_of(result), args.output)
        written = Path(args.output)
        shown = f"{written}（{'、'.join(t.name for t in tables)}）"
        where = " findings.parquet"
    else:
        written = write_consolidation(result, args.output, protect=files)
        shown, where = str(written), "“校验结果”"
    if args.report_json:
        save_json(result.to_json(), args.report_json, protect=[*files, written])
    failed = [f for f in result.files if f.status == "failed"]
    for report in failed:
        print(f"未能读取 {report.path}：{report.error}", file=sys.stderr)
    print(
        f"{verb} {shown}：{len(result.files) - len(failed)}/{len(result.files)} 个文件，"
        f"{len(result.projects)} 个项目，{result.indicator_count} 条指标，"
        f"{len(result.conflicts)} 处冲突，{result.count('error')} 个错误，"
        f"{result.count('warning')} 个警告（见{where}）"
    )
    if failed:
        print(f"有 {len(failed)} 个文件未能读取，退出码为 1", file=sys.stderr)
    return 1 if failed else 0


Listener = Callable[[int, int, str], None]
_listeners: list[Listener] = []


@contextlib.contextmanager
def progress_listener(listener: Listener | None) -> Iterator[None]:
    """Tell ``listener(done, total, item)`` of each step of a command run meanwhile (the
    page shows a consolidation's files this way; the terminal gets a bar)."""
    if listener is not None:
        _listeners.append(listener)
    try:
        yield
    finally:
        if listener is not None:
            _listeners.remove(listener)


class _progress:
    """A progress bar on stderr when it is a terminal (tqdm, loaded only then), and the
    listeners told of each step."""

    def __init__(self, total: int, unit: str) -> None:
        self.total, self.unit = total, unit
        self.bar: Any = None
        self.done = 0

    def __enter__(self) -> Callable[..., None]:
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, unit=self.unit, file=sys.stderr)
        return self.advance

    def advance(self, item: object = "") -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update()
        name = Path(item).name if isinstance(item, str | os.PathLike) else str(item)
        for listener in _listeners:
            listener(self.done, self.total, name)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def _steps(text: str) -> tuple[str, ...]:
    chosen = tuple(s.strip() for s in text.split(",") if s.strip())
    unknown = [s for s in chosen if s not in STEPS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"未知的步骤：{'、'.join(unknown)}；可选：{','.join(STEPS)}"
        )
    return chosen


def _fill(args: argparse.Namespace) -> int:
    from jixiao.fill import fill_workbook
    from jixiao.options import STEP_NAMES

    verb = _writable(args.output, [args.input])
    result = fill_workbook(
        args.input, args.output, steps=args.only, profile=args.profile, formulas=not args.values
    )
    for change in result.changes:
        print(f"{STEP_NAMES[change.step]}  {change.describe()}")
    kept = "（只改了这些单元格，原工作簿的其余内容原样保留）" if result.in_place else ""
    print(f"{verb} {result.output}：{len(result.changes)} 处修改{kept}")
    if result.rewritten:
        print(
            f"注意：{result.rewritten}，输出按原格式重新生成，原文件中的图片、批注、格式等未带上",
            file=sys.stderr,
        )
    if result.carried:
        names = "、".join(f"“{name}”" for name in result.carried)
        print(
            f"另带上原文件中没有绩效目标表的工作表{names}（单元格的值和合并；格式、公式以原文件为准）"
        )
    return _report(result.read.findings + result.findings)


def _validate(args: argparse.Namespace) -> int:
    from jixiao.files.paths import input_files
    from jixiao.validate import render_text, validate_files

    files = input_files(args.inputs)
    if not files:
        names = "、".join(args.inputs)
        raise CommandError(f"{names} 中没有可读取的工作簿（.xlsx、.xlsm、.xls、.ods）")
    verb = _writable(args.excel, files) if args.excel else ""
    result = validate_files(files, args.profile)
    if args.json:
        _dump(result.to_json(), sys.stdout)
    else:
        print(render_text(result))
    if args.excel:
        from jixiao.package_contents import describe
        from jixiao.report_excel import write_excel_report

        report = write_excel_report(result.findings, files, args.excel)
        print(f"{verb} {report.path}", file=sys.stderr if args.json else sys.stdout)
        if report.not_kept:
            print(
                f"注意：{report.path} 是标出问题的副本，没能带上原文件中的 "
                f"{describe(report.not_kept)}；原文件 {report.copy_of} 未改动，"
                "请在原文件上按“校验结果”修改",
                file=sys.stderr,
            )
    return 1 if result.has_errors else 0


def _addin_build(args: argparse.Namespace) -> int:
    from jixiao.addin.build import build_addin

    try:
        path = build_addin(args.output, self_test=args.self_test)
    except (OSError, WorkbookError) as error:
        raise CommandError(f"无法生成加载项：{error}") from None
    print(f"已生成 {path}（{path.stat().st_size:,} 字节）")
    return 0


def _addin_install(args: argparse.Namespace) -> int:
    import tempfile

    from jixiao.addin.build import build_addin
    from jixiao.addin.install import install_addin

    with tempfile.TemporaryDirectory() as scratch:
        if args.addin:
            addin = Path(args.addin)
            if not addin.is_file():
                raise CommandError(f"找不到加载项文件 {addin}：请检查路径，或省略 --addin 现场生成")
        else:
            addin = build_addin(Path(scratch) / "jixiao.xlam")
        try:
            placed, config = install_addin(
                addin,
                target=Path(args.target) if args.target else None,
                home=Path(args.home) if args.home else None,
            )
        except (OSError, WorkbookError) as error:
            raise CommandError(f"无法安装加载项：{reason(error)}") from None
    print(f"已安装 {placed}\n已写入 {config}（xlwings 使用 {sys.executable}）")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from jixiao.compare import DIRECTIONS, compare
    from jixiao.compare_workbook import write_comparison
    from jixiao.consolidate import consolidate
    from jixiao.files.paths import input_files
    from jixiao.files.write import save_json

    sides = [input_files([args.old]), input_files([args.new])]
    for given, files in zip((args.old, args.new), sides, strict=True):
        if not files:
            raise CommandError(f"{given} 中没有可读取的工作簿（.xlsx、.xlsm、.xls、.ods）")
    inputs = [*sides[0], *sides[1]]
    verb = _writable(args.output, inputs)
    if args.json:
        _writable(args.json, [*inputs, args.output], suffixes=(".json",))
    read = [consolidate(files, checks=False) for files in sides]
    for given, side in zip((args.old, args.new), read, strict=True):
        failed = [report for report in side.files if report.status == "failed"]
        if failed and not Path(given).is_dir():
            raise CommandError(failed[0].error)
        for report in failed:  # a folder's 说明.docx, an earlier comparison: left out, named
            note = f"未读取 {report.path}：{report.error}（已跳过，其余文件照常对比）"
            print(note, file=sys.stderr)
        if len(failed) == len(side.files):
            raise CommandError(f"{given} 中没有可识别的绩效目标表")
    comparison = compare(read[0].projects, read[1].projects)
    written = write_comparison(comparison, args.output, protect=inputs)
    if args.json:
        save_json(comparison.to_json(), args.json, protect=[*inputs, written])
    changes = comparison.changes
    moved = {DIRECTIONS[d]: sum(1 for c in changes if c.direction == d) for d in DIRECTIONS}
    detail = "，".join(f"{label} {n}" for label, n in moved.items() if n)
    print(
        f"{verb} {written}：{len(comparison.matches)} 个项目，{comparison.unchanged} 个未变化，"
        f"{len(changes)} 处变化（{detail or '无'}），{len(comparison.findings)} 条审核提示"
    )
    for finding in comparison.findings:
        print(f"提示：{finding.message}", file=sys.stderr)
    return 0


def _lite(args: argparse.Namespace) -> int:
    from jixiao.addin.lite import SOURCE_NEEDED, write_lite

    if sum(map(bool, (args.wheel_url, args.index_url, args.public_index))) != 1:
        raise CommandError(SOURCE_NEEDED)
    verbs = [
        _writable(str(Path(args.output) / name), suffixes=(suffix,))
        for name, suffix in (("main.py", ".py"), ("requirements.txt", ".txt"))
    ]
    paths = write_lite(
        args.output,
        wheel_url=args.wheel_url,
        index_url=args.index_url,
        public_index=args.public_index,
    )
    for verb, path in zip(verbs, paths, strict=True):
        print(f"{verb} {path}")
    return 0


def _selfeval_build(args: argparse.Namespace) -> int:
    from jixiao.selfeval.build import build_selfeval

    verb = _writable(args.output, [args.input])
    written, projects, indicators = build_selfeval(args.input, args.output, year=args.year)
    note = "另有“自评明细”，两处填写其一即可"
    print(f"{verb} {written}：{projects} 张自评表，{indicators} 条指标（{note}）")
    return 0


def _scoring_line(scoring: Any) -> str:
    from jixiao.selfeval.rules import LEVELS

    projects = scoring.projects
    counts = "、".join(
        f"{name} {sum(1 for p in projects if p.level == name)}" for name, _ in LEVELS
    )
    average = sum(p.total for p in projects) / len(projects) if projects else 0
    errors = sum(1 for f in scoring.findings if f.severity == "error")
    warnings = sum(1 for f in scoring.findings if f.severity == "warning")
    return (
        f"{len(projects)} 个项目，平均 {average:.2f} 分（{counts}），"
        f"{errors} 个错误，{warnings} 个警告"
    )


def _selfeval_score(args: argparse.Namespace) -> int:
    from jixiao.files.write import save_json
    from jixiao.selfeval.report import write_scoring
    from jixiao.selfeval.score import score_files
    from jixiao.validate import finding_line

    inputs = [Path(args.input), *([Path(args.targets)] if args.targets else [])]
    verb = _writable(args.output, inputs) if args.output else ""
    if args.json:
        _writable(args.json, inputs, suffixes=(".json",))
    scoring = score_files([args.input], targets=args.targets)
    failed = [f for f in scoring.files if f["status"] == "failed"]
    if failed:
        raise CommandError(failed[0]["error"])
    # the files first: a reader of the printout (| head) may leave before it ends
    written = write_scoring(scoring, args.output, protect=inputs) if args.output else None
    if args.json:
        save_json(scoring.to_json(), args.json, protect=inputs)
    for project in scoring.projects:
        print(f"{project.evaluation.project.name}：{project.total:.2f} 分（{project.level}）")
    for finding in scoring.findings:
        print(finding_line(finding))
    print(_scoring_line(scoring))
    if written is not None:
        print(f"{verb} {written}")
    return 1 if any(f.severity == "error" for f in scoring.findings) else 0


def _selfeval_consolidate(args: argparse.Namespace) -> int:
    from jixiao.files.paths import input_files
    from jixiao.files.write import save_json
    from jixiao.selfeval.report import write_selfeval_consolidation
    from jixiao.selfeval.score import score_files

    files = input_files(args.inputs)
    if not files:
        raise CommandError(f"{'、'.join(args.inputs)} 中没有可读取的工作簿")
    verb = _writable(args.output, files)
    if args.json:
        _writable(args.json, [*files, args.output], suffixes=(".json",))
    with _progress(len(files), "个文件") as advance:
        scoring = score_files(files, progress=advance)
    written = write_selfeval_consolidation(scoring, args.output, protect=files)
    if args.json:
        save_json(scoring.to_json(), args.json, protect=[*files, written])
    failed = [f for f in scoring.files if f["status"] == "failed"]
    for report in failed:
        print(f"未能读取 {report['path']}：{report['error']}", file=sys.stderr)
    read = f"{len(files) - len(failed)}/{len(files)} 个文件"
    print(f"{verb} {written}：{read}，{_scoring_line(scoring)}")
    return 1 if failed else 0


def _web_build(args: argparse.Namespace) -> int:
    from jixiao.web.site import build_site

    site = build_site(args.output, pyodide=args.pyodide, jixiao_wheel=args.jixiao_wheel)
    wheels = sum(1 for name in site.files if name.startswith("wheels/"))
    print(
        f"已生成网页 {site.folder}：{len(site.files)} 个文件，{site.size / 1e6:.1f} MB"
        f"（其中安装包 {wheels} 个）；本机打开：jixiao web serve {site.folder}"
    )
    return 0


def _web_serve(args: argparse.Namespace) -> int:
    from jixiao.web.serve import serve

    serve(args.folder, args.port)
    return 0


def _template_build(args: argparse.Namespace) -> int:
    from jixiao.templates import NAMES, build_templates

    verbs = [_writable(str(Path(args.output) / name)) for name in NAMES.values()]
    paths = build_templates(args.output, args.profile)
    for verb, path in zip(verbs, paths, strict=True):
        print(f"{'已生成' if verb == '已写入' else verb} {path}")
    return 0


def _report(findings: list[Finding]) -> int:
    """Print findings to stderr, most severe first; exit status 1 when any is an error."""
    from jixiao.validate import ORDER, SEVERITY_LABELS

    for finding in sorted(findings, key=lambda f: ORDER[f.severity]):
        where = finding.location.describe() if finding.location else ""
        label = SEVERITY_LABELS[finding.severity]
        hint = f"（{finding.hint}）" if finding.hint else ""
        print(f"{label}：{where}：{finding.message}{hint}", file=sys.stderr)
    return 1 if any(f.severity == "error" for f in findings) else 0


def _dump(data: Any, stream: TextIO) -> None:
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
