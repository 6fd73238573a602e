"""Every ``console`` example in the README runs as written and prints what the README shows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)


def examples() -> list[tuple[str, str]]:
    found = []
    for block in BLOCK.findall((ROOT / "README.md").read_text("utf-8")):
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            found.append((command, "\n".join(output)))
    return found


def test_the_readme_has_examples_for_every_command() -> None:
    commands = " ".join(c for c, _ in examples())
    for name in ("packed parse", "packed render", "packed table", "unpack", "pack", "convert",
                 "template build", "validate", "fill", "consolidate", "addin build", "addin install", "lite", "compare",
                 "web build", "web serve", "selfeval build", "selfeval score", "selfeval consolidate"):
        assert f"jixiao {name}" in commands


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like a fresh checkout (samples, no out/), so outputs start out new."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / "samples").symlink_to(ROOT / "samples", target_is_directory=True)
    (folder / "README.md").symlink_to(ROOT / "README.md")
    return folder


@pytest.mark.parametrize(("command", "expected"), examples(), ids=lambda v: v[:40])
def test_readme_example(command: str, expected: str, checkout: Path) -> None:
    if "jixiao web" in command and not (ROOT / ".pyodide" / "node_modules" / "pyodide").is_dir():
        pytest.skip("needs the Pyodide runtime and wheels: bash tools/pyodide/setup.sh (Node.js and npm)")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run(
        ["bash", "-c", command], cwd=checkout, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.rstrip("\n") == expected.rstrip("\n"), done.stderr


def test_the_readmes_python_examples_run_as_written(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``pycon`` blocks, as a notebook would run them, each line's output as shown."""
    import doctest

    blocks = re.findall(r"```pycon\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.DOTALL)
    assert blocks
    monkeypatch.chdir(checkout)
    for block in blocks:
        test = doctest.DocTestParser().get_doctest(block, {}, "README", "README.md", 0)
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        runner.run(test)
        assert runner.summarize(verbose=False).failed == 0, block


def test_the_readme_lists_every_check_code() -> None:
    from jixiao.checks import specs

    text = (ROOT / "README.md").read_text("utf-8")
    assert all(f"| `{code}` |" in text for code in specs())


def test_every_link_in_the_documentation_resolves_inside_the_repository() -> None:
    documents = [ROOT / "README.md", ROOT / "addin" / "README.md", ROOT / "benchmarks" / "README.md",
                 *(ROOT / "docs").glob("*.md")]  # fmt: skip
    checked = 0
    for document in documents:
        for target in re.findall(r"\]\(([^)#\s]+)", document.read_text("utf-8")):
            assert "://" not in target or target.startswith("https://"), (document, target)
            if "://" in target:
                continue
            resolved = (document.parent / target).resolve()
            assert resolved.is_relative_to(ROOT) and resolved.exists(), (document.name, target)
            checked += 1
    assert checked >= 3  # README → docs/DESIGN.md, docs/card-example.png, addin/README.md
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")
