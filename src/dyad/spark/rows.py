"""Coded articles to the rows of dyad's Parquet output and back: pure functions, no Spark, no files.

The output of `dyad spark code` is four Parquet datasets; every row carries `position` (the record's index in
the input, from 0) and `part` (the Spark partition that coded it, so that `dyad import` can read one partition
of every dataset at a time):

- `events/`: one row per event, the JSON lines contract with `actor` and `recipient` as structs
  (text, name, country, sector, affiliation); `confidence` is not rounded.
- `ties/`: one row per tie, the ties contract with `a` and `b` as structs.
- `errors/`: refusals and notes; `stage` says whether reading (`read`) or coding (`code`) made them.
- `articles/`: one row per article read, with its sentences, actor mentions and coding notes nested, and
  `coded` false when it was refused before coding (too long).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Mapping

from dyad.model import Actor, ActorRef, Article, CodedArticle, Event, IngestError, Mention, Modality, Tie

__all__ = [
    "ACTOR_REF_FIELDS",
    "READ",
    "CODE",
    "article_row",
    "coded_from_rows",
    "error_from_row",
    "error_row",
    "article_from_row",
    "event_from_row",
    "event_row",
    "tie_from_row",
    "tie_row",
]

Row = dict[str, Any]

READ = "read"  # made while reading a record: replayed by `dyad import`, as `dyad code` records them
CODE = "code"  # made while coding (refused as too long, sentences skipped): `dyad import` makes them again

ACTOR_REF_FIELDS = ("text", "name", "country", "sector", "affiliation")
_ACTOR_FIELDS = ("name", "country", "sector", "affiliation", "code")


def _ref(ref: ActorRef | None) -> Row | None:
    return None if ref is None else {f: getattr(ref, f) for f in ACTOR_REF_FIELDS}


def _from_ref(row: Mapping[str, Any] | None) -> ActorRef | None:
    return None if row is None else ActorRef(**{f: row.get(f) for f in ACTOR_REF_FIELDS})


def event_row(event: Event, position: int, seq: int, part: int) -> Row:
    """An event as a row of `events/`: the JSON lines contract, confidence unrounded, date a date;
    `seq` is its place among its article's events."""
    row = {f.name: getattr(event, f.name) for f in fields(Event)}
    row["actor"] = _ref(event.actor)
    row["recipient"] = _ref(event.recipient)
    row["modality"] = Modality(event.modality).value
    row.update(position=position, seq=seq, part=part)
    return row


def event_from_row(row: Mapping[str, Any]) -> Event:
    """The Event a row of `events/` holds."""
    values = {f.name: row.get(f.name) for f in fields(Event)}
    values["actor"] = _from_ref(row["actor"])
    values["recipient"] = _from_ref(row.get("recipient"))
    values["modality"] = Modality(row["modality"])
    return Event(**values)


def tie_row(tie: Tie, position: int, seq: int, part: int) -> Row:
    """A tie as a row of `ties/`; `seq` is its place among its article's ties."""
    row = {f.name: getattr(tie, f.name) for f in fields(Tie)}
    row["a"], row["b"] = _ref(tie.a), _ref(tie.b)
    row.update(position=position, seq=seq, part=part)
    return row


def tie_from_row(row: Mapping[str, Any]) -> Tie:
    """The Tie a row of `ties/` holds."""
    values = {f.name: row.get(f.name) for f in fields(Tie)}
    values["a"], values["b"] = _from_ref(row["a"]), _from_ref(row["b"])
    return Tie(**values)


def error_row(err: IngestError, position: int, seq: int, stage: str, part: int) -> Row:
    """A refusal or note as a row of `errors/`; `seq` orders several rows of one record."""
    return {"position": position, "seq": seq, "part": part, "stage": stage, "origin": err.origin,
            "reason": err.reason, "kind": err.kind}


def error_from_row(row: Mapping[str, Any]) -> IngestError:
    """The IngestError a row of `errors/` (or a nested note) holds."""
    return IngestError(row["origin"], row["reason"], row["kind"])


def _mention_row(m: Mention) -> Row:
    return {"text": m.text, "start": m.start, "end": m.end, "sentence_index": m.sentence_index,
            "actor": {f: getattr(m.actor, f) for f in _ACTOR_FIELDS}, "how": m.how, "antecedent": m.antecedent}


def _mention_from_row(row: Mapping[str, Any]) -> Mention:
    actor = Actor(**{f: row["actor"].get(f) for f in _ACTOR_FIELDS})
    return Mention(row["text"], row["start"], row["end"], row["sentence_index"], actor, row["how"], row["antecedent"])


def article_row(article: Article, coded: CodedArticle | None, position: int, part: int) -> Row:
    """An article as a row of `articles/`, with what coding found about it nested (empty when not coded)."""
    row: Row = {f.name: getattr(article, f.name) for f in fields(Article)}
    row.update(position=position, part=part, coded=coded is not None,
               sentences=list(coded.sentences) if coded else [],
               mentions=[_mention_row(m) for m in coded.mentions] if coded else [],
               notes=[error_row(n, position, i, CODE, part) for i, n in enumerate(coded.notes)] if coded else [])
    return row


def article_from_row(row: Mapping[str, Any]) -> Article:
    """The Article of a row of `articles/`."""
    return Article(**{f.name: row.get(f.name) for f in fields(Article)})


def coded_from_rows(article: Mapping[str, Any], events: list[Mapping[str, Any]],
                    ties: list[Mapping[str, Any]]) -> CodedArticle:
    """The CodedArticle of an `articles/` row and its `events/` and `ties/` rows (each in output order)."""
    return CodedArticle(
        article=article_from_row(article),
        sentences=list(article["sentences"]),
        mentions=[_mention_from_row(m) for m in article["mentions"]],
        events=[event_from_row(e) for e in events],
        ties=[tie_from_row(t) for t in ties],
        notes=[error_from_row(n) for n in article["notes"] or []],
    )
