"""Modality of an event: asserted, intended, potential, hypothetical or negated, with its scope."""

from __future__ import annotations

from spacy.tokens import Token

from dyad.events.lexicon import Lexicon
from dyad.model import Modality

__all__ = ["modality_of"]

_RANK = {
    Modality.ASSERTED: 0,
    Modality.INTENDED: 1,
    Modality.POTENTIAL: 2,
    Modality.HYPOTHETICAL: 3,
    Modality.NEGATED: 4,
}
# Clause links through which a governing verb's modality reaches the event it governs.
_SCOPE_DEPS = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "conj", "attr", "nsubjpass"})


def _markers(tok: Token, lex: Lexicon, governing: bool) -> list[Modality]:
    found = []
    for child in tok.children:
        word = child.lower_
        if child.dep_ == "neg":
            found.append(lex.modality.get(("neg", word), "negated"))
        elif child.dep_ in {"aux", "auxpass"} and (hit := lex.modality.get(("aux", word))):
            found.append(hit)
        elif child.dep_ == "advmod" and (hit := lex.modality.get(("adv", word))):
            found.append(hit)
        elif child.dep_ == "mark" and (hit := lex.modality.get(("mark", word))):
            found.append(hit)
        elif child.dep_ == "amod" and not governing and (hit := lex.modality.get(("amod", word))):
            found.append(hit)
    if governing:
        if hit := lex.modality.get(("governor", tok.lemma_.lower())):
            found.append(hit)
        if tok.pos_ == "ADJ" and (hit := lex.modality.get(("adj", tok.lower_))):
            found.append(hit)
    return [Modality(m) for m in found]


def modality_of(trigger: Token, lex: Lexicon) -> tuple[Modality, str | None]:
    """The strongest modality on the trigger or on a verb that governs it, and the word that set it."""
    best, cue = Modality.ASSERTED, None
    tok, governing, hops = trigger, False, 0
    while True:
        for m in _markers(tok, lex, governing):
            if _RANK[m] > _RANK[best]:
                best, cue = m, tok.text if governing else None
        if tok.dep_ not in _SCOPE_DEPS or tok.head is tok or hops > 6:
            break
        # a conjunct shares its first conjunct's auxiliaries, not its lexical modality
        governing = tok.dep_ != "conj"
        tok, hops = tok.head, hops + 1
    return best, cue
