"""Attribution: who a reported event comes from ("according to diplomats", "officials said")."""

from __future__ import annotations

from spacy.tokens import Span, Token

from dyad.events.lexicon import Lexicon

__all__ = ["attribution_of"]


_RELATIVE = frozenset({"which", "who", "that"})


def _phrase(tok: Token) -> str:
    return tok.doc[tok.left_edge.i : tok.right_edge.i + 1].text.strip(" ,")


def attribution_of(trigger: Token, sent: Span, lex: Lexicon) -> str | None:
    """The source a sentence attributes the trigger's event to, or None when the text asserts it."""
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
            for pobj in tok.nbor().children:
                if pobj.dep_ == "pobj":
                    return _phrase(pobj)
    # "X said (that) ...": the event sits under a speech verb whose subject is the source
    tok, hops = trigger, 0
    while tok.head is not tok and hops < 8:
        head = tok.head
        if head.lemma_.lower() in lex.speech_verbs and tok.dep_ in {"ccomp", "parataxis", "conj", "advcl"}:
            subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is not None and subj.i != trigger.i:
                if subj.lower_ in _RELATIVE and head.dep_ == "relcl":  # "the regime, which said ..."
                    noun = head.head
                    return noun.doc[noun.left_edge.i : noun.i + 1].text
                return _phrase(subj)
        tok, hops = head, hops + 1
    # a trailing "..., officials said." attached to the root
    root = sent.root
    for child in root.children:
        if child.dep_ in {"parataxis", "ccomp"} and child.lemma_.lower() in lex.speech_verbs and child.i > trigger.i:
            subj = next((c for c in child.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                return _phrase(subj)
    if root.lemma_.lower() in lex.speech_verbs and root.i != trigger.i and trigger.i != root.i:
        subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subj is not None and root.i > trigger.i:
            return _phrase(subj)
    return None
