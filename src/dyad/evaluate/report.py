"""An evaluation's result: headline measures, a per-type table, the Scores, and the misses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from dyad.evaluate.scores import Scores

__all__ = ["Measure", "Report", "TypeRow"]


@dataclass(frozen=True)
class Measure:
    """A share: `hits` of `total` items (a recall, an accuracy), with a short name."""

    name: str
    hits: int
    total: int

    @property
    def value(self) -> float:
        """hits / total (0 when there are no items)."""
        return self.hits / self.total if self.total else 0.0

    def to_text(self) -> str:
        """'0.512 (512/1000)'."""
        return f"{self.value:.3f} ({self.hits}/{self.total})"

    def to_dict(self) -> dict[str, Any]:
        """name, value, hits, total."""
        return {"name": self.name, "value": round(self.value, 4), "hits": self.hits, "total": self.total}


@dataclass(frozen=True)
class TypeRow:
    """One gold type's measures (same names in every row), e.g. end-to-end, typed and actor recall."""

    label: str
    measures: tuple[Measure, ...]


@dataclass(frozen=True)
class Report:
    """What one evaluation run measured; renders as text (CLI, bench) and JSON (--json)."""

    title: str
    items: int  # sentences or snippets coded
    measures: tuple[Measure, ...] = ()
    by_type: tuple[TypeRow, ...] = ()
    scores: Scores | None = None
    scores_title: str = ""
    misses: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    figures: tuple[tuple[str, float], ...] = ()  # other numbers: events per sentence, ...
    seconds: float | None = None

    def measure(self, name: str) -> Measure:
        """The headline measure called `name`; KeyError if there is none."""
        for m in self.measures:
            if m.name == name:
                return m
        raise KeyError(name)

    def _table(self) -> list[str]:
        names = [m.name for m in self.by_type[0].measures]
        width = max(len(r.label) for r in self.by_type) + 2
        cols = [max(len(n), 15) for n in names]
        lines = ["type".ljust(width) + "  ".join(n.rjust(c) for n, c in zip(names, cols))]
        for row in self.by_type:
            lines.append(row.label.ljust(width) + "  ".join(m.to_text().rjust(c) for m, c in zip(row.measures, cols)))
        return lines

    def to_text(self, verbose: bool = False) -> str:
        """Headline measures, the per-type table, the scores; with `verbose`, the misses too."""
        lines = [self.title, "=" * len(self.title), f"items coded: {self.items}"]
        width = max([len(m.name) for m in self.measures] + [len(n) for n, _ in self.figures] + [12])
        lines += [f"{m.name.ljust(width)}  {m.to_text()}" for m in self.measures]
        lines += [f"{name.ljust(width)}  {value:.3f}" for name, value in self.figures]
        if self.seconds is not None:
            rate = self.items / self.seconds if self.seconds else 0.0
            lines.append(f"{'elapsed'.ljust(width)}  {self.seconds:.1f} s ({rate:.1f} items/s)")
        if self.by_type:
            lines += ["", "per gold type:"] + self._table()
        if self.scores is not None:
            lines += ["", self.scores_title or "scores:", self.scores.to_text()]
        if self.notes:
            lines += [""] + [f"note: {n}" for n in self.notes]
        if verbose and self.misses:
            lines += ["", f"misses ({len(self.misses)}):"] + list(self.misses)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: measures, per-type rows, scores, misses, timing."""
        return {
            "title": self.title,
            "items": self.items,
            "measures": [m.to_dict() for m in self.measures],
            "figures": {name: round(value, 4) for name, value in self.figures},
            "by_type": [{"type": r.label, "measures": [m.to_dict() for m in r.measures]} for r in self.by_type],
            "scores": self.scores.to_dict() if self.scores else None,
            "seconds": round(self.seconds, 3) if self.seconds is not None else None,
            "notes": list(self.notes),
            "misses": list(self.misses),
        }

    def to_json(self) -> str:
        """to_dict() as indented JSON."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
