"""What the parse and the event lexicon say about a pair: sparse feature names for the linear model.

For a sentence's spaCy Doc and the character spans of actor and recipient, `analyse` returns
- feature names: the dependency path between the two spans (lemmas, and the lexicon types of its words),
  the verbs governing each span, the span heads and words, the words between them, negation, and the
  sentence's words and word pairs;
- the lexicon triggers near the pair (type, mode), nearest first, which decide the mode and whether a
  YIELD is a CONCEDE or a RETREAT;
- the event's trigger: its lemma, its lexicon type (and the two together), the dependency paths from it to the
  actor and to the recipient, and its modality with the word that sets it ("refused to meet"). In the coder the
  trigger is the event's own (`TriggerAt`: the token and the lexicon row's type), so two events of one pair in a
  sentence ("met and agreed") get different opinions; a pair alone (`dyad classify`, the training data) has none,
  so the nearest lexicon trigger on the dependency path between actor and recipient (from the recipient's side)
  stands in, else the lowest verb governing both: training and use see the same kinds of features.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dyad.classify.spans import CharSpan

if TYPE_CHECKING:  # spaCy is imported by whoever parses; importing this module stays cheap
    from spacy.tokens import Doc, Span, Token

    from dyad.events.lexicon import Lexicon

__all__ = ["PairAnalysis", "TriggerAt", "analyse", "merge_type", "resolve_label"]

# PLV (the training data) merges the PLOVER types CONCEDE and RETREAT into YIELD.
MERGED = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}
# A YIELD with no CONCEDE or RETREAT trigger in reach is a RETREAT: PLV codes every YIELD as material
# cooperation, which is RETREAT's quad class (CONCEDE is verbal cooperation).
_YIELD_DEFAULT = "RETREAT"

_CONTENT = frozenset({"VERB", "NOUN", "ADJ", "AUX", "ADP"})
_BETWEEN = frozenset({"VERB", "NOUN", "ADJ", "ADP", "PART"})
_SPAN_WORDS = frozenset({"NOUN", "PROPN", "ADJ", "VERB"})
_CLAUSE_ARGS = frozenset({"dobj", "attr", "xcomp", "ccomp", "advcl", "prt", "acomp"})
_LONG_PATH = 4  # dependency steps from trigger to argument beyond which the path is only "long"


def merge_type(event_type: str) -> str:
    """The label a PLOVER type has in the training data (CONCEDE and RETREAT are YIELD there)."""
    return MERGED.get(event_type, event_type)


def resolve_label(label: str, analysis: "PairAnalysis") -> tuple[str, str | None]:
    """A training label to a PLOVER type and mode: the nearest lexicon trigger of that type names the mode;
    for YIELD it also tells CONCEDE from RETREAT."""
    if label == "YIELD":
        label = next((t for t, _ in analysis.triggers if merge_type(t) == "YIELD"), _YIELD_DEFAULT)
    return label, next((m for t, m in analysis.triggers if t == label and m), None)


@dataclass(frozen=True)
class PairAnalysis:
    """Feature names for the model and lexicon triggers (type, mode), nearest to the pair first."""

    features: tuple[str, ...]
    triggers: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class TriggerAt:
    """The trigger of a coded event: its token's index in the analysed Doc and the type of the lexicon row that
    fired (before a governing verb or future tense recoded it: "will meet" fires CONSULT, is coded AGREE)."""

    index: int
    event_type: str | None = None


def _span(doc: Doc, chars: CharSpan | None) -> Span | None:
    return None if chars is None else doc.char_span(chars[0], chars[1], alignment_mode="expand")


def _ancestors(tok: Token) -> list[Token]:
    out = [tok]
    while out[-1].head.i != out[-1].i:
        out.append(out[-1].head)
    return out


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


class _Triggers:
    """Lexicon rows of a token: a phrase row counts only when its object is among the token's dependents."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.seen: dict[int, list[tuple[str, str | None]]] = {}  # one Doc's tokens are asked several times

    def of(self, tok: Token) -> list[tuple[str, str | None]]:
        if tok.i not in self.seen:
            self.seen[tok.i] = self._rows(tok)
        return self.seen[tok.i]

    def _rows(self, tok: Token) -> list[tuple[str, str | None]]:
        rows = self.lex.candidates(tok.pos_, tok.lemma_)
        if not rows and tok.pos_ == "NOUN":
            rows = self.lex.candidates("NOUN", tok.lower_)
        found = []
        for trig in rows:
            if trig.blocks:
                continue
            if trig.objects:
                near = {_lemma(c) for c in tok.children} | {_lemma(g) for c in tok.children for g in c.children}
                if not near & trig.objects:
                    continue
            if (trig.event_type, trig.mode) not in found:
                found.append((trig.event_type, trig.mode))
        return found


