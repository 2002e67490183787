"""The event coder: lexicon triggers over the dependency parse become PLOVER events.

For each sentence that can report an event (summaries and judgements are skipped), each verb or noun
with a lexicon row is a trigger; its actor and recipient come from `Arguments`, its modality from the
trigger and the verbs governing it, its source from attribution cues, its date from date expressions
resolved against the article's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.attrs import POS
from spacy.symbols import NOUN, VERB
from spacy.tokens import Doc, Span, Token

from dyad.actors.spans import ActorSpan
from dyad.events.arguments import Arguments
from dyad.events.attribution import attribution_of
from dyad.events.dates import DateCues, date_cues, event_date
from dyad.events.demands import obligations
from dyad.events.lexicon import Lexicon, Trigger
from dyad.events.modality import modality_of
from dyad.model import ActorRef, Event, Modality
from dyad.ontology import Ontology

__all__ = ["EventExtractor", "Found", "sentence_is_eventless"]

@dataclass(frozen=True)
class Found:
    """A trigger matched in a sentence, before its arguments are found."""

    token: Token
    trig: Trigger
    obj: Token | None


def sentence_is_eventless(sent: Span, spans: list[ActorSpan], lex: Lexicon) -> bool:
    """Summary, opinion and background sentences ("Overall, the decision marks ...") report no event."""
    text = sent.text.strip().lower()
    if any(text.startswith(opener) for opener in lex.filter_openers):
        return True
    root = sent.root
    if root.lemma_.lower() in lex.evaluative_verbs:
        subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subj is not None and not any(s.covers(subj.i) for s in spans):
            return True
    return False


def _same_actor(a: ActorSpan, b: ActorSpan) -> bool:
    return a is b or (a.actor.name == b.actor.name and a.actor.country == b.actor.country)


def _ref(span: ActorSpan, sentence: str = "") -> ActorRef:
    """The contract's actor object; what an act is done to, when it is no actor, keeps only its text.

    A pronoun whose antecedent is written in the same sentence ("Hungary says it will not ...") is reported by
    the antecedent's words: the text stays words of the sentence, and names who acts.
    """
    if span.kind == "thing":
        return ActorRef(span.text)
    text = span.text
    if span.how == "coref" and span.antecedent and _written_in(span.antecedent, sentence):
        text = span.antecedent
    return ActorRef.of(text, span.actor)


def _written_in(words: str, sentence: str) -> bool:
    start = sentence.find(words)
    return start >= 0 and (start == 0 or not sentence[start - 1].isalnum()) and (
        start + len(words) == len(sentence) or not sentence[start + len(words)].isalnum())


class EventExtractor:
    """spaCy component: fills `doc._.events` with Events for the doc's actor spans."""

    def __init__(self, lexicon: Lexicon, ontology: Ontology) -> None:
        self.lex = lexicon
        self.ont = ontology

    def __call__(self, doc: Doc) -> Doc:
        spans: list[ActorSpan] = doc._.actor_spans or []
        args = Arguments(doc, spans, self.lex)
        events: list[Event] = []
        previous: list[tuple[ActorSpan, Event]] = []
        pos = doc.to_array(POS).tolist()  # read once: making a Token per word to ask its POS costs more
        cues = date_cues(doc)
        limit = doc._.max_sentence_chars  # a longer "sentence" is a table or run-on text: actor pairs explode
        for index, sent in enumerate(doc.sents):
            text = sent.text.strip()
            if not text or (limit and len(text) > limit) or sentence_is_eventless(sent, spans, self.lex):
                continue
            coded = _once([pair for found in self._triggers(sent, args, pos)
                           for pair in self._code(doc, index, sent, found, args, previous, cues)])
            events.extend(e for _, e in coded)
            if coded:
                previous = coded
        doc._.events = events
        return doc

    # -- triggers ------------------------------------------------------------------------------
    def _triggers(self, sent: Span, args: Arguments, pos: list[int]) -> list[Found]:
        """Lexicon matches in the sentence (`pos`: the doc's POS ids); a phrase's object noun does not fire
        again on its own."""
        found: list[Found] = []
        consumed: set[int] = set()
        doc = sent.doc
        for wanted in (VERB, NOUN):
            for i in range(sent.start, sent.end):
                if pos[i] != wanted or i in consumed:
                    continue
                tok = doc[i]
                match = self._match(tok, args)
                if match is None:
                    continue
                if match.obj is not None:
                    consumed.add(match.obj.i)
                if not match.trig.blocks:
                    found.append(match)
        found += [Found(speech, trig, obliged) for speech, trig, obliged in obligations(sent, self.lex, args)]
        return sorted(found, key=lambda f: f.token.i)

    def _match(self, tok: Token, args: Arguments) -> Found | None:
        rows = ()
        for lemma in _lemmas(tok):
            rows = self.lex.candidates(tok.pos_, lemma)
            if rows:
                break
        for trig in rows:
            if trig.objects:
                obj = args.object_of(tok, trig)
                if obj is not None:
                    return Found(tok, trig, obj)
            else:
                return Found(tok, trig, None)
        return None

    # -- one trigger -> events -----------------------------------------------------------------
    def _code(self, doc: Doc, index: int, sent: Span, found: Found, args: Arguments,
              previous: list[tuple[ActorSpan, Event]], cues: DateCues | None = None) -> list[tuple[ActorSpan, Event]]:
        tok, trig = found.token, found.trig
        partners: list[ActorSpan] = []
        how = "subject"
        if tok.pos_ == "VERB":
            actors = args.verb_actors(tok)
            if not any(_identified(a) for a in actors):
                # "talks were held between A and B", "officials held a meeting between A and B"
                between = args.between_in_clause(tok)
                if len(between) >= 2:
                    actors, how = between, "between"
            if not actors and found.obj is not None and found.obj.pos_ == "NOUN":
                # "the ministry expressed Egypt's solidarity": the event noun's possessor acts
                actors = args.spans_of(next((c for c in found.obj.children if c.dep_ == "poss"), None))
                how = "possessor"
            if not actors and trig.event_type in self.lex.state_acts:
                actors, how = args.state_of_place(tok), "place"  # "was arrested in Rwanda": Rwanda's authorities
        else:
            actors, partners = args.noun_actors(tok, trig)
            how = "noun"
            if partners and trig.reciprocal:  # "a meeting between A and B": both take part
                actors, partners, how = actors + partners, [], "between"
        if not actors and tok.pos_ == "NOUN" and previous and args.anaphoric_subject(tok):
            actors, how = _unique([a for a, _ in previous]), "event-anaphor"
        # an actor needs an identity: a country, affiliation or sector, or a name (a person or organisation)
        actors = [a for a in actors if _identified(a) or a.actor.sector or _named(a, sent.text)]
        if not actors:
            return []
        mutual = how == "between" or (trig.reciprocal and len(actors) > 1)
        # "A and B agreed to share information on C": A and B agree with each other, C is no party
        recipients = [] if how == "between" else (
            partners or args.recipients(tok, trig, found.obj) or args.governing_recipients(tok)
            or ([] if mutual else args.clause_recipients(tok)))
        if not recipients and not mutual:
            # "refused a request from X"; else where it happened, when nobody else is named: "a ceasefire in Libya"
            recipients = args.object_owners(tok, trig, found.obj) or args.place(tok)
        if not recipients and not mutual and not self.ont.requires_recipient(trig.event_type):
            thing = args.object_phrase(tok, trig, found.obj) or args.place_name(tok)
            recipients = [thing] if thing is not None else []
        pairs = self._pairs(actors, recipients, trig)
        if not pairs:
            return []
        if trig.reciprocal and how != "between":
            pairs += _returned(doc, pairs)
        modality, cue = modality_of(tok, self.lex)
        context = _Context(
            sentence=sent.text.strip(),  # once per trigger, not per event: a sentence can give many pairs
            attribution=attribution_of(tok, sent, self.lex),
            when=event_date(tok, sent, doc._.article_date, cues),
            location=_location(tok, sent, args),
            modality=modality,
            cue=cue,
            future=_future(tok, self.lex),
        )
        return [(a, self._event(doc, index, sent, found, a, r, context, how)) for a, r in pairs]

    def _pairs(self, actors: list[ActorSpan], recipients: list[ActorSpan], trig: Trigger):
        if not recipients and trig.reciprocal and len(actors) >= 2:
            return [(a, b) for a in actors for b in actors if not _same_actor(a, b)]
        if not recipients:
            if self.ont.requires_recipient(trig.event_type):
                return []
            return [(a, None) for a in actors]
        pairs = []
        for a in actors:
            others = [r for r in recipients if not _same_actor(a, r)]
            if others:
                pairs.extend((a, r) for r in others)
            elif not self.ont.requires_recipient(trig.event_type):
                # "Saudi Arabia lifted its blockade": the actor is no recipient of its own act
                pairs.append((a, None))
        return pairs

    def _event(self, doc: Doc, index: int, sent: Span, found: Found, actor: ActorSpan,
               recipient: ActorSpan | None, ctx: "_Context", how: str) -> Event:
        trig = found.trig
        event_type, modality = trig.event_type, ctx.modality
        mode = trig.mode if trig.mode and self._known_mode(trig.event_type, trig.mode) else None
        day, precision = ctx.when
        phrase = found.token.lemma_ + (f" {found.obj.lemma_}" if found.obj is not None else "")
        origin = "" if trig.origin == "lexicon" else f" ({trig.origin})"
        why = f"lexicon {trig.pos.lower()} '{phrase}' -> {trig.event_type}{origin}; actor by {how} ({actor.how})"
        actor_ref = _ref(actor, ctx.sentence)
        if actor_ref.text != actor.text:
            why += f" ('{actor.text}' = '{actor_ref.text}')"
        if ctx.cue:
            why += f"; {ctx.modality.value} by '{ctx.cue}'"
        quad = self.ont.event_type(event_type).quad
        # an intention or refusal stated by a governing verb ("decided to", "refused to") or by the act's own
        # future tense ("will meet", "will not release"): modal_types.tsv says which become AGREE, CONCEDE, ...
        via = "governor" if ctx.cue else "future" if ctx.future else None
        intent = self.lex.intent_type(modality.value, via, quad, event_type) if via else None
        if intent is not None:
            why += f"; a {modality.value} {event_type} ({'governed' if ctx.cue else 'future tense'}) is coded {intent[0]}"
            (event_type, mode), modality = intent, Modality.ASSERTED
        return Event(
            article_id=doc._.article_id or "",
            sentence_index=index,
            sentence=ctx.sentence,
            event_type=event_type,
            actor=actor_ref,
            recipient=_ref(recipient, ctx.sentence) if recipient is not None else None,
            mode=mode,
            modality=modality,
            attribution=ctx.attribution,
            date=day,
            date_precision=precision,
            location=ctx.location[0],
            location_country=ctx.location[1],
            cameo=self.ont.cameo(event_type, mode),
            score=self.ont.score(event_type, mode),
            confidence=_confidence(actor, recipient, how),
            trigger=found.token.text,
            why=why,
        )

    def _known_mode(self, event_type: str, mode: str) -> bool:
        try:
            self.ont.mode(event_type, mode)
        except KeyError:
            return False
        return True


