"""The one exception the store raises for problems a user can fix (bad URL, missing driver, old schema)."""

from __future__ import annotations

__all__ = ["StoreError"]


class StoreError(Exception):
    """A database could not be opened or used as a dyad store; the message says why."""
