"""One voice on the command line: Chinese help and errors, defaults shown, one prefix and
exit code for a user's mistake, folders wherever inputs are read, and a start-up that loads
no heavy library."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, fixture_projects

from jixiao.cli_parser import wrap
from jixiao.textwidth import width
from jixiao.workbook import write_workbook

JIXIAO = str(Path(sys.executable).parent / "jixiao")
ENGLISH = ("usage:", "show this help", "positional arguments", "options:", "invalid choice",
           "the following arguments", "error:", "unrecognized", "{packed,unpack")  # fmt: skip


def run(*args: str, stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="80")
    return subprocess.run([JIXIAO, *args], input=stdin, capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def commands() -> list[list[str]]:
    found = [[]]
    for group, subcommands in {"packed": ["parse", "render", "table"], "addin": ["build", "install"],
                               "template": ["build"]}.items():  # fmt: skip
        found += [[group]] + [[group, s] for s in subcommands]
    return found + [[c] for c in ("unpack", "pack", "convert", "consolidate", "fill", "validate")]


@pytest.mark.parametrize("command", commands(), ids=lambda c: " ".join(c) or "jixiao")
def test_every_help_is_chinese_with_a_description_and_defaults(command: list[str]) -> None:
    done = run(*command, "--help")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("用法：jixiao"), text
    assert not [w for w in ENGLISH if w in text], text
    description = text.split("\n\n")[1]
    assert re.search(r"[\u4e00-\u9fff]", description), f"no description: {text}"
    for line in text.splitlines():
        assert width(line) <= 80, line
    for option, default in (("template build", "xlsx_templates"), ("consolidate", "keep-both"),
                            ("addin build", "jixiao.xlam"), ("fill", "numbering")):  # fmt: skip
        if " ".join(command) == option:
            assert default in text and "缺省" in text


def test_help_never_breaks_a_word() -> None:
    text = run("fill", "--help").stdout
    assert "codes,normalize,annual,totals,skeleton,numbering" in text  # before: "numbe\nring"
    assert wrap("只做其中几步，逗号分隔：codes,normalize,annual", 20) == ["只做其中几步，逗号分", "隔：", "codes,normalize,annual"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["convert", "--to", "x", "a.xlsx", "-o", "b.xlsx"], "参数 --to：无效的选项“x”（可选：wide, long, card, rows, halves, terms）"),
        (["unpack"], "缺少必需的参数：input, -o/--output"),
        (["validate", "a.xlsx", "--nope"], "无法识别的参数：--nope"),
        (["consolidate", "a", "-o", "b.xlsx", "--jobs", "two"], "参数 --jobs：“two”不是有效的值"),
        (["fill", "a.xlsx", "-o", "b.xlsx", "--only", "codes,x"], "未知的步骤：x"),
    ],
)
def test_command_line_mistakes_are_one_chinese_line(args: list[str], message: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("jixiao: ") and message in last, done.stderr
    assert done.stderr.startswith("用法：") and not [w for w in ENGLISH if w in done.stderr]


def test_packed_parse_of_nothing_is_an_error() -> None:
    for empty in ("", "  \n\t"):
        done = run("packed", "parse", stdin=empty)
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.startswith("jixiao: 标准输入为空")


def test_validate_reads_folders_once_each(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_workbook(folder / "a.xlsx", fixture_projects("001"), "long")
    write_workbook(folder / "b.xlsx", fixture_projects("003"), "wide")
    done = run("validate", str(folder), str(folder), str(folder / "a.xlsx"), "--json")
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    import json

    report = json.loads(done.stdout)
    assert report["summary"]["files"] == 2  # before: a folder was refused; named twice, counted twice
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run("validate", str(empty))
    assert done.returncode == 1 and done.stderr.startswith("jixiao: ") and "没有可读取的工作簿" in done.stderr


def test_validate_excel_over_its_input_is_refused_first_like_every_command(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "a.xlsx", fixture_projects("001"), "long")
    before = source.read_bytes()
    started = time.perf_counter()
    done = run("validate", str(source), "--excel", str(source))
    assert done.returncode == 1 and done.stderr.startswith("jixiao: ") and "错误：" not in done.stderr
    assert done.stdout == ""  # refused before any work: no report printed
    assert source.read_bytes() == before and time.perf_counter() - started < 20


def test_an_existing_output_is_replaced_and_said_so(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "a.xlsx", fixture_projects("001"), "card")
    out = tmp_path / "out.xlsx"
    first, second = (run("unpack", str(source), "-o", str(out)) for _ in range(2))
    assert first.stdout.startswith("已写入 ") and second.stdout.startswith("已覆盖 ")
    templates = tmp_path / "t"
    assert run("template", "build", "-o", str(templates)).stdout.startswith("已生成 ")
    assert run("template", "build", "-o", str(templates)).stdout.startswith("已覆盖 ")


def test_start_up_loads_no_heavy_library() -> None:
    code = ("import sys, jixiao.cli; heavy = ('pandas', 'numpy', 'python_calamine', 'tqdm', 'openpyxl',"
            " 'xlsxwriter', 'pydantic', 'xlwings'); print([m for m in heavy if m in sys.modules])")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert shutil.which(JIXIAO) and run("--version").stdout.strip().startswith("jixiao ")
