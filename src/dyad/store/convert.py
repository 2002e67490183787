"""Typed objects to table rows and back; pure functions, no database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, Mapping

from dyad.model import Actor, ActorRef, Article, CodedArticle, Event, IngestError, Mention, Modality, Tie

__all__ = [
    "actor_key",
    "actor_values",
    "article_values",
    "error_values",
    "event_values",
    "mention_values",
    "row_key",
    "row_to_actor",
    "row_to_article",
    "row_to_error",
    "row_to_event",
    "row_to_mention",
    "row_to_sentences",
    "row_to_tie",
    "rows_to_events",
    "tie_values",
    "validate_coded",
]

# Rows handed to Core's insert(): column name -> value. They never leave the store package.
Values = dict[str, Any]
Row = Mapping[str, Any]


def row_key(*parts: str | None) -> str:
    """A fixed-length key for a tuple of nullable strings: None and '' stay distinct."""
    encoded = json.dumps(list(parts), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def validate_coded(coded: CodedArticle) -> None:
    """Raise ValueError if an event or tie names an article other than the one being saved."""
    own = coded.article.id
    for item in [*coded.events, *coded.ties]:
        if item.article_id != own:
            kind = type(item).__name__
            raise ValueError(f"{kind} belongs to article {item.article_id!r}, not {own!r}")


def article_values(coded: CodedArticle, coded_at: datetime) -> Values:
    """The `articles` row for a coded article."""
    a = coded.article
    return {
        "id": a.id,
        "date": a.date,
        "title": a.title,
        "url": a.url,
        "source": a.source,
        "origin": a.origin,
        "text": a.text,
        "sentences": json.dumps(list(coded.sentences), ensure_ascii=False),
        "coded_at": coded_at,
    }


def row_to_article(row: Row) -> Article:
    """An Article from an `articles` row."""
    return Article(
        id=row["id"],
        text=row["text"],
        date=row["date"],
        title=row["title"],
        url=row["url"],
        source=row["source"],
        origin=row["origin"],
    )


def row_to_sentences(row: Row) -> list[str]:
    """The sentence list stored with an article."""
    return list(json.loads(row["sentences"]))


def actor_key(actor: Actor) -> str:
    """What makes two actors the same stored actor: name, country, sector, affiliation (not code)."""
    return row_key(actor.name, actor.country, actor.sector, actor.affiliation)


def actor_values(actor: Actor) -> Values:
    """The `actors` row for a canonical actor."""
    return {
        "key": actor_key(actor),
        "name": actor.name,
        "country": actor.country,
        "sector": actor.sector,
        "affiliation": actor.affiliation,
        "code": actor.code,
    }


def row_to_actor(row: Row, prefix: str = "") -> Actor:
    """An Actor from an `actors` row (or from columns labelled `<prefix>name`, ...)."""
    return Actor(
        name=row[f"{prefix}name"],
        country=row[f"{prefix}country"],
        sector=row[f"{prefix}sector"],
        affiliation=row[f"{prefix}affiliation"],
        code=row[f"{prefix}code"],
    )


def mention_values(mention: Mention, article_id: str, actor_id: int) -> Values:
    """The `mentions` row for one mention, pointing at its stored actor."""
    return {
        "article_id": article_id,
        "sentence_index": mention.sentence_index,
        "start": mention.start,
        "end_char": mention.end,
        "text": mention.text,
        "actor_id": actor_id,
        "how": mention.how,
        "antecedent": mention.antecedent,
    }


def row_to_mention(row: Row) -> Mention:
    """A Mention from a `mentions` row joined with its actor (actor columns labelled `actor_*`)."""
    return Mention(
        text=row["text"],
        start=row["start"],
        end=row["end_char"],
        sentence_index=row["sentence_index"],
        actor=row_to_actor(row, prefix="actor_"),
        how=row["how"],
        antecedent=row["antecedent"],
    )


def _ref_values(prefix: str, ref: ActorRef | None) -> Values:
    if ref is None:
        return {f"{prefix}_{f}": None for f in ("text", "name", "country", "sector", "affiliation")}
    return {
        f"{prefix}_text": ref.text,
        f"{prefix}_name": ref.name,
        f"{prefix}_country": ref.country,
        f"{prefix}_sector": ref.sector,
        f"{prefix}_affiliation": ref.affiliation,
    }


def _row_to_ref(row: Row, prefix: str) -> ActorRef | None:
    if row[f"{prefix}_text"] is None:
        return None
    return ActorRef(
        text=row[f"{prefix}_text"],
        name=row[f"{prefix}_name"],
        country=row[f"{prefix}_country"],
        sector=row[f"{prefix}_sector"],
        affiliation=row[f"{prefix}_affiliation"],
    )


def _required_ref(row: Row, prefix: str) -> ActorRef:
    ref = _row_to_ref(row, prefix)
    if ref is None:  # the schema forbids this; a NULL here means the table was edited by hand
        raise ValueError(f"row {row.get('id')!r} has no {prefix} actor")
    return ref


def event_values(event: Event) -> Values:
    """The `events` row for one event."""
    return {
        "article_id": event.article_id,
        "sentence_index": event.sentence_index,
        "sentence": event.sentence,
        "event_type": event.event_type,
        "mode": event.mode,
        **_ref_values("actor", event.actor),
        **_ref_values("recipient", event.recipient),
        "modality": Modality(event.modality).value,
        "attribution": event.attribution,
        "date": event.date,
        "date_precision": event.date_precision,
        "location": event.location,
        "location_country": event.location_country,
        "cameo": event.cameo,
        "score": event.score,
        "confidence": event.confidence,
        "trigger": event.trigger,
        "why": event.why,
    }


def row_to_event(row: Row) -> Event:
    """An Event from an `events` row."""
    return Event(
        article_id=row["article_id"],
        sentence_index=row["sentence_index"],
        sentence=row["sentence"],
        event_type=row["event_type"],
        actor=_required_ref(row, "actor"),
        recipient=_row_to_ref(row, "recipient"),
        mode=row["mode"],
        modality=Modality(row["modality"]),
        attribution=row["attribution"],
        date=row["date"],
        date_precision=row["date_precision"],
        location=row["location"],
        location_country=row["location_country"],
        cameo=row["cameo"],
        score=row["score"],
        confidence=row["confidence"],
        trigger=row["trigger"],
        why=row["why"],
    )


_MODALITIES = {m.value: m for m in Modality}
_REF_FIELDS = ("text", "name", "country", "sector", "affiliation")


def rows_to_events(keys: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[Event]:
    """What `row_to_event` makes of each `events` row, for rows as tuples with these column names.

    Made for the analyses, which read every event of a dyad or of the store: positions instead of names, and one
    ActorRef (frozen, so safely shared) per distinct actor rather than two new ones per row.
    """
    at = {k: i for i, k in enumerate(keys)}
    fields = itemgetter(*(at[k] for k in ("article_id", "sentence_index", "sentence", "event_type")))
    rest = itemgetter(*(at[k] for k in ("mode", "modality", "attribution", "date", "date_precision", "location",
                                        "location_country", "cameo", "score", "confidence", "trigger", "why")))
    actor = itemgetter(*(at[f"actor_{f}"] for f in _REF_FIELDS))
    recipient = itemgetter(*(at[f"recipient_{f}"] for f in _REF_FIELDS))
    refs: dict[tuple, ActorRef] = {}
    found = []
    for row in rows:
        a, r = actor(row), recipient(row)
        if a[0] is None:  # the schema forbids this; a NULL here means the table was edited by hand
            raise ValueError(f"row {row[at['id']] if 'id' in at else None!r} has no actor actor")
        a_ref = refs.get(a) or refs.setdefault(a, ActorRef(*a))
        r_ref = None if r[0] is None else refs.get(r) or refs.setdefault(r, ActorRef(*r))
        mode, modality, *more = rest(row)
        found.append(Event(*fields(row), a_ref, r_ref, mode, _MODALITIES.get(modality) or Modality(modality), *more))
    return found


def tie_values(tie: Tie) -> Values:
    """The `ties` row for one tie."""
    return {
        "kind": tie.kind,
        **_ref_values("a", tie.a),
        **_ref_values("b", tie.b),
        "directed": tie.directed,
        "evidence": tie.evidence,
        "article_id": tie.article_id,
        "sentence_index": tie.sentence_index,
        "date": tie.date,
    }


def row_to_tie(row: Row) -> Tie:
    """A Tie from a `ties` row."""
    return Tie(
        kind=row["kind"],
        a=_required_ref(row, "a"),
        b=_required_ref(row, "b"),
        article_id=row["article_id"],
        sentence_index=row["sentence_index"],
        evidence=row["evidence"],
        directed=bool(row["directed"]),
        date=row["date"],
    )


def error_values(err: IngestError, created_at: datetime) -> Values:
    """The `ingest_errors` row for one unreadable input; `key` makes it unique per origin+reason."""
    return {
        "key": row_key(err.origin, err.reason),
        "origin": err.origin,
        "reason": err.reason,
        "created_at": created_at,
        "kind": err.kind,
    }


def row_to_error(row: Row) -> IngestError:
    """An IngestError from an `ingest_errors` row."""
    return IngestError(origin=row["origin"], reason=row["reason"], kind=row["kind"])
