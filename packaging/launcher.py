"""Entry point of the frozen csdesk: checks the bundle is whole, then runs the ``csdesk`` command.

A bundle with a file missing (a partial unpack, a removed library) would otherwise fail deep in
Python's import machinery or Qt's plugin loader with a stack trace; here it says which file is
missing in one line and exits 2.
"""

import sys
from pathlib import Path

MANIFEST = "csdesk-manifest.txt"


def missing_files(root: Path) -> list[str]:
    """Files the build listed in the manifest that are not in the bundle now."""
    manifest = root / "_internal" / MANIFEST
    try:
        listed = manifest.read_text(encoding="utf-8").splitlines()
    except OSError:
        return [f"_internal/{MANIFEST}"]
    return [name for name in listed if name and not (root / name).exists()]


def _incomplete(what: str) -> int:
    print(
        f"csdesk: this installation is incomplete ({what}); "
        "unpack the csdesk archive again into an empty folder",
        file=sys.stderr,
    )
    return 2


def run() -> int:
    if getattr(sys, "frozen", False):
        missing = missing_files(Path(sys.executable).resolve().parent)
        if missing:
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            return _incomplete(f"missing {missing[0]}{more}")
    try:
        from csdesk.main import main
    except (ImportError, OSError) as exc:
        return _incomplete(f"cannot load {exc}")
    return main()


if __name__ == "__main__":
    sys.exit(run())
