"""The one exception every reader and writer raises for a file it cannot handle."""

from __future__ import annotations


class WorkbookError(Exception):
    """A workbook that cannot be read or written; the message is Chinese and names the file."""


# What a library's error about a file's contents means, for a clerk: (words in the
# library's message or type name, the Chinese explanation). The library's own English text
# is never shown; the first match wins.
CORRUPTION = [
    (("password", "encrypt"), "文件设有密码或已加密"),
    (
        ("eocd", "zip", "central directory", "magic number"),
        "文件不完整或不是 Excel 格式（可能下载、复制中断，或是改了扩展名的其他文件）",
    ),
    (("eof", "truncated", "unexpected end"), "文件在中途被截断"),
    (("xml", "parse", "syntax", "not well-formed"), "文件内部的 XML 内容有误"),
    (("crc", "checksum", "bad magic"), "文件内容校验失败，已损坏"),
    (("cfb", "ole", "compound"), "旧版 .xls 文件结构已损坏"),
]


def reason(error: BaseException) -> str:
    """A library's error in Chinese words a clerk can act on, never the library's text."""
    if isinstance(error, OSError) and not isinstance(error, EOFError) and error.errno:
        return OS_REASONS.get(error.errno, f"操作系统拒绝了这次读写（错误码 {error.errno}）")
    text = f"{type(error).__name__} {error}".lower()
    for words, meaning in CORRUPTION:
        if any(word in text for word in words):
            return meaning
    return "无法解析文件内容"


OS_REASONS = {
    1: "没有操作权限",
    2: "找不到文件或文件夹",
    13: "没有读写权限",
    17: "同名文件已存在",
    20: "路径中有同名文件，无法建立文件夹",
    21: "这是一个文件夹",
    28: "磁盘空间不足",
    30: "只读文件系统",
    36: "文件名太长",
    122: "磁盘配额已满",
}
