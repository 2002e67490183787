"""Learned event-type classifier: which PLOVER type links a sentence's marked actor and recipient.

    from dyad.classify import PairClassifier, PairInput
    clf = PairClassifier.load()          # the model shipped in dyad/classify/data, and spaCy
    clf.predict([PairInput("1", "Egypt hosted talks with Israel.", "Egypt", "Israel")])

Importing this package loads nothing; `PairClassifier.load()` does the work.
"""

from dyad.classify.classifier import PairClassifier, train, train_from_gold
from dyad.classify.training import TrainConfig
from dyad.classify.types import Alternative, Example, PairInput, Prediction

__all__ = ["Alternative", "Example", "PairClassifier", "PairInput", "Prediction", "TrainConfig", "train", "train_from_gold"]
