"""Demands stated as obligations: "Russia says Israel must end attacks" is Russia's REQUEST of Israel."""

from __future__ import annotations

from spacy.tokens import Span, Token

from dyad.events.lexicon import Lexicon, Trigger

__all__ = ["obligations"]


def _trigger(speech: Token, event_type: str) -> Trigger:
    return Trigger(event_type=event_type, mode=None, pos="VERB", lemma=speech.lemma_.lower(), objects=frozenset(),
                   recipient=("subject_of_object",), reciprocal=False, modifier_actor=False)


def obligations(sent: Span, lex: Lexicon) -> list[tuple[Token, Trigger, Token]]:
    """(speech verb, trigger row, obliged verb) for each "X says Y must/should V" in the sentence."""
    out = []
    for verb in sent:
        if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in lex.speech_verbs:
            continue
        aux = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ in lex.obligations), None)
        if aux is not None and any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
            out.append((verb.head, _trigger(verb.head, lex.obligations[aux.lower_]), verb))
    return out
