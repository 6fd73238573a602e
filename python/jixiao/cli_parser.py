"""argparse speaking Chinese: usage, help, defaults and errors of the ``jixiao`` command.

argparse writes its own words in English (``usage:``, ``show this help message and exit``,
``invalid choice``) and wraps text at spaces, which Chinese has none of. This parser and
formatter replace those words, show every option's default, and wrap by display width
without breaking an ASCII word (``codes,normalize,…``) in the middle.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from jixiao.textwidth import width

# argparse's error messages (Python 3.11-3.14), as regular expressions -> Chinese templates.
ERRORS = [
    (r"the following arguments are required: (.*)", "缺少必需的参数：{0}"),
    (r"unrecognized arguments: (.*)", "无法识别的参数：{0}"),
    (
        r"argument (\S+): invalid choice: '?(.*?)'? \(choose from (.*)\)",
        "参数 {0}：无效的选项“{1}”（可选：{2}）",
    ),
    (r"argument (\S+): invalid (\w+) value: '?(.*?)'?$", "参数 {0}：“{2}”不是有效的值"),
    (r"argument (\S+): expected one argument", "参数 {0}：需要一个值"),
    (r"argument (\S+): expected at least one argument", "参数 {0}：至少需要一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", "参数 {0} 不能与 {1} 同时使用"),
    (r"ambiguous option: (\S+) could match (.*)", "选项 {0} 有歧义，可能是：{1}"),
    (r"argument (\S+): (.*)", "参数 {0}：{1}"),
]


def translate(message: str) -> str:
    for pattern, template in ERRORS:
        match = re.fullmatch(pattern, message.strip(), re.DOTALL)
        if match:
            return template.format(*(g.replace("'", "") for g in match.groups()))
    return message


def wrap(text: str, columns: int) -> list[str]:
    """Greedy fill by display width; an ASCII word never breaks, a CJK character may."""
    lines: list[str] = []
    line = ""
    for token in re.findall(r"[\x21-\x7e]+|\s+|.", " ".join(text.split())):
        if line and width(line) + width(token) > columns:
            lines.append(line.rstrip())
            line = "" if token.isspace() else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class Formatter(argparse.HelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width))

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        shown = default not in (None, False, argparse.SUPPRESS) and not isinstance(default, bool)
        if shown and "缺省" not in text and action.option_strings:
            value = ",".join(default) if isinstance(default, tuple | list) else default
            text += f"（缺省：{value}）"
        return text


class Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands whose own ``--help`` opens with the line the parent lists them by."""

    def add_parser(self, name, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("description", kwargs.get("help"))
        return super().add_parser(name, **kwargs)


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", Parser)
        kwargs.setdefault("action", Commands)
        kwargs.setdefault("metavar", "命令")
        return super().add_subparsers(**kwargs)

    def format_help(self) -> str:
        # argparse ends each section heading with an ASCII colon; Chinese takes a full-width one
        return re.sub(r"^(\S[^\n]*):$", r"\1：", super().format_help(), flags=re.M)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"jixiao: {translate(message)}\n")
