"""Which reader handles which input: by file extension, and by first character for stdin."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import PurePath

from dyad.model import Article, IngestError

from .feeds import read_feed
from .html import read_html
from .jsonl import read_jsonl
from .options import ReadOptions
from .tabular import read_csv, read_tsv
from .text import read_text

__all__ = ["READERS", "Reader", "reader_for_name", "sniff_reader"]

Reader = Callable[[str, str, ReadOptions], Iterator[Article | IngestError]]

# Lower-case extension -> reader. Anything else is read as text (dated or plain).
READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
    ".tsv": read_tsv,
    ".tab": read_tsv,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
}

# For input without a name (stdin): the first non-blank character -> reader.
FIRST_CHARACTER: dict[str, Reader] = {"{": read_jsonl}


def reader_for_name(name: str) -> Reader:
    """The reader for a file name, by its extension (text for unknown ones)."""
    return READERS.get(PurePath(name).suffix.lower(), read_text)


def sniff_reader(text: str) -> Reader:
    """The reader for nameless input, by its first non-blank character (text by default)."""
    stripped = text.lstrip()
    return FIRST_CHARACTER.get(stripped[:1], read_text)
