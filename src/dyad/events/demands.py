"""Demands stated as obligations: "Russia says Israel must end attacks" is Russia's REQUEST of Israel."""

from __future__ import annotations

from spacy.tokens import Span, Token

from dyad.events.arguments import Arguments, named_actor
from dyad.events.lexicon import Lexicon, Trigger

__all__ = ["obligations"]


def _trigger(speech: Token, event_type: str) -> Trigger:
    return Trigger(event_type=event_type, mode=None, pos="VERB", lemma=speech.lemma_.lower(), objects=frozenset(),
                   recipient=("subject_of_object",), reciprocal=False, modifier_actor=False, origin="obligation")


def obligations(sent: Span, lex: Lexicon, args: Arguments) -> list[tuple[Token, Trigger, Token]]:
    """(speech verb, trigger row, obliged verb) for each "X says Y must/should V" in the sentence, where Y is an
    actor with an identity ("children should not suffer" is no demand of anyone)."""
    out = []
    for verb in sent:
        if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in lex.speech_verbs:
            continue
        aux = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ in lex.obligations), None)
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        # the subject itself names the actor ("British society should ..." makes no demand of Britain)
        if aux is not None and subject is not None and any(
                named_actor(s) and s.covers(subject.i) for s in args.spans_of(subject)):
            out.append((verb.head, _trigger(verb.head, lex.obligations[aux.lower_]), verb))
    return out
