"""The store's tables as SQLAlchemy Core metadata; portable between SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    func,
)

__all__ = [
    "SCHEMA_VERSION",
    "actors",
    "article_fingerprints",
    "article_links",
    "articles",
    "events",
    "ingest_errors",
    "mentions",
    "meta",
    "metadata",
    "ties",
    "SIDE_PARTS",
    "lowered_index_name",
]

# The version a new database is created at; older ones are brought up to it by store/migrations.py.
SCHEMA_VERSION = "5"

metadata = MetaData()


def _actor_columns(prefix: str, nullable: bool) -> list[Column]:
    """The five columns that hold one ActorRef; `<prefix>_text` is NULL only when the ref is absent."""
    return [
        Column(f"{prefix}_text", Text, nullable=nullable),
        Column(f"{prefix}_name", Text),
        Column(f"{prefix}_country", Text),
        Column(f"{prefix}_sector", Text),
        Column(f"{prefix}_affiliation", Text),
    ]


articles = Table(
    "articles",
    metadata,
    Column("id", Text, primary_key=True),
    Column("date", Date),
    Column("title", Text),
    Column("url", Text),
    Column("source", Text),
    Column("origin", Text),
    Column("text", Text, nullable=False),
    Column("sentences", Text, nullable=False),  # JSON list of strings
    Column("coded_at", DateTime, nullable=False),  # naive UTC
    Index("ix_articles_date", "date"),
)

# NULL never equals NULL in a unique constraint (on SQLite and PostgreSQL alike), so uniqueness of
# (name, country, sector, affiliation) is enforced on `key`, a hash of those four values computed in
# convert.row_key; the real columns keep real NULLs so an Actor comes back exactly as it went in.
actors = Table(
    "actors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("country", Text),
    Column("sector", Text),
    Column("affiliation", Text),
    Column("code", Text),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # keeps the article's order
    Column("article_id", Text, ForeignKey("articles.id"), nullable=False),
    Column("sentence_index", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),  # END is reserved in SQL
    Column("text", Text, nullable=False),
    Column("actor_id", Integer, ForeignKey("actors.id"), nullable=False),
    Column("how", Text, nullable=False),
    Column("antecedent", Text),
    Index("ix_mentions_article_id", "article_id"),
    Index("ix_mentions_actor_id", "actor_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Text, ForeignKey("articles.id"), nullable=False),
    Column("sentence_index", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("mode", Text),
    *_actor_columns("actor", nullable=False),
    *_actor_columns("recipient", nullable=True),
    Column("modality", Text, nullable=False),
    Column("attribution", Text),
    Column("date", Date),
    Column("date_precision", Text),
    Column("location", Text),
    Column("location_country", Text),
    Column("cameo", Text),
    Column("score", Float),
    Column("confidence", Float, nullable=False),
    Column("trigger", Text),
    Column("why", Text),
    Index("ix_events_event_type", "event_type"),
    Index("ix_events_actor_country", "actor_country"),
    Index("ix_events_recipient_country", "recipient_country"),
    Index("ix_events_date", "date"),
    Index("ix_events_article_id", "article_id"),
    Index("ix_events_page", "date", "article_id", "sentence_index", "id"),  # cursor pages (v3)
)

# The parts of an actor reference that filters match (country code, canonical name, affiliation; any case).
SIDE_PARTS = ("country", "name", "affiliation")


def lowered_index_name(column: str) -> str:
    """The name of the expression index on lower(`column`) of `events` (v5)."""
    return f"ix_events_{column}_lc"


# Filter pages (v5): for each matched column, lower(column) then page order, so a page of events with a given
# actor or recipient, or of one event type, is a walk along one index instead of a search of the date order.
# Expression indexes: the stored values stay as written and filters keep comparing lower() on both sides.
for _side in ("actor", "recipient"):
    for _part in SIDE_PARTS:
        _column = events.c[f"{_side}_{_part}"]
        Index(lowered_index_name(_column.name), func.lower(_column), events.c.date, events.c.article_id,
              events.c.sentence_index, events.c.id)
Index("ix_events_type_page", events.c.event_type, events.c.date, events.c.article_id, events.c.sentence_index,
      events.c.id)

ties = Table(
    "ties",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", Text, nullable=False),
    *_actor_columns("a", nullable=False),
    *_actor_columns("b", nullable=False),
    Column("directed", Boolean, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("article_id", Text, ForeignKey("articles.id"), nullable=False),
    Column("sentence_index", Integer, nullable=False),
    Column("date", Date),
    Index("ix_ties_kind", "kind"),
    Index("ix_ties_article_id", "article_id"),
    Index("ix_ties_a_country", "a_country"),
    Index("ix_ties_b_country", "b_country"),
    Index("ix_ties_page", "date", "article_id", "sentence_index", "id"),  # cursor pages (v3)
)

# Unique on a hash of (origin, reason) rather than the pair itself: a long reason (a traceback)
# would exceed PostgreSQL's btree entry limit (~2.7 kB) in a plain unique index.
# `kind` is `refused` (the input was not coded) or `note` (it was coded after a repair) (v4).
ingest_errors = Table(
    "ingest_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", Text, nullable=False, unique=True),
    Column("origin", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),  # naive UTC
    Column("kind", Text, nullable=False, server_default="refused"),
)

meta = Table(
    "meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

# Near-duplicate articles (wire copies, rewrites) are not coded: each is kept here as a link to the stored
# article it copies. `article_id` is the copy's own content hash and is not a row of `articles`;
# `duplicate_of` has no foreign key because the original may still be in the same coding batch.
article_links = Table(
    "article_links",
    metadata,
    Column("article_id", Text, primary_key=True),
    Column("duplicate_of", Text, nullable=False),
    Column("similarity", Float, nullable=False),
    Column("date", Date),
    Column("title", Text),
    Column("url", Text),
    Column("source", Text),
    Column("origin", Text),
    Column("linked_at", DateTime, nullable=False),  # naive UTC
    Index("ix_article_links_duplicate_of", "duplicate_of"),
)

# MinHash signatures of stored articles, so the near-duplicate index is rebuilt without re-reading texts.
# `method` names the hashing settings; a signature made with other settings is ignored and recomputed.
article_fingerprints = Table(
    "article_fingerprints",
    metadata,
    Column("article_id", Text, primary_key=True),
    Column("method", Text, primary_key=True),
    Column("signature", LargeBinary, nullable=False),
)
