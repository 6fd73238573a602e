"""A compound file (MS-CFB version 3) written from a tree of storages and streams.

Small streams (< 4096 bytes) live in the mini stream, others in regular 512-byte sectors.
Siblings form a red-black tree: balanced by name order, the deepest level red. Timestamps
are zero, so the same tree always gives the same bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR, MINI_SECTOR, CUTOFF = 512, 64, 4096
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
HEADER_DIFAT = 109


@dataclass
class Storage:
    name: str
    children: dict[str, Storage | bytes] = field(default_factory=dict)


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = NO_STREAM
    right: int = NO_STREAM
    child: int = NO_STREAM
    red: bool = False
    start: int = END
    size: int = 0


def _order(name: str) -> tuple[int, str]:
    """Sibling order: shorter names first, then by upper-cased name."""
    return len(name), name.upper()


def _flatten(root: Storage) -> list[_Entry]:
    entries = [_Entry(root.name, 5)]

    def add(storage: Storage, index: int) -> None:
        for name in sorted(storage.children, key=_order):
            item = storage.children[name]
            entries.append(_Entry(name, 1 if isinstance(item, Storage) else 2))
            position = len(entries) - 1
            entries[index].children.append(position)
            if isinstance(item, Storage):
                add(item, position)
            else:
                entries[position].data = item

    add(root, 0)
    for entry in entries:
        entry.child = _tree(entries, entry.children)
    return entries


def _tree(entries: list[_Entry], siblings: list[int]) -> int:
    """Link sorted siblings as a balanced binary tree; nodes on the deepest level are red."""
    if not siblings:
        return NO_STREAM
    deepest = (len(siblings)).bit_length() - 1

    def link(low: int, high: int, depth: int) -> int:
        if low > high:
            return NO_STREAM
        middle = (low + high) // 2
        node = entries[siblings[middle]]
        node.left = link(low, middle - 1, depth + 1)
        node.right = link(middle + 1, high, depth + 1)
        node.red = depth == deepest and deepest > 0
        return siblings[middle]

    return link(0, len(siblings) - 1, 0)


def _chain(fat: list[int], start: int, count: int) -> int:
    """Chain ``count`` sectors from ``start`` in the table; returns the first (or END)."""
    if count == 0:
        return END
    for index in range(start, start + count - 1):
        fat[index] = index + 1
    fat[start + count - 1] = END
    return start


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\x00" * (-len(data) % size)


def write_cfb(root: Storage) -> bytes:
    entries = _flatten(root)
    mini_stream = bytearray()
    mini_fat: list[int] = []
    large = []
    for entry in entries:
        if entry.kind != 2:
            continue
        entry.size = len(entry.data)
        if entry.size == 0:
            entry.start = END
        elif entry.size < CUTOFF:
            count = -(-entry.size // MINI_SECTOR)
            first = len(mini_fat)
            mini_fat.extend([FREE] * count)
            entry.start = _chain(mini_fat, first, count)
            mini_stream += _pad(entry.data, MINI_SECTOR)
        else:
            large.append(entry)
    directory = len(entries) * 128
    sizes = {
        "directory": -(-directory // SECTOR),
        "mini_fat": -(-len(mini_fat) * 4 // SECTOR),
        "mini_stream": -(-len(mini_stream) // SECTOR),
        "large": sum(-(-len(e.data) // SECTOR) for e in large),
    }
    data_sectors = sum(sizes.values())
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < data_sectors + fat_sectors:
        fat_sectors += 1
    if fat_sectors > HEADER_DIFAT:
        raise ValueError("compound file too large for a header-only DIFAT")
    fat = [FREE] * (fat_sectors * SECTOR // 4)
    for index in range(fat_sectors):
        fat[index] = FAT_SECTOR
    cursor = fat_sectors
    directory_start = _chain(fat, cursor, sizes["directory"])
    cursor += sizes["directory"]
    mini_fat_start = _chain(fat, cursor, sizes["mini_fat"])
    cursor += sizes["mini_fat"]
    entries[0].start = _chain(fat, cursor, sizes["mini_stream"])
    entries[0].size = len(mini_stream)
    cursor += sizes["mini_stream"]
    body = bytearray()
    for entry in large:
        count = -(-len(entry.data) // SECTOR)
        entry.start = _chain(fat, cursor, count)
        cursor += count
        body += _pad(entry.data, SECTOR)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16), 0x003E, 0x0003, 0xFFFE, 9, 6, bytes(6),
        0, fat_sectors, directory_start, 0, CUTOFF,
        mini_fat_start if mini_fat else END, sizes["mini_fat"], END, 0,
    )  # fmt: skip
    difat = list(range(fat_sectors)) + [FREE] * (HEADER_DIFAT - fat_sectors)
    header += struct.pack(f"<{HEADER_DIFAT}I", *difat)
    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += _pad(b"".join(_directory_entry(e) for e in entries), SECTOR)
    out += _pad(struct.pack(f"<{len(mini_fat)}I", *mini_fat), SECTOR) if mini_fat else b""
    out += _pad(bytes(mini_stream), SECTOR)
    out += body
    return bytes(out)


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\x00\x00"
    if len(name) > 64:
        raise ValueError(f"name too long for a compound file: {entry.name}")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name, len(name), entry.kind, 0 if entry.red else 1, entry.left, entry.right, entry.child,
        bytes(16), 0, 0, 0, entry.start if entry.kind != 1 else 0, entry.size,
    )  # fmt: skip
