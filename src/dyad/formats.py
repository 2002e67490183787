"""Writing events, ties and summaries as a table, JSON lines or CSV, and rendering an article for reading."""

from __future__ import annotations

import csv
import json
from typing import IO, Iterable, Sequence

from dyad.model import Article, CodedArticle, Event, Tie

__all__ = ["FORMATS", "render_article", "write_events", "write_summary", "write_ties"]

FORMATS = ("table", "jsonl", "csv")

_EVENT_COLUMNS = ("article_id", "sentence_index", "date", "event_type", "mode", "actor", "recipient",
                  "modality", "attribution", "cameo", "score", "confidence", "location", "sentence")


def _who(ref: dict | None) -> str:
    if not ref:
        return ""
    label = ref.get("country") or ""
    if ref.get("sector"):
        label = f"{label} {ref['sector']}".strip()
    name = ref.get("name") or ref.get("text") or ""
    return f"{name} ({label})" if label and label != name else name


def _flat(row: dict) -> dict:
    out = dict(row)
    for side in ("actor", "recipient"):
        ref = row.get(side) or {}
        out[side] = _who(ref)
        for key in ("text", "name", "country", "sector", "affiliation"):
            out[f"{side}_{key}"] = ref.get(key)
    return out


def _table(out: IO[str], rows: list[dict], columns: Sequence[str], widths: dict[str, int]) -> None:
    def cell(value, width):
        text = "" if value is None else str(value)
        return (text[: width - 1] + "…") if len(text) > width else text.ljust(width)

    out.write("  ".join(cell(c, widths.get(c, 12)) for c in columns).rstrip() + "\n")
    for row in rows:
        out.write("  ".join(cell(row.get(c), widths.get(c, 12)) for c in columns).rstrip() + "\n")


def _write(out: IO[str], dicts: list[dict], fmt: str, table_columns: Sequence[str], widths: dict[str, int]) -> None:
    if fmt == "jsonl":
        for d in dicts:
            out.write(json.dumps(d, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        flat = [_flat(d) for d in dicts]
        columns = list(flat[0].keys()) if flat else list(table_columns)
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(flat)
    else:
        _table(out, [_flat(d) for d in dicts], table_columns, widths)


def write_events(out: IO[str], events: Iterable[Event], fmt: str = "table") -> None:
    """Events in the JSON lines contract, as CSV (actor fields flattened) or as a table for people."""
    widths = {"date": 10, "event_type": 9, "actor": 30, "recipient": 30, "modality": 12, "sentence": 60,
              "mode": 10, "attribution": 20}
    columns = ("date", "event_type", "mode", "actor", "recipient", "modality", "attribution", "sentence")
    _write(out, [e.to_dict() for e in events], fmt, columns, widths)


def write_ties(out: IO[str], ties: Iterable[Tie], fmt: str = "table") -> None:
    """Ties in their JSON lines contract, as CSV or a table."""
    rows = []
    for t in ties:
        d = t.to_dict()
        d["actor"], d["recipient"] = d["a"], d["b"]  # let _flat name both sides
        rows.append(d if fmt != "jsonl" else t.to_dict())
    widths = {"kind": 16, "actor": 30, "recipient": 30, "evidence": 70, "date": 10}
    _write(out, rows, fmt, ("date", "kind", "actor", "recipient", "evidence"), widths)


def write_summary(out: IO[str], summary, recent: list[Article]) -> None:
    """A short report of what a store holds."""
    out.write(f"{summary.articles} articles, {summary.events} events, {summary.ties} ties, "
              f"{summary.mentions} actor mentions, {summary.errors} refused inputs\n")
    if summary.events_by_type:
        out.write("events by PLOVER type:\n")
        for name, count in sorted(summary.events_by_type.items(), key=lambda kv: -kv[1]):
            out.write(f"  {name:<10} {count}\n")
    if summary.top_dyads:
        out.write("most frequent dyads (actor -> recipient):\n")
        for (a, b), count in summary.top_dyads:
            out.write(f"  {a} -> {b}: {count}\n")
    if recent:
        out.write("articles (dyad show ID):\n")
        for art in recent:
            out.write(f"  {art.id}  {art.date or '----------'}  {(art.title or art.text[:60]).strip()}\n")


def render_article(coded: CodedArticle) -> str:
    """The article's sentences with actor mentions in [brackets] and each sentence's events below it."""
    art = coded.article
    lines = [f"{art.id}  {art.date or 'undated'}  {art.title or ''}".rstrip(), ""]
    by_sentence: dict[int, list] = {}
    for m in coded.mentions:
        by_sentence.setdefault(m.sentence_index, []).append(m)
    for index, sentence in enumerate(coded.sentences):
        text = sentence
        offset = art.text.find(sentence)
        for m in sorted(by_sentence.get(index, []), key=lambda m: m.start, reverse=True):
            if offset < 0:
                break
            s, e = m.start - offset, m.end - offset
            if 0 <= s < e <= len(text):
                tag = m.actor.country or m.actor.sector or "?"
                if m.antecedent:
                    tag += f" = {m.antecedent}"
                text = f"{text[:s]}[{text[s:e]}|{tag}]{text[e:]}"
        lines.append(f"({index}) {text}")
        for ev in coded.events:
            if ev.sentence_index == index:
                rec = f" -> {_who(ev.recipient.to_dict())}" if ev.recipient else ""
                extra = f", according to {ev.attribution}" if ev.attribution else ""
                lines.append(f"      {ev.event_type}{'/' + ev.mode if ev.mode else ''}: "
                             f"{_who(ev.actor.to_dict())}{rec} [{ev.modality.value}{extra}] {ev.date or ''}")
        for tie in coded.ties:
            if tie.sentence_index == index:
                lines.append(f"      tie {tie.kind}: {_who(tie.a.to_dict())} -> {_who(tie.b.to_dict())}")
    return "\n".join(lines)
