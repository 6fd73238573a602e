"""VBA project structures (MS-OVBA): compression, the dir stream, the PROJECT stream.

The project is source-only: the ``_VBA_PROJECT`` stream has version 0xFFFF (no compiled
cache) and each module stream holds only its compressed source, so Excel compiles the
project from source on first load.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

CHUNK = 4096
CODEPAGE = "cp1252"
VBA_PROJECT_STREAM = bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x01, 0x00])  # version 0xFFFF
REFERENCES = (
    (
        "stdole",
        "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
        "C:\\Windows\\System32\\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
        "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL#"
        "Microsoft Office 16.0 Object Library",
    ),
)


@dataclass(frozen=True)
class Module:
    name: str
    source: str  # VBA text with its Attribute lines, ASCII
    kind: str = "standard"  # "standard", "document" or "class"

    def encoded(self) -> bytes:
        text = self.source.replace("\r\n", "\n").replace("\n", "\r\n")
        return text.encode(CODEPAGE)


# -- compression (MS-OVBA 2.4.1) ------------------------------------------------------


def _split(position: int) -> tuple[int, int]:
    """(length bits, maximum length) of a copy token at ``position`` in its chunk."""
    bits = max((position - 1).bit_length(), 4)
    length_bits = 16 - bits
    return length_bits, (1 << length_bits) + 2


def _compress_chunk(data: bytes) -> bytes:
    out = bytearray()
    position = 0
    heads: dict[bytes, list[int]] = {}
    while position < len(data):
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if position >= len(data):
                break
            length_bits, longest = _split(position) if position else (12, 0)
            best_length, best_offset = 0, 0
            if position and position + 3 <= len(data):
                for start in reversed(heads.get(data[position : position + 3], [])):
                    length = 3
                    limit = min(longest, len(data) - position)
                    while length < limit and data[start + length] == data[position + length]:
                        length += 1
                    if length > best_length:
                        best_length, best_offset = length, position - start
                        if length == limit:
                            break
            if best_length >= 3:
                token = ((best_offset - 1) << length_bits) | (best_length - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_length
            else:
                out.append(data[position])
                step = 1
            for index in range(position, position + step):
                if index + 3 <= len(data):
                    heads.setdefault(data[index : index + 3], []).append(index)
            position += step
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer; a chunk that does not shrink is stored raw (exactly 4096 bytes)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        chunk = data[start : start + CHUNK]
        packed = _compress_chunk(chunk)
        if len(packed) > CHUNK - 2 and len(chunk) == CHUNK:
            out += struct.pack("<H", 0x3000 | (CHUNK - 1)) + chunk
        else:
            out += struct.pack("<H", 0xB000 | (len(packed) + 2 - 3)) + packed
    return bytes(out)


def decompress(container: bytes) -> bytes:
    if not container or container[0] != 1:
        raise ValueError("not a CompressedContainer")
    out = bytearray()
    position = 1
    while position < len(container):
        (header,) = struct.unpack_from("<H", container, position)
        size = (header & 0x0FFF) + 3
        end = position + size
        position += 2
        start = len(out)
        if not header & 0x8000:
            out += container[position : position + CHUNK]
            position += CHUNK
            continue
        while position < end:
            flags = container[position]
            position += 1
            for bit in range(8):
                if position >= end:
                    break
                if flags & (1 << bit):
                    (token,) = struct.unpack_from("<H", container, position)
                    position += 2
                    length_bits, _ = _split(len(out) - start)
                    length = (token & ((1 << length_bits) - 1)) + 3
                    offset = (token >> length_bits) + 1
                    for _ in range(length):
                        out.append(out[-offset])
                else:
                    out.append(container[position])
                    position += 1
    return bytes(out)


# -- the dir stream (MS-OVBA 2.3.4.2) ---------------------------------------------------


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _text(text: str) -> bytes:
    return text.encode(CODEPAGE)


def _unicode(text: str) -> bytes:
    return text.encode("utf-16-le")


def dir_stream(project: str, modules: Sequence[Module]) -> bytes:
    """The uncompressed dir stream: project information, references, modules."""
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", 1))  # SYSKIND: 32-bit Windows
    out += _record(0x0002, struct.pack("<I", 0x0409))  # LCID
    out += _record(0x0014, struct.pack("<I", 0x0409))  # LCIDINVOKE
    out += _record(0x0003, struct.pack("<H", 1252))  # CODEPAGE
    out += _record(0x0004, _text(project))  # NAME
    out += _record(0x0005, b"") + _record(0x0040, b"")  # DOCSTRING
    out += _record(0x0006, b"") + _record(0x003D, b"")  # HELPFILEPATH
    out += _record(0x0007, struct.pack("<I", 0))  # HELPCONTEXT
    out += _record(0x0008, struct.pack("<I", 0))  # LIBFLAGS
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # VERSION: size field 4, then 6 bytes
    out += _record(0x000C, b"") + _record(0x003C, b"")  # CONSTANTS
    for name, libid in REFERENCES:
        out += _record(0x0016, _text(name)) + _record(0x003E, _unicode(name))
        body = struct.pack("<I", len(libid)) + _text(libid) + struct.pack("<IH", 0, 0)
        out += _record(0x000D, body)  # REFERENCEREGISTERED
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for module in modules:
        out += _record(0x0019, _text(module.name)) + _record(0x0047, _unicode(module.name))
        out += _record(0x001A, _text(module.name)) + _record(0x0032, _unicode(module.name))
        out += _record(0x001C, b"") + _record(0x0048, b"")  # DOCSTRING
        out += _record(0x0031, struct.pack("<I", 0))  # OFFSET: source starts the stream
        out += _record(0x001E, struct.pack("<I", 0))  # HELPCONTEXT
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # COOKIE
        out += struct.pack("<HI", 0x0021 if module.kind == "standard" else 0x0022, 0)
        out += struct.pack("<HI", 0x002B, 0)  # module terminator
    out += struct.pack("<HI", 0x0010, 0)  # dir terminator
    return bytes(out)


# -- the PROJECT stream (MS-OVBA 2.3.1) ------------------------------------------------


def encrypt(project_id: str, data: bytes, seed: int) -> str:
    """Data Encryption (MS-OVBA 2.4.3), deterministic for a given seed."""
    version = 2
    key = sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ key])
    unencrypted, encrypted1, encrypted2 = key, seed ^ key, seed ^ version
    ignored = bytes([seed]) * ((seed & 6) // 2)
    for byte in ignored + struct.pack("<I", len(data)) + data:
        value = byte ^ ((encrypted2 + unencrypted) & 0xFF)
        out.append(value)
        encrypted2, encrypted1, unencrypted = encrypted1, value, byte
    return out.hex().upper()


def project_stream(project: str, project_id: str, modules: Sequence[Module]) -> bytes:
    """Unprotected, visible, no password."""
    lines = [f'ID="{project_id}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{project}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(project_id, bytes(4), 0x11)}"',
        f'DPB="{encrypt(project_id, bytes(1), 0x13)}"',
        f'GC="{encrypt(project_id, bytes([0xFF]), 0x15)}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
        *(f"{m.name}=0, 0, 0, 0, C" for m in modules),
        "",
    ]
    return "\r\n".join(lines).encode(CODEPAGE)


def projectwm_stream(modules: Sequence[Module]) -> bytes:
    out = bytearray()
    for module in modules:
        out += _text(module.name) + b"\x00" + _unicode(module.name) + b"\x00\x00"
    return bytes(out) + b"\x00\x00"
