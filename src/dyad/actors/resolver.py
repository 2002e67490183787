"""Find actor mentions in a parsed doc and resolve each to a canonical actor.

Stages, in order: knowledge-base aliases; role nouns and titles composed with the country or
organisation that modifies them ("the Iranian foreign minister", "Hamas leaders", "Qatar's Emir X");
unknown people by their title; organisations the knowledge base does not list, by name (the entity
recogniser's ORG entities, with the sector their head noun names); pronouns and definite descriptions back to
an earlier mention; membership ("Hamas's leaders, including X") and apposition ("X, the group's chief").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from spacy.attrs import ORTH
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from dyad.actors.coref import Antecedents
from dyad.actors.kb import Entry, KnowledgeBase
from dyad.actors.spans import ActorSpan
from dyad.model import Actor

__all__ = ["ActorResolver"]

# Tokens that may sit inside a noun phrase to the left of its head ("Qatar 's Emir", "U.S. Secretary of State").
_NP_INNER_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "NUM", "PART"})
_NP_INNER_WORDS = frozenset({"of", "-", "'s", "’s"})
_NAME_POS = frozenset({"PROPN", "NOUN", "X", "ADJ"})
_SURNAME_ENTS = frozenset({"", "PERSON", "GPE", "ORG", "NORP"})
_MEMBERSHIP_PREPS = frozenset({"including", "include", "such", "among"})


_DATELINE_ENDS = frozenset({"(", "-", "--", "—", "–", ":", ","})


def _in_dateline(span: Span) -> bool:
    """'WASHINGTON (AP) -', 'KABUL (Pajhwok) :': an upper-case place opening a story is where, not who."""
    if not span.text.isupper() or len(span.text) < 4:  # cheap tests first: finding the sentence is not
        return False
    sent = span.sent
    if span.start != sent.start:
        return False
    return span.end < sent.end and span.doc[span.end].text in _DATELINE_ENDS


def _case_ok(alias: str, span: Span) -> bool:
    """Short or all-capital aliases (US, UN, AP) must match case; capitalised names need a capital. An acronym of
    four letters or more may also be written as a word ("Nato", "Farc", "Opec"), as some newspapers do."""
    text = span.text
    if len(alias) <= 4 or (alias.isupper() and len(alias) <= 6):
        if alias.isalpha() and alias.isupper() and len(alias) >= 4 and text == alias.title():
            return True
        return text == alias or text.replace(".", "") == alias.replace(".", "")
    if alias[:1].isupper():
        return text[:1].isupper()
    return True


class ActorResolver:
    """spaCy component: fills `doc._.actor_spans` with resolved ActorSpans in token order."""

    def __init__(self, nlp, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.roles = PhraseMatcher(nlp.vocab, attr="LOWER")
        make = nlp.make_doc
        self.names.add("ACTOR", [make(a) for a in kb.aliases()])
        self.roles.add("ROLE", [make(r) for r in kb.roles])
        self.antecedents = Antecedents.load()

    def __call__(self, doc: Doc) -> Doc:
        day: date | None = doc._.article_date
        named = self._named(doc, day)
        taken = {i for s in named for i in range(s.start, s.end)}
        roles = [s for s in self._role_spans(doc) if not any(i in taken for i in range(s.start, s.end))]
        people = self._people_by_title(doc, named, roles, taken)
        taken |= {i for s in people for i in range(s.start, s.end)}
        spans = named + people + self._known_surnames(doc, taken)
        spans = _absorb_titles(doc, spans, roles)
        spans = self._compose_roles(doc, spans, roles)
        spans = self._unlisted_organisations(doc, spans)
        spans = self.antecedents.resolve(doc, spans)
        spans = _propagate_membership(doc, spans)
        doc._.actor_spans = sorted(spans, key=lambda s: s.start)
        return doc

    # -- stage 1: names from the knowledge base -------------------------------------------------
    def _named(self, doc: Doc, day: date | None) -> list[ActorSpan]:
        found: list[tuple[Span, Entry]] = []
        for _, start, end in self.names(doc):
            span = doc[start:end]
            if _in_dateline(span):
                continue
            entry = self.kb.resolve(span.text, day, lambda alias: _case_ok(alias, span))
            if entry is not None:
                found.append((span, entry))
        keep = {(s.start, s.end) for s in filter_spans([s for s, _ in found])}
        out = []
        for span, entry in found:
            if (span.start, span.end) in keep:
                keep.discard((span.start, span.end))
                out.append(ActorSpan(span.start, span.end, span.root.i, entry.actor, entry.kind,
                                     "kb", entry.role, text=span.text))
        out.extend(self._surnames(doc, out))
        return out

    def _surnames(self, doc: Doc, named: list[ActorSpan]) -> list[ActorSpan]:
        """A person's surname alone after the full name refers to the same person."""
        people: dict[str, ActorSpan] = {}
        taken = {i for s in named for i in range(s.start, s.end)}
        for s in sorted(named, key=lambda s: s.start):
            if s.kind == "person" and s.end - s.start > 1:
                people.setdefault(doc[s.end - 1].text, s)
        out = []
        if not people:
            return out
        # Only tokens spelled like a known surname can be one (ORTH ids, without making a Token per word).
        wanted = {get_string_id(name) for name in people}
        for i in [i for i, orth in enumerate(doc.to_array(ORTH).tolist()) if orth in wanted]:
            tok = doc[i]
            first = people.get(tok.text)
            if first and tok.i not in taken and tok.i >= first.end and tok.is_title and tok.pos_ in _NAME_POS:
                out.append(replace(first, start=tok.i, end=tok.i + 1, head=tok.i, how="surname",
                                   antecedent=first.text, text=tok.text))
        return out

    # -- stage 2: role nouns and titles --------------------------------------------------------
    def _role_spans(self, doc: Doc) -> list[Span]:
        spans = [doc[s:e] for _, s, e in self.roles(doc)]
        return filter_spans(spans)

    def _people_by_title(self, doc: Doc, named: list[ActorSpan], roles: list[Span], taken: set[int]) -> list[ActorSpan]:
        """PERSON entities not in the knowledge base, resolved by the title and country before them."""
        out = []
        for ent in doc.ents:
            if ent.label_ != "PERSON" or any(i in taken for i in range(ent.start, ent.end)):
                continue
            base, role = _left_context(doc, ent.start, named, roles)
            known = self.kb.by_surname(ent.text, doc._.article_date) if len(ent) == 1 else None
            if known is not None:
                actor, how = known.actor, "surname"
            elif role is None and base is None:
                actor, how = Actor(name=ent.text), "unresolved"
            else:
                role_info = self.kb.role(role.text) if role is not None else None
                sector = role_info.sector if role_info and role_info.sector else (base.actor.sector if base else None)
                actor = Actor(
                    name=ent.text,
                    country=base.actor.country if base else None,
                    sector=sector,
                    affiliation=_affiliation(base),
                )
                how = "title"
            out.append(ActorSpan(ent.start, ent.end, ent.root.i, actor, "person", how,
                                 role.text.lower() if role is not None else None, text=ent.text))
        return out

    def _known_surnames(self, doc: Doc, taken: set[int]) -> list[ActorSpan]:
        """A lone proper noun the entity recogniser missed ("Trump and Putin agreed") that is the surname of exactly
        one person in the knowledge base (in office on the article's date, if several are known)."""
        out = []
        day = doc._.article_date
        for tok in doc:
            # the recogniser also takes a lone leader's name for a place or body ("Erdogan" as GPE)
            if (tok.i in taken or tok.pos_ != "PROPN" or tok.ent_type_ not in _SURNAME_ENTS or not tok.is_title
                    or len(tok) < 3
                    or (tok.i > 0 and doc[tok.i - 1].pos_ == "PROPN")
                    or (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN")):
                continue
            known = self.kb.by_surname(tok.text, day)
            if known is not None:
                out.append(ActorSpan(tok.i, tok.i + 1, tok.i, known.actor, "person", "surname", text=tok.text))
        return out

    def _compose_roles(self, doc: Doc, spans: list[ActorSpan], roles: list[Span]) -> list[ActorSpan]:
        """Role nouns become actors, qualified by the country or group that modifies them."""
        taken = {i for s in spans for i in s.extent}
        out = list(spans)
        for role in roles:
            if any(i in taken for i in range(role.start, role.end)):
                continue
            info = self.kb.role(role.text)
            if info is None or info.kind == "honorific":
                continue
            if info.kind == "title" and _is_title_of_name(doc, role):
                continue
            base = _modifier_actor(doc, role, spans, info.kind)
            noun = role.text.lower()
            if base is not None:
                name = f"{base.actor.name} {noun}"
                actor = Actor(name=name, country=base.actor.country,
                              sector=info.sector or base.actor.sector, affiliation=_affiliation(base))
                # the mention runs over its qualifier: "Qatar's emir", "the president of Kosovo"
                start = min(role.start, base.start)
                end = max(role.end, base.end)
                out.append(ActorSpan(start, end, role.root.i, actor, "role", "role+" + base.kind, noun,
                                     text=doc[start:end].text))
            else:
                out.append(ActorSpan(role.start, role.end, role.root.i, Actor(name=noun, sector=info.sector),
                                     "group" if info.kind in {"group", "org"} else "role", "role", noun,
                                     text=role.text))
        # drop bare modifier mentions swallowed by a composed role span
        composed = [s for s in out if s.how.startswith("role+")]
        return [s for s in out if s.how.startswith("role+") or not any(
            c.start <= s.start and s.end <= c.end and c is not s for c in composed)]

    def _unlisted_organisations(self, doc: Doc, spans: list[ActorSpan]) -> list[ActorSpan]:
        """ORG entities that no other stage resolved ("Action Against Hunger", "the Department for International
        Development"): actors known by name, with the sector of a role noun in the name ("department": GOV).

        A name containing only bare role nouns ("Department") replaces them; one that holds a resolved actor
        (a country, a listed organisation) is left to that actor.
        """
        out = list(spans)
        for ent in doc.ents:
            if ent.label_ != "ORG" or not any(t.is_title or t.is_upper for t in ent) or _in_dateline(ent):
                continue
            start = ent.start + (1 if doc[ent.start].lower_ == "the" else 0)
            inside = [s for s in out if s.start < ent.end and ent.start < s.end]
            if any(s.how != "role" or s.start < start or s.end > ent.end for s in inside) or start >= ent.end:
                continue
            words = [t.lower_ for t in doc[start : ent.end]]
            role = next((r for w in reversed(words) if (r := self.kb.role(w)) is not None and r.sector), None)
            name = doc[start : ent.end].text
            out = [s for s in out if s not in inside]
            out.append(ActorSpan(start, ent.end, ent.root.i, Actor(name=name, sector=role.sector if role else None),
                                 "org", "unlisted", text=name))
        return out


def _absorb_titles(doc: Doc, spans: list[ActorSpan], roles: list[Span]) -> list[ActorSpan]:
    """A person's title phrase ("Qatar's Emir", "U.S. Secretary of State") becomes part of the person's mention.

    The country or group named in the title is then no separate argument: in "a meeting between
    the U.S. Secretary of State X and Qatar's Emir Y" the parties are X and Y.
    """
    absorbed: set[ActorSpan] = set()
    out = []
    others = [o for o in spans if o.kind != "person"]
    for s in spans:
        if s.kind == "person":
            base, role = _left_context(doc, s.start, others, roles)
            starts = [x.start for x in (base, role) if x is not None]
            if role is not None and starts:
                s = replace(s, lead=min(starts))
                if base is not None:
                    absorbed.add(base)
        out.append(s)
    return [s for s in out if s not in absorbed]


def _affiliation(base: ActorSpan | None) -> str | None:
    if base is None:
        return None
    if base.actor.affiliation:
        return base.actor.affiliation
    return None


def _left_context(doc: Doc, start: int, named: list[ActorSpan], roles: list[Span],
                  people: bool = False) -> tuple[ActorSpan | None, Span | None]:
    """Scan left through the noun phrase before token `start` for a country/group (or person) and a title."""
    base = role = None
    i = start - 1
    while i >= 0:
        tok = doc[i]
        if not (tok.pos_ in _NP_INNER_POS or tok.text.lower() in _NP_INNER_WORDS):
            break
        hit_role = next((r for r in roles if r.start <= i < r.end), None)
        hit_name = next((s for s in named if s.covers(i) and (people or s.kind != "person")), None)
        if hit_role is not None and role is None:
            role, i = hit_role, hit_role.start - 1
            continue
        if hit_name is not None and base is None:
            base, i = hit_name, hit_name.start - 1
            continue
        i -= 1
    return base, role


def _is_title_of_name(doc: Doc, role: Span) -> bool:
    """A title directly before a proper name ("President Biden") belongs to that name's mention."""
    nxt = role.end
    while nxt < len(doc) and doc[nxt].text.lower() in {"sheikh", "sheik", "prince", "general", "gen."}:
        nxt += 1
    return nxt < len(doc) and doc[nxt].pos_ == "PROPN" and role.text[:1].isupper()


def _modifier_actor(doc: Doc, role: Span, spans: list[ActorSpan], kind: str) -> ActorSpan | None:
    """The actor that qualifies a role noun: left in its noun phrase, or after "of"."""
    base, _ = _left_context(doc, role.start, spans, [], people=True)
    if base is not None:
        return base
    head: Token = role.root
    # "the president of Kosovo", "envoys from Qatar"; by place: "a court in Guyana", "protesters in Lahore"
    preps = {"of", "from", "in"}  # "protesters in Pakistan", "officials in Kabul", "a court in Guyana"
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            for pobj in child.children:
                hit = next((s for s in spans if s.covers(pobj.i)), None)
                if hit is not None:
                    return hit
    return None


def _propagate_membership(doc: Doc, spans: list[ActorSpan]) -> list[ActorSpan]:
    """People listed as members ("X's leaders, including A and B") or in apposition take the group."""
    by_token = {i: s for s in spans for i in range(s.start, s.end)}
    out = []
    for s in spans:
        if s.kind == "person" and s.how in {"unresolved", "title"} and not s.actor.affiliation:
            group = _group_of_member(doc, s, by_token)
            if group is not None:
                actor = replace(s.actor, country=s.actor.country or group.actor.country,
                                sector=s.actor.sector or group.actor.sector,
                                affiliation=group.actor.affiliation or group.actor.name)
                s = replace(s, actor=actor, how="membership" if s.how == "unresolved" else s.how + "+membership",
                            antecedent=group.text)
        out.append(s)
    return out


def _group_of_member(doc: Doc, s: ActorSpan, by_token: dict[int, ActorSpan]) -> ActorSpan | None:
    tok = doc[s.head]
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in _MEMBERSHIP_PREPS:
        owner = by_token.get(head.head.i)
        if owner is not None and owner.kind != "person":
            return owner
    if tok.dep_ == "appos" or any(c.dep_ == "appos" for c in tok.children):
        for other in [head, *tok.children]:
            owner = by_token.get(other.i)
            if owner is not None and owner is not s and owner.actor.affiliation:
                return owner
    return None
