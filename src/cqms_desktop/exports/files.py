"""Writing an export file whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> Path:
    """Write *data* to *path* through a temporary file beside it and a rename, so a reader
    (or a crash) never sees half a file and an existing file is replaced whole.

    The file gets the usual permissions for new files (``0666`` less the umask), not the
    private ``0600`` of a temporary file: exported forms are shared and mailed.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".cqms-", suffix=path.suffix, dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
