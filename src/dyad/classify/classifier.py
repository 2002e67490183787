"""PairClassifier: the PLOVER type of the interaction between a marked actor and recipient."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

from dyad.classify.features import PairAnalysis, analyse, merge_type, resolve_label
from dyad.classify.linear import LinearModel
from dyad.classify.spans import pair_spans
from dyad.classify.types import Alternative, Example, PairInput, Prediction
from dyad.settings import Settings

__all__ = ["PairClassifier", "SHIPPED_MODEL", "load_model", "train", "train_from_gold"]

SHIPPED_MODEL = "model.npz"
_ALTERNATIVES = 3


def _shipped_model_file():
    return resources.files("dyad.classify") / "data" / SHIPPED_MODEL


def load_model(path: str | Path | None = None) -> LinearModel:
    """A model file (default: the one shipped in dyad/classify/data); ValueError when it is no model."""
    if path is None:
        with _shipped_model_file().open("rb") as fh:
            return LinearModel.load(fh)
    return LinearModel.load(path)


def load_nlp(settings: Settings):
    """The configured spaCy model without its entity recogniser (the classifier reads tags, lemmas, parse)."""
    from dyad.nlp import load_spacy

    nlp = load_spacy(settings)
    if "ner" in nlp.pipe_names:
        nlp.remove_pipe("ner")
    return nlp


class Analyser:
    """Parses sentences once (batched) and analyses each pair of them."""

    def __init__(self, nlp, batch_size: int = 128, processes: int = 1) -> None:
        from dyad.events.lexicon import load_lexicon

        self.nlp = nlp
        self.lex = load_lexicon()
        self.batch_size = batch_size
        self.processes = max(1, processes)

    def __call__(self, pairs: Sequence[PairInput]) -> list[PairAnalysis]:
        """One analysis per pair, in order; sentences shared by several pairs are parsed once, on `processes`
        processes (spaCy's multi-process pipe) when there are enough of them to pay for starting the others."""
        sentences = list(dict.fromkeys(p.sentence for p in pairs))
        processes = self.processes if len(sentences) >= 2 * self.batch_size * self.processes else 1
        docs = dict(zip(sentences, self.nlp.pipe(sentences, batch_size=self.batch_size, n_process=processes)))
        out = []
        for pair in pairs:
            actor, recipient = pair_spans(pair)
            out.append(analyse(docs[pair.sentence], actor, recipient, self.lex))
        return out


class PairClassifier:
    """Classifies (sentence, actor, recipient) pairs into PLOVER types; load() first, then predict()."""

    def __init__(self, model: LinearModel, analyser: Analyser) -> None:
        self.model = model
        self.analyser = analyser

    @classmethod
    def load(cls, path: str | Path | None = None, settings: Settings | None = None) -> "PairClassifier":
        """Load a model file (default: the one shipped in dyad/classify/data) and the spaCy model."""
        settings = settings or Settings.from_env()
        return cls(load_model(path), Analyser(load_nlp(settings), processes=settings.workers))

    def predict(self, pairs: Sequence[PairInput], batch_size: int = 2048) -> list[Prediction]:
        """One Prediction per pair, in order (parsed and scored in batches of `batch_size`)."""
        out: list[Prediction] = []
        for start in range(0, len(pairs), batch_size):
            out.extend(self._batch(pairs[start : start + batch_size]))
        return out

    def _batch(self, pairs: Sequence[PairInput]) -> list[Prediction]:
        if not pairs:
            return []
        analyses = self.analyser(pairs)
        probs = self.model.probabilities([a.features for a in analyses])
        labels = self.model.labels
        out = []
        for pair, analysis, row in zip(pairs, analyses, probs):
            order = row.argsort()[::-1]
            event_type, mode = resolve_label(labels[order[0]], analysis)
            alternatives = tuple(Alternative(resolve_label(labels[i], analysis)[0], float(row[i]))
                                 for i in order[1 : 1 + _ALTERNATIVES])
            out.append(Prediction(pair.id, event_type, mode, float(row[order[0]]), alternatives))
        return out


def train(examples: Iterable[Example], settings: Settings | None = None, config=None, nlp=None,
          meta: dict | None = None) -> LinearModel:
    """Train a model on examples (their types as in PLV: CONCEDE and RETREAT count as YIELD)."""
    from dyad.classify.training import TrainConfig, fit

    examples = list(examples)
    analyser = Analyser(nlp if nlp is not None else load_nlp(settings or Settings.from_env()))
    analyses = analyser([e.pair for e in examples])
    return fit(analyses, [merge_type(e.event_type) for e in examples], config or TrainConfig(), meta)


def train_from_gold(gold_dir: str | Path, settings: Settings | None = None, config=None) -> LinearModel:
    """The shipped model's recipe: PLV_train under `gold_dir` plus dyad's own pairs (unless config says not)."""
    from dyad.classify.training import TrainConfig, gold_examples, own_examples

    config = config or TrainConfig()
    gold = gold_examples(gold_dir)
    own = own_examples() if config.own_data else []
    meta = {"trained_on": {"PLV_train": len(gold), "dyad_pairs": len(own)}}
    return train(gold + own, settings, config, meta=meta)
