"""jixiao inside Pyodide (the Python of xlwings Lite), run under Node, offline.

``tools/pyodide/setup.sh`` installs the runtime (npm ``pyodide@314.0.7``) and the wasm
wheels pinned with their hashes in ``tools/pyodide/requirements.lock``; jixiao itself comes
from a wheel built here with ``python -m build``. The core tests run inside Pyodide, and the
xlwings Lite scripts and functions must give exactly what they give on CPython.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

RUNTIME = ROOT / ".pyodide" / "node_modules" / "pyodide"
WHEELS = ROOT / ".pyodide" / "wheels"
RUNNER = ROOT / "tools" / "pyodide" / "run.mjs"
SETUP = "bash tools/pyodide/setup.sh (needs Node.js and npm: apt-get install nodejs npm)"

# What runs inside Pyodide: the codec on every seed string, the three layouts in memory,
# validation and fill on the seeds, the checks, and every Lite script and function on real
# Books. Left out: tests that start processes or need LibreOffice (Pyodide has neither).
SUITE = ["tests/test_packed_seed.py", "tests/test_packed_input.py", "tests/test_values.py",
         "tests/test_framework.py", "tests/test_layouts.py", "tests/test_checks.py",
         "tests/test_prose.py", "tests/test_validate_seeds.py", "tests/test_fill.py",
         "tests/test_lite.py"]  # fmt: skip
# (and the clerk's .xlsm built with Pillow's seal picture: Pillow is not among the wheels)
OUTSIDE = "not registers and not live_formulas and not clerks_own_workbook"


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not shutil.which("node"):
        pytest.skip(f"needs Node.js: {SETUP}")
    if not (RUNTIME / "pyodide.asm.wasm").exists() or not list(WHEELS.glob("*.whl")):
        pytest.skip(f"needs Pyodide and its wheels: {SETUP}")
    out = tmp_path_factory.mktemp("jixiao-wheel")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    return f"{WHEELS}:{out}"


def pyodide(wheels: str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["node", str(RUNNER), wheels, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)  # fmt: skip


def test_the_core_suite_passes_inside_pyodide(wheels: str) -> None:
    done = pyodide(wheels, "--pytest", "-q", "-rs", "-k", OUTSIDE, *SUITE)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    summary = done.stdout.strip().splitlines()[-1]
    passed = int(re.search(r"(\d+) passed", summary).group(1))  # type: ignore[union-attr]
    assert passed >= 150 and "skipped" not in summary and "failed" not in summary, summary
    assert "pyodide 314.0.7" in done.stderr


LITE = """
import json
from xlwings.server import custom_functions_meta, custom_scripts_meta
import jixiao
from lite_actions import everything, lite_main
main = lite_main()
print(json.dumps({
    "jixiao": jixiao.__file__,
    "scripts": {s["function_name"]: s["name"] for s in custom_scripts_meta(main)},
    "functions": sorted(f["name"] for f in custom_functions_meta(main)["functions"]),
    "everything": everything(),
}, ensure_ascii=False))
"""


def test_lite_scripts_and_functions_match_cpython_action_for_action(wheels: str) -> None:
    from lite_actions import everything

    done = pyodide(wheels, "--code", LITE)
    assert done.returncode == 0, done.stderr[-4000:]
    inside: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert "site-packages" in inside["jixiao"]  # the wheel's jixiao, not the checkout's
    assert inside["scripts"] == {"unpack": "拆分", "pack": "合并", "cards": "生成卡片", "validate": "校验", "clear_marks": "清除标记", "compare": "对比",
                                 "fill": "补全", "selfeval": "生成自评表", "template": "模板", "consolidate_book": "汇总本工作簿"}  # fmt: skip
    assert inside["functions"] == ["JX_CHECK", "JX_PACK", "JX_UNPACK", "JX_VALUE"]
    cpython = everything()
    for name, actions in cpython.items():
        assert inside["everything"][name] == actions, name


def test_the_lite_requirements_are_the_wheels_tested_here() -> None:
    def pins(path: Path) -> dict[str, str]:
        found = {}
        for line in path.read_text("utf-8").splitlines():
            match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line)
            if match:
                found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
        return found

    lite = pins(ROOT / "addin" / "lite" / "requirements.txt")
    lock = pins(ROOT / "tools" / "pyodide" / "requirements.lock")
    assert lite.pop("jixiao", None) is None  # jixiao is named by its wheel URL, never by name alone
    assert lite and all(lock.get(name) == version for name, version in lite.items()), (lite, lock)
