"""Article-level gold: whole articles with every event and tie a person marked (docs/annotation.md).

A gold file is JSON lines, one article per line, keyed by corpus and row (`guardian:17`); it holds sentence
offsets and short spans, never the text, which `dyad.evaluate.corpus` reads from the shared folder. This module
reads such files into frozen records and checks them against their texts; it runs no coder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dyad.evaluate.identity import canonical, is_group, is_identity
from dyad.model import Modality

__all__ = [
    "MAX_SPAN_WORDS",
    "PRECISIONS",
    "TIE_KINDS",
    "UNDIRECTED_TIES",
    "GoldArgument",
    "GoldArticle",
    "GoldEvent",
    "GoldTie",
    "check_article",
    "gold_files",
    "parse_article",
    "read_gold",
]

MAX_SPAN_WORDS = 8  # spans are names and short triggers, never sentences
PRECISIONS = ("day", "week", "month", "year", "approximate")
TIE_KINDS = ("ally", "hostile", "supports", "funds", "hosts_military", "hosts_leadership", "mediates", "member_of")
UNDIRECTED_TIES = frozenset({"ally", "hostile"})
MODALITIES = tuple(m.value for m in Modality)


@dataclass(frozen=True)
class GoldArgument:
    """An actor or recipient: its identity, its PLOVER sector, the words that name it (None when implicit)."""

    id: str
    sector: str | None = None
    span: str | None = None
    alt: tuple[str, ...] = ()  # other identities the text allows equally

    @property
    def ids(self) -> frozenset[str]:
        """Every identity this argument may be matched by."""
        return frozenset((self.id, *self.alt))


@dataclass(frozen=True)
class GoldEvent:
    """One event a sentence reports."""

    sentence: int
    type: str
    actor: GoldArgument
    recipient: GoldArgument | None
    trigger: str
    mode: str | None = None
    mutual: bool = False
    modality: str = "asserted"
    attribution: str | None = None
    date: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    date_precision: str | None = None
    location: str | None = None
    location_country: str | None = None


@dataclass(frozen=True)
class GoldTie:
    """A standing tie the article states."""

    kind: str
    a: str
    b: str
    sentence: int
    evidence: str | None = None

    @property
    def directed(self) -> bool:
        """Whether `a kind b` differs from `b kind a`."""
        return self.kind not in UNDIRECTED_TIES


@dataclass(frozen=True)
class GoldArticle:
    """Every sentence of an article, its events and its ties, as one annotator marked them."""

    key: str
    sentences: tuple[tuple[int, int], ...]
    events: tuple[GoldEvent, ...] = ()
    ties: tuple[GoldTie, ...] = ()
    annotator: str | None = None
    date: str | None = None
    note: str | None = None
    source: str = field(default="", compare=False)  # the file and line it was read from


def _argument(raw: Any) -> GoldArgument | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return GoldArgument(canonical(raw))
    return GoldArgument(
        canonical(str(raw["id"])), raw.get("sector"), raw.get("span"), tuple(canonical(a) for a in raw.get("alt") or ())
    )


def _event(raw: dict[str, Any]) -> GoldEvent:
    actor = _argument(raw["actor"])
    if actor is None:
        raise ValueError("an event needs an actor (UNK when the text does not say who)")
    return GoldEvent(
        sentence=int(raw["sentence"]),
        type=str(raw["type"]),
        actor=actor,
        recipient=_argument(raw.get("recipient")),
        trigger=str(raw.get("trigger") or ""),
        mode=raw.get("mode"),
        mutual=bool(raw.get("mutual", False)),
        modality=str(raw.get("modality") or "asserted"),
        attribution=raw.get("attribution"),
        date=raw.get("date"),
        date_precision=raw.get("date_precision"),
        location=raw.get("location"),
        location_country=raw.get("location_country"),
    )


def _tie(raw: dict[str, Any]) -> GoldTie:
    def ident(value: Any) -> str:
        return canonical(str(value["id"] if isinstance(value, dict) else value))

    return GoldTie(str(raw["kind"]), ident(raw["a"]), ident(raw["b"]), int(raw["sentence"]), raw.get("evidence"))


def parse_article(raw: dict[str, Any], source: str = "") -> GoldArticle:
    """A GoldArticle from one decoded JSON line; KeyError/ValueError/TypeError on a malformed record."""
    return GoldArticle(
        key=str(raw["article"]),
        sentences=tuple((int(s), int(e)) for s, e in raw.get("sentences") or ()),
        events=tuple(_event(e) for e in raw.get("events") or ()),
        ties=tuple(_tie(t) for t in raw.get("ties") or ()),
        annotator=raw.get("annotator"),
        date=raw.get("date"),
        note=raw.get("note"),
        source=source,
    )


def read_gold(paths: Iterable[str | Path]) -> Iterator[GoldArticle]:
    """The articles of gold files, in order. ValueError names the file and line of a malformed record."""
    for path in paths:
        with Path(path).open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    yield parse_article(json.loads(line), where)
                except (KeyError, ValueError, TypeError) as exc:
                    raise ValueError(f"{where}: not a gold article record ({type(exc).__name__}: {exc})") from exc


def gold_files(directory: str | Path) -> list[Path]:
    """The gold files of a split's folder (`eval/gold/dev`): its `*.jsonl`."""
    return sorted(Path(directory).glob("*.jsonl"))


