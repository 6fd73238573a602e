"""The package as a wheel: what a clerk's PC gets from ``pip install jixiao-….whl``.

The wheel is built with ``python -m build`` from this checkout and installed without its
dependencies into a fresh venv, which borrows them from the test environment by a path
entry (a path entry, unlike a site folder, does not run this checkout's editable-install
hook, so ``import jixiao`` can only find the wheel's copy). Every command that reads files
shipped with the package then runs from a folder outside the checkout.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from jixiao.addin.build import build_addin


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    (path,) = out.glob("jixiao-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    (Path(site) / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def run(python: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "XLWINGS_LICENSE_KEY": "noncommercial"}
    return subprocess.run([str(python), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def test_the_wheel_holds_the_addin_sources_and_the_framework(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("jixiao/addin/customUI.xml", "jixiao/addin/vba/ThisWorkbook.cls",
                    "jixiao/addin/vba/JixiaoRibbon.bas", "jixiao/addin/vba/Sheet1.cls",
                    "jixiao/addin/vba/SelfTest.bas", "jixiao/data/framework.csv", "jixiao/py.typed",
                    "jixiao/addin/xlwings_lite/main.py", "jixiao/addin/xlwings_lite/requirements.txt"):  # fmt: skip
        assert shipped in names, shipped
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "samples/"))]


def test_an_installed_wheel_builds_and_installs_the_addin_and_templates(installed: Path, tmp_path: Path) -> None:
    where = run(installed, tmp_path, "-c", "import jixiao; print(jixiao.__file__)")
    assert where.returncode == 0 and str(installed.parent.parent) in where.stdout, where
    assert str(ROOT) not in where.stdout  # the wheel's copy, not this checkout

    built = run(installed, tmp_path, "-m", "jixiao.cli", "addin", "build", "-o", "jixiao.xlam")
    assert built.returncode == 0, built.stderr
    same = build_addin(tmp_path / "from-checkout.xlam")
    assert (tmp_path / "jixiao.xlam").read_bytes() == same.read_bytes()

    done = run(installed, tmp_path, "-m", "jixiao.cli", "addin", "install",
               "--target", "XLSTART", "--home", "home")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "XLSTART" / "jixiao.xlam").read_bytes() == same.read_bytes()
    assert "jixiao.excel.udfs" in (tmp_path / "home" / ".jixiao" / "jixiao.conf").read_text("utf-8")

    lite = run(installed, tmp_path, "-m", "jixiao.cli", "lite", "-o", "lite", "--wheel-url",
                "https://files.example.gov.cn/jixiao-0.1.0-py3-none-any.whl")  # as the README
    assert lite.returncode == 0, lite.stderr
    for name in ("main.py", "requirements.txt"):
        assert (tmp_path / "lite" / name).read_bytes() == (ROOT / "addin" / "lite" / name).read_bytes()

    templates = run(installed, tmp_path, "-m", "jixiao.cli", "template", "build", "-o", "templates")
    assert templates.returncode == 0, templates.stderr
    for committed in (ROOT / "xlsx_templates").iterdir():
        assert (tmp_path / "templates" / committed.name).read_bytes() == committed.read_bytes()
