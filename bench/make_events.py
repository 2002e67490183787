"""Make a SQLite store of synthetic events for bench/load.py: one million by default, in well under a minute.

Articles, events and ties are made up from a fixed seed (actors drawn with Zipf-like weights, PLOVER types and
modes with their scores and CAMEO codes from dyad's ontology, dates over ten years) and written straight into
dyad's schema with SQLAlchemy Core bulk inserts; the event indexes are built once, after the rows.

    .venv/bin/python bench/make_events.py                         # bench-output/load.db, 1,000,000 events
    .venv/bin/python bench/make_events.py --events 100000 --db /tmp/small.db
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from dyad.ontology import Ontology
from dyad.store import Store
from dyad.store.schema import articles, events, ties

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = ROOT / "bench-output" / "load.db"

# (code, name) of the states and groups events are drawn between; earlier ones are drawn more often.
ACTORS = [("USA", "United States"), ("RUS", "Russia"), ("CHN", "China"), ("UKR", "Ukraine"), ("ISR", "Israel"),
          ("IRN", "Iran"), ("TUR", "Turkey"), ("GBR", "United Kingdom"), ("FRA", "France"), ("DEU", "Germany"),
          ("QAT", "Qatar"), ("EGY", "Egypt"), ("SAU", "Saudi Arabia"), ("IND", "India"), ("PAK", "Pakistan"),
          ("JPN", "Japan"), ("KOR", "South Korea"), ("PRK", "North Korea"), ("SYR", "Syria"), ("IRQ", "Iraq"),
          ("AFG", "Afghanistan"), ("BRA", "Brazil"), ("MEX", "Mexico"), ("CAN", "Canada"), ("POL", "Poland"),
          ("ITA", "Italy"), ("ESP", "Spain"), ("NGA", "Nigeria"), ("ETH", "Ethiopia"), ("SDN", "Sudan"),
          ("KEN", "Kenya"), ("ZAF", "South Africa"), ("VEN", "Venezuela"), ("COL", "Colombia"), ("ARG", "Argentina"),
          ("AUS", "Australia"), ("IDN", "Indonesia"), ("PHL", "Philippines"), ("VNM", "Vietnam"), ("TWN", "Taiwan"),
          ("LBN", "Lebanon"), ("JOR", "Jordan"), ("YEM", "Yemen"), ("LBY", "Libya"), ("MLI", "Mali"),
          ("PSE", "Hamas"), ("LBN", "Hezbollah"), (None, "NATO"), (None, "United Nations"), (None, "European Union")]
SECTORS = ["GOV", "GOV", "GOV", "MIL", "MIL", "JRN", "REB", "CVL", "BUS", "LEG"]
MODALITIES = ["asserted"] * 17 + ["intended", "negated", "potential"]
SOURCES = [f"Outlet {n}" for n in range(40)]
FIRST_DAY = date(2015, 1, 1)
DAYS = 3650


def _actor(rng: random.Random, weights: list[float]) -> dict:
    code, name = rng.choices(ACTORS, weights)[0]
    sector = "IGO" if code is None else rng.choice(SECTORS)
    return {"text": name, "name": name, "country": code, "sector": sector,
            "affiliation": name if code is None or name in ("Hamas", "Hezbollah") else None}


def _side(prefix: str, actor: dict | None) -> dict:
    fields = ("text", "name", "country", "sector", "affiliation")
    return {f"{prefix}_{f}": (actor or {}).get(f) for f in fields}


def make(db: Path, n_events: int, seed: int = 7, per_article: int = 10) -> None:
    """Write `n_events` events (and one article per `per_article` of them, and some ties) into a new store."""
    if db.exists():
        sys.exit(f"{db} exists; remove it first")
    db.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    ont = Ontology.load()
    kinds = []
    for t in ont.types():
        modes = [m.name for m in ont.modes(t)] or [None]
        kinds += [(t, m, ont.score(t, m), ont.cameo(t, m)) for m in modes]
    weights = [1 / (rank + 1) for rank in range(len(ACTORS))]
    store = Store.open(db)
    engine = store.engine
    started = time.monotonic()
    coded_at = datetime(2025, 1, 1)
    with engine.begin() as conn:
        conn.execute(text("PRAGMA synchronous=OFF"))  # a throw-away bench file: speed over durability
        indexes = list(events.indexes)
        for ix in indexes:
            ix.drop(conn)
        n_articles = max(1, n_events // per_article)
        ids = []
        for start in range(0, n_articles, 20_000):
            rows = []
            for n in range(start, min(n_articles, start + 20_000)):
                aid = hashlib.sha256(f"{seed}-{n}".encode()).hexdigest()[:16]
                day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
                ids.append((aid, day))
                rows.append({"id": aid, "date": day, "title": f"Synthetic article {n}", "url": None,
                             "source": rng.choice(SOURCES), "origin": "bench/make_events.py",
                             "text": f"Synthetic article {n}.", "sentences": json.dumps([f"Synthetic article {n}."]),
                             "coded_at": coded_at})
            conn.execute(insert(articles), rows)
        for start in range(0, n_events, 50_000):
            rows = []
            for n in range(start, min(n_events, start + 50_000)):
                aid, day = ids[n // per_article]
                actor = _actor(rng, weights)
                recipient = _actor(rng, weights) if rng.random() < 0.9 else None
                kind, mode, score, cameo = rng.choice(kinds)
                rows.append({
                    "article_id": aid, "sentence_index": n % per_article,
                    "sentence": f"{actor['text']} and {recipient['text'] if recipient else 'others'} ({kind}).",
                    "event_type": kind, "mode": mode, **_side("actor", actor), **_side("recipient", recipient),
                    "modality": rng.choice(MODALITIES), "attribution": None, "date": day,
                    "date_precision": "day" if rng.random() < 0.6 else "approximate", "location": None,
                    "location_country": None, "cameo": cameo, "score": score, "confidence": 0.7,
                    "trigger": kind.lower(), "why": "synthetic",
                })
            conn.execute(insert(events), rows)
            print(f"  {start + len(rows):>9,} events ({time.monotonic() - started:.0f} s)", file=sys.stderr)
        tie_rows = []
        for n in range(n_events // 100):
            aid, day = ids[rng.randrange(len(ids))]
            a, b = _actor(rng, weights), _actor(rng, weights)
            tie_rows.append({"kind": rng.choice(["ally", "funds", "supports", "mediates", "hosts_military"]),
                             **_side("a", a), **_side("b", b), "directed": True, "evidence": "synthetic",
                             "article_id": aid, "sentence_index": 0, "date": day})
        if tie_rows:
            conn.execute(insert(ties), tie_rows)
        for ix in indexes:
            ix.create(conn)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))  # statistics for SQLite's query planner
    store.close()
    print(f"{n_events:,} events in {n_articles:,} articles and {len(tie_rows):,} ties -> {db} "
          f"({time.monotonic() - started:.0f} s)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"SQLite file to create (default {DEFAULT_DB}).")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    make(args.db, args.events, args.seed)


if __name__ == "__main__":
    main()
