"""Turn the many ways inputs write dates into `datetime.date` (or None)."""

from __future__ import annotations

import re
from datetime import date, datetime

from dateutil import parser as dateparser

__all__ = ["date_in_name", "parse_date"]

# Parsing the same string against two defaults that differ in year, month and day
# shows which parts the string left out: a date missing any of them is not a day.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
_MAX_LENGTH = 64  # longer strings are prose, not dates, and slow to parse

# YYYY-MM-DD, YYYY_MM_DD or YYYYMMDD, not inside a longer run of digits.
_NAME_DATE = re.compile(r"(?<!\d)(\d{4})([-_]?)(\d{2})\2(\d{2})(?!\d)")


def parse_date(value: object) -> date | None:
    """A calendar day from an ISO or common date string (or date object); None if it names no full day."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    if not text or len(text) > _MAX_LENGTH:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        first, second = (dateparser.parse(text, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():
        return None
    return first.date()


def date_in_name(name: str) -> date | None:
    """The first valid YYYY-MM-DD (or YYYYMMDD) date in a file name, if any."""
    for match in _NAME_DATE.finditer(name):
        year, _, month, day = match.groups()
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            continue
    return None
