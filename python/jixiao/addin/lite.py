"""What a clerk or an IT department pastes into xlwings Lite: main.py and requirements.txt.

xlwings Lite keeps a workbook's Python in the workbook: its main.py and the requirements it
installs into Pyodide when the workbook opens. jixiao reaches Pyodide as a wheel, in one of
three ways, each a different first line of requirements.txt: from a URL of the wheel on a
server that allows CORS (``--wheel-url``), from a private index of a self-hosted xlwings
Lite (``--index-url``), or by name from the public index (``--public-index``). There is no
default: a bare ``jixiao==VERSION`` is satisfied by any package of that name on whichever
index xlwings Lite asks, so the name alone is written only when asked for by name.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from jixiao import __version__
from jixiao.files.write import atomically

SOURCE = "addin/xlwings_lite"


SOURCE_NEEDED = (
    "请指定 xlwings Lite 从哪里安装 jixiao："
    "--wheel-url 安装包网址（推荐，内网服务器须允许跨域访问）、"
    "--index-url 私有软件包索引，"
    "或 --public-index（按名称从公共索引安装，须确认索引上的 jixiao 就是本软件）"
)


def requirements(
    wheel_url: str | None = None, index_url: str | None = None, public_index: bool = False
) -> str:
    if sum(map(bool, (wheel_url, index_url, public_index))) != 1:
        raise ValueError(SOURCE_NEEDED)
    first = f"jixiao @ {wheel_url}" if wheel_url else f"jixiao=={__version__}"
    if index_url:
        first = f"--extra-index-url {index_url}\n{first}"
    template = resources.files("jixiao").joinpath(f"{SOURCE}/requirements.txt").read_text("utf-8")
    return template.replace("{jixiao}", first)


def write_lite(
    folder: str | os.PathLike[str],
    *,
    wheel_url: str | None = None,
    index_url: str | None = None,
    public_index: bool = False,
) -> list[Path]:
    """main.py and requirements.txt into ``folder``, each written atomically."""
    first = requirements(wheel_url, index_url, public_index)  # refuses before writing anything
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    main = resources.files("jixiao").joinpath(f"{SOURCE}/main.py").read_text("utf-8")
    texts = {"main.py": main, "requirements.txt": first}
    return [_write_text(out / name, text) for name, text in texts.items()]


def _write_text(path: Path, text: str) -> Path:
    return atomically(path, lambda temporary: Path(temporary).write_text(text, "utf-8"))
