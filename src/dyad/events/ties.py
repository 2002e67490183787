"""Standing ties between actors (ally, hosts a base, funds, mediates, ...), from patterns in `data/ties.tsv`."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from spacy.attrs import POS
from spacy.symbols import NOUN, VERB
from spacy.tokens import Doc, Span, Token

from dyad.actors.kb import read_tsv
from dyad.actors.spans import ActorSpan
from dyad.events.arguments import Arguments
from dyad.events.lexicon import Lexicon
from dyad.model import ActorRef, Tie

__all__ = ["TiePattern", "TieExtractor", "compound_ties", "load_tie_compounds", "load_tie_patterns"]

_LOCATIVE = frozenset({"in", "at", "near", "from", "to", "into", "across"})
_UNDIRECTED = frozenset({"ally", "hostile"})


@dataclass(frozen=True)
class TiePattern:
    """One row of ties.tsv."""

    kind: str
    pos: str
    lemma: str
    objects: tuple[tuple[str, str | None], ...]  # (lemma, required modifier lemma)
    a: str
    b: tuple[str, ...]
    directed: bool


def load_tie_patterns() -> dict[tuple[str, str], tuple[TiePattern, ...]]:
    """Tie patterns by (pos, lemma), rows with an object first."""
    out: dict[tuple[str, str], list[TiePattern]] = {}
    for row in read_tsv(resources.files("dyad.events") / "data" / "ties.tsv"):
        objects = []
        for spec in filter(None, (o.strip().lower() for o in row["object"].split("|"))):
            lemma, _, mod = spec.partition("+")
            objects.append((lemma, mod or None))
        pat = TiePattern(row["kind"], row["pos"].upper(), row["lemma"].lower(), tuple(objects),
                         row["a"], tuple(row["b"].split("|")), row["directed"] != "no")
        out.setdefault((pat.pos, pat.lemma), []).append(pat)
    return {k: tuple(sorted(v, key=lambda p: not p.objects)) for k, v in out.items()}


def load_tie_compounds() -> dict[str, str]:
    """Hyphenated compound suffix ("backed") -> tie kind ("supports"), from tie_compounds.tsv."""
    rows = read_tsv(resources.files("dyad.events") / "data" / "tie_compounds.tsv")
    return {row["suffix"].lower(): row["kind"] for row in rows}


def compound_ties(sent: Span, compounds: dict[str, str], args: Arguments) -> list[tuple[str, ActorSpan, ActorSpan]]:
    """Ties stated by a hyphenated compound on an actor: "the US-backed SDF" (USA supports SDF), "Qatar-funded
    groups" (Qatar funds the groups). The parser reads "US - backed" as an adverbial modifier, a hyphen and an
    adjective on the noun; `a` is the modifier's actor, `b` the noun's."""
    doc = sent.doc
    out = []
    for tok in sent:
        kind = compounds.get(tok.lower_)
        if kind is None or tok.i - 2 < sent.start or doc[tok.i - 1].text != "-" or tok.dep_ != "amod":
            continue
        a = args.span_of(doc[tok.i - 2], modifiers=False)
        b = args.span_of(tok.head, modifiers=False)  # the modified noun only: its conjuncts have their own words
        if a is not None and b is not None and a is not b:
            out.append((kind, a, b))
    return out


def _complements(tok: Token) -> list[Token]:
    """Object-like tokens of a trigger: verb objects, a noun's 'of' complement and compounds."""
    out = []
    for child in tok.children:
        if child.dep_ in {"dobj", "attr", "compound", "amod", "nsubjpass"}:
            out.append(child)
        elif child.dep_ == "prep" and child.lower_ in {"of", "for", "to"}:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def _matches(tok: Token, pat: TiePattern) -> Token | None | bool:
    """The object token a pattern needs (True when it needs none; None when it does not match)."""
    if not pat.objects:
        return True
    for comp in _complements(tok):
        for lemma, mod in pat.objects:
            if comp.lemma_.lower() == lemma and (
                mod is None or any(c.lemma_.lower() == mod for c in comp.children)
            ):
                return comp
    return None


