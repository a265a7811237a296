"""Publish: put a finished report in place whole, or not at all.

The report is written into a staging folder beside ``--out`` and swapped in with one
atomic rename, so a run killed at any moment leaves the previous report as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from ..errors import AuditorError


def report_is_current(out_dir: Path, previous: dict | None, report_key: str) -> bool:
    """The published report came from the previous run and that run saw exactly what this one sees."""
    if previous is None or previous.get("report_key") != report_key:
        return False
    try:
        return json.loads((out_dir / "summary.json").read_text(encoding="utf-8")).get("run_id") == previous["id"]
    except (OSError, ValueError):
        return False


def check_out_dir(out_dir: Path) -> None:
    """Refuse to replace a folder that is not an auditor report: publishing swaps the whole folder."""
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "summary.json").is_file():
        raise AuditorError(f"--out {out_dir} is a folder with other files in it, not an auditor report; choose another")
    if out_dir.exists() and not out_dir.is_dir():
        raise AuditorError(f"--out {out_dir} is a file, not a folder")


def publish(out_dir: Path, write: Callable[[Path], None]) -> None:
    """Write the report into a staging folder beside out_dir, then swap it in whole."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.parent.glob(f".{out_dir.name}.staging-*"):  # left by killed runs; we hold the lock
        shutil.rmtree(stale, ignore_errors=True)
    staging = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
    staging.mkdir()
    try:
        write(staging)
        if not out_dir.exists():
            staging.rename(out_dir)
        elif not _exchange(staging, out_dir):
            # no atomic exchange on this system: two renames, out_dir is missing for an instant
            old = out_dir.parent / f".{out_dir.name}.staging-old-{os.getpid()}"
            out_dir.rename(old)
            staging.rename(out_dir)
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # after an exchange this is the previous report


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    import ctypes
    import errno

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))
