"""Article-level scores as text: one column per scored set (dev, test), side by side."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from dyad.evaluate.truth import ArticleScores, PRF

__all__ = ["render"]


def _prf(p: PRF) -> str:
    return f"{p.precision:.3f} {p.recall:.3f} {p.f1:.3f}"


def _rows(label_width: int, cols: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    width = max([len(c) for c in cols] + [len(v) for _, vals in rows for v in vals] + [12])
    lines = [" " * label_width + "  ".join(c.rjust(width) for c in cols)]
    lines += [label.ljust(label_width) + "  ".join(v.rjust(width) for v in vals) for label, vals in rows]
    return lines


def render(scores: Sequence[ArticleScores], verbose: bool = False) -> str:
    """The headline P/R/F1, field accuracies, ties, the threshold curve, calibration and the error classes."""
    cols = [s.title for s in scores]
    w = 34
    out = ["Events against article gold (P R F1; strict = type, actor and recipient identities)", ""]
    out += _rows(w, cols, [
        ("articles / sentences", [f"{s.articles} / {s.sentences}" for s in scores]),
        ("gold events / coded events", [f"{s.gold_events} / {s.coded_events}" for s in scores]),
        ("strict", [_prf(s.strict) for s in scores]),
        ("relaxed (type and actor)", [_prf(s.relaxed) for s in scores]),
        ("strict and modality", [_prf(s.strict_modality) for s in scores]),
        ("sentences holding an event", [_prf(s.sentence_detection) for s in scores]),
        ("ties (kind, a, b)", [_prf(s.ties) for s in scores]),
    ])
    out += ["", "Field accuracy (right / judged)"]
    names = list(dict.fromkeys(n for s in scores for n in s.fields))
    out += _rows(w, cols, [
        (name, [f"{s.field_accuracy(name):.3f} ({s.fields.get(name, (0, 0))[0]}/{s.fields.get(name, (0, 0))[1]})"
                for s in scores]) for name in names
    ])
    out += ["", "Strict P R F1 keeping coded events with confidence >= threshold"]
    out += _rows(w, cols, [
        (f">= {t:.1f}", [f"{_prf(dict(s.thresholds)[t])} n={dict(s.thresholds)[t].n_pred}" for s in scores])
        for t, _ in scores[0].thresholds
    ] if scores else [])
    out += ["", "Calibration: share of coded events strictly right, by confidence (ECE below)"]
    bins = sorted({lo for s in scores for lo, *_ in s.calibration})
    out += _rows(w, cols, [
        (f"[{lo:.1f}, {lo + 0.1:.1f})", [next((f"{r:.2f} of {n} (conf {m:.2f})" for b, m, r, n in s.calibration
                                              if b == lo), "-") for s in scores]) for lo in bins
    ] + [("expected calibration error", [f"{s.ece:.3f}" for s in scores])])
    out += ["", "Strict P R F1 by type (gold / coded)"]
    types = sorted({t for s in scores for t in s.by_type})
    out += _rows(w, cols, [
        (t, [f"{_prf(s.by_type[t])} {s.by_type[t].n_gold}/{s.by_type[t].n_pred}" if t in s.by_type else "-"
             for s in scores]) for t in types
    ])
    total: Counter = Counter()
    for s in scores:
        total.update(s.errors)
    out += ["", "Errors by class (events)"]
    out += _rows(w + 18, cols, [(label, [str(s.errors.get(label, 0)) for s in scores])
                                for label, _ in total.most_common()])
    if verbose:
        for s in scores:
            out += ["", f"Errors, {s.title} ({len(s.examples)}):"] + s.examples
    return "\n".join(out)
