"""Why a name resolves as it does: the knowledge-base entries for it and the one that wins on a date.

`explain_name` reads a KnowledgeBase only; `explain_text` runs a spaCy pipeline with dyad's components over
text that is not a known name ("the Iranian foreign minister"). `lookup` picks between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from dyad.actors.kb import Entry, KnowledgeBase, Role
from dyad.model import Actor
from dyad.settings import Settings

__all__ = ["Candidate", "Lookup", "TextMention", "explain_name", "explain_text", "lookup"]


@dataclass(frozen=True)
class Candidate:
    """One entry for the name: does it hold on the day, and is it hidden by the user layer."""

    entry: Entry
    holds: bool
    hidden: bool = False  # a built-in entry the user layer replaces

    def to_dict(self) -> dict[str, Any]:
        """Plain fields for JSON output."""
        e = self.entry
        return {
            "alias": e.alias, "kind": e.kind, "name": e.actor.name, "country": e.actor.country,
            "sector": e.actor.sector, "affiliation": e.actor.affiliation, "code": e.actor.code, "role": e.role,
            "start": e.start.isoformat() if e.start else None, "end": e.end.isoformat() if e.end else None,
            "layer": e.layer, "source": e.source, "holds": self.holds, "hidden": self.hidden,
        }


@dataclass(frozen=True)
class TextMention:
    """An actor mention the pipeline found when the name was read as text."""

    text: str
    actor: Actor
    kind: str
    how: str
    role: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain fields for JSON output."""
        a = self.actor
        return {"text": self.text, "name": a.name, "country": a.country, "sector": a.sector,
                "affiliation": a.affiliation, "kind": self.kind, "how": self.how, "role": self.role}


@dataclass(frozen=True)
class Lookup:
    """How a name resolves on a day (None: undated) and why."""

    name: str
    day: date | None
    candidates: tuple[Candidate, ...] = ()
    winner: Entry | None = None  # what KnowledgeBase.resolve gives (a person out of office as ELI)
    reason: str = ""
    role: Role | None = None  # when the name is also a role noun or title
    mentions: tuple[TextMention, ...] = field(default_factory=tuple)  # when read as text

    @property
    def found(self) -> bool:
        """Whether anything resolved."""
        return self.winner is not None or bool(self.mentions) or self.role is not None

    def to_dict(self) -> dict[str, Any]:
        """Plain fields for JSON output."""
        w = self.winner
        return {
            "name": self.name,
            "date": self.day.isoformat() if self.day else None,
            "entries": [c.to_dict() for c in self.candidates],
            "resolves_to": None if w is None else {
                "name": w.actor.name, "country": w.actor.country, "sector": w.actor.sector,
                "affiliation": w.actor.affiliation, "kind": w.kind, "role": w.role, "layer": w.layer},
            "reason": self.reason,
            "role_noun": None if self.role is None else {
                "noun": self.role.noun, "sector": self.role.sector, "kind": self.role.kind, "layer": self.role.layer},
            "mentions": [m.to_dict() for m in self.mentions],
        }


def _term(e: Entry) -> str:
    if e.start is None and e.end is None:
        return "undated"
    return f"{e.start.isoformat() if e.start else '…'} to {e.end.isoformat() if e.end else 'now'}"


def _reason(best: Entry, winner: Entry, day: date | None, holding: list[Entry]) -> str:
    dated = best.start is not None or best.end is not None
    if dated and day is None:
        return f"no date given: the latest term is used ({_term(best)})"
    if best.kind == "person" and day is not None:
        if not dated:
            return _layer_note(best, f"no dated term covers {day.isoformat()}: the undated entry applies "
                                     f"({best.actor.sector or 'no sector'})")
        if best.holds_on(day):
            return f"holds office on {day.isoformat()} ({best.role or 'term'} {_term(best)})"
        return (f"out of office on {day.isoformat()}: {winner.role} ({winner.actor.sector}); "
                f"last term {_term(best)}")
    if dated and not best.holds_on(day):
        return f"no entry applies on {day.isoformat()}: the latest one is used ({_term(best)})"
    if dated:
        return _layer_note(best, f"applies on {day.isoformat()} ({_term(best)})")
    if len(holding) > 1:
        return _layer_note(best, f"first of {len(holding)} entries for this name")
    return _layer_note(best, "the only entry for this name")


def _layer_note(e: Entry, text: str) -> str:
    return f"{text}; user layer (overrides built-in entries for this name)" if e.layer == "user" else text


def explain_name(kb: KnowledgeBase, name: str, day: date | None = None,
                 builtin: KnowledgeBase | None = None) -> Lookup:
    """The entries for `name` in `kb` and the one KnowledgeBase.resolve picks on `day`.

    With `builtin` (the knowledge base without the user layer), built-in entries the user layer hides
    are listed too, marked hidden.
    """
    # the same fact under two spellings of the alias (Hamas, HAMAS) is one entry here
    distinct: dict[Entry, Entry] = {}
    for e in kb.lookup(name, day):
        distinct.setdefault(replace(e, alias=e.alias.lower()), e)
    entries = list(distinct.values())
    candidates = [Candidate(e, e.holds_on(day)) for e in entries]
    if builtin is not None and any(e.layer == "user" for e in entries):
        candidates += [Candidate(e, e.holds_on(day), hidden=True) for e in builtin.lookup(name, day)]
    role = kb.role(name)
    if not entries:
        return Lookup(name, day, tuple(candidates), None, "not in the knowledge base", role)
    winner = kb.resolve(name, day)
    holding = [e for e in entries if e.holds_on(day)]
    return Lookup(name, day, tuple(candidates), winner, _reason(entries[0], winner, day, holding), role)


def explain_text(nlp, text: str, day: date | None = None) -> tuple[TextMention, ...]:
    """Actor mentions dyad's resolver finds in `text` (a spaCy pipeline built by dyad.nlp.build_pipeline)."""
    doc = nlp.make_doc(text)
    doc._.article_date = day
    doc = nlp(doc)
    return tuple(TextMention(s.text or doc[s.start:s.end].text, s.actor, s.kind, s.how, s.role)
                 for s in doc._.actor_spans or [])


def lookup(name: str, day: date | None = None, settings: Settings | None = None) -> Lookup:
    """Explain `name`: from the knowledge base, or, if it is no known alias, by resolving it as text."""
    settings = settings or Settings()
    kb = KnowledgeBase.load(settings.user_actors)
    builtin = KnowledgeBase.load() if settings.user_actors else None
    found = explain_name(kb, name, day, builtin)
    if found.winner is not None:
        return found
    from dyad.nlp import build_pipeline  # loads spaCy: only when the name is not a known alias

    mentions = explain_text(build_pipeline(settings), name, day)
    reason = "not a knowledge-base alias; resolved as text" if mentions else "no actor found, as a name or as text"
    return Lookup(name, day, found.candidates, None, reason, found.role, mentions)