class TieExtractor:
    """spaCy-style callable: fills `doc._.ties` from tie patterns over the actor spans."""

    def __init__(self, patterns: dict[tuple[str, str], tuple[TiePattern, ...]], lex: Lexicon,
                 compounds: dict[str, str] | None = None) -> None:
        self.patterns = patterns
        self.lex = lex
        self.compounds = compounds or {}

    def __call__(self, doc: Doc) -> Doc:
        spans: list[ActorSpan] = doc._.actor_spans or []
        args = Arguments(doc, spans, self.lex)
        ties: list[Tie] = []
        # Patterns are verbs and nouns: read the POS ids once and make Tokens only for those words.
        kinds = {VERB: "VERB", NOUN: "NOUN"}
        pos_ids = doc.to_array(POS).tolist()
        limit = doc._.max_sentence_chars  # as for events: longer sentences give nothing
        for index, sent in enumerate(doc.sents):
            if limit and len(sent.text.strip()) > limit:
                continue
            for kind, a, b in compound_ties(sent, self.compounds, args):
                if (a.actor.name, a.actor.country) == (b.actor.name, b.actor.country):
                    continue
                tie = Tie(kind, ActorRef.of(a.text, a.actor), ActorRef.of(b.text, b.actor), doc._.article_id or "",
                          index, sent.text.strip(), kind not in _UNDIRECTED, doc._.article_date)
                if tie not in ties:
                    ties.append(tie)
            for i in range(sent.start, sent.end):
                pos = kinds.get(pos_ids[i])
                if pos is None:
                    continue
                tok = doc[i]
                for pat in self.patterns.get((pos, tok.lemma_.lower()), ()):
                    obj = _matches(tok, pat)
                    if obj is None:
                        continue
                    found = self._tie(doc, index, sent, tok, pat, obj if isinstance(obj, Token) else None, args, spans)
                    ties.extend(t for t in found if t not in ties)
                    if found:
                        break
        doc._.ties = ties
        return doc

    def _tie(self, doc: Doc, index: int, sent: Span, tok: Token, pat: TiePattern, obj: Token | None,
             args: Arguments, spans: list[ActorSpan]) -> list[Tie]:
        a_spans = _described(tok, args) if pat.a == "described" else args.spans_of(args.subject(tok))
        if not a_spans:
            return []
        b_spans: list[ActorSpan] = []
        for role in pat.b:
            b_spans = self._b(role, tok, obj, args, sent, spans, a_spans)
            if b_spans:
                break
        return [
            Tie(pat.kind, ActorRef.of(a.text, a.actor), ActorRef.of(b.text, b.actor), doc._.article_id or "",
                index, sent.text.strip(), pat.directed, doc._.article_date)
            for a in a_spans for b in b_spans
            if (a.actor.name, a.actor.country) != (b.actor.name, b.actor.country)
        ]

    def _b(self, role: str, tok: Token, obj: Token | None, args: Arguments, sent: Span,
           spans: list[ActorSpan], a_spans: list[ActorSpan]) -> list[ActorSpan]:
        if role == "mod":
            return [s for c in tok.children if c.dep_ in {"compound", "amod", "poss", "nmod"} and c.i < tok.i
                    for s in args.spans_of(c, modifiers=False)]
        if role in {"of", "for", "to", "with"}:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == role:
                    return [s for p in child.children if p.dep_ == "pobj" for s in args.spans_of(p)]
            return []
        if role == "obj_mod" and obj is not None:
            return args.spans_of(obj)
        if role == "dobj":
            return args.spans_of(next((c for c in tok.children if c.dep_ == "dobj"), None))
        if role == "dative":
            return args.spans_of(next((c for c in tok.children if c.dep_ == "dative"), None))
        if role == "between":
            return args.between(tok)
        if role == "governing":
            return args.governing_recipients(tok)
        if role == "others":
            return _others(sent, spans, a_spans)
        return []


def _described(noun: Token, args: Arguments) -> list[ActorSpan]:
    """The entity a predicate noun is said of: apposition head, copula subject, or 'serves as' subject."""
    tok = noun
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ == "appos":
        return args.spans_of(tok.head)
    if tok.dep_ in {"attr", "acomp", "oprd"}:
        return args.spans_of(args.subject(tok.head))
    if tok.dep_ == "pobj" and tok.head.lower_ in {"as", "at"} and tok.head.head.pos_ in {"VERB", "AUX"}:
        return args.spans_of(args.subject(tok.head.head))
    return []


def _others(sent: Span, spans: list[ActorSpan], a_spans: list[ActorSpan]) -> list[ActorSpan]:
    """Other identified actors of the sentence, not named as places ('in Gaza')."""
    keys = {(a.actor.name, a.actor.country) for a in a_spans}
    out = []
    for s in spans:
        if not (sent.start <= s.start < sent.end) or (s.actor.name, s.actor.country) in keys:
            continue
        if not (s.actor.country or s.actor.affiliation) or s.kind in {"person", "demonym"}:
            continue
        head = sent.doc[s.head]
        if head.dep_ == "pobj" and head.head.lower_ in _LOCATIVE:
            continue
        if all((o.actor.name, o.actor.country) != (s.actor.name, s.actor.country) for o in out):
            out.append(s)
    return out
