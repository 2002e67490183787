"""Check coded output against a hand annotation in the layout of ../shared/seed/expected.json.

Used by the seed tests and by bench/seed.py; it knows the annotation format, nothing about any article.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dyad.model import ActorRef, CodedArticle, Event, Modality, Tie


def actor_matches(ref: ActorRef | None, want: str | None) -> bool:
    """Three capitals match the country; any other name matches the canonical name or affiliation."""
    if want is None:
        return True
    if ref is None:
        return False
    if len(want) == 3 and want.isupper():
        return ref.country == want
    names = {(ref.name or "").lower(), (ref.affiliation or "").lower()}
    return want.lower() in names


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


def _in_sentence(evidence: str, sentence: str) -> bool:
    return _norm(evidence) in _norm(sentence)


def event_meets(ev: Event, spec: dict) -> bool:
    """Whether one coded event satisfies one expected event entry."""
    if ev.event_type not in spec["type"] or not _in_sentence(spec["evidence"], ev.sentence):
        return False
    pairs = [(ev.actor, ev.recipient)]
    if spec.get("symmetric"):
        pairs.append((ev.recipient, ev.actor))
    if not any(actor_matches(a, spec.get("actor")) and actor_matches(r, spec.get("recipient")) for a, r in pairs):
        return False
    if spec.get("modality") and Modality(ev.modality).value not in spec["modality"]:
        return False
    if spec.get("attribution_contains") and spec["attribution_contains"] not in (ev.attribution or ""):
        return False
    if spec.get("date_not_after") and (ev.date is None or ev.date.isoformat() > spec["date_not_after"]):
        return False
    return True


def tie_meets(tie: Tie, spec: dict) -> bool:
    """Whether a tie satisfies an expected tie (either direction unless the kind is directed)."""
    if tie.kind != spec["kind"] or not _in_sentence(spec["evidence"], tie.evidence):
        return False
    if actor_matches(tie.a, spec["a"]) and actor_matches(tie.b, spec["b"]):
        return True
    return not tie.directed and actor_matches(tie.b, spec["a"]) and actor_matches(tie.a, spec["b"])


@dataclass
class SeedReport:
    """Which expected entries were met and which were not."""

    met: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        total = len(self.met) + len(self.missed)
        return len(self.met) / total if total else 1.0


def check(coded: CodedArticle, expected: dict) -> SeedReport:
    """Score a coded article against every entry of an expected-annotation document."""
    report = SeedReport()
    for spec in expected.get("events", []):
        ok = any(event_meets(ev, spec) for ev in coded.events)
        (report.met if ok else report.missed).append(f"event {spec['id']}")
    for spec in expected.get("ties", []):
        ok = any(tie_meets(t, spec) for t in coded.ties)
        (report.met if ok else report.missed).append(f"tie {spec['kind']} {spec['a']}-{spec['b']}")
    for spec in expected.get("actors", []):
        mentions = [m for m in coded.mentions if _norm(m.text) == _norm(spec["text"])]
        ok = bool(mentions) and all(_actor_ok(m.actor, spec) for m in mentions)
        (report.met if ok else report.missed).append(f"actor {spec['text']}")
    for spec in expected.get("must_not", []):
        bad = [ev for ev in coded.events if _in_sentence(spec["evidence"], ev.sentence) and _violates(ev, spec)]
        (report.missed if bad else report.met).append(f"must_not {spec['evidence']}")
    return report


def _actor_ok(actor, spec: dict) -> bool:
    if actor.country != spec["country"]:
        return False
    if spec.get("sector") and actor.sector not in spec["sector"]:
        return False
    if spec.get("affiliation") and actor.affiliation != spec["affiliation"]:
        return False
    return True


def _countries_named(text: str) -> set[str]:
    """Country codes of the country names in a phrase ("Iran, Syria or Lebanon"), via dyad's knowledge base."""
    import re

    from dyad.actors.kb import KnowledgeBase

    kb = KnowledgeBase.load()
    codes = set()
    for word in re.findall(r"[A-Z][\w'-]+(?: [A-Z][\w'-]+)*", text):
        entry = kb.resolve(word)
        if entry is not None and entry.kind == "country":
            codes.add(entry.actor.country)
    return codes


def _violates(ev: Event, spec: dict) -> bool:
    what = spec["what"].lower()
    if what.startswith("any event"):
        return True
    if "asserted" in what and Modality(ev.modality) is not Modality.ASSERTED:
        return False
    if "recipient is" in what:
        named = spec["what"].split("recipient is", 1)[1]
        return ev.recipient is not None and ev.recipient.country in _countries_named(named)
    return True
