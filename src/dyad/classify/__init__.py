"""Learned event-type classifier: which PLOVER type links a sentence's marked actor and recipient.

    from dyad.classify import PairClassifier, PairInput
    clf = PairClassifier.load()          # the model shipped in dyad/classify/data, and spaCy
    clf.predict([PairInput("1", "Egypt hosted talks with Israel.", "Egypt", "Israel")])

Inside the event coder the same model gives a second opinion on each event's type (the `dyad_classifier`
spaCy component, dyad.classify.incoder); `Opinion.parse(event.why)` reads it back from an event.

Importing this package loads nothing; `PairClassifier.load()` does the work.
"""

from dyad.classify.classifier import PairClassifier, train, train_from_gold
from dyad.classify.opinion import Opinion, Policy
from dyad.classify.training import TrainConfig
from dyad.classify.types import Alternative, Example, PairInput, Prediction

__all__ = ["Alternative", "Example", "Opinion", "PairClassifier", "PairInput", "Policy", "Prediction", "TrainConfig",
           "train", "train_from_gold"]