def _span_problems(label: str, span: str | None, sentence: str) -> list[str]:
    if not span:
        return []
    problems = []
    if span not in sentence:
        problems.append(f"{label} {span!r} is not in its sentence")
    if len(span.split()) > MAX_SPAN_WORDS:
        problems.append(f"{label} {span!r} is longer than {MAX_SPAN_WORDS} words (spans are names and short phrases)")
    return problems


def _argument_problems(label: str, arg: GoldArgument | None, sentence: str, sectors: frozenset[str]) -> list[str]:
    if arg is None:
        return []
    problems = [f"{label} identity {i!r} is not a state code, an organisation code, ORG:<name> or UNK"
                for i in sorted(arg.ids) if not is_identity(i)]
    if arg.sector is not None and arg.sector not in sectors:
        problems.append(f"{label} sector {arg.sector!r} is not a PLOVER sector code")
    return problems + _span_problems(f"{label} span", arg.span, sentence)


def check_article(article: GoldArticle, text: str) -> list[str]:
    """What is wrong with an annotated article, given its text (empty when nothing is)."""
    from dyad.ontology import load_ontology

    onto = load_ontology()
    types = set(onto.types())
    sectors = frozenset(s.code for s in onto.sectors())
    problems: list[str] = []
    if not article.sentences:
        problems.append("no sentence offsets (run `eval/annotate.py add`)")
    last = 0
    for start, end in article.sentences:
        if not (last <= start < end <= len(text)):
            problems.append(f"sentence offsets [{start}, {end}) out of order or outside the text")
        last = end

    def sentence_text(index: int) -> str | None:
        if 0 <= index < len(article.sentences):
            start, end = article.sentences[index]
            return text[start:end]
        problems.append(f"sentence index {index} is not one of the article's {len(article.sentences)} sentences")
        return None

    for n, event in enumerate(article.events):
        where = f"event {n} (sentence {event.sentence})"
        sentence = sentence_text(event.sentence)
        if sentence is None:
            continue
        found: list[str] = []
        if event.type not in types:
            found.append(f"type {event.type!r} is not a PLOVER type")
        elif event.mode is not None and event.mode not in {m.name for m in onto.modes(event.type)}:
            found.append(f"mode {event.mode!r} is not a mode of {event.type}")
        if event.modality not in MODALITIES:
            found.append(f"modality {event.modality!r} is not one of {', '.join(MODALITIES)}")
        if event.date_precision is not None and event.date_precision not in PRECISIONS:
            found.append(f"date_precision {event.date_precision!r} is not one of {', '.join(PRECISIONS)}")
        if event.location_country is not None and not is_identity(event.location_country):
            found.append(f"location_country {event.location_country!r} is not a state code")
        if not event.trigger:
            found.append("no trigger")
        found += _span_problems("trigger", event.trigger, sentence)
        found += _span_problems("attribution", event.attribution, sentence)
        found += _span_problems("location", event.location, sentence)
        found += _argument_problems("actor", event.actor, sentence, sectors)
        found += _argument_problems("recipient", event.recipient, sentence, sectors)
        problems += [f"{where}: {p}" for p in found]
    if article.note:
        words = article.note.split()
        for i in range(len(words) - MAX_SPAN_WORDS):
            if " ".join(words[i:i + MAX_SPAN_WORDS + 1]) in text:
                problems.append(f"the note quotes more than {MAX_SPAN_WORDS} words of the text")
                break
    for n, tie in enumerate(article.ties):
        where = f"tie {n} (sentence {tie.sentence})"
        sentence = sentence_text(tie.sentence)
        if sentence is None:
            continue
        found = [] if tie.kind in TIE_KINDS else [f"kind {tie.kind!r} is not one of {', '.join(TIE_KINDS)}"]
        found += [f"identity {i!r} is not a state code, an organisation code, ORG:<name>, UNK or STATE/SECTOR"
                  for i in (tie.a, tie.b) if not (is_identity(i) or (is_group(i) and i[4:] in sectors))]
        found += _span_problems("evidence", tie.evidence, sentence)
        problems += [f"{where}: {p}" for p in found]
    return problems
