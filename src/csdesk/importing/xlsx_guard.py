"""Safety checks on an .xlsx before any parser reads it (SPEC 3.1 limits).

An .xlsx is a zip of XML parts. Before calamine or openpyxl touch one, every part is inflated here
as a stream, with caps, so a lying zip header cannot hide a decompression bomb: a part may not
unpack beyond 500 MB, nor at more than 100:1 once past 10 MB, nor may all parts together exceed
1 GB; member names may not escape the archive; and no XML part may declare a DOCTYPE or ENTITY
(entity expansion). Time and memory stay bounded: parts are read in 1 MB chunks.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from csdesk.importing.summary import ImportFileError

__all__ = ["MAX_PART_BYTES", "MAX_RATIO", "check_xlsx"]

MAX_PART_BYTES = 500 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
RATIO_FLOOR_BYTES = 10 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000
_CHUNK = 1024 * 1024
# Declarations that drive entity expansion; NULs are dropped first so UTF-16 parts are caught too.
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_BINARY_PARTS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".bin")


def _refuse(path: Path, reason: str) -> ImportFileError:
    return ImportFileError(f"{path.name}: refused, {reason}")


def _check_name(path: Path, name: str) -> None:
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or (name[1:3] == ":/" or name[1:3] == ":\\"):
        raise _refuse(path, f"the archive member {name!r} points outside the workbook")


def _check_part(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, total: int) -> int:
    """Inflate one part with caps; returns its real size."""
    name = info.filename
    if info.file_size > MAX_PART_BYTES:
        raise _refuse(path, f"part {name} would unpack to {info.file_size / 1e6:.0f} MB")
    ratio_cap = MAX_RATIO * max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size > ratio_cap:
        raise _refuse(path, f"part {name} is compressed more than {MAX_RATIO}:1 (a zip bomb?)")
    scan = not name.lower().endswith(_BINARY_PARTS)
    size = 0
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > MAX_PART_BYTES:
                    raise _refuse(path, f"part {name} unpacks beyond 500 MB")
                if size > RATIO_FLOOR_BYTES and size > ratio_cap:
                    raise _refuse(path, f"part {name} is compressed more than {MAX_RATIO}:1")
                if total + size > MAX_TOTAL_BYTES:
                    raise _refuse(path, "the workbook unpacks beyond 1 GB")
                if scan:
                    text = tail + (chunk.replace(b"\x00", b"") if b"\x00" in chunk else chunk)
                    if _DECLARATION.search(text):
                        raise _refuse(path, f"part {name} declares a DOCTYPE or ENTITY")
                    tail = text[-32:]
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise _refuse(path, f"part {name} is damaged ({exc})") from exc
    return size


def check_xlsx(path: Path) -> None:
    """Refuse a workbook that is not a sound, bounded zip of XML parts.

    Raises:
        ImportFileError: not a zip, damaged, encrypted, too many members, a member escaping the
            archive, a part too large or too compressed, or a DOCTYPE/ENTITY declaration.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(path, f"not a readable .xlsx (damaged zip: {exc})") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _refuse(path, f"the archive holds {len(members)} members")
        if not any(m.filename.lower().endswith("workbook.xml") for m in members):
            raise _refuse(path, "not an Excel workbook (no xl/workbook.xml inside)")
        total = 0
        for info in members:
            _check_name(path, info.filename)
            if info.flag_bits & 0x1:
                raise _refuse(path, f"part {info.filename} is encrypted")
            if info.is_dir():
                continue
            total += _check_part(path, archive, info, total)