def analyse(doc: Doc, actor: CharSpan | None, recipient: CharSpan | None, lex: Lexicon,
            trigger: TriggerAt | None = None) -> PairAnalysis:
    """Features and nearby lexicon triggers of one pair in a parsed sentence; `trigger` is the event's trigger
    when it is known (in the coder), else the nearest lexicon trigger on the pair's path stands in."""
    from dyad.events.modality import modality_of  # imports spaCy: only once parsing has begun

    trig = _Triggers(lex)
    feats: list[str] = []
    near: list[tuple[str, str | None]] = []

    def lexicon(prefix: str, tok: Token) -> None:
        for event_type, mode in trig.of(tok):
            feats.append(f"{prefix}={merge_type(event_type)}")
            if (event_type, mode) not in near:
                near.append((event_type, mode))

    a, r = _span(doc, actor), _span(doc, recipient)
    ah, rh = (a.root if a is not None else None), (r.root if r is not None else None)
    inside = set(range(a.start, a.end) if a is not None else ()) | set(range(r.start, r.end) if r is not None else ())
    if a is None:
        feats.append("noactor")
    if r is None:
        feats.append("norecip")

    path: list[Token] = []
    lca = None
    # where the pair-mode trigger is looked for, nearest first: the recipient's side of the path, the common
    # ancestor, the actor's side (the rule coder's trigger usually governs the recipient)
    reach: list[Token] = []
    if ah is not None and rh is not None:
        up, down = _ancestors(ah), _ancestors(rh)
        down_ids = [t.i for t in down]
        lca = next((t for t in up if t.i in down_ids), None)
        if lca is not None:
            chain = up[: up.index(lca) + 1] + down[: down_ids.index(lca.i)]
            path = [t for t in chain if t.i not in inside]
            reach = [t for t in down[: down_ids.index(lca.i)] + [lca] + up[: up.index(lca)][::-1] if t.i not in inside]
            feats += [f"lca={_lemma(lca)}", f"lcapos={lca.pos_}"]
        feats += [f"rdep={rh.dep_}", f"adep={ah.dep_}"]
        if rh.dep_ == "pobj":
            feats += [f"rprep={rh.head.lower_}", f"rprep_h={_lemma(rh.head.head)}_{rh.head.lower_}"]

    for tok in path:
        if tok.pos_ in _CONTENT:
            feats.append(f"p={_lemma(tok)}")
        lexicon("plex", tok)
    negated = any(c.dep_ == "neg" for t in path for c in t.children)
    if negated:
        feats.append("pneg")
        feats += [f"neglex={merge_type(t)}" for tok in path for t, _ in trig.of(tok)]

    for name, head in (("a", ah), ("r", rh)):
        if head is None:
            continue
        feats.append(f"{name}h={_lemma(head)}")
        verb = next((t for t in _ancestors(head)[1:] if t.pos_ == "VERB"), None)
        if verb is None:
            continue
        feats.append(f"{name}v={_lemma(verb)}")
        lexicon(f"{name}vlex", verb)
        feats += [f"{name}vobj={_lemma(c)}" for c in verb.children
                  if c.dep_ in ("dobj", "attr", "xcomp", "ccomp") and c.i not in inside]

    if lca is not None:
        for c in lca.children:
            if c.i in inside:
                continue
            if c.dep_ in _CLAUSE_ARGS:
                feats.append(f"lcac={c.dep_}:{_lemma(c)}")
            elif c.dep_ == "prep":
                feats.append(f"lcac=prep:{c.lower_}")
        # how surely: "will meet" is a promise (AGREE in PLV), "refused to meet" a REJECT
        modality = modality_of(lca, lex)[0].value
        feats.append(f"mod={modality}")
        feats += [f"mod={modality}+{merge_type(t)}" for t, _ in trig.of(lca)]
        feats += [f"aux={c.lower_}" for c in lca.children if c.dep_ in ("aux", "auxpass")]
        gov = lca
        while gov.dep_ in ("xcomp", "ccomp", "conj") and gov.head.i != gov.i:
            gov = gov.head
            feats.append(f"gov={_lemma(gov)}")
            lexicon("govlex", gov)

    if a is not None and r is not None:
        lo, hi = (a.end, r.start) if a.end <= r.start else (r.end, a.start)
        feats.append("order=" + ("ar" if a.start < r.start else "ra"))
        for tok in doc[lo:hi]:
            if tok.pos_ in _BETWEEN:
                feats.append(f"btw={_lemma(tok)}")
            lexicon("blex", tok)
    for name, span in (("a", a), ("r", r)):
        if span is not None:
            feats += [f"{name}w={_lemma(t)}" for t in span if t.pos_ in _SPAN_WORDS]

    given = trigger is not None and 0 <= trigger.index < len(doc)
    if given:
        ttok, ttype = doc[trigger.index], trigger.event_type
        first = [row for row in trig.of(ttok) if row[0] == ttype] or ([(ttype, None)] if ttype else [])
        near[:] = first + [row for row in near if row not in first]  # its own row names the mode
    else:
        ttok, ttype = _stand_in(reach or _governors(ah if ah is not None else rh), lca, trig)
    feats += _trigger_features(ttok, ttype, ah, rh, lex)

    words = [t.lower_ for t in doc if not t.is_space]
    feats += [f"u={w}" for w in words]
    feats += [f"b={x}_{y}" for x, y in zip(words, words[1:])]
    for tok in doc:
        lexicon("slex", tok)
    return PairAnalysis(tuple(feats), tuple(near))