@dataclass(frozen=True)
class _Context:
    sentence: str
    attribution: str | None
    when: tuple[date | None, str | None]
    location: tuple[str | None, str | None]
    modality: Modality
    cue: str | None
    future: bool = False


def _future(trigger: Token, lex: Lexicon) -> bool:
    """Whether the trigger, or the support verb of a nominal trigger ("will hold talks"), is in the future tense."""
    verb = trigger
    while verb.pos_ == "NOUN" and verb.dep_ in {"dobj", "pobj", "prep"} and verb.head is not verb:
        verb = verb.head
    verbs = [verb] + ([verb.head] if verb.dep_ == "conj" else [])  # "will invade and destroy": both future
    return any(c.dep_ == "aux" and lex.is_future(c.lower_) for v in verbs for c in v.children)


_INFLECTIONS = ("ed", "d", "ing", "es", "s")


def _lemmas(tok: Token) -> list[str]:
    """The parser's lemma, then the word itself and its form with an inflection removed.

    The statistical lemmatiser sometimes errs ("staged" -> "stag"); the fallbacks let the lexicon's
    base forms still match.
    """
    word = tok.lower_
    forms = [tok.lemma_.lower(), word]
    forms += [word[: -len(suffix)] for suffix in _INFLECTIONS if word.endswith(suffix) and len(word) > len(suffix) + 2]
    return list(dict.fromkeys(forms))


