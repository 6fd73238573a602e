"""What a clerk or an IT department pastes into xlwings Lite: main.py and requirements.txt.

xlwings Lite keeps a workbook's Python in the workbook: its main.py and the requirements it
installs into Pyodide when the workbook opens. jixiao reaches Pyodide as a wheel, in one of
three ways, each a different first line of requirements.txt: from a package index (the
default, ``jixiao==VERSION``), from a URL of the wheel on a server that allows CORS, or from
a private index of a self-hosted xlwings Lite (``--index-url``).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from jixiao import __version__
from jixiao.files.write import atomically

SOURCE = "addin/xlwings_lite"


def requirements(wheel_url: str | None = None, index_url: str | None = None) -> str:
    if wheel_url and index_url:
        raise ValueError("--wheel-url 与 --index-url 只能选一个")
    first = f"jixiao @ {wheel_url}" if wheel_url else f"jixiao=={__version__}"
    if index_url:
        first = f"--extra-index-url {index_url}\n{first}"
    template = resources.files("jixiao").joinpath(f"{SOURCE}/requirements.txt").read_text("utf-8")
    return template.replace("{jixiao}", first)


def write_lite(
    folder: str | os.PathLike[str], *, wheel_url: str | None = None, index_url: str | None = None
) -> list[Path]:
    """main.py and requirements.txt into ``folder``, each written atomically."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    main = resources.files("jixiao").joinpath(f"{SOURCE}/main.py").read_text("utf-8")
    texts = {"main.py": main, "requirements.txt": requirements(wheel_url, index_url)}
    return [_write_text(out / name, text) for name, text in texts.items()]


def _write_text(path: Path, text: str) -> Path:
    return atomically(path, lambda temporary: Path(temporary).write_text(text, "utf-8"))
