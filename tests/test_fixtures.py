"""The committed fixtures are what tools/seed_fixtures.py makes of the published seeds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEEDS


def regenerate(tool: str, source: Path, into: Path) -> list[str]:
    """Run a fixture tool into a folder; the names of the fixtures it made, each equal to
    the committed one."""
    subprocess.run([sys.executable, tool, str(source), str(into)], cwd=ROOT, check=True, capture_output=True)
    made = sorted(p.name for p in into.glob("*.json"))
    for name in made:
        assert json.loads((into / name).read_text("utf-8")) == json.loads((FIXTURES / name).read_text("utf-8")), name
    return made


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the published seeds are not beside the repository")
def test_fixtures_are_reproducible_from_the_seeds(tmp_path: Path) -> None:
    made = regenerate("tools/seed_fixtures.py", SEEDS, tmp_path)
    assert made and made == sorted(p.name for p in FIXTURES.glob("seed_*.json"))


EXAMPLES = ROOT.parent / "shared" / "examples" / "other-regions.md"


@pytest.mark.skipif(not EXAMPLES.is_file(), reason="the published excerpts are not beside the repository")
def test_region_fixtures_are_reproducible_from_the_excerpts(tmp_path: Path) -> None:
    made = regenerate("tools/region_fixtures.py", EXAMPLES, tmp_path)
    assert made == ["region_dongguan.json", "region_hengyang.json", "region_zhalaite.json"]
