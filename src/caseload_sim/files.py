"""Writing files whole or not at all.

Each file is written to a temporary file beside it (same folder, so the rename cannot cross file
systems), flushed to disk and renamed into place: whoever reads it sees the old file or the new,
never a part, and an interrupted write leaves the old file as it was. Every file the package
writes goes through here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, line endings as given) to ``path``, whole or not at all."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, whole or not at all."""
    replace_atomically({Path(path): lambda temporary: temporary.write_bytes(data)})


def replace_atomically(writers: Mapping[Path, Callable[[Path], object]]) -> None:
    """Write several files together: none is replaced unless every one was written.

    Parameters
    ----------
    writers : for each file to write, a function that writes its content to the path it is
        given (a temporary file beside the file, which is moved into place afterwards).
    """
    temporaries: list[tuple[Path, Path]] = []
    try:
        for path, write in writers.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            os.close(handle)
            temporary = Path(name)
            temporaries.append((temporary, path))
            write(temporary)
            # mkstemp makes the file private; these are ordinary files, readable as the umask
            # allows.
            os.chmod(temporary, 0o666 & ~_umask())
            _flush_to_disk(temporary)
        for temporary, path in temporaries:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _path in temporaries:
            temporary.unlink(missing_ok=True)
        raise


def _flush_to_disk(path: Path) -> None:
    """So that a crash just after the rename cannot leave an empty file in place."""
    handle = os.open(path, os.O_RDWR)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