def _once(pairs: list[tuple[ActorSpan, Event]]) -> list[tuple[ActorSpan, Event]]:
    """One event per (type, actor, recipient, modality) in a sentence: two triggers for one act count once."""
    seen: dict[tuple, int] = {}
    out: list[tuple[ActorSpan, Event]] = []
    for span, ev in pairs:
        key = (ev.event_type, ev.actor.name, ev.actor.country,
               ev.recipient.name if ev.recipient else None, ev.recipient.country if ev.recipient else None, ev.modality)
        if key in seen:
            if ev.confidence > out[seen[key]][1].confidence:
                out[seen[key]] = (span, ev)
            continue
        seen[key] = len(out)
        out.append((span, ev))
    return out


def _identified(span: ActorSpan) -> bool:
    return bool(span.actor.country or span.actor.affiliation)


def _named(span: ActorSpan, sentence: str) -> bool:
    """A person or an organisation named in the text: known by name if not listed. A pronoun counts when the name
    it stands for is in the same sentence ("Clinton has said he will not ...")."""
    if span.kind not in {"person", "org"}:
        return False
    return span.how != "coref" or bool(span.antecedent and _written_in(span.antecedent, sentence))


def _returned(doc: Doc, pairs: list[tuple[ActorSpan, ActorSpan | None]]) -> list[tuple[ActorSpan, ActorSpan]]:
    """A reciprocal act "with" someone goes both ways ("A clashed with B", "A met with B": also B -> A); a
    recipient named otherwise ("pledged to B") does not act back."""
    out = []
    for actor, recipient in pairs:
        if recipient is None or recipient.kind == "thing":
            continue
        head = doc[recipient.head]
        while head.dep_ in {"conj", "amod", "compound", "nmod", "poss"} and head.head.i != head.i:
            head = head.head  # "with Azerbaijani troops": from the demonym up to the noun the preposition governs
        if head.dep_ == "pobj" and head.head.lower_ == "with" and (recipient, actor) not in pairs:
            out.append((recipient, actor))
    return out


