"""JSON shapes the API answers with, built from dyad's typed objects (pure: no database, no web framework)."""

from __future__ import annotations

import re
from typing import Any

from dyad.model import Article, CodedArticle, Event, Mention
from dyad.store import StoreSummary

__all__ = ["article_record", "article_view", "event_record", "segments", "sentence_offsets", "summary_record"]

_SNIPPET = 240


def event_record(event: Event, row_id: int | None = None) -> dict[str, Any]:
    """An event in the JSON lines contract, with its row id when it has one."""
    out = event.to_dict()
    if row_id is not None:
        out["id"] = row_id
    return out


def article_record(article: Article) -> dict[str, Any]:
    """An article without its full text: what a listing shows."""
    text = " ".join(article.text.split())
    return {
        "id": article.id,
        "date": article.date.isoformat() if article.date else None,
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "origin": article.origin,
        "snippet": text[:_SNIPPET] + ("…" if len(text) > _SNIPPET else ""),
    }


def summary_record(summary: StoreSummary) -> dict[str, Any]:
    """Counts of what the store holds."""
    return {
        "articles": summary.articles,
        "events": summary.events,
        "ties": summary.ties,
        "mentions": summary.mentions,
        "actors": summary.actors,
        "errors": summary.errors,
        "notes": summary.notes,
        "events_by_type": summary.events_by_type,
        "top_dyads": [{"actor": a, "recipient": r, "count": n} for (a, r), n in summary.top_dyads],
    }


def sentence_offsets(text: str, sentences: list[str]) -> list[int | None]:
    """Where each sentence starts in the article text (searched in order), None if it is not found."""
    out: list[int | None] = []
    pos = 0
    for sentence in sentences:
        at = text.find(sentence, pos)
        if at < 0:
            at = text.find(sentence)
        out.append(at if at >= 0 else None)
        if at >= 0:
            pos = at + len(sentence)
    return out


def _trigger_span(sentence: str, trigger: str | None) -> tuple[int, int] | None:
    if not trigger:
        return None
    found = re.search(rf"(?<!\w){re.escape(trigger)}(?!\w)", sentence, flags=re.IGNORECASE)
    return found.span() if found else None


def segments(sentence: str, marks: list[tuple[int, int, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The sentence cut into plain and marked pieces; a mark overlapping an earlier one is left out."""
    out: list[dict[str, Any]] = []
    pos = 0
    for start, end, mark in sorted(marks, key=lambda m: (m[0], -m[1])):
        if start < pos or not 0 <= start < end <= len(sentence):
            continue
        if start > pos:
            out.append({"text": sentence[pos:start], "mark": None})
        out.append({"text": sentence[start:end], "mark": mark})
        pos = end
    if pos < len(sentence) or not out:
        out.append({"text": sentence[pos:], "mark": None})
    return out


def _mention_record(m: Mention) -> dict[str, Any]:
    a = m.actor
    return {
        "text": m.text, "start": m.start, "end": m.end, "sentence_index": m.sentence_index, "how": m.how,
        "antecedent": m.antecedent,
        "actor": {"name": a.name, "country": a.country, "sector": a.sector, "affiliation": a.affiliation,
                  "code": a.code},
    }


def article_view(coded: CodedArticle) -> dict[str, Any]:
    """An article with its sentences cut into text, actor mentions and event triggers, and its events and ties.

    Every piece of article text is a plain string: clients must show it as text, never as markup.
    """
    art = coded.article
    offsets = sentence_offsets(art.text, coded.sentences)
    sentences = []
    for index, (sentence, offset) in enumerate(zip(coded.sentences, offsets, strict=True)):
        marks: list[tuple[int, int, dict[str, Any]]] = []
        if offset is not None:
            for n, m in enumerate(coded.mentions):
                if m.sentence_index == index:
                    marks.append((m.start - offset, m.end - offset, {"kind": "actor", "mention": n}))
        triggers: dict[tuple[int, int], list[int]] = {}
        for n, e in enumerate(coded.events):
            span = _trigger_span(sentence, e.trigger) if e.sentence_index == index else None
            if span:
                triggers.setdefault(span, []).append(n)
        marks += [(s, e, {"kind": "trigger", "events": evs}) for (s, e), evs in triggers.items()]
        sentences.append({
            "index": index,
            "text": sentence,
            "segments": segments(sentence, marks),
            "events": [n for n, e in enumerate(coded.events) if e.sentence_index == index],
            "ties": [n for n, t in enumerate(coded.ties) if t.sentence_index == index],
        })
    return {
        "article": {**article_record(art), "text": art.text},
        "sentences": sentences,
        "mentions": [_mention_record(m) for m in coded.mentions],
        "events": [{**event_record(e), "index": n} for n, e in enumerate(coded.events)],
        "ties": [t.to_dict() for t in coded.ties],
    }
