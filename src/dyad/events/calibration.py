"""Calibrated confidence: the probability that a coded event is right, learned from article gold.

The rule coder and the pair classifier each give a score (`why` records them); neither is a probability. A small
logistic model over what is known of an event (its type and modality, how its actor was found, whether its actor
and recipient resolved, the classifier's agreement, how many events its sentence gave, where the sentence is in
the article) is fitted on the **dev** split of the article gold (`eval/train_confidence.py`), with a label of 1
where the event is strictly right (type, actor and recipient), and its probability becomes `Event.confidence`.
The fitted weights are data (`events/data/confidence.json`); nothing is fitted at run time.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from dyad.classify.opinion import Opinion
from dyad.model import Event, Modality

__all__ = ["Calibrator", "ConfidenceComponent", "MODEL_FILE", "event_features", "fit", "recalibrate"]

MODEL_FILE = "confidence.json"

_HOW = re.compile(r"actor by (?P<by>[\w-]+) \((?P<how>[^)]*)\)")
_POS = re.compile(r"^lexicon (?P<pos>\w+) ")


def _resolved(ref) -> bool:
    return ref is not None and bool(ref.country or ref.affiliation or ref.sector in {"IGO", "NGO", "UNO", "EUR"})


def event_features(event: Event, in_sentence: int, sentences: int) -> dict[str, float]:
    """What the model sees of one event: named indicator features and a few numbers, all in [0, 1]."""
    f: dict[str, float] = {
        f"type={event.event_type}": 1.0,
        f"modality={Modality(event.modality).value}": 1.0,
        "actor resolved": float(_resolved(event.actor)),
        "actor sector": float(bool(event.actor.sector)),
        "recipient": float(event.recipient is not None),
        "recipient resolved": float(_resolved(event.recipient)),
        "attribution": float(bool(event.attribution)),
        "mode": float(bool(event.mode)),
        f"date={event.date_precision or 'none'}": 1.0,
        "events in sentence": min(in_sentence, 6) / 6,
        "first sentence": float(event.sentence_index == 0),
        "position": event.sentence_index / max(sentences - 1, 1),
        "sentence length": min(len(event.sentence), 400) / 400,
    }
    why = event.why or ""
    how = _HOW.search(why)
    if how:
        f[f"actor by {how['by']}"] = 1.0
        for part in how["how"].split("+"):
            f[f"actor how {part}"] = 1.0
    pos = _POS.match(why)
    if pos:
        f[f"trigger {pos['pos']}"] = 1.0
    parsed = Opinion.parse(why)
    if parsed is not None:
        opinion = parsed[0]
        f["classifier agrees"] = float(opinion.agrees)
        f["classifier p"] = opinion.probability
        f["classifier p of lexicon type"] = opinion.lexicon_probability
        f["rule confidence"] = opinion.rule
    else:
        f["no classifier"] = 1.0
        f["rule confidence"] = event.confidence
    return f


@dataclass(frozen=True)
class Calibrator:
    """A logistic model over `event_features`: weights by feature name, and a bias."""

    weights: Mapping[str, float]
    bias: float
    threshold: float = 0.5  # the default display threshold, chosen on dev for precision
    meta: Mapping[str, object] | None = None

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> str:
        return json.dumps({"bias": self.bias, "threshold": self.threshold, "meta": dict(self.meta or {}),
                           "weights": dict(sorted(self.weights.items()))}, indent=1)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: str | Path | None = None) -> "Calibrator":
        """The shipped model, or one written by `eval/train_confidence.py`."""
        if path is None:
            text = resources.files("dyad.events").joinpath("data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        raw = json.loads(text)
        return cls(raw["weights"], float(raw["bias"]), float(raw.get("threshold", 0.5)), raw.get("meta"))


def recalibrate(events: Sequence[Event], sentences: int, calibrator: Calibrator) -> list[Event]:
    """The events of one article with their confidence replaced by the calibrated probability."""
    per_sentence: dict[int, int] = {}
    for event in events:
        per_sentence[event.sentence_index] = per_sentence.get(event.sentence_index, 0) + 1
    return [replace(e, confidence=calibrator.probability(event_features(e, per_sentence[e.sentence_index], sentences)))
            for e in events]


def fit(features: Iterable[Mapping[str, float]], labels: Sequence[int], c: float = 1.0) -> tuple[dict[str, float], float]:
    """Fit the logistic model (L2, scikit-learn); the weights by feature name and the bias."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform(list(features))
    model = LogisticRegression(C=c, max_iter=2000).fit(x, list(labels))
    weights = {name: float(w) for name, w in zip(vec.get_feature_names_out(), model.coef_[0]) if abs(w) > 1e-9}
    return weights, float(model.intercept_[0])


class ConfidenceComponent:
    """spaCy component (`dyad_confidence`, last in the pipeline): calibrated confidence on every event of a doc."""

    def __init__(self, calibrator: Calibrator) -> None:
        self.calibrator = calibrator

    def __call__(self, doc):
        events = doc._.events or []
        if events:
            doc._.events = recalibrate(events, sum(1 for _ in doc.sents), self.calibrator)
        return doc
