"""The analysis's knowledge: tie kinds, channel events and tie effects, read from `data/*.tsv`."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from dyad.model import Modality
from dyad.ontology._tsv import read_rows

__all__ = ["AnalysisTables", "TieEffect", "TieKind"]

EFFECTS = ("strengthen", "weaken", "end")


@dataclass(frozen=True)
class TieKind:
    """How a standing tie kind enters the network: its sign, weight at full strength and whether it is a channel."""

    kind: str
    sign: int = 1
    weight: float = 1.0
    channel: bool = False


@dataclass(frozen=True)
class TieEffect:
    """One row of tie_effects.tsv: an event pattern and what it does to the ties it applies to."""

    type: str
    mode: str  # '*' for any
    modality: str  # '*' for any
    ties: str  # 'cooperative', 'hostile' or kinds joined by '|'
    effect: str

    def applies(self, event_type: str, mode: str | None, modality: Modality, kind: TieKind) -> bool:
        """Whether an event of this type, mode and modality changes a tie of `kind` by this row."""
        if modality == Modality.NEGATED or event_type != self.type:
            return False
        if self.mode != "*" and mode != self.mode:
            return False
        if self.modality != "*" and Modality(modality).value != self.modality:
            return False
        if self.ties == "cooperative":
            return kind.sign > 0
        if self.ties == "hostile":
            return kind.sign < 0
        return kind.kind in self.ties.split("|")


@dataclass(frozen=True)
class AnalysisTables:
    """Everything the analysis reads from its data files."""

    tie_kinds: dict[str, TieKind]
    channel_types: frozenset[str]
    tie_effects: tuple[TieEffect, ...]
    stopwords: frozenset[str] = frozenset()

    @classmethod
    def load(cls) -> "AnalysisTables":
        """The tables shipped in `dyad/analysis/data/` (read once per process)."""
        return _load()

    def tie_kind(self, kind: str) -> TieKind:
        """The settings of a tie kind; an unknown kind is a cooperative non-channel tie of weight 1."""
        return self.tie_kinds.get(kind, TieKind(kind))

    def effect(self, event_type: str, mode: str | None, modality: Modality, kind: str) -> str | None:
        """What an event does to a tie of `kind`: strengthen, weaken, end, or None."""
        tk = self.tie_kind(kind)
        for row in self.tie_effects:
            if row.applies(event_type, mode, modality, tk):
                return row.effect
        return None


def _text(name: str) -> tuple[str, str]:
    path = resources.files("dyad.analysis").joinpath("data").joinpath(name)
    return path.read_text(encoding="utf-8"), f"dyad/analysis/data/{name}"


@functools.lru_cache(maxsize=1)
def _load() -> AnalysisTables:
    kinds = {}
    for row in read_rows(*_text("tie_kinds.tsv"), ("kind", "sign", "weight", "channel")):
        sign = int(row.number("sign"))
        if sign not in (1, -1):
            raise row.error("sign must be 1 or -1")
        kinds[row["kind"]] = TieKind(row["kind"], sign, row.number("weight"), row["channel"] == "yes")
    channels = frozenset(row["type"] for row in read_rows(*_text("channel_events.tsv"), ("type", "note")))
    effects = []
    modalities = {m.value for m in Modality} | {"*"}
    for row in read_rows(*_text("tie_effects.tsv"), ("type", "mode", "modality", "ties", "effect")):
        if row["effect"] not in EFFECTS:
            raise row.error(f"effect must be one of {', '.join(EFFECTS)}")
        if row["modality"] not in modalities:
            raise row.error(f"unknown modality {row['modality']!r}")
        effects.append(TieEffect(row["type"], row["mode"], row["modality"], row["ties"], row["effect"]))
    text, _ = _text("stopwords.txt")
    stopwords = frozenset(w.strip().casefold() for w in text.splitlines() if w.strip() and not w.startswith("#"))
    return AnalysisTables(kinds, channels, tuple(effects), stopwords)