def _governors(head: Token | None) -> list[Token]:
    return [] if head is None else _ancestors(head)[1:]


def _stand_in(reach: list[Token], lca: Token | None, trig: _Triggers) -> tuple[Token | None, str | None]:
    """The trigger of a pair without one: the first token of `reach` with a lexicon row (and that row's type),
    else the lowest verb at or above the common ancestor (or above the one argument), with no type."""
    for tok in reach:
        rows = trig.of(tok)
        if rows:
            return tok, rows[0][0]
    start = ([lca] + _governors(lca) if lca is not None else []) + reach
    return next((t for t in start if t.pos_ in ("VERB", "AUX")), None), None


def _dep_path(src: Token, dst: Token) -> str:
    """Dependency relations from `src` to `dst`: '^rel' for each step up from src, 'rel' for each step down."""
    if src.i == dst.i:
        return "self"
    up, down = _ancestors(src), _ancestors(dst)
    down_ids = [t.i for t in down]
    common = next((n for n, t in enumerate(up) if t.i in down_ids), None)
    if common is None:
        return "none"
    steps = ["^" + t.dep_ for t in up[:common]] + [t.dep_ for t in down[: down_ids.index(up[common].i)][::-1]]
    return " ".join(steps) if len(steps) <= _LONG_PATH else "long"


def _trigger_features(tok: Token | None, event_type: str | None, ah: Token | None, rh: Token | None,
                      lex: Lexicon) -> list[str]:
    """What the event's trigger says: lemma, lexicon type, both, its paths to the arguments, its modality."""
    from dyad.events.modality import modality_of

    if tok is None:
        return ["tl=none"]
    lemma, kind = _lemma(tok), merge_type(event_type) if event_type else "none"
    feats = [f"tl={lemma}", f"tt={kind}", f"tlt={lemma}_{kind}"]
    for name, head in (("tpa", ah), ("tpr", rh)):
        path = _dep_path(tok, head) if head is not None else "none"
        feats += [f"{name}={path}", f"{name}t={path}_{kind}"]
    modality, cue = modality_of(tok, lex)
    feats += [f"tm={modality.value}", f"tmt={modality.value}_{kind}"]
    if cue:
        feats += [f"tcue={cue.lower()}", f"tcuet={cue.lower()}_{kind}"]
    return feats
