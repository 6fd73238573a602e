"""The committed fixtures are what tools/seed_fixtures.py makes of the published seeds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEEDS


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the published seeds are not beside the repository")
def test_fixtures_are_reproducible_from_the_seeds(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "tools/seed_fixtures.py", str(SEEDS), str(tmp_path)], cwd=ROOT, check=True,
        capture_output=True,
    )  # fmt: skip
    made = sorted(p.name for p in tmp_path.glob("*.json"))
    assert made and made == sorted(p.name for p in FIXTURES.glob("seed_*.json"))
    for name in made:
        assert json.loads((tmp_path / name).read_text("utf-8")) == json.loads((FIXTURES / name).read_text("utf-8"))
