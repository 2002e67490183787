"""Scoring: per-type precision, recall and F1, micro and macro averages, a confusion matrix.

Pure functions over labels; nothing here knows about the coder or a gold format.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["Confusion", "Scores", "TypeScore", "confusion", "score_items", "score_labels"]

K = TypeVar("K", bound=Hashable)
NONE = "(none)"  # the confusion matrix's label for "no prediction" / "no gold"


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return _ratio(2 * p * r, p + r)


@dataclass(frozen=True)
class TypeScore:
    """Counts for one label: true positives, false positives, false negatives."""

    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0 when nothing was predicted."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 0 when there is no gold."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        return _f1(self.precision, self.recall)

    @property
    def support(self) -> int:
        """Number of gold items with this label."""
        return self.tp + self.fn

    def to_dict(self) -> dict[str, Any]:
        """Counts and rates, rounded for printing."""
        return {"label": self.label, "tp": self.tp, "fp": self.fp, "fn": self.fn, "support": self.support,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(frozen=True)
class Confusion:
    """Gold labels (rows) by predicted labels (columns), each side listing only labels that occur on it;
    '(none)' marks a missing prediction (column) or a prediction without gold (row)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[str, str, int], ...]  # (gold, predicted, count), non-zero cells only

    def count(self, gold: str, predicted: str) -> int:
        """How often `gold` was predicted as `predicted`."""
        return sum(n for g, p, n in self.cells if g == gold and p == predicted)

    def matrix(self) -> list[list[int]]:
        """One list per row label, one count per column label."""
        return [[self.count(g, p) for p in self.columns] for g in self.rows]

    def to_text(self) -> str:
        """A fixed-width matrix; column heads are the labels' first four letters."""
        width = max([len(label) for label in self.rows] + [16])
        lines = ["gold \\ predicted".ljust(width) + " " + " ".join(c[:4].rjust(4) for c in self.columns)]
        for gold, row in zip(self.rows, self.matrix()):
            lines.append(gold.ljust(width) + " " + " ".join((str(n) if n else ".").rjust(4) for n in row))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Row labels, column labels and the matrix."""
        return {"rows": list(self.rows), "columns": list(self.columns), "matrix": self.matrix()}


def _label_order(labels: Iterable[str], order: tuple[str, ...]) -> tuple[str, ...]:
    known = [label for label in order if label in labels]
    rest = sorted(label for label in labels if label not in order and label != NONE)
    tail = [NONE] if NONE in labels else []
    return tuple(known + rest + tail)


def confusion(pairs: Iterable[tuple[str | None, str | None]], order: tuple[str, ...] = ()) -> Confusion:
    """A confusion matrix from (gold, predicted) pairs; None on either side counts as '(none)'."""
    counts = Counter((g or NONE, p or NONE) for g, p in pairs)
    rows = _label_order({g for g, _ in counts}, order)
    columns = _label_order({p for _, p in counts}, order)
    cells = tuple((g, p, counts[(g, p)]) for g in rows for p in columns if counts[(g, p)])
    return Confusion(rows, columns, cells)


@dataclass(frozen=True)
class Scores:
    """Per-label counts with micro and macro averages, and optionally a confusion matrix.

    Micro averages pool the counts of all labels; macro averages are the unweighted means of the
    per-label precision, recall and F1 over every label that occurs in the gold or the predictions.
    """

    per_type: tuple[TypeScore, ...]
    confusion: Confusion | None = None

    @property
    def micro(self) -> TypeScore:
        """All labels' counts pooled."""
        return TypeScore("micro", sum(t.tp for t in self.per_type), sum(t.fp for t in self.per_type),
                         sum(t.fn for t in self.per_type))

    def _mean(self, attr: str) -> float:
        return _ratio(sum(getattr(t, attr) for t in self.per_type), len(self.per_type))

    @property
    def macro_precision(self) -> float:
        """Mean per-label precision."""
        return self._mean("precision")

    @property
    def macro_recall(self) -> float:
        """Mean per-label recall."""
        return self._mean("recall")

    @property
    def macro_f1(self) -> float:
        """Mean per-label F1."""
        return self._mean("f1")

    def get(self, label: str) -> TypeScore:
        """The row for a label (all zero counts when it never occurred)."""
        return next((t for t in self.per_type if t.label == label), TypeScore(label))

    def to_text(self) -> str:
        """A per-label table with micro and macro rows, then the confusion matrix if there is one."""
        width = max([len(t.label) for t in self.per_type] + [10])
        head = f"{'type'.ljust(width)} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"
        lines = [head]
        for t in self.per_type:
            lines.append(f"{t.label.ljust(width)} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} "
                         f"{t.tp:5d} {t.fp:5d} {t.fn:5d}")
        m = self.micro
        lines.append(f"{'micro'.ljust(width)} {m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f} "
                     f"{m.tp:5d} {m.fp:5d} {m.fn:5d}")
        lines.append(f"{'macro'.ljust(width)} {self.macro_precision:6.3f} {self.macro_recall:6.3f} "
                     f"{self.macro_f1:6.3f}")
        if self.confusion is not None:
            lines += ["", "confusion (rows gold, columns predicted):", self.confusion.to_text()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON-ready values."""
        m = self.micro
        return {
            "per_type": [t.to_dict() for t in self.per_type],
            "micro": {"precision": round(m.precision, 4), "recall": round(m.recall, 4), "f1": round(m.f1, 4)},
            "macro": {"precision": round(self.macro_precision, 4), "recall": round(self.macro_recall, 4),
                      "f1": round(self.macro_f1, 4)},
            "confusion": self.confusion.to_dict() if self.confusion else None,
        }

    def to_json(self) -> str:
        """to_dict() as indented JSON."""
        return json.dumps(self.to_dict(), indent=2)


def score_items(
    items: Iterable[tuple[Iterable[K], Iterable[K]]],
    label: Callable[[K], str] = str,
    order: tuple[str, ...] = (),
    confusion_pairs: Iterable[tuple[str | None, str | None]] | None = None,
) -> Scores:
    """Score (gold, predicted) collections item by item: an item's gold and predicted keys are matched
    as multisets, and each key's `label` decides which row its tp, fp or fn is counted in.

    With keys = type names this is multi-label type scoring; with keys = (source, target, type)
    triples and label = the triple's type, it is triple scoring broken down by type.
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold, predicted in items:
        g, p = Counter(gold), Counter(predicted)
        for key, n in (g & p).items():
            tp[label(key)] += n
        for key, n in (p - g).items():
            fp[label(key)] += n
        for key, n in (g - p).items():
            fn[label(key)] += n
    labels = _label_order(set(tp) | set(fp) | set(fn), order)
    rows = tuple(TypeScore(x, tp[x], fp[x], fn[x]) for x in labels)
    matrix = confusion(confusion_pairs, order) if confusion_pairs is not None else None
    return Scores(rows, matrix)


def score_labels(pairs: Iterable[tuple[str | None, str | None]], order: tuple[str, ...] = ()) -> Scores:
    """Single-label classification: one (gold, predicted) pair per item; None means no label.

    Micro precision and recall equal accuracy when every item has both a gold and a predicted label.
    """
    pairs = list(pairs)
    items = [([g] if g else [], [p] if p else []) for g, p in pairs]
    return score_items(items, order=order, confusion_pairs=pairs)
