"""Training data readers and the training run behind `dyad train` and bench/classify.py.

Training data:
- PLV_train (../shared/gold/plv_train/PLV_train.tsv): sentences with <s>actor</s> and <t>recipient</t> marks
  and a PLOVER type (CONCEDE and RETREAT merged as YIELD);
- dyad's own pairs (classify/data/pairs.tsv): sentences written for dyad, one pair per row.
The model is a multinomial logistic regression (scikit-learn, lbfgs: deterministic) over `features.analyse`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from dyad.classify.features import PairAnalysis, merge_type
from dyad.classify.linear import LinearModel, feature_values
from dyad.classify.types import Example, PairInput
from dyad.evaluate.splits import is_dev

__all__ = ["TrainConfig", "fit", "own_examples", "read_pairs_tsv", "read_plv", "gold_examples", "PLV_PATH"]

PLV_PATH = Path("plv_train") / "PLV_train.tsv"
_MARK = re.compile(r"(</?[st]>)")
# PLV writes this where a pair has no recipient.
_NO_RECIPIENT = {"a recipient", ""}


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one training run (the defaults made the shipped model)."""

    C: float = 30.0  # inverse L2 strength: weak, the features are sparse and mostly binary
    balanced: bool = True  # weight classes inversely to their frequency (macro-F1 counts rare types equally)
    max_iter: int = 3000
    # the trigger's features count double: in the coder the trigger is what tells one event of a pair from
    # another (bench/events.py --classifier oof, one fold split: overriding gained 18 pairs net, against 10 at
    # weight 1; bench/classify.py macro-F1 0.808, against 0.820)
    group_weights: dict[str, float] = field(default_factory=lambda: {
        "u": 0.5, "b": 0.5, "tl": 2.0, "tt": 2.0, "tlt": 2.0, "tmt": 2.0, "tpat": 2.0, "tprt": 2.0})
    own_data: bool = True  # add classify/data/pairs.tsv to the gold data


def _unmark(marked: str) -> tuple[str, tuple[int, int] | None, tuple[int, int] | None]:
    text, actor, recipient, opened = "", None, None, {}
    for piece in _MARK.split(marked):
        if piece in ("<s>", "<t>"):
            opened[piece] = len(text)
        elif piece == "</s>" and "<s>" in opened:
            actor = (opened["<s>"], len(text))
        elif piece == "</t>" and "<t>" in opened:
            recipient = (opened["<t>"], len(text))
        else:
            text += piece
    return text, actor, recipient


def read_plv(path: str | Path, dev_only: bool = True) -> list[Example]:
    """Pairs of PLV_train.tsv, with the marked spans' offsets (gold_root is the label).

    With `dev_only` (the default), the frozen held-out fold (dyad.evaluate.splits) is left out: no model is
    trained on the sentences its accuracy is reported on.
    """
    out = []
    with open(path, newline="", encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh, delimiter="\t")):
            if dev_only and not is_dev(row["sentence"], "plv"):
                continue
            text, actor, recipient = _unmark(row["marked_sentence"])
            target = row["target"].strip()
            if recipient is None or target.lower() in _NO_RECIPIENT:
                recipient, target = None, None
            pair = PairInput(
                id=f"plv-{row.get('sentence_id') or n}-{n}",
                sentence=text,
                actor=row["source"].strip() if actor is None else text[actor[0] : actor[1]].strip(),
                recipient=None if recipient is None else text[recipient[0] : recipient[1]].strip(),
                actor_start=None if actor is None else actor[0] + _lead(text, actor),
                recipient_start=None if recipient is None else recipient[0] + _lead(text, recipient),
            )
            out.append(Example(pair, row["gold_root"].strip().upper()))
    return out


def _lead(text: str, span: tuple[int, int]) -> int:
    piece = text[span[0] : span[1]]
    return len(piece) - len(piece.lstrip())


def read_pairs_tsv(source: str | Path | Iterable[str]) -> list[Example]:
    """dyad's own pair file: columns type, actor, recipient, sentence ('#' lines are comments)."""
    lines = Path(source).read_text(encoding="utf-8").splitlines() if isinstance(source, (str, Path)) else source
    rows = [line for line in lines if line.strip() and not line.startswith("#")]
    out = []
    for n, row in enumerate(csv.DictReader(rows, delimiter="\t")):
        out.append(Example(PairInput(f"own-{n}", row["sentence"], row["actor"], row["recipient"] or None),
                           merge_type(row["type"].strip().upper())))
    return out


def own_examples() -> list[Example]:
    """The pairs written for dyad, shipped in dyad/classify/data/pairs.tsv."""
    text = (resources.files("dyad.classify") / "data" / "pairs.tsv").read_text(encoding="utf-8")
    return read_pairs_tsv(text.splitlines())


def gold_examples(gold_dir: str | Path) -> list[Example]:
    """The gold pairs under ../shared/gold that carry actor and recipient spans (PLV_train's dev part)."""
    path = Path(gold_dir) / PLV_PATH
    if not path.exists():
        raise FileNotFoundError(f"no training data: {path} is missing")
    return read_plv(path)


def fit(analyses: Sequence[PairAnalysis], labels: Sequence[str], config: TrainConfig,
        meta: dict | None = None) -> LinearModel:
    """Fit the logistic regression on analysed pairs; labels are training-data types (YIELD merged)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        raise ValueError("training needs examples of at least two event types")
    vec = DictVectorizer()
    X = vec.fit_transform([feature_values(a.features, config.group_weights) for a in analyses])
    clf = LogisticRegression(C=config.C, max_iter=config.max_iter,
                             class_weight="balanced" if config.balanced else None)
    clf.fit(X, list(labels))
    coef = clf.coef_.T.astype(np.float32)
    intercept = clf.intercept_.astype(np.float32)
    if len(clf.classes_) == 2:  # binary case: scikit-learn keeps one column; make it a two-class softmax
        coef = np.hstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2], dtype=np.float32)
    info = {"config": asdict(config), "examples": len(labels), "features": len(vec.vocabulary_)}
    info.update(meta or {})
    return LinearModel(tuple(str(c) for c in clf.classes_), {k: int(v) for k, v in vec.vocabulary_.items()}, coef, intercept,
                       dict(config.group_weights), info)
