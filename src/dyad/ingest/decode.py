"""Bytes to text: UTF-8 first, then charset-normalizer's guess; refuse what is not text."""

from __future__ import annotations

import re

import charset_normalizer

__all__ = ["DecodeError", "check_text", "decode_bytes"]

UNDECODABLE = "undecodable bytes (not text in any known encoding)"
EMPTY = "empty file"

# When charset-normalizer rates several single-byte encodings as equally good (common for
# short texts), prefer the one most legacy news files are written in.
PREFERRED_ENCODINGS = ("cp1252", "latin_1")
_NEAR_TIE = 0.1  # coherence difference below which two guesses count as tied

# Control characters other than tab, newlines and form feed; text files have almost none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.01
_NEWLINES = re.compile(r"\r\n?")


class DecodeError(ValueError):
    """The input is not usable text; the message is the reason."""


def decode_bytes(data: bytes) -> str:
    """Decode file contents to text with `\\n` newlines, or raise DecodeError saying why not."""
    if not data.strip():
        raise DecodeError(EMPTY)
    for text in _candidates(data):
        if _looks_like_text(text):
            return check_text(text)
    raise DecodeError(UNDECODABLE)


def check_text(text: str) -> str:
    """Drop a byte-order mark, normalise newlines, and refuse empty or binary-looking text."""
    text = _NEWLINES.sub("\n", text.removeprefix("\ufeff"))
    if not text.strip():
        raise DecodeError(EMPTY)
    if not _looks_like_text(text):
        raise DecodeError(UNDECODABLE)
    return text


def _candidates(data: bytes):
    """Decodings to try, most trusted first."""
    try:
        yield data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    guess = _guess(data)
    if guess is not None:
        yield guess


def _guess(data: bytes) -> str | None:
    """charset-normalizer's best decoding, with near ties broken by PREFERRED_ENCODINGS."""
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        return None
    tied = {
        r.encoding: r
        for r in results
        if r.chaos == best.chaos and best.coherence - r.coherence <= _NEAR_TIE
    }
    chosen = next((tied[e] for e in PREFERRED_ENCODINGS if e in tied), best)
    return str(chosen)


def _looks_like_text(text: str) -> bool:
    """False for NUL bytes or more than a sliver of control characters."""
    if "\x00" in text:
        return False
    return len(_CONTROL.findall(text)) <= _MAX_CONTROL_SHARE * len(text)
