"""Build the one-folder csdesk bundle and its archive: ``python packaging/build.py``.

The bundle is PyInstaller's one-folder build of ``packaging/csdesk.spec``: ``dist/csdesk/csdesk``
with its own Python, Qt and libraries, plus ``dist/csdesk-<version>-<os>-<arch>.tar.gz`` (a
``.zip`` on Windows). A manifest of every file (``_internal/csdesk-manifest.txt``) lets the
bundle name a missing file in one line instead of failing deep inside Qt.

Run it from a virtual environment with csdesk's dependencies and PyInstaller installed
(``pip install -e ".[bundle]"``). Options: ``--out DIR`` (default ``dist``), ``--max-mb N`` to
fail when the unpacked bundle is larger (CI uses the issue's 250 MB).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = "csdesk-manifest.txt"


def _version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "src" / "csdesk" / "__init__.py").read_text(encoding="utf-8"), namespace)
    return namespace["__version__"]


def _platform_tag() -> str:
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(
        sys.platform, sys.platform
    )
    return f"{system}-{platform.machine().lower()}"


def folder_size(folder: Path) -> int:
    """Bytes of every file under ``folder`` (symlinks counted once, as links)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def strip_binaries(bundle: Path) -> int:
    """Strip symbols from the bundle's shared libraries on Linux; returns the bytes saved.

    PyInstaller's own ``strip`` option strips every library, and the libraries that wheels
    vendor in ``<package>.libs`` folders (rewritten by auditwheel's patchelf: NumPy's OpenBLAS
    and gfortran, Pillow's codecs) no longer load once stripped ("ELF load command
    address/offset not page-aligned"), so the strip is done here and leaves those as they came.
    """
    tool = shutil.which("strip")
    if not sys.platform.startswith("linux") or tool is None:
        return 0
    saved = 0
    for path in bundle.rglob("*.so*"):
        if path.is_symlink() or not path.is_file() or path.parent.name.endswith(".libs"):
            continue
        before = path.stat().st_size
        done = subprocess.run([tool, "--strip-unneeded", str(path)], capture_output=True)
        if done.returncode == 0:
            saved += before - path.stat().st_size
    return saved


def drop_dangling_links(bundle: Path) -> int:
    """Remove links to files the spec left out (PyInstaller links some Qt libraries at the top of
    ``_internal``); returns how many. A dangling link would read as a missing file at start."""
    dangling = [p for p in bundle.rglob("*") if p.is_symlink() and not p.exists()]
    for link in dangling:
        link.unlink()
    return len(dangling)


def write_manifest(bundle: Path) -> int:
    """List every file of the bundle (relative paths) in its manifest; returns the count."""
    internal = bundle / "_internal"
    files = sorted(
        str(p.relative_to(bundle)).replace(os.sep, "/")
        for p in bundle.rglob("*")
        if (p.is_file() or p.is_symlink()) and p.name != MANIFEST
    )
    (internal / MANIFEST).write_text("\n".join(files) + "\n", encoding="utf-8")
    return len(files)


def archive(bundle: Path, out: Path) -> Path:
    """Pack the bundle folder as ``csdesk-<version>-<platform>.tar.gz`` (``.zip`` on Windows)."""
    stem = f"csdesk-{_version()}-{_platform_tag()}"
    if sys.platform == "win32":
        return Path(shutil.make_archive(str(out / stem), "zip", bundle.parent, bundle.name))
    target = out / f"{stem}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname="csdesk")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--max-mb", type=float, default=None)
    parser.add_argument("--no-archive", action="store_true")
    args = parser.parse_args(argv)

    out: Path = args.out.resolve()
    subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", str(out), "--workpath", str(args.work.resolve()),
            str(ROOT / "packaging" / "csdesk.spec"),
        ],
        check=True,
    )  # fmt: skip
    bundle = out / "csdesk"
    drop_dangling_links(bundle)
    saved = strip_binaries(bundle)
    print(f"stripped {saved / 1e6:.0f} MB of symbols")
    count = write_manifest(bundle)
    size_mb = folder_size(bundle) / 1e6
    print(f"bundle: {bundle} ({count} files, {size_mb:.0f} MB unpacked)")
    if not args.no_archive:
        packed = archive(bundle, out)
        print(f"archive: {packed} ({packed.stat().st_size / 1e6:.0f} MB)")
    if args.max_mb is not None and size_mb > args.max_mb:
        print(f"the bundle is {size_mb:.0f} MB, above the {args.max_mb:.0f} MB limit")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
