"""Read news texts from files, directories and stdin into Articles (or IngestErrors).

Formats: dated text (`date YYYY-MM-DD` then the text), plain text, JSON lines, CSV/TSV,
HTML pages, and RSS/Atom feeds. See `read_paths`.
"""

from .options import FIELDS, ReadOptions
from .read import read_file, read_paths, read_stream
from .walk import count_inputs, iter_inputs

__all__ = [
    "FIELDS",
    "ReadOptions",
    "count_inputs",
    "iter_inputs",
    "read_file",
    "read_paths",
    "read_stream",
]
