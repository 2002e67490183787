"""Argument finding over the dependency parse: who acts (actor) and on whom (recipient).

Rules, each general: the subject of a verb, the passive agent, the controller of an infinitive
("asked Qatar to tone down": Qatar), the subject of the clause a participle hangs from, the subject of
a support verb for a nominal event ("played a role in negotiations"), the possessor, "by" and
"between" phrases of a noun, and the prepositions a lexicon row names for the recipient.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from dyad.actors.spans import ActorSpan
from dyad.events.lexicon import Lexicon, Trigger
from dyad.model import Actor

__all__ = ["Arguments", "named_actor"]

_SUBJ = frozenset({"nsubj", "nsubjpass"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_OBJ = frozenset({"dobj", "attr", "oprd"})
_MODIFIERS = frozenset({"compound", "amod", "poss", "nmod"})
# entity types that are never the recipient of an act
_NOT_THINGS = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"})
# "accused X of ordering", "praised X for sending", "charged X with", "barred X from": X acts
_OBJECT_CONTROL_PREPS = frozenset({"of", "for", "with", "from"})
# prepositions that point an act at its object: "an investigation into", "a lawsuit against", "a ban on"
_DIRECTED_PREPS = frozenset({"of", "into", "against", "on", "over"})
# prepositions of time: what follows them is when, not what is acted upon
_TIME_PREPS = frozenset({"after", "before", "since", "during", "until", "till", "following", "amid", "ahead"})
# whose request, call or forces: "a request from X", "the call of X", "the withdrawal of X's forces"
_OWNER_PREPS = frozenset({"of", "by", "from"})
# where an act happened: "a ceasefire in Libya", "troops sent into Syria"
_PLACE_PREPS = frozenset({"in", "into", "inside", "across"})
_PLACE_KINDS = frozenset({"country", "capital"})
# links to a clause of its own, whose places are not the trigger's
_OTHER_CLAUSES = frozenset({"ccomp", "relcl", "advcl", "parataxis", "csubj", "nsubj", "nsubjpass"})
# kinds of mention that, as a modifier, name who acts ("Russian troops", "the Iranian government")
NAMING_KINDS = frozenset({"country", "demonym", "armed_group", "party", "igo", "ngo", "org", "media", "metonym"})


def is_passive(verb: Token) -> bool:
    """A verb with a passive subject or auxiliary."""
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)


class Arguments:
    """Maps parse tokens to the actor spans of one doc."""

    def __init__(self, doc: Doc, spans: list[ActorSpan], lex: Lexicon) -> None:
        self.doc = doc
        self.lex = lex
        self._by_token: dict[int, ActorSpan] = {}
        for s in sorted(spans, key=lambda s: s.end - s.start, reverse=True):
            for i in s.extent:
                self._by_token[i] = s  # shorter spans win: the most specific mention

    # -- tokens to actor spans ---------------------------------------------------------------
    def span_of(self, tok: Token, modifiers: bool = True) -> ActorSpan | None:
        """The actor a token names: its own span, else (optionally) a span among its modifiers."""
        hit = self._by_token.get(tok.i)
        if hit is not None or not modifiers:
            return hit
        for child in tok.children:
            # "its owners" are not it: a possessive pronoun names whose, not who
            if child.dep_ in _MODIFIERS and child.i < tok.i and not (child.dep_ == "poss" and child.pos_ == "PRON"):
                hit = self._by_token.get(child.i)
                if hit is not None:
                    return hit
        return None

    def spans_of(self, tok: Token | None, modifiers: bool = True) -> list[ActorSpan]:
        """Actors named by a token and its coordinated conjuncts ("the US and Qatar")."""
        if tok is None:
            return []
        out: list[ActorSpan] = []
        for t in [tok, *tok.conjuncts]:
            s = self.span_of(t, modifiers)
            if s is not None and s not in out:
                out.append(s)
        return out

    # -- actors ------------------------------------------------------------------------------
    def subject(self, verb: Token, explicit_only: bool = False, hops: int = 0) -> Token | None:
        """The token that acts for a verb: subject, passive agent, controller or governing subject."""
        if hops > 6:
            return None
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if subjects:
            # two subjects are a misparse, mostly of a dateline ("MANILA -- The president has ..."): the nearest wins
            before = [c for c in subjects if c.i < verb.i]
            subj = before[-1] if before else subjects[0]
            if subj.lower_ in _RELATIVE and verb.dep_ == "relcl":  # "a man who fought": the man
                return verb.head
            return subj
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None:
            return next((p for p in agent.children if p.dep_ == "pobj"), None)
        if is_passive(verb):
            return None
        if explicit_only and verb.dep_ not in {"conj"}:
            return self.subject(verb.head, True, hops + 1) if verb.head is not verb else None
        head = verb.head
        if head is verb:
            return None
        if verb.dep_ == "xcomp":
            if head.lemma_.lower() in self.lex.control_verbs:
                obj = next((c for c in head.children if c.dep_ in {"dobj", "dative"}), None)
                if obj is not None:
                    return obj
            return self.subject(head, False, hops + 1)
        if verb.dep_ == "conj" or (verb.dep_ == "acomp" and verb.pos_ == "ADJ"):  # "X is willing to ...": X
            return self.subject(head, False, hops + 1)
        if verb.dep_ == "pcomp" and head.lower_ in _OBJECT_CONTROL_PREPS and head.head.pos_ == "VERB":
            # "accused X of ordering ...", "praised X for sending ...": X does the governed act
            obj = next((c for c in head.head.children if c.dep_ in {"dobj", "dative"}), None)
            if obj is not None:
                return obj
        if verb.tag_ == "VBN" and verb.dep_ in {"advcl", "acl", "relcl"}:
            # a passive participle without "by" names no actor: "hostages taken ...", "Asked about it, X said"
            return None
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and head.pos_ in {"NOUN", "PROPN"}:
            return head  # "Hamas leaders residing in Qatar"
        if verb.dep_ in {"advcl", "acl", "pcomp"} and verb.tag_ == "VBG":
            return self.subject(head, True, hops + 1)
        if verb.dep_ == "relcl":
            return head
        return None

    def verb_actors(self, verb: Token) -> list[ActorSpan]:
        """Actors of a verbal trigger: the subject's own mention, or a naming modifier ("Russian forces")."""
        subj = self.subject(verb)
        if subj is None:
            return []
        out: list[ActorSpan] = []
        for t in [subj, *subj.conjuncts]:
            hit = self.span_of(t, modifiers=False) or self._naming_modifier(t)
            inner = t
            while hit is None and inner.lemma_.lower() in self.lex.partitives:  # "members of the group", "tens of thousands of"
                nxt = _through_partitive(inner, self.lex)
                if nxt is inner:
                    break
                inner = nxt
                hit = self.span_of(inner, modifiers=False) or self._naming_modifier(inner)
            if hit is None and inner.lemma_.lower() in self.lex.instruments:
                hit = self._wielder(inner)  # "Syrian government missiles struck", "a bomb planted by X killed"
            if hit is not None and hit not in out:
                out.append(hit)
        return out

    def _wielder(self, tok: Token) -> ActorSpan | None:
        """Who wields a weapon or carries out an attack named as the subject: an actor among its modifiers, or the
        agent of a participle on it ("missiles fired by X"), or its "by"/"from" phrase."""
        for child in tok.children:
            if child.dep_ in {"compound", "amod", "nmod", "poss"} and child.i < tok.i:
                hit = self._by_token.get(child.i)
                if hit is not None and (hit.actor.country or hit.actor.affiliation or hit.kind in NAMING_KINDS):
                    return hit
            if child.dep_ == "prep" and child.lower_ in {"by", "from"}:
                hit = next(iter(self.spans_of(_pobj(child))), None)
                if hit is not None:
                    return hit
            if child.dep_ == "acl":
                agent = next((c for c in child.children if c.dep_ == "agent"), None)
                hit = next(iter(self.spans_of(_pobj(agent))), None) if agent is not None else None
                if hit is not None:
                    return hit
        return None

    def _naming_modifier(self, tok: Token) -> ActorSpan | None:
        for child in tok.children:
            if child.dep_ in {"compound", "amod", "nmod"} and child.i < tok.i:
                hit = self._by_token.get(child.i)
                if hit is not None and hit.kind in NAMING_KINDS:
                    return hit
        return None

    def noun_actors(self, noun: Token, trig: Trigger) -> tuple[list[ActorSpan], list[ActorSpan]]:
        """Actors of a nominal trigger, and partners found in a 'between' phrase."""
        for child in noun.children:
            if child.dep_ == "poss":
                return self.spans_of(child), []
            if child.dep_ == "prep" and child.lower_ == "by":
                return self.spans_of(_pobj(child)), []
        between = self.between(noun)
        if len(between) >= 2:
            return between[:1], between[1:]
        if trig.modifier_actor:
            hit = self._naming_modifier(noun)
            if hit is not None and hit.kind not in {"capital", "metonym"}:  # "the Minsk agreement" names a place
                return [hit], []
        verb = self.support_verb(noun)
        if verb is not None:
            return self.spans_of(self.subject(verb)), []
        return [], []

    def support_verb(self, noun: Token) -> Token | None:
        """The verb that carries a nominal event ("held talks", "played a role in talks"), if it is a support verb."""
        tok, hops = noun, 0
        while hops < 4 and tok.head is not tok:
            head = tok.head
            if head.pos_ in {"VERB", "AUX"}:
                direction = self.lex.support_verbs.get(head.lemma_.lower())
                if direction == "actor":
                    return head
                return None
            if tok.dep_ not in {"dobj", "pobj", "prep", "attr", "nsubjpass", "conj", "compound"}:
                return None  # ("launched a mediation effort": through the compound)
            tok, hops = head, hops + 1
        return None

    def between(self, tok: Token) -> list[ActorSpan]:
        """Actors of a 'between A and B' phrase on the token."""
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "between":
                return self.spans_of(_pobj(child))
        return []

    def between_in_clause(self, verb: Token) -> list[ActorSpan]:
        """A 'between A and B' anywhere under the verb ("reached during a meeting between A and B")."""
        for tok in verb.subtree:
            if tok.dep_ == "prep" and tok.lower_ == "between":
                found = self.spans_of(_pobj(tok))
                if len(found) >= 2:
                    return found
        return []

    # -- recipients --------------------------------------------------------------------------
    def recipients(self, trigger: Token, trig: Trigger, obj: Token | None) -> list[ActorSpan]:
        """Recipients by the lexicon row's roles, first role that finds one wins."""
        if obj is None:  # "demanded support from X": the preposition may hang on the object
            obj_like = next((c for c in trigger.children if c.dep_ == "dobj"), None)
        else:
            obj_like = obj
        holders = [trigger] + ([obj_like] if obj_like is not None else [])
        for role in trig.recipient:
            found = self._role(role, trigger, obj, holders)
            if found:
                return found
        if obj is not None and obj.pos_ == "NOUN":  # "opened an investigation of X": the event noun's own roles
            for row in self.lex.candidates("NOUN", obj.lemma_):
                for role in row.recipient:
                    found = self._role(role, obj, None, [obj]) if not row.blocks else []
                    if found:
                        return found
        return []

    def _role(self, role: str, trigger: Token, obj: Token | None, holders: list[Token]) -> list[ActorSpan]:
        if role == "dobj":
            deps = {"nsubjpass"} if is_passive(trigger) else {"dobj"}
            tok = next((c for c in trigger.children if c.dep_ in deps), None)
            return self.spans_of(tok) if tok is not None and tok is not obj else []
        if role == "dative":
            return self.spans_of(next((c for c in trigger.children if c.dep_ == "dative"), None))
        if role.startswith("prep:"):
            word = role[5:]
            for holder in holders:
                for child in holder.children:
                    if child.dep_ in {"prep", "dative", "agent"} and child.lower_ == word:
                        found = self.spans_of(_pobj(child))
                        if found:
                            return found
            return []
        if role == "between":
            return self.between(obj if obj is not None else trigger)
        if role == "ccomp_subject":  # "demanded that the prime minister apologize": the prime minister
            clause = next((c for c in trigger.children if c.dep_ == "ccomp"), None)
            return self.spans_of(next((c for c in clause.children if c.dep_ in _SUBJ), None)) if clause is not None else []
        if role == "subject_of_object" and obj is not None:  # "says Israel must end ...": Israel
            return self.spans_of(next((c for c in obj.children if c.dep_ in _SUBJ), None))
        if role == "obj_mod" and obj is not None:
            return self.spans_of(obj)
        if role == "poss_of_object" and obj is not None:
            return self.spans_of(next((c for c in obj.children if c.dep_ == "poss"), None))
        if role == "clause_subject" and obj is not None:
            for clause in obj.children:
                if clause.dep_ in {"acl", "ccomp", "relcl"}:
                    found = self.spans_of(next((c for c in clause.children if c.dep_ in _SUBJ), None))
                    if found:
                        return found
        return []

    def object_phrase(self, trigger: Token, trig: Trigger, obj: Token | None) -> ActorSpan | None:
        """The noun phrase acted upon when it names no actor ("rejected the proposal"), as an unresolved span:
        by the row's recipient roles, else what the act is directed at ("an investigation into the deal",
        "opened an investigation of the bank", "agreed to lift the ban")."""
        for tok in self._objects(trigger, trig, obj):
            start = tok.left_edge.i
            return ActorSpan(start, tok.i + 1, tok.i, Actor(name=""), "thing", "object",
                             text=self.doc[start : tok.i + 1].text)
        return None

    def _objects(self, trigger: Token, trig: Trigger, obj: Token | None) -> list[Token]:
        """Nouns the act is done to, most direct first (the phrase row's own object noun excluded)."""
        found = [*self._role_objects(trigger, trig, obj), *self._directed_objects(trigger, obj)]
        found = [t for t in found if t is not None and t is not obj and not (obj is not None and obj.dep_ == "prep"
                 and t.head is obj)]
        found = [_through_partitive(t, self.lex) for t in found]  # "dozens of activists": activists
        return [t for t in found if t.pos_ in {"NOUN", "PROPN"} and t.ent_type_ not in _NOT_THINGS]

    def object_owners(self, trigger: Token, trig: Trigger, obj: Token | None) -> list[ActorSpan]:
        """The actor behind what is acted upon: "refused a request from X", "rejected the call of X", "demanded
        the withdrawal of X's forces", "condemned the threats made by X"."""
        for tok in self._objects(trigger, trig, obj):
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in _OWNER_PREPS:
                    # the owner is the phrase's own head ("a request from the prime minister", "the withdrawal of
                    # foreign forces"), or an actor with an identity among its modifiers
                    pobj = _pobj(child)
                    found = [s for s in self.spans_of(pobj) if named_actor(s) or (pobj is not None and s.head == pobj.i)]
                elif child.dep_ in {"acl", "relcl"}:
                    agent = next((c for c in child.children if c.dep_ == "agent"), None)
                    found = [s for s in self.spans_of(_pobj(agent)) if named_actor(s)] if agent is not None else []
                else:
                    continue
                if found:
                    return found
        return []

    def _role_objects(self, trigger: Token, trig: Trigger, obj: Token | None) -> list[Token | None]:
        out: list[Token | None] = []
        for role in trig.recipient:
            if role == "dobj":
                deps = {"nsubjpass"} if is_passive(trigger) else {"dobj"}
                out.append(next((c for c in trigger.children if c.dep_ in deps and c is not obj), None))
            elif role.startswith("prep:"):
                for holder in [trigger] + ([obj] if obj is not None else []):
                    prep = next((c for c in holder.children if c.dep_ == "prep" and c.lower_ == role[5:]), None)
                    out.append(_pobj(prep) if prep is not None else None)
        return out

    def _directed_objects(self, trigger: Token, obj: Token | None) -> list[Token | None]:
        """Objects an act is directed at whatever its row says: of/into/against/on the trigger or its object noun,
        the object of an infinitive it governs."""
        holders = [trigger] + ([obj] if obj is not None and obj.pos_ == "NOUN" else [])
        holders += [c for c in trigger.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
        out: list[Token | None] = []
        for holder in holders:
            if holder is not trigger and holder.pos_ == "VERB":
                out.append(next((c for c in holder.children if c.dep_ == "dobj"), None))
            for prep in holder.children:
                if prep.dep_ == "prep" and prep.lower_ in _DIRECTED_PREPS and not _is_time(prep):
                    out.append(_pobj(prep))
        return out

    def state_of_place(self, verb: Token) -> list[ActorSpan]:
        """For an agentless passive ("was arrested in Rwanda", "were expelled from North Korea"): the country of the
        place, whose authorities did it."""
        if not is_passive(verb) or any(c.dep_ == "agent" for c in verb.children):
            return []
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in _PLACE_PREPS | {"from"}:
                pobj = _pobj(prep)
                for tok in ([pobj] + [p for c in pobj.children if c.dep_ == "prep" and c.lower_ in _PLACE_PREPS
                                      for p in [_pobj(c)] if p is not None]) if pobj is not None else []:
                    found = [s for s in self.spans_of(tok) if s.kind == "country"]
                    if found:
                        return found[:1]
        return []

    def place(self, trigger: Token) -> list[ActorSpan]:
        """Where the act happened, as a recipient when nothing else is: a country or place named by 'in'/'into'
        on the trigger, its object or the infinitive it governs ("declared a ceasefire in Libya")."""
        # breadth first through the trigger's own clause: nearer places first, no other clause's places
        queue, seen = [trigger], 0
        while seen < len(queue) and seen < 60:
            holder = queue[seen]
            seen += 1
            for child in holder.children:
                if (child.dep_ in _OTHER_CLAUSES and not _purpose(child)) or (
                        child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}):
                    continue
                if child.dep_ == "prep" and child.lower_ in _PLACE_PREPS:
                    pobj = _pobj(child)
                    found = [s for s in self.spans_of(pobj) if s.kind in _PLACE_KINDS] if pobj is not None else []
                    if found:
                        return found
                queue.append(child)
        return []

    def place_name(self, trigger: Token) -> ActorSpan | None:
        """A named place that is no country ("in North District"), as text: 'in'/'into' on the trigger or its object."""
        for holder in [trigger] + [c for c in trigger.children if c.dep_ in {"dobj", "prep"}]:
            for prep in holder.children:
                pobj = _pobj(prep) if prep.dep_ == "prep" and prep.lower_ in _PLACE_PREPS else None
                if pobj is not None and pobj.ent_type_ in {"GPE", "LOC", "FAC"}:
                    start = pobj.left_edge.i
                    return ActorSpan(start, pobj.i + 1, pobj.i, Actor(name=""), "thing", "place",
                                     text=self.doc[start : pobj.i + 1].text)
        return None

    def clause_recipients(self, trigger: Token) -> list[ActorSpan]:
        """For 'refused to allow X', 'threatened to shell X', 'agreed to lift a ban on X': the governed act's object."""
        for clause in trigger.children:
            if clause.dep_ != "xcomp":
                continue
            for child in clause.children:
                if child.dep_ in {"dobj", "dative"}:
                    # "held joint military exercises", "set up a company": a bare role noun is no recipient
                    found = [s for s in self.spans_of(child) if named_actor(s)]
                    if found:
                        return found
                    for prep in child.children:
                        if prep.dep_ == "prep" and prep.lower_ in {"on", "against", "to", "of", "for"}:
                            found = self.spans_of(_pobj(prep))
                            if found:
                                return found
                if child.dep_ == "prep" and child.lower_ in {"to", "with", "against", "on", "into"}:
                    found = self.spans_of(_pobj(child))
                    if found:
                        return found
        # deeper: "agreed to allow access of UN aid workers", "refused to lift the ban on imports from X"
        for clause in trigger.children:
            if clause.dep_ != "xcomp":
                continue
            for tok in clause.subtree:
                if tok.dep_ in {"dobj", "dative", "pobj"} and not (tok.dep_ == "pobj" and _is_time(tok.head)):
                    found = [s for s in self.spans_of(tok) if s.kind not in _PLACE_KINDS and named_actor(s)]
                    if found:
                        return found
        return []

    def governing_recipients(self, trigger: Token) -> list[ActorSpan]:
        """For a participle clause with no recipient of its own ("..., providing aid"): the main clause's."""
        if trigger.dep_ not in {"advcl", "conj"} or trigger.tag_ != "VBG":
            return []
        head = trigger.head
        for child in head.children:
            if child.dep_ in _OBJ:
                found = self.spans_of(child, modifiers=False)
                if found:
                    return found
                for prep in child.children:
                    if prep.dep_ == "prep" and prep.lower_ in {"of", "to", "for", "with"}:
                        found = self.spans_of(_pobj(prep))
                        if found:
                            return found
        return []

    def object_of(self, trigger: Token, trig: Trigger) -> Token | None:
        """The token that satisfies a phrase row's object lemma ('reach' + 'agreement')."""
        deps = {"dobj", "attr", "oprd", "nsubjpass", "dative", "prt"}
        for child in trigger.children:
            if child.dep_ == "prep" and f"prep:{child.lower_}" in trig.objects and not _is_time(child):
                return child
            if child.dep_ in {"xcomp", "ccomp"} and (
                child.dep_ in trig.objects or f"{child.dep_}:{child.lemma_.lower()}" in trig.objects
            ):
                return child
            if child.dep_ in deps and child.lemma_.lower() in trig.objects:
                return child
            if child.dep_ == "prep" and child.lower_ not in _TIME_PREPS:  # not "ended attacks after strikes"
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.lemma_.lower() in trig.objects and pobj.ent_type_ not in _NOT_THINGS:
                        return pobj
        return None

    def anaphoric_subject(self, trigger: Token) -> bool:
        """Whether the clause governing a nominal trigger has 'the review'-like subject (an event anaphor)."""
        tok, hops = trigger, 0
        while hops < 4 and tok.head is not tok and tok.pos_ != "VERB":
            tok, hops = tok.head, hops + 1
        subj = next((c for c in tok.children if c.dep_ in _SUBJ), None)
        return (
            subj is not None
            and subj.lemma_.lower() in self.lex.anaphors
            and any(c.dep_ == "det" for c in subj.children)
            and self.span_of(subj) is None
        )


