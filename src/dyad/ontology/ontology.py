"""The Ontology object: lookups over PLOVER types, modes, scores, sectors and the CAMEO crosswalk."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from dyad.ontology import _read
from dyad.ontology.records import CameoCode, EventType, Mode, Sector

__all__ = ["Ontology", "load_ontology"]

EVENT_TYPES_FILE = "event_types.tsv"
MODES_FILE = "modes.tsv"
SECTORS_FILE = "sectors.tsv"
CROSSWALK_FILE = "cameo2plover.tsv"


class Ontology:
    """PLOVER event types, modes, sectors and the CAMEO crosswalk, with lookups between them.

    Type names are matched case-insensitively (stored upper-case), mode names likewise (stored
    lower-case). Unknown types and modes raise KeyError; unknown CAMEO codes give None.
    """

    def __init__(
        self,
        event_types: Iterable[EventType],
        modes: Iterable[Mode],
        sectors: Iterable[Sector],
        crosswalk: Iterable[CameoCode],
    ) -> None:
        self._types = {t.name: t for t in event_types}
        self._modes: dict[str, dict[str, Mode]] = {name: {} for name in self._types}
        for mode in modes:
            self._modes[mode.type][mode.name] = mode
        self._sectors = {s.code: s for s in sectors}
        self._crosswalk = {c.code: c for c in crosswalk}

    @classmethod
    def load(cls) -> Ontology:
        """The ontology shipped in dyad's `ontology/data/` folder (read once per process)."""
        return load_ontology()

    @classmethod
    def from_dir(cls, directory: Traversable | Path | str) -> Ontology:
        """Read and check the four data files in `directory`; bad rows raise ValueError with file:line."""
        folder: Traversable = Path(directory) if isinstance(directory, str) else directory

        def text(name: str) -> tuple[str, str]:
            path = folder.joinpath(name)
            return path.read_text(encoding="utf-8"), str(path)

        event_types = _read.read_event_types(*text(EVENT_TYPES_FILE))
        type_names = [t.name for t in event_types]
        modes = _read.read_modes(*text(MODES_FILE), type_names)
        modes_by_type: dict[str, set[str]] = {name: set() for name in type_names}
        for mode in modes:
            modes_by_type[mode.type].add(mode.name)
        crosswalk = _read.read_crosswalk(*text(CROSSWALK_FILE), modes_by_type)
        sectors = _read.read_sectors(*text(SECTORS_FILE))
        return cls(event_types, modes, sectors, crosswalk)

    # Event types

    def types(self) -> tuple[str, ...]:
        """Names of the event types, in the data file's (the manual's) order."""
        return tuple(self._types)

    def event_type(self, name: str) -> EventType:
        """The event type called `name`; KeyError if there is none."""
        key = name.strip().upper()
        try:
            return self._types[key]
        except KeyError:
            raise KeyError(f"unknown PLOVER event type {name!r}") from None

    def quad_class(self, type_name: str) -> int:
        """The type's quad class: 1 verbal cooperation ... 4 material conflict."""
        return self.event_type(type_name).quad_class

    def requires_recipient(self, type_name: str) -> bool:
        """Whether the manual requires a recipient for events of this type."""
        return self.event_type(type_name).requires_recipient

    # Modes

    def modes(self, type_name: str) -> tuple[Mode, ...]:
        """The modes of a type, in file order (empty for types without modes)."""
        return tuple(self._modes[self.event_type(type_name).name].values())

    def mode(self, type_name: str, name: str) -> Mode:
        """The mode `name` of a type; KeyError if the type has no such mode."""
        found = self._find_mode(type_name, name)
        if found is None:
            raise KeyError(f"{name!r} is not a mode of {self.event_type(type_name).name}")
        return found

    def _find_mode(self, type_name: str, name: str | None) -> Mode | None:
        """The mode if the type has it, else None (the type itself must exist)."""
        modes = self._modes[self.event_type(type_name).name]
        return None if name is None else modes.get(name.strip().lower())

    # Scores and CAMEO codes

    def score(self, type_name: str, mode: str | None = None) -> float:
        """Conflict/cooperation score of a mode when it has one, else of its type."""
        found = self._find_mode(type_name, mode)
        if found is not None and found.score is not None:
            return found.score
        return self.event_type(type_name).score

    def cameo(self, type_name: str, mode: str | None = None) -> str | None:
        """Closest CAMEO code for a mode when it has one, else the type's representative code."""
        found = self._find_mode(type_name, mode)
        if found is not None and found.cameo is not None:
            return found.cameo
        return self.event_type(type_name).cameo

    def cameo_entry(self, code: str) -> CameoCode | None:
        """The crosswalk entry for a CAMEO code or its longest listed prefix ('0431' -> '043' -> '04')."""
        code = code.strip()
        if not (code.isascii() and code.isdigit()):
            return None
        for end in range(len(code), 1, -1):
            entry = self._crosswalk.get(code[:end])
            if entry is not None:
                return entry
        return None

    def from_cameo(self, code: str) -> tuple[str, str | None] | None:
        """(type, mode) for a CAMEO code by longest-prefix match; None if PLOVER has no type for it."""
        entry = self.cameo_entry(code)
        return None if entry is None else (entry.type, entry.mode)

    def to_root_type(self, cameo_root: str) -> str:
        """The PLOVER type of a two-digit CAMEO cue category such as '19'; KeyError if it has none."""
        root = cameo_root.strip()
        if len(root) != 2 or not (root.isascii() and root.isdigit()):
            raise ValueError(f"CAMEO root must be two digits, not {cameo_root!r}")
        entry = self._crosswalk.get(root)
        if entry is None:
            raise KeyError(f"CAMEO root {root} has no PLOVER type")
        return entry.type

    # Sectors

    def sectors(self) -> tuple[Sector, ...]:
        """All sector and international actor codes, in file order."""
        return tuple(self._sectors.values())

    def sector(self, code: str) -> Sector:
        """The sector with this code; KeyError if there is none."""
        try:
            return self._sectors[code.strip().upper()]
        except KeyError:
            raise KeyError(f"unknown PLOVER sector code {code!r}") from None

    def is_sector(self, code: str) -> bool:
        """Whether `code` is a PLOVER sector or international actor code (case-insensitive)."""
        return code.strip().upper() in self._sectors


@functools.lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    """Read the ontology shipped with dyad; cached, so the files are read once per process."""
    return Ontology.from_dir(resources.files("dyad.ontology").joinpath("data"))
