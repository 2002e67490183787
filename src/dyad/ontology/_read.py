"""Parse and check the ontology's data files; every error names the file and line at fault."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from dyad.ontology._tsv import Row, read_rows
from dyad.ontology.records import QUADS, TYPES, CameoCode, EventType, Mode, Sector

EVENT_TYPE_COLUMNS = ("type", "quad", "score", "requires_recipient", "cameo", "description")
MODE_COLUMNS = ("type", "mode", "score", "cameo", "description")
SECTOR_COLUMNS = ("code", "name", "description")
CROSSWALK_COLUMNS = ("cameo", "type", "mode", "context", "cameo_description", "goldstein")

_CAMEO_CODE = re.compile(r"\d{2,4}")
_MODE_NAME = re.compile(r"[a-z][a-z-]*")
_SECTOR_CODE = re.compile(r"[A-Z]{3}")
_YES_NO = {"yes": True, "no": False}


def _cameo(row: Row, column: str) -> str | None:
    """A CAMEO code column: 2-4 digits, or None when empty."""
    code = row.optional(column)
    if code is not None and not _CAMEO_CODE.fullmatch(code):
        raise row.error(f"{column} {code!r} is not a 2-4 digit CAMEO code")
    return code


def _known_type(row: Row, known: Collection[str]) -> str:
    """The row's `type` column, which must name a known PLOVER type."""
    name = row["type"]
    if name not in known:
        raise row.error(f"unknown PLOVER type {name!r}; expected one of {', '.join(known)}")
    return name


def read_event_types(text: str, source: str) -> tuple[EventType, ...]:
    """Event types from `event_types.tsv`; all of TYPES must appear exactly once."""
    found: dict[str, EventType] = {}
    for row in read_rows(text, source, EVENT_TYPE_COLUMNS):
        name = _known_type(row, TYPES)
        if name in found:
            raise row.error(f"type {name} is listed twice")
        quad = row["quad"]
        if quad not in QUADS:
            raise row.error(f"unknown quad {quad!r}; expected one of {', '.join(QUADS)}")
        recipient = row["requires_recipient"].lower()
        if recipient not in _YES_NO:
            raise row.error(f"requires_recipient must be yes or no, not {recipient!r}")
        found[name] = EventType(
            name=name,
            quad=quad,
            quad_class=QUADS.index(quad) + 1,
            score=row.number("score"),
            requires_recipient=_YES_NO[recipient],
            cameo=_cameo(row, "cameo"),
            description=row["description"],
        )
    missing = [name for name in TYPES if name not in found]
    if missing:
        raise ValueError(f"{source}: missing PLOVER types {', '.join(missing)}")
    return tuple(found.values())


def read_modes(text: str, source: str, types: Collection[str]) -> tuple[Mode, ...]:
    """Modes from `modes.tsv`; each must belong to one of `types` and appear once."""
    found: dict[tuple[str, str], Mode] = {}
    for row in read_rows(text, source, MODE_COLUMNS):
        type_name = _known_type(row, types)
        name = row["mode"]
        if not _MODE_NAME.fullmatch(name):
            raise row.error(f"mode name {name!r} must be lower-case letters and hyphens")
        if (type_name, name) in found:
            raise row.error(f"mode {type_name} {name} is listed twice")
        found[type_name, name] = Mode(
            type=type_name,
            name=name,
            score=row.optional_number("score"),
            cameo=_cameo(row, "cameo"),
            description=row["description"],
        )
    return tuple(found.values())


def read_sectors(text: str, source: str) -> tuple[Sector, ...]:
    """Sector and international actor codes from `sectors.tsv`."""
    found: dict[str, Sector] = {}
    for row in read_rows(text, source, SECTOR_COLUMNS):
        code = row["code"]
        if not _SECTOR_CODE.fullmatch(code):
            raise row.error(f"sector code {code!r} must be three upper-case letters")
        if code in found:
            raise row.error(f"sector code {code} is listed twice")
        found[code] = Sector(code=code, name=row["name"], description=row["description"])
    return tuple(found.values())


def read_crosswalk(
    text: str, source: str, modes_by_type: Mapping[str, Collection[str]]
) -> tuple[CameoCode, ...]:
    """CAMEO crosswalk rows from `cameo2plover.tsv`; types and modes must be known ones."""
    found: dict[str, CameoCode] = {}
    for row in read_rows(text, source, CROSSWALK_COLUMNS):
        code = _cameo(row, "cameo")
        if code is None:
            raise row.error("column 'cameo' is empty")
        if code in found:
            raise row.error(f"CAMEO code {code} is listed twice")
        type_name = _known_type(row, modes_by_type.keys())
        mode = row.optional("mode")
        if mode is not None and mode not in modes_by_type[type_name]:
            raise row.error(f"{mode!r} is not a mode of {type_name} (see modes.tsv)")
        contexts = tuple(part.strip() for part in row["context"].split(";") if part.strip())
        found[code] = CameoCode(
            code=code,
            type=type_name,
            mode=mode,
            contexts=contexts,
            description=row["cameo_description"],
            goldstein=row.optional_number("goldstein"),
        )
    return tuple(found.values())
