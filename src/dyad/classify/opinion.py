"""The classifier's opinion of a coded event, how it is written into `Event.why`, and the policy that decides.

The rule coder decides an event's type from a lexicon trigger; the pair classifier gives a second opinion on the
same actor and recipient. Both are kept on the event, in its `why` (the store and the JSON lines contract carry
it), as one clause a person can read and `Opinion.parse` can read back:

    lexicon verb 'meet' -> CONSULT; actor by subject (kb); classifier CONSULT 0.91 agrees, rule 0.70
    ...; classifier ACCUSE 0.93 (mode accuse) vs lexicon CONSULT 0.02, rule 0.70: lexicon kept
    ...; classifier ACCUSE 0.93 (mode accuse) vs lexicon CONSULT 0.02, rule 0.70: classifier chosen

`decide` applies a `Policy` to an event that carries an opinion; it is pure (no spaCy, no model).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from dyad.classify.features import merge_type
from dyad.model import Event
from dyad.ontology import Ontology

__all__ = ["AGREES", "CHOSEN", "KEPT", "POLICIES", "Opinion", "Policy", "combined_confidence", "decide", "lexicon_row",
           "policy_named"]

AGREES, KEPT, CHOSEN = "agrees", "lexicon kept", "classifier chosen"
# The rule coder's reason starts with the lexicon row that fired: "lexicon verb 'hold talk' -> CONSULT; ..."
_LEXICON_CLAUSE = re.compile(r"^lexicon \w+ '(?P<phrase>.*?)' -> (?P<type>[A-Z]+)")
_CLAUSE = re.compile(
    r"; classifier (?P<type>[A-Z]+) (?P<p>[0-9.]+)"
    r"(?: \(mode (?P<mode>[^)]+)\))?"
    r"(?: agrees| vs lexicon (?P<lex>[A-Z]+) (?P<lp>[0-9.]+))"
    r", rule (?P<rule>[0-9.]+)"
    r"(?:: (?P<verdict>lexicon kept|classifier chosen))?$"
)


def lexicon_row(why: str | None) -> tuple[str, str] | None:
    """The trigger (lemma, and its object's lemma for a phrase) and type of the lexicon row that coded an event,
    read from the start of its `why`; None when it names none."""
    m = _LEXICON_CLAUSE.match(why or "")
    return (m["phrase"], m["type"]) if m else None


@dataclass(frozen=True)
class Opinion:
    """What the classifier said about one event's pair, next to what the lexicon said.

    `probability` is the classifier's probability of its own type, `lexicon_probability` its probability of the
    lexicon's type (CONCEDE and RETREAT count as YIELD, as in the training data); `rule` is the rule coder's
    confidence in the event's arguments before the classifier was asked.
    """

    event_type: str
    probability: float
    lexicon_type: str
    lexicon_probability: float
    rule: float
    mode: str | None = None

    @property
    def agrees(self) -> bool:
        """Whether classifier and lexicon name the same type as the training data labels it (CONCEDE and RETREAT
        are one label there: the lexicon's trigger tells them apart)."""
        return merge_type(self.event_type) == merge_type(self.lexicon_type)

    def clause(self, verdict: str | None = None) -> str:
        """The clause appended to `Event.why` (`verdict`: KEPT or CHOSEN, when the types differ)."""
        if self.event_type == self.lexicon_type:
            return f"; classifier {self.event_type} {self.probability:.2f} {AGREES}, rule {self.rule:.2f}"
        mode = f" (mode {self.mode})" if self.mode else ""
        return (f"; classifier {self.event_type} {self.probability:.2f}{mode} vs lexicon {self.lexicon_type} "
                f"{self.lexicon_probability:.2f}, rule {self.rule:.2f}" + (f": {verdict}" if verdict else ""))

    @classmethod
    def parse(cls, why: str | None) -> tuple["Opinion", str] | None:
        """The opinion recorded at the end of a `why` and the text before it; None when there is none."""
        m = _CLAUSE.search(why or "")
        if m is None:
            return None
        lexicon = m["lex"] or m["type"]
        p = float(m["p"])
        opinion = cls(m["type"], p, lexicon, float(m["lp"]) if m["lp"] else p, float(m["rule"]), m["mode"])
        return opinion, (why or "")[: m.start()]


@dataclass(frozen=True)
class Policy:
    """When the classifier's type replaces the lexicon's.

    `override` off: the lexicon decides, the opinion is only recorded. On: a disagreeing classifier wins when its
    probability is at least `threshold` and exceeds its probability of the lexicon's type by `margin`.
    Unless `recoded`, not for an event a rule coded apart from its lexicon row (an intention or refusal is its own
    type, modal_types.tsv: "decided to reassess ties" is THREATEN, not the row's SANCTION), a line the training
    data does not draw. With `sole`, only for an event that is the only one of its actor and recipient in the
    sentence: the classifier sees the event's trigger, but it learned from pairs labelled with one type each
    (PLV), so where the lexicon found several acts between them ("met and agreed") it still tends to give all of
    them one type.
    """

    override: bool = False
    threshold: float = 0.5
    margin: float = 0.0
    sole: bool = True
    recoded: bool = False

    def prefers_classifier(self, opinion: Opinion, alone: bool = True, recoded: bool = False) -> bool:
        """Whether this policy takes the classifier's type over a disagreeing lexicon (`alone`: the event is the
        only one of its pair in its sentence; `recoded`: a rule gave it another type than its lexicon row's)."""
        return (self.override and not opinion.agrees and (alone or not self.sole) and (self.recoded or not recoded)
                and opinion.probability >= self.threshold
                and opinion.probability - opinion.lexicon_probability >= self.margin)


# The policies a setting names (DYAD_CLASSIFIER); "off" runs no classifier at all. "record" is the default: the
# lexicon codes by the PLOVER manual, the classifier learned PLV_train's conventions, and they differ where the two
# differ (international sanctions are SANCTION in the manual, COERCE in PLV; a future withdrawal stays RETREAT in
# the manual, AGREE in PLV; agreements reached are AGREE, PLV often SUPPORT). Out of fold on PLV_train
# (bench/events.py --classifier oof) "override" gains 24 end-to-end pairs of 1050 and loses 6, but on dyad's own
# example corpus, written to the manual, it changes 26 of 359 events and about 15 of those changes are wrong.
# Overriding every event, not only the sole one of its pair, gains as much on PLV but loses seed article events;
# overriding recoded events too gains 1 pair and 4-5 typed-only ones more, against the PLOVER manual's rule.
POLICIES = {"record": Policy(override=False), "override": Policy(override=True, threshold=0.5, sole=True)}


def policy_named(name: str) -> Policy:
    """The policy a setting names; ValueError for an unknown name."""
    try:
        return POLICIES[name]
    except KeyError:
        raise ValueError(f"unknown classifier setting {name!r}: one of off, {', '.join(POLICIES)}") from None


def combined_confidence(rule: float, probability: float) -> float:
    """Confidence of an event: the geometric mean of the rule coder's confidence in its arguments and the
    classifier's probability of its type."""
    return max(0.05, min(0.95, math.sqrt(max(rule, 0.0) * max(probability, 0.0))))


def decide(event: Event, policy: Policy, ontology: Ontology, alone: bool = True) -> Event:
    """The event as `policy` decides it from the opinion in its `why` (unchanged when it has none, or when its
    type is no longer the lexicon's: decide applies to events as the lexicon coded them); `alone` says whether it
    is the only event of its actor and recipient in its sentence; whether a rule recoded it is read from `why`.

    When the classifier wins, type, mode, CAMEO code and score are the classifier's; the lexicon's type stays
    in `why`. `confidence` combines the rule confidence with the classifier's probability of the chosen type.
    """
    parsed = Opinion.parse(event.why)
    if parsed is None:
        return event
    opinion, before = parsed
    if event.event_type != opinion.lexicon_type:  # decided for the classifier already: the lexicon's mode is gone
        return event
    row = lexicon_row(before)
    recoded = row is not None and row[1] != event.event_type
    if not policy.prefers_classifier(opinion, alone, recoded):  # also when they agree: the lexicon's type is the finer one
        return replace(event, why=before + opinion.clause(KEPT),
                       confidence=combined_confidence(opinion.rule, opinion.lexicon_probability))
    mode = opinion.mode if opinion.mode and _known_mode(ontology, opinion.event_type, opinion.mode) else None
    return replace(
        event,
        event_type=opinion.event_type,
        mode=mode,
        cameo=ontology.cameo(opinion.event_type, mode),
        score=ontology.score(opinion.event_type, mode),
        confidence=combined_confidence(opinion.rule, opinion.probability),
        why=before + opinion.clause(CHOSEN),
    )


def _known_mode(ontology: Ontology, event_type: str, mode: str) -> bool:
    try:
        ontology.mode(event_type, mode)
    except KeyError:
        return False
    return True
