"""Readers for the development gold formats: PLV pairs, PETRARCH validation records, CASE 2021 snippets.

Each reader takes a path and returns typed, frozen records; nothing here runs the coder.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CaseSnippet",
    "GoldPair",
    "GoldTriple",
    "PetrRecord",
    "Span",
    "marked_spans",
    "read_case",
    "read_petr",
    "read_plv",
    "unique_sentences",
]

@dataclass(frozen=True)
class Span:
    """A gold argument: its text and every character range in the sentence where it is marked."""

    text: str
    ranges: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldPair:
    """One PLV row: a sentence, the marked actor and recipient spans, and the gold PLOVER root type.

    `actor_span` / `recipient_span` are None where the row has no marked span (the file then holds a
    placeholder such as 'An actor' or 'a recipient'). `event_type` is the file's label: PLV merges
    CONCEDE and RETREAT as YIELD.
    """

    id: str  # sentence_id plus the row's position among the sentence's rows ("4", "4.2")
    sentence_id: str
    sentence: str
    actor_span: Span | None
    recipient_span: Span | None
    event_type: str
    penta: int | None = None  # quad class 1..4 as the file gives it
    modality: str | None = None


@dataclass(frozen=True)
class GoldTriple:
    """One PETRARCH <EventCoding>: CAMEO source, target and event codes as written in the record."""

    source_code: str
    target_code: str
    cameo: str


@dataclass(frozen=True)
class PetrRecord:
    """One PETRARCH <Sentence> record: its text and gold triples.

    `triples` is empty for records marked noevents="True" or with an error (discarded) coding.
    """

    id: str
    text: str
    triples: tuple[GoldTriple, ...]
    date: str | None = None  # YYYYMMDD as in the file
    category: str | None = None
    noevents: bool = False
    error: str | None = None  # e.g. 'sentencediscard', 'dateline'


@dataclass(frozen=True)
class CaseSnippet:
    """One CASE 2021 task 2 snippet and its fine-grained (ACLED-style) type."""

    id: str
    text: str
    subtype: str


# PLV


_MARK = re.compile(r"</?([st])>")


def marked_spans(marked: str) -> tuple[str, dict[str, Span]]:
    """Strip <s>..</s> and <t>..</t> marks; return the plain text and the spans by tag ('s', 't')."""
    plain: list[str] = []
    length = 0
    opened: dict[str, int] = {}
    ranges: dict[str, list[tuple[int, int]]] = {}
    pos = 0
    for m in _MARK.finditer(marked):
        piece = marked[pos : m.start()]
        plain.append(piece)
        length += len(piece)
        pos = m.end()
        tag = m.group(1)
        if m.group(0).startswith("</"):
            start = opened.pop(tag, None)
            if start is not None:
                ranges.setdefault(tag, []).append(_trimmed(plain, start, length))
        else:
            opened[tag] = length
    plain.append(marked[pos:])
    text = "".join(plain)
    spans = {tag: Span(text[r[0][0] : r[0][1]], tuple(r)) for tag, r in ranges.items()}
    return text, spans


def _trimmed(pieces: list[str], start: int, end: int) -> tuple[int, int]:
    # Marks sometimes enclose a trailing space ("<s>The LNA </s>agreed"): keep the range on the words.
    text = "".join(pieces)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _span_in(sentence: str, text: str) -> Span | None:
    """A span found by searching the sentence for its text (fallback when marks disagree with it)."""
    ranges = tuple((m.start(), m.end()) for m in re.finditer(re.escape(text), sentence)) if text else ()
    return Span(text, ranges) if ranges else None


def read_plv(path: str | Path) -> list[GoldPair]:
    """Read PLV_train.tsv-style pairs; spans come from the marked sentence, offsets are in `sentence`."""
    pairs: list[GoldPair] = []
    seen: dict[str, int] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = {"sentence_id", "sentence", "marked_sentence", "source", "target", "gold_root"} - set(
            reader.fieldnames or ()
        )
        if missing:
            raise ValueError(f"{path}: not a PLV file, missing columns {', '.join(sorted(missing))}")
        for row in reader:
            sentence = row["sentence"].strip()
            plain, spans = marked_spans(row["marked_sentence"].strip())
            actor, recipient = spans.get("s"), spans.get("t")
            if plain != sentence:  # offsets from the marks would be wrong: search the texts instead
                actor = actor and _span_in(sentence, actor.text)
                recipient = recipient and _span_in(sentence, recipient.text)
            sid = row["sentence_id"].strip()
            seen[sid] = seen.get(sid, 0) + 1
            penta = row.get("gold_penta", "").strip()
            pairs.append(
                GoldPair(
                    id=sid if seen[sid] == 1 else f"{sid}.{seen[sid]}",
                    sentence_id=sid,
                    sentence=sentence,
                    actor_span=actor,
                    recipient_span=recipient,
                    event_type=row["gold_root"].strip().upper(),
                    penta=int(penta) if penta.isdigit() else None,
                    modality=(row.get("modality_L2") or "").strip() or None,
                )
            )
    return pairs


# PETRARCH records

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<(Sentence|EventCoding|Text|/Text)\b([^>]*)>")
_ATTR = re.compile(r'([A-Za-z_]+)\s*=\s*"([^"]*)"')


def _attrs(raw: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(raw)}


_PTB_LEAF = re.compile(r"\(([^()\s]+) ([^()\s]+)\)")


def _parse_text(text: str, after: int) -> str:
    """The sentence rebuilt from the <Parse> that follows an empty <Text> (some records have only that).

    CoNLL-U parses give word forms (SpaceAfter=No honoured); bracketed treebank parses give leaves.
    """
    start = text.find("<Parse>", after)
    end = text.find("</Parse>", start)
    if start < 0 or end < 0 or text.find("<Sentence", after, start) >= 0:
        return ""
    parse = html.unescape(text[start + len("<Parse>") : end])
    words: list[str] = []
    for line in parse.splitlines():
        cols = line.split("\t")
        if len(cols) >= 10 and cols[0].isdigit():
            words.append(cols[1] + ("" if "SpaceAfter=No" in cols[9] else " "))
    if words:
        return "".join(words).strip()
    return " ".join(leaf for _, leaf in _PTB_LEAF.findall(parse))


def read_petr(path: str | Path) -> list[PetrRecord]:
    """Read PETRARCH validation or unit-test records (<Sentence>, <EventCoding>..., <Text>).

    The files are not well-formed XML (free '#' header text, self-closing <Sentence/> tags followed
    by their codings), so they are scanned tag by tag; comments are dropped first.
    """
    text = _COMMENT.sub("", Path(path).read_text(encoding="utf-8"))
    records: list[PetrRecord] = []
    current: dict[str, str] | None = None
    triples: list[GoldTriple] = []
    flags: dict[str, str] = {}
    for m in _TAG.finditer(text):
        name, attrs = m.group(1), _attrs(m.group(2))
        if name == "Sentence":
            current, triples, flags = attrs, [], {}
        elif current is None:
            continue  # e.g. '<EventCoding...>' mentioned in the file's header
        elif name == "EventCoding":
            if "eventcode" in attrs:
                triples.append(GoldTriple(attrs.get("sourcecode", ""), attrs.get("targetcode", ""), attrs["eventcode"]))
            else:
                flags.update(attrs)
        elif name == "Text":
            end = text.find("</Text>", m.end())
            if end < 0:
                raise ValueError(f"{path}: record {current.get('id')!r} has no </Text>")
            body = " ".join(html.unescape(text[m.end() : end]).split()) or _parse_text(text, end)
            records.append(
                PetrRecord(
                    id=current.get("id", str(len(records) + 1)),
                    text=body,
                    triples=tuple(triples),
                    date=current.get("date"),
                    category=current.get("category"),
                    noevents=flags.get("noevents", "").lower() == "true",
                    error=flags.get("error"),
                )
            )
            current = None
    if not records:
        raise ValueError(f"{path}: no <Sentence> records with <Text> found")
    return records


# CASE 2021 task 2


def read_case(path: str | Path) -> list[CaseSnippet]:
    """Read CASE 2021 task 2 snippets (columns id, EventSnippet, SubType)."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        if not {"id", "EventSnippet", "SubType"} <= set(reader.fieldnames or ()):
            raise ValueError(f"{path}: not a CASE 2021 task 2 file (needs id, EventSnippet, SubType)")
        return [
            CaseSnippet(row["id"].strip(), " ".join(row["EventSnippet"].split()), row["SubType"].strip().upper())
            for row in reader
        ]


def unique_sentences(pairs: list[GoldPair]) -> Iterator[str]:
    """Each distinct sentence of the pairs once, in file order."""
    seen: set[str] = set()
    for pair in pairs:
        if pair.sentence not in seen:
            seen.add(pair.sentence)
            yield pair.sentence