def _through_partitive(tok: Token, lex: Lexicon) -> Token:
    """'hundreds of banks', 'one of the critics', 'members of the group', "Abbas's office": the noun after 'of',
    or the possessor."""
    if tok.lemma_.lower() in lex.partitives or tok.pos_ == "NUM":
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        inner = _pobj(prep) if prep is not None else next((c for c in tok.children if c.dep_ == "poss"), None)
        if inner is not None:
            return inner
    return tok


def named_actor(span: ActorSpan) -> bool:
    """An actor with an identity of its own: a country, group or sector-qualified body, or a name; not a bare role
    noun ("military", "officials") that only an adjective or a modifier made a mention."""
    return bool(span.actor.country or span.actor.affiliation) or span.kind in {"person", "org", "igo", "ngo",
                                                                              "armed_group", "party", "media"}


def _purpose(clause: Token) -> bool:
    """'gave aid to help people in X': an infinitive clause without a subject of its own is part of the act."""
    return clause.dep_ == "advcl" and clause.tag_ == "VB" and any(c.lower_ == "to" and c.dep_ == "aux" for c in clause.children) \
        and not any(c.dep_ in _SUBJ for c in clause.children)


def _is_time(prep: Token) -> bool:
    """'on Saturday', 'in March': a preposition whose object is a date or time, not a participant."""
    pobj = _pobj(prep)
    return pobj is not None and pobj.ent_type_ in {"DATE", "TIME"}


def _pobj(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ == "pobj"), None)
