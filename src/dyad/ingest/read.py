"""Read files, directories and stdin into Articles, turning every failure into an IngestError."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from dyad.model import Article, IngestError

from .clean import checked
from .decode import DecodeError, check_text, decode_bytes
from .formats import Reader, reader_for_name, sniff_reader
from .options import ReadOptions
from .walk import STDIN, iter_inputs

__all__ = ["STDIN_ORIGIN", "read_file", "read_paths", "read_stream"]

STDIN_ORIGIN = "<stdin>"

Record = Article | IngestError


def read_paths(
    paths: Iterable[str | os.PathLike[str]],
    options: ReadOptions = ReadOptions(),
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Record]:
    """Yield the Articles and IngestErrors of every input, in order (see iter_inputs).

    `-` reads `stdin` (default sys.stdin). Never raises for bad input: each problem is an
    IngestError whose origin names the file (and line, row or entry).
    """
    for item in iter_inputs(paths):
        if isinstance(item, IngestError):
            yield item
        elif item == STDIN:
            yield from read_stream(sys.stdin if stdin is None else stdin, options)
        else:
            yield from read_file(item, options)


def read_file(path: str | os.PathLike[str], options: ReadOptions = ReadOptions()) -> Iterator[Record]:
    """Yield the Articles (or IngestErrors) in one file, chosen by its extension."""
    origin = os.fspath(path)
    try:
        with open(origin, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        yield IngestError(origin, f"cannot read the file: {exc.strerror or exc}")
        return
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        yield IngestError(origin, str(exc))
        return
    yield from _guarded(reader_for_name(origin), text, origin, options)


def read_stream(stream: TextIO | BinaryIO, options: ReadOptions = ReadOptions()) -> Iterator[Record]:
    """Yield the Articles (or IngestErrors) in a stream: JSON lines if it starts with `{`, else text."""
    # Prefer the raw bytes under a text stream, so decoding follows dyad's rules, not the locale's.
    source = getattr(stream, "buffer", stream)
    try:
        data = source.read()
        text = decode_bytes(data) if isinstance(data, bytes) else check_text(data)
    except DecodeError as exc:
        yield IngestError(STDIN_ORIGIN, str(exc))
        return
    except (OSError, UnicodeError) as exc:
        yield IngestError(STDIN_ORIGIN, f"cannot read standard input: {exc}")
        return
    yield from _guarded(sniff_reader(text), text, STDIN_ORIGIN, options)


def _guarded(reader: Reader, text: str, origin: str, options: ReadOptions) -> Iterator[Record]:
    """Run a reader and repair what it yields (see clean.checked); if it fails anyway, report that as an
    IngestError for the file."""
    try:
        yield from checked(reader(text, origin, options), options)
    except Exception as exc:  # noqa: BLE001 - the contract is that reading never raises
        yield IngestError(origin, f"could not be read ({type(exc).__name__}: {exc})")
