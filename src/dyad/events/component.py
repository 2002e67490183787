"""The `dyad_events` component: events and ties from one parsed doc."""

from __future__ import annotations

from spacy.tokens import Doc

from dyad.events.extract import EventExtractor
from dyad.events.lexicon import load_lexicon
from dyad.events.ties import TieExtractor, load_tie_compounds, load_tie_patterns
from dyad.ontology import Ontology

__all__ = ["EventsAndTies"]


class EventsAndTies:
    """Runs the event coder, then the tie extractor, over a doc whose actors are resolved."""

    def __init__(self, events: EventExtractor, ties: TieExtractor) -> None:
        self.events = events
        self.ties = ties

    @classmethod
    def load(cls) -> "EventsAndTies":
        """Read the lexicon, tie patterns and ontology shipped with dyad."""
        lex = load_lexicon()
        return cls(EventExtractor(lex, Ontology.load()), TieExtractor(load_tie_patterns(), lex, load_tie_compounds()))

    def __call__(self, doc: Doc) -> Doc:
        doc = self.events(doc)
        return self.ties(doc)
