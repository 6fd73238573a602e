"""Put the add-in where Excel loads it and point xlwings at this Python."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from jixiao.addin.build import PROJECT
from jixiao.files.write import atomically

UDF_MODULES = "jixiao.excel.udfs"


def startup_folder(home: Path | None = None) -> Path:
    """Excel's per-user startup folder: add-ins there load with Excel."""
    home = home or Path.home()
    if sys.platform == "darwin":
        return home / (
            "Library/Group Containers/UBF8T346G9.Office/User Content.localized/"
            "Startup.localized/Excel"
        )
    appdata = Path(os.environ.get("APPDATA", home / "AppData" / "Roaming"))
    return appdata / "Microsoft" / "Excel" / "XLSTART"


def config_text(interpreter: str) -> str:
    """xlwings' config file: one ``"KEY","VALUE"`` line per setting."""
    key = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    lines = [(key, interpreter), ("UDF MODULES", UDF_MODULES), ("SHOW_ERROR_POPUPS", "True")]
    return "".join(f'"{k}","{v}"\r\n' for k, v in lines)


def install_addin(
    addin: Path, *, target: Path | None = None, home: Path | None = None
) -> tuple[Path, Path]:
    """Copy the add-in into the startup folder and write ~/.jixiao/jixiao.conf."""
    folder = target or startup_folder(home)
    folder.mkdir(parents=True, exist_ok=True)
    placed = atomically(folder / f"{PROJECT}.xlam", lambda tmp: shutil.copyfile(addin, tmp))
    interpreter = sys.executable
    if sys.platform == "win32" and interpreter.lower().endswith("python.exe"):
        interpreter = interpreter[: -len("python.exe")] + "pythonw.exe"  # no console window
    config = (home or Path.home()) / f".{PROJECT}" / f"{PROJECT}.conf"
    config.parent.mkdir(parents=True, exist_ok=True)
    written = atomically(
        config, lambda tmp: Path(tmp).write_text(config_text(interpreter), "utf-8")
    )
    return placed, written
