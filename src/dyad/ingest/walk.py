"""Expand the paths a user names into the files to read, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from dyad.model import IngestError

__all__ = ["STDIN", "count_inputs", "iter_inputs"]

STDIN = "-"
# Inside a walked directory, files with these extensions are documentation or code, not articles.
# (Named explicitly on the command line they are still read.)
SKIPPED_IN_DIRECTORIES = frozenset({".md", ".rst", ".json", ".py", ".yaml", ".yml", ".toml", ".cfg", ".ini"})


def iter_inputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str | IngestError]:
    """Yield each input to read: `-` (stdin), named files, and files under named directories.

    Directories are walked recursively in sorted order, skipping hidden files and
    directories (names starting with a dot) and documentation files (README.md, ...). A path that does not exist, or a directory
    that cannot be listed, yields an IngestError instead.
    """
    for path in paths:
        path = os.fspath(path)
        if path == STDIN:
            yield STDIN
        elif os.path.isdir(path):
            yield from _walk(path)
        elif os.path.exists(path):
            yield path
        else:
            yield IngestError(path, "no such file or directory")


def count_inputs(paths: Iterable[str | os.PathLike[str]]) -> int:
    """How many inputs iter_inputs yields for these paths (for a progress bar); pass a list, not an iterator."""
    return sum(1 for _ in iter_inputs(paths))


def _walk(directory: str) -> Iterator[str | IngestError]:
    """Regular files under a directory, depth first, entries sorted by name."""
    try:
        with os.scandir(directory) as listing:
            entries = sorted(
                (e for e in listing if not e.name.startswith(".")), key=lambda e: e.name
            )
    except OSError as exc:
        yield IngestError(directory, f"cannot list the directory: {exc.strerror or exc}")
        return
    for entry in entries:
        try:
            # Symlinked directories are not followed (they can loop); symlinked files are read.
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            yield from _walk(entry.path)
        elif is_file and os.path.splitext(entry.name)[1].lower() not in SKIPPED_IN_DIRECTORIES:
            yield entry.path