def _unique(spans: list[ActorSpan]) -> list[ActorSpan]:
    out: list[ActorSpan] = []
    for s in spans:
        if not any(_same_actor(s, o) for o in out):
            out.append(s)
    return out


def _confidence(actor: ActorSpan, recipient: ActorSpan | None, how: str) -> float:
    """A rule-based confidence: resolved actors and direct arguments score higher than inferred ones."""
    score = 0.5
    score += 0.2 if actor.actor.country or actor.actor.affiliation else 0.0
    score += 0.1 if recipient is not None and (recipient.actor.country or recipient.actor.affiliation) else 0.0
    score -= 0.15 if how in {"event-anaphor", "between", "place"} else 0.0
    score -= 0.1 if actor.how == "coref" else 0.0
    return max(0.05, min(0.95, score))


def _location(trigger: Token, sent: Span, args: Arguments) -> tuple[str | None, str | None]:
    """'in Doha', 'at the border in Rafah': a place named by in/at/near on the trigger or its verb."""
    holders = [trigger] + ([trigger.head] if trigger.pos_ == "NOUN" else [])
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ != "prep" or prep.lower_ not in {"in", "at", "near", "inside"}:
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj" or pobj.ent_type_ not in {"GPE", "LOC", "FAC"}:
                    continue
                text = sent.doc[pobj.left_edge.i : pobj.right_edge.i + 1].text
                span = args.span_of(pobj, modifiers=False)
                return text, span.actor.country if span is not None else None
    return None, None
