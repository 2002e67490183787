"""Event dates: relative expressions ("on Tuesday", "last week", "in March") resolved against the article date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.attrs import LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

__all__ = ["DateCues", "date_cues", "event_date"]

_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_RELATIVE = {
    "today": (0, "day"),
    "tonight": (0, "day"),
    "yesterday": (-1, "day"),
    "tomorrow": (1, "day"),
    "last week": (-7, "week"),
    "this week": (0, "week"),
    "next week": (7, "week"),
    "last month": (-30, "month"),
    "this month": (0, "month"),
    "next month": (30, "month"),
    "last year": (-365, "year"),
    "this year": (0, "year"),
    "recently": (0, "approximate"),
    "earlier": (0, "approximate"),
    "lately": (0, "approximate"),
}
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_DAYNUM = re.compile(r"\b([0-3]?\d)(st|nd|rd|th)?\b")


def _is_future(trigger: Token) -> bool:
    tok = trigger
    for _ in range(4):
        if any(c.lower_ in {"will", "shall"} or (c.lower_ == "going" and c.dep_ == "aux") for c in tok.children):
            return True
        if tok.head is tok:
            break
        tok = tok.head
    return False


def _weekday(article: date, weekday: int, future: bool) -> date:
    delta = (article.weekday() - weekday) % 7
    if future:
        return article + timedelta(days=(weekday - article.weekday()) % 7 or 7)
    return article - timedelta(days=delta)


def _month(article: date, month: int, text: str, future: bool) -> tuple[date, str]:
    year_m = _YEAR.search(text)
    year = int(year_m.group(0)) if year_m else article.year
    if not year_m and not future and month > article.month:
        year -= 1
    day_m = next((m for m in _DAYNUM.finditer(_YEAR.sub("", text)) if 1 <= int(m.group(1)) <= 31), None)
    if day_m:
        day = min(int(day_m.group(1)), calendar.monthrange(year, month)[1])
        return date(year, month, day), "day"
    return date(year, month, 1), "month"


def _resolve(text: str, article: date, future: bool) -> tuple[date, str] | None:
    low = text.lower().strip()
    for phrase, (days, precision) in _RELATIVE.items():
        if phrase in low:
            return article + timedelta(days=days), precision
    for word in re.findall(r"[a-z]+", low):
        if word in _WEEKDAYS:
            return _weekday(article, _WEEKDAYS[word], future), "day"
        if word in _MONTHS:
            return _month(article, _MONTHS[word], low, future)
    year_m = _YEAR.fullmatch(low.strip())
    if year_m:
        return date(int(low), 1, 1), "year"
    return None


_ADVERBS = frozenset({"recently", "earlier", "lately"})


@dataclass(frozen=True)
class DateCues:
    """A doc's DATE and TIME entities and its time adverbs, each in text order (see `date_cues`)."""

    ents: list[Span]
    adverbs: list[Span]

    def within(self, sent: Span) -> list[Span]:
        """The cues inside a sentence: entities first, as `sent.ents` would list them, then adverbs."""
        inside = [e for e in self.ents if e.start >= sent.start and e.end <= sent.end]
        return inside + [a for a in self.adverbs if sent.start <= a.start < sent.end]


def date_cues(doc: Doc) -> DateCues:
    """Collect the doc's date cues once, so that each trigger need not walk the doc's entities again."""
    ents = [e for e in doc.ents if e.label_ in {"DATE", "TIME"}]
    wanted = {get_string_id(w) for w in _ADVERBS}
    lowers = doc.to_array(LOWER).tolist()
    adverbs = [doc[i : i + 1] for i, h in enumerate(lowers) if h in wanted and doc[i].dep_ == "advmod"]
    return DateCues(ents, adverbs)


def _expressions(trigger: Token, sent: Span, cues: DateCues | None = None) -> list[Span]:
    """DATE entities and time adverbs of the sentence, nearest to the trigger first."""
    if cues is not None:
        spans = cues.within(sent)
    else:
        spans = [e for e in sent.ents if e.label_ in {"DATE", "TIME"}]
        spans += [sent.doc[t.i : t.i + 1] for t in sent if t.lower_ in _ADVERBS and t.dep_ == "advmod"]
    return sorted(spans, key=lambda s: abs(s.root.i - trigger.i))


def _reduced_participle(tok: Token) -> bool:
    """A participle clause with no subject or auxiliary of its own ("..., first adopted in 2014, ...")."""
    return tok.dep_ == "advcl" and tok.tag_ == "VBN" and not any(
        c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass", "mark"} for c in tok.children)


def _in_background_clause(tok: Token, trigger: Token) -> bool:
    """Whether a date is in a clause that describes another word than the trigger ("the sanctions that were
    adopted in 2014 were extended": 2014 dates the adoption, not the extension), or in a reduced participle clause
    ("..., first adopted in 2014, ...", "Elected in 2019, the president ..."). A relative clause on the trigger
    itself ("the attack, which came on Monday") dates the event."""
    node = tok
    while node.head.i != node.i and node.i != trigger.i:  # Tokens are made afresh: compare positions
        clause = (node.dep_ in {"acl", "relcl"} and node.head.i != trigger.i) or _reduced_participle(node)
        if clause and not node.is_ancestor(trigger):
            return True
        node = node.head
    return False


def event_date(trigger: Token, sent: Span, article: date | None,
               cues: DateCues | None = None) -> tuple[date | None, str | None]:
    """The event's date and precision; the article's date ('approximate') when the sentence names none.

    `cues` (from `date_cues(doc)`) saves looking the sentence's cues up again for every trigger.
    """
    if article is None:
        return None, None
    future = _is_future(trigger)
    for span in _expressions(trigger, sent, cues):
        if _in_background_clause(span.root, trigger):
            continue
        hit = _resolve(span.text, article, future)
        if hit is None:
            continue
        day, precision = hit
        if not future and day > article:
            day = article
        return day, precision
    return article, "approximate"
