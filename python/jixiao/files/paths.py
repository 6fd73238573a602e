"""The paths of inputs and outputs: which files a folder holds, and an output that is
never one of the inputs (same device and inode, else the same resolved path)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from jixiao.errors import WorkbookError
from jixiao.files.guard import READABLE


def input_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, and the workbooks inside folders (recursively, in name order).

    Each file once, however often or by whatever path it is named; hidden files (a
    leading dot: temporary files, including a killed run's) and Excel's ``~$`` lock
    files are not inputs. A pipe or device named like a workbook is listed, so that the
    reader refuses it by name instead of the folder hiding it.
    """
    found: list[Path] = []
    seen: set[tuple[int, int] | str] = set()
    for path in map(Path, paths):
        if path.is_dir():
            candidates = [
                p
                for p in sorted(path.rglob("*"))
                if p.suffix.lower() in READABLE
                and not p.name.startswith(("~$", "."))
                and not p.is_dir()
            ]
        else:
            candidates = [path]
        for candidate in candidates:
            identity = _identity(candidate)
            if identity not in seen:
                seen.add(identity)
                found.append(candidate)
    return found


def _identity(path: Path) -> tuple[int, int] | str:
    try:
        info = path.stat()
    except OSError:
        return os.path.normcase(path.absolute())
    return (info.st_dev, info.st_ino)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file: by device and inode where both exist (symlinks,
    hard links, ``..``, letter case on case-insensitive disks), else by resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(Path(a).resolve()) == os.path.normcase(Path(b).resolve())


def output_path(
    path: str | os.PathLike[str],
    protect: Sequence[str | os.PathLike[str]] = (),
    *,
    suffixes: tuple[str, ...] = (".xlsx", ".xlsm"),
) -> Path:
    """The output target, once it is known to be no input and a place that can be written.

    Commands call this before any work, so a run never ends in a traceback or half a result.
    """
    target = Path(path)
    for original in protect:
        if same_file(target, original):
            raise WorkbookError(
                f"输出文件 {target} 就是输入文件 {original}；为保护原文件，不会覆盖它，"
                "请换一个输出文件名"
            )
    if target.suffix.lower() not in suffixes:
        raise WorkbookError(f"输出文件应为 {'/'.join(suffixes)}：{target.name}")
    if target.is_dir():
        raise WorkbookError(f"无法写入 {target}：这是一个文件夹")
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the nearest folder that exists: the rest will be made in it
    if not folder.is_dir():
        raise WorkbookError(f"无法写入 {target}：{folder} 是文件，不是文件夹")
    if not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise WorkbookError(f"无法写入 {target}：没有写入权限（文件只读或文件夹不可写）")
    return target


def readable(path: str | os.PathLike[str]) -> str:
    """A path as text for messages, sheets and JSON. A file name that is not UTF-8 (a zip made
    on Chinese Windows, unpacked on Linux, keeps its GBK bytes) arrives with surrogate escapes,
    which no output can hold: its bytes are read as GBK (else with replacement characters)."""
    text = os.fspath(path)
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("gbk")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")
