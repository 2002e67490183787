"""Within-article coreference: pronouns and definite descriptions resolved to an earlier actor.

A pronoun prefers the nearest earlier subject of a fitting kind (this sentence, then the previous
ones), the way a reader takes "It" to continue the topic; a description ("the terror group",
"the network") takes the nearest earlier mention of a fitting kind. The table of words and the kinds
they may refer to is `data/descriptions.tsv`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources

from spacy.attrs import DEP, LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from dyad.actors.kb import read_tsv
from dyad.actors.spans import ActorSpan

__all__ = ["Antecedents"]

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})


@dataclass(frozen=True)
class _Rule:
    kinds: tuple[str, ...]
    plural: bool


class Antecedents:
    """Links pronouns and definite descriptions to the actor they continue."""

    def __init__(self, rules: dict[str, _Rule]) -> None:
        self.rules = rules

    @classmethod
    def load(cls) -> "Antecedents":
        """Read the description table shipped with the package."""
        path = resources.files("dyad.actors") / "data" / "descriptions.tsv"
        rules = {
            row["text"].lower(): _Rule(tuple(row["refers_to"].split("|")), row.get("number") == "plural")
            for row in read_tsv(path)
        }
        return cls(rules)

    def resolve(self, doc: Doc, spans: list[ActorSpan]) -> list[ActorSpan]:
        """Return `spans` plus one span per pronoun or description that found an antecedent."""
        if not len(doc):  # an empty text: nothing refers back (and the walk below needs a last token)
            return spans
        spans = sorted(spans, key=lambda s: s.start)
        covered = {i for s in spans for i in range(s.start, s.end)}
        info = _DocInfo.of(doc)
        history: list[ActorSpan] = []
        pending = iter(spans)
        nxt = next(pending, None)
        added: list[ActorSpan] = []
        replaced: dict[ActorSpan, ActorSpan] = {}
        # Only tokens whose lower-case form is in the table can link; the spans that end before a token
        # join the history first, in the same order as a token-by-token walk would add them.
        words = {get_string_id(w) for w in self.rules}
        lowers = doc.to_array(LOWER).tolist()
        for i in [i for i, h in enumerate(lowers) if h in words] + [len(doc) - 1]:
            while nxt is not None and nxt.end <= i:
                history.append(self._description(doc, nxt, history, replaced))
                nxt = next(pending, None)
            if i in covered or lowers[i] not in words:
                continue
            found = self._link(doc, doc[i], history, info)
            if found is not None:
                added.append(found)
                history.append(found)
        kept = [replaced.get(s, s) for s in spans]
        return sorted([*kept, *added], key=lambda s: s.start)

    def _description(self, doc: Doc, span: ActorSpan, history: list[ActorSpan],
                     replaced: dict[ActorSpan, ActorSpan]) -> ActorSpan:
        """A bare role noun used as a definite description ("the terror group") takes its antecedent's actor."""
        head = doc[span.head]
        rule = self.rules.get(head.lower_) or self.rules.get(head.lemma_.lower())
        if span.how != "role" or rule is None or not _is_definite(head):
            return span
        antecedent = _nearest(history, rule.kinds)
        if antecedent is None:
            return span
        linked = replace(antecedent, start=span.start, end=span.end, head=span.head, how="coref",
                         antecedent=antecedent.antecedent or antecedent.text, text=span.text, lead=None)
        replaced[span] = linked
        return linked

    def _link(self, doc: Doc, tok: Token, history: list[ActorSpan], info: "_DocInfo") -> ActorSpan | None:
        word = tok.lower_
        rule = self.rules.get(word)
        if rule is None:
            return None
        if not rule.plural:  # "it" cannot take "Syrian soldiers"
            history = [s for s in history if doc[s.head].tag_ not in _PLURAL_TAGS]
        if tok.pos_ == "PRON":
            antecedent = _by_subject(tok, history, rule.kinds, info)
            start = tok.i
        elif tok.pos_ == "NOUN" and _is_definite(tok):
            antecedent = _nearest(history, rule.kinds)
            start = min(c.i for c in tok.lefts) if any(True for _ in tok.lefts) else tok.i
            start = min(start, tok.i)
        else:
            return None
        if antecedent is None:
            return None
        root = antecedent.antecedent or antecedent.text
        return replace(antecedent, start=start, end=tok.i + 1, head=tok.i, how="coref",
                       antecedent=root, text=doc[start:tok.i + 1].text, lead=None)


def _is_definite(tok: Token) -> bool:
    """'the group', 'the terror group', 'the group's': a determiner or possessive-free definite NP."""
    return any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in tok.children)


def _fits(span: ActorSpan, kinds: tuple[str, ...]) -> bool:
    if span.kind in kinds:
        return True
    # a composed span ("Hamas leaders") is a group of its organisation's kind
    return "group" in kinds and span.kind in {"role", "group"} and bool(span.actor.affiliation or span.actor.country)


def _nearest(history: list[ActorSpan], kinds: tuple[str, ...]) -> ActorSpan | None:
    for span in reversed(history):
        if _fits(span, kinds):
            return span
    return None


def _by_subject(tok: Token, history: list[ActorSpan], kinds: tuple[str, ...], info: "_DocInfo") -> ActorSpan | None:
    """Nearest earlier subject of a fitting kind, this sentence first, then earlier ones."""
    candidates = [s for s in history if _fits(s, kinds)]
    if not candidates:
        return None
    sent_start, subject = info.sent_start, info.subject
    start = sent_start[tok.i]
    in_sentence = [s for s in candidates if s.start >= start and subject[s.head]]
    if in_sentence:
        return in_sentence[-1]
    earlier = [s for s in candidates if s.start < start]
    if earlier:
        last_sent = sent_start[earlier[-1].head]
        subjects = [s for s in earlier if sent_start[s.head] == last_sent and subject[s.head]]
        if subjects:
            return subjects[0]
        return earlier[-1]
    return candidates[-1]


@dataclass(frozen=True)
class _DocInfo:
    """Per-token facts looked up many times while resolving one doc: sentence start, whether a subject."""

    sent_start: list[int]
    subject: list[bool]

    @classmethod
    def of(cls, doc: Doc) -> "_DocInfo":
        # Same boundaries as Token.sent (both read the SENT_START annotation); read once instead of per lookup.
        starts = [0] * len(doc)
        for sent in doc.sents:
            starts[sent.start : sent.end] = [sent.start] * (sent.end - sent.start)
        subjects = {get_string_id(d) for d in _SUBJECT_DEPS}
        return cls(starts, [d in subjects for d in doc.to_array(DEP).tolist()])
