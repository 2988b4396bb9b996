"""What every command-line area shares: the one-line failure and reading a journey file within its limit."""

from __future__ import annotations

from pathlib import Path

from journeys.document import MAX_DOCUMENT_BYTES


class CliError(Exception):
    """A user-facing failure: printed as one line, exit code 1 (2 for usage)."""


def read_file(path: str) -> bytes:
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise CliError(f"{path}: file is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}")
        return file.read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: cannot read file ({exc.strerror})") from exc
