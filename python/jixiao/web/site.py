"""``jixiao web build``: the page as a static site, with the Python it runs, all local.

The folder holds the page (index.html, app.js, worker.js, style.css), the Pyodide runtime
and every wheel the page installs into it, jixiao's own included, and ``manifest.json``
listing them. Nothing is fetched from another host, so it works offline and on an intranet
behind any static web server.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from jixiao import __version__
from jixiao.errors import WorkbookError

# The Pyodide runtime files the page loads (npm's pyodide package holds a few more).
RUNTIME_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
# What jixiao's core imports inside Pyodide (the first block of tools/pyodide/requirements.lock).
WHEELS = (
    "typing_extensions",
    "annotated_types",
    "typing_inspection",
    "pydantic_core",
    "pydantic",
    "et_xmlfile",
    "openpyxl",
    "xlsxwriter",
    "python_calamine",
)
STATIC = ("index.html", "app.js", "worker.js", "style.css")
SETUP_HINT = "bash tools/pyodide/setup.sh（需要 Node.js 和 npm），或用 --pyodide 指定其文件夹"


@dataclass
class Site:
    folder: Path
    files: dict[str, int] = field(default_factory=dict)  # relative path -> bytes

    @property
    def size(self) -> int:
        return sum(self.files.values())


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def source_root() -> Path | None:
    """The checkout jixiao runs from, where it is one (an editable install)."""
    root = Path(__file__).resolve().parents[3]
    checkout = (root / "setup.cfg").is_file() and (root / "python" / "jixiao").is_dir()
    return root if checkout else None


def default_pyodide() -> Path | None:
    if os.environ.get("JIXIAO_PYODIDE"):
        return Path(os.environ["JIXIAO_PYODIDE"])
    root = source_root()
    return root / ".pyodide" if root is not None else None


def build_jixiao_wheel(folder: Path) -> Path:
    """jixiao's wheel, built from the checkout with the standard build frontend."""
    root = source_root()
    if root is None:
        raise WorkbookError(
            "找不到 jixiao 的源代码，无法生成安装包：请用 --jixiao-wheel 指定 jixiao 的 .whl 文件"
        )
    command = ["-m", "build", "--wheel", "--no-isolation", "--outdir", str(folder), str(root)]
    done = subprocess.run(
        [sys.executable, *command],
        capture_output=True,
        text=True,
    )
    wheels = sorted(folder.glob("jixiao-*.whl"))
    if done.returncode != 0 or not wheels:
        last = (done.stderr.strip().splitlines() or [""])[-1]
        raise WorkbookError(f"生成 jixiao 安装包失败：{last}（需要 build：pip install build）")
    return wheels[-1]


def _pick_wheels(folder: Path) -> list[Path]:
    found: dict[str, Path] = {}
    for wheel in folder.glob("*.whl"):
        found.setdefault(_normalized(wheel.name.split("-")[0]), wheel)
    missing = [name for name in WHEELS if name not in found]
    if missing:
        names = "、".join(missing)
        raise WorkbookError(f"{folder} 中缺少这些安装包：{names}；请先运行 {SETUP_HINT}")
    return [found[name] for name in WHEELS]


def build_site(
    output: str | os.PathLike[str],
    *,
    pyodide: str | os.PathLike[str] | None = None,
    jixiao_wheel: str | os.PathLike[str] | None = None,
) -> Site:
    """Write the site into ``output`` (made whole in a scratch folder, then moved in place)."""
    base = Path(pyodide) if pyodide is not None else default_pyodide()
    runtime = base / "node_modules" / "pyodide" if base is not None else None
    if base is None or runtime is None or not all((runtime / f).is_file() for f in RUNTIME_FILES):
        where = f"（{runtime}）" if runtime is not None else ""
        raise WorkbookError(f"找不到 Pyodide 运行环境{where}：请先运行 {SETUP_HINT}")
    wheels = _pick_wheels(base / "wheels")
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".jixiao-web-", dir=target.parent) as scratch:
        staging = Path(scratch) / "site"
        (staging / "pyodide").mkdir(parents=True)
        (staging / "wheels").mkdir()
        for name in RUNTIME_FILES:
            shutil.copyfile(runtime / name, staging / "pyodide" / name)
        own = Path(jixiao_wheel) if jixiao_wheel else build_jixiao_wheel(Path(scratch) / "built")
        if not own.is_file():
            raise WorkbookError(f"找不到文件 {own}")
        for wheel in [*wheels, own]:
            shutil.copyfile(wheel, staging / "wheels" / wheel.name)
        static = resources.files("jixiao").joinpath("web/static")
        for name in STATIC:
            (staging / name).write_bytes(static.joinpath(name).read_bytes())
        manifest = {
            "version": __version__,
            "wheels": [f"wheels/{w.name}" for w in [*wheels, own]],
            "sizes": {f"wheels/{w.name}": w.stat().st_size for w in [*wheels, own]},
        }
        manifest_text = json.dumps(manifest, ensure_ascii=False, indent=1)
        (staging / "manifest.json").write_text(manifest_text, "utf-8")
        if target.exists():
            if not (target / "manifest.json").is_file():
                raise WorkbookError(f"{target} 已存在且不是 jixiao 网页文件夹，未覆盖")
            shutil.rmtree(target)
        staging.rename(target)
    files = {
        str(p.relative_to(target)).replace(os.sep, "/"): p.stat().st_size
        for p in sorted(target.rglob("*"))
        if p.is_file()
    }
    return Site(target, files)
