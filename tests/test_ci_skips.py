"""The CI rule itself: a test that skips on a developer's machine fails under CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(folder: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (folder / "test_needs_a_tool.py").write_text(
        "import pytest\n"
        "def test_needs_a_tool():\n"
        "    pytest.skip('needs sometool: apt-get install sometool')\n"
        "@pytest.mark.xfail(reason='known', strict=True)\n"
        "def test_known_failure():\n"
        "    assert False\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = str(HERE)
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "ci_skips", "-q", "-rs", "-p", "no:cacheprovider", str(folder)],
        capture_output=True, text=True, env=env, cwd=folder,
    )


def test_a_skip_is_a_skip_on_a_developers_machine_and_a_failure_under_ci(tmp_path: Path) -> None:
    here = run(tmp_path, None)
    assert here.returncode == 0 and "1 skipped, 1 xfailed" in here.stdout, here.stdout
    assert "apt-get install sometool" in here.stdout
    ci = run(tmp_path, "true")
    assert ci.returncode == 1 and "1 failed, 1 xfailed" in ci.stdout, ci.stdout
    assert "skipped under CI=true" in ci.stdout and "apt-get install sometool" in ci.stdout
