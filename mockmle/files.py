"""Files that hold a candidate's answers (exports, reports, recordings, the data home) are private to them."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """Create `path`, and each missing folder above it, readable by the owner only (mkdir's `parents` would
    make those with the umask's permissions); folders that exist are left as they are."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
    return path


def create_private(path: Path) -> None:
    """Create `path` empty with owner-only permissions if it does not exist yet, so whatever opens it next
    (SQLite, a WAV writer) never makes it world-readable, whatever the umask."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def tighten(path: Path) -> None:
    """Take group and other permissions off a file of ours that has them (made by an older mockmle)."""
    with contextlib.suppress(OSError):
        info = path.stat()
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            path.chmod(info.st_mode & 0o700)


def write_private(target: Path, content: str | bytes) -> None:
    """Write `content` to `target` atomically, owner-only; on failure nothing is left beside the target."""
    temporary = target.with_name(f".{target.name}.partial")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        if isinstance(content, bytes):
            with os.fdopen(descriptor, "wb") as binary:
                binary.write(content)
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                out.write(content)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
