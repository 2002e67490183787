"""PETRARCH/TABARI actor and agent dictionaries, converted to rows of dyad's user actor layer.

Actor dictionaries: a primary phrase, `+` synonym lines, and `[CODE]` or `[CODE restriction]` codes on the
phrase line or on indented lines below; a restriction is `<date`, `>date` or `date-date` (YYMMDD or
YYYYMMDD, inclusive). Consecutive phrases with no code of their own share the codes that follow them.
Agent dictionaries: `PHRASE {plurals} [~CODE]` lines and `!MARKER! = a, b` substitution sets.
The PETRARCH format documentation describes both; the conversion rules are in the docstrings below.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

from dyad.actors.cameo import CameoActor, CameoCodes
from dyad.actors.kb import KnowledgeBase
from dyad.actors.userlayer import MergeResult, UserRow, merge_rows

__all__ = [
    "ActorRecord",
    "AgentRecord",
    "CodeSpan",
    "ImportReport",
    "PetrarchImporter",
    "import_dictionaries",
    "Skipped",
    "parse_cameo_date",
    "read_actor_dictionary",
    "read_agent_dictionary",
]

_BRACKET = re.compile(r"\[([^\]\[}]*)[\]}]")
_DATE = re.compile(r"\d{6}|\d{8}")
_CODE = re.compile(r"[A-Z0-9~-]+")
# Two-digit years: the dictionaries use 31-99 for the 1900s and 00-19 for the 2000s (none in 20-30).
_PIVOT = 30


@dataclass(frozen=True)
class Skipped:
    """A line (or entry) of a dictionary that was not converted, and why."""

    file: str
    line: int
    reason: str


@dataclass(frozen=True)
class CodeSpan:
    """One `[CODE restriction]`: the code and the days it applies to (None: open)."""

    code: str
    start: date | None
    end: date | None
    line: int

    @property
    def dated(self) -> bool:
        """Whether the code is restricted to a period."""
        return self.start is not None or self.end is not None


@dataclass(frozen=True)
class ActorRecord:
    """One actor entry: its phrases (primary first, as written, underscores as spaces) and codes."""

    phrases: tuple[str, ...]
    codes: tuple[CodeSpan, ...]
    file: str
    line: int
    comment: str = ""


@dataclass(frozen=True)
class AgentRecord:
    """One agent noun: its forms (singular first, then plurals; lower-case) and its code (~GOV, NGO~)."""

    forms: tuple[str, ...]
    code: str
    file: str
    line: int


def parse_cameo_date(text: str) -> date:
    """YYYYMMDD or YYMMDD (00-30: 2000s, else 1900s) as a date; ValueError if it is neither."""
    if not _DATE.fullmatch(text):
        raise ValueError(f"bad date {text!r}")
    if len(text) == 6:
        yy = int(text[:2])
        text = f"{2000 + yy if yy <= _PIVOT else 1900 + yy}{text[2:]}"
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def _restriction(text: str) -> tuple[date | None, date | None]:
    text = text.replace(" ", "")
    if not text:
        return None, None
    if text[0] == "<":
        return None, parse_cameo_date(text[1:])
    if text[0] == ">":
        return parse_cameo_date(text[1:]), None
    first, sep, last = text.partition("-")
    if not sep:
        raise ValueError(f"bad restriction {text!r}")
    return parse_cameo_date(first), parse_cameo_date(last)


def _phrase(text: str) -> str:
    return " ".join(text.replace("_", " ").split())


def _split_comment(line: str) -> tuple[str, str]:
    body, _, comment = line.partition("#")
    return body, comment.strip()


def _uncommented(lines: Iterable[str]) -> Iterable[tuple[int, str]]:
    """Numbered lines outside <!-- ... --> blocks (the format's other comment style)."""
    inside = False
    for number, line in enumerate(lines, start=1):
        if inside or line.lstrip().startswith("<!--"):
            inside = "-->" not in line
            continue
        yield number, line


def read_actor_dictionary(path: str | Path) -> tuple[list[ActorRecord], list[Skipped]]:
    """The entries of a PETRARCH actor dictionary, and the lines or codes that could not be read."""
    path = Path(path)
    name = path.name
    records: list[ActorRecord] = []
    skipped: list[Skipped] = []
    phrases: list[str] = []
    codes: list[CodeSpan] = []
    first_line, comment = 0, ""

    def codes_in(text: str, number: int) -> None:
        for raw in _BRACKET.findall(text):
            token, _, rest = raw.strip().partition(" ")
            token = token.upper()
            if not _CODE.fullmatch(token):
                skipped.append(Skipped(name, number, f"unreadable code [{raw.strip()}]"))
                continue
            try:
                start, end = _restriction(rest)
            except ValueError as exc:
                skipped.append(Skipped(name, number, f"bad date restriction [{raw.strip()}]: {exc}"))
                continue
            codes.append(CodeSpan(token, start, end, number))

    def flush() -> None:
        if phrases and codes:
            records.append(ActorRecord(tuple(phrases), tuple(codes), name, first_line, comment))

    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, raw in _uncommented(handle):
            body, note = _split_comment(raw.rstrip("\n"))
            if not body.strip() or body.lstrip().startswith("<"):
                continue
            if body[0] in " \t":  # a date restriction line
                if not phrases:
                    skipped.append(Skipped(name, number, "code line with no phrase before it"))
                    continue
                if not _BRACKET.search(body):
                    skipped.append(Skipped(name, number, "indented line without a [code]"))
                    continue
                codes_in(body, number)
                continue
            text = body.split("[", 1)[0]
            if body.startswith("+"):
                text = text[1:]
                if not phrases:
                    skipped.append(Skipped(name, number, "synonym with no phrase before it"))
                    continue
            elif codes:  # a new primary phrase closes the previous entry once it has codes
                flush()
                phrases, codes, first_line, comment = [], [], number, note
            elif not phrases:
                first_line, comment = number, note
            phrase = _phrase(text)
            if phrase:
                phrases.append(phrase)
            codes_in(body, number)
    flush()
    if phrases and not codes:
        skipped.append(Skipped(name, first_line, "entry without a code"))
    return records, skipped


def _regular_plurals(phrase: str) -> list[str]:
    # The format's rule (add S; Y -> IES; SS -> ES), with English's vowel+Y -> YS; no plural for phrases
    # ending in "_" or already ending in a single S.
    if phrase.endswith("_"):
        return []
    word = phrase.rstrip()
    upper = word.upper()
    if upper.endswith(("SS", "SH", "CH", "X")):
        return [word + "ES"]
    if upper.endswith("S"):
        return []
    if upper.endswith("Y") and len(upper) > 1 and upper[-2] not in "AEIOU":
        return [word[:-1] + "IES"]
    return [word + "S"]


_AGENT = re.compile(r"^(?P<phrase>[^\[{]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]}]*)[\]}]")
_MARKER = re.compile(r"!([A-Z]+)!")
_SUBST = re.compile(r"^!([A-Z]+)!\s*=\s*(.+)$")


def read_agent_dictionary(path: str | Path) -> tuple[list[AgentRecord], list[Skipped]]:
    """The nouns of a PETRARCH agent dictionary with their plural forms, and the lines that could not be read."""
    path = Path(path)
    name = path.name
    subst: dict[str, list[str]] = {}
    records: list[AgentRecord] = []
    skipped: list[Skipped] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, raw in _uncommented(handle):
            body, _ = _split_comment(raw.rstrip("\n"))
            body = body.strip()
            if not body or body.startswith("<"):
                continue
            m = _SUBST.match(body)
            if m:
                subst[m.group(1)] = [v.strip() for v in m.group(2).split(",") if v.strip()]
                continue
            m = _AGENT.match(body)
            if not m:
                skipped.append(Skipped(name, number, "agent line without a code"))
                continue
            phrase, code = m.group("phrase").strip(), m.group("code").strip()
            markers = _MARKER.findall(phrase)
            if any(k not in subst for k in markers):
                skipped.append(Skipped(name, number, f"undefined substitution set in {phrase!r}"))
                continue
            if markers:  # every item of the set, with no further plurals (format rule)
                singulars = [phrase]
                for marker in markers:
                    singulars = [s.replace(f"!{marker}!", item, 1) for s in singulars for item in subst[marker]]
                forms = singulars
            else:
                plural = m.group("plural")
                extra = plural.split() if plural is not None else _regular_plurals(phrase)
                forms = [phrase, *extra]
            forms = list(dict.fromkeys(_phrase(f).lower() for f in forms if _phrase(f)))
            records.append(AgentRecord(tuple(forms), code, name, number))
    return records, skipped


def is_agent_dictionary(path: str | Path) -> bool:
    """Whether a dictionary file holds agents (codes like [~GOV]) rather than actors."""
    codes = []
    with Path(path).open(encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            body, _ = _split_comment(raw)
            codes.extend(_BRACKET.findall(body))
            if len(codes) >= 200:
                break
    return bool(codes) and sum("~" in c for c in codes) * 2 > len(codes)


# -- conversion to the user layer ---------------------------------------------------------------

_SECTOR_KIND = {"IGO": "igo", "NGO": "ngo", "REB": "armed_group", "GOV": "government", "MIL": "state_force",
                "PTY": "party", "JRN": "media", "BUS": "company"}
_SMALL = frozenset({"of", "the", "and", "for", "in", "on", "to", "de", "del", "la", "le", "du", "des", "van",
                    "von", "der", "den", "da", "di", "dos", "das", "y", "et"})
_VOWELS = set("AEIOUY")
# written abbreviations that are not acronyms (MR. OBAMA -> Mr. Obama)
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "jr", "sr", "mt", "ft", "gen", "lt", "col", "sgt", "capt"})


@dataclass
class ImportReport:
    """What converting dictionaries produced: user-layer rows and counts."""

    rows: list[UserRow] = field(default_factory=list)
    actors: int = 0  # actor entries converted
    aliases: int = 0  # distinct aliases in the actor rows
    agents: int = 0  # agent nouns converted (role rows)
    known: int = 0  # phrases left out because the built-in knowledge base already has them
    skipped: list[Skipped] = field(default_factory=list)
    unknown_parts: Counter = field(default_factory=Counter)  # CAMEO code parts no data file explains
    merged: MergeResult | None = None  # set by import_dictionaries

    def reasons(self) -> Counter:
        """Skipped lines counted by reason (the reason's text before any ':' or '[')."""
        return Counter(re.split(r"[:\[(]", s.reason, maxsplit=1)[0].strip() for s in self.skipped)


class PetrarchImporter:
    """Converts PETRARCH actor and agent dictionaries into rows of dyad's user actor layer.

    Phrases the built-in knowledge base already has are left out (the curated, dated built-in entry keeps
    winning) unless `override` is set; the user layer then replaces the built-in entries for them.
    """

    def __init__(self, codes: CameoCodes, builtin: KnowledgeBase, override: bool = False) -> None:
        self.codes = codes
        self.builtin = builtin
        self.override = override
        self._spelling = _token_spellings(builtin.aliases())

    @classmethod
    def load(cls, override: bool = False) -> "PetrarchImporter":
        """An importer with dyad's CAMEO tables and built-in knowledge base."""
        return cls(CameoCodes.load(), KnowledgeBase.load(), override)

    def convert(self, paths: Iterable[str | Path]) -> ImportReport:
        """Read each dictionary (actor or agent file, told apart by its codes) into one report."""
        report = ImportReport()
        aliases: set[str] = set()
        for path in paths:
            if is_agent_dictionary(path):
                agents, skipped = read_agent_dictionary(path)
                report.skipped.extend(skipped)
                for agent in agents:
                    self._agent(agent, report)
            else:
                records, skipped = read_actor_dictionary(path)
                report.skipped.extend(skipped)
                for record in records:
                    for row in self._actor(record, report):
                        report.rows.append(row)
                        aliases.update(a.lower() for a in row.aliases.split("|"))
        report.aliases = len(aliases)
        return report

    def _known(self, alias: str) -> bool:
        # Only aliases count: a surname the built-in data resolves only while it is unique (Obama) stops
        # resolving once the layer adds namesakes, so the dictionary's own entry for it is kept.
        return not self.override and bool(self.builtin.lookup(alias))

    def _actor(self, record: ActorRecord, report: ImportReport) -> list[UserRow]:
        spans = []
        for span in record.codes:
            if span.code.strip("-") == "":
                continue  # [---]: "no actor" in that period; dyad has no null entry
            parsed = self.codes.parse(span.code)
            report.unknown_parts.update(parsed.unknown)
            if parsed.empty:
                report.skipped.append(Skipped(record.file, span.line,
                                              f"code means nothing to dyad [{span.code}]"))
                continue
            spans.append((span, parsed))
        if not spans:
            if all(s.code.strip("-") == "" for s in record.codes):
                report.skipped.append(Skipped(record.file, record.line, "only the null code ---"))
            return []
        kind = _kind([p for _, p in spans], any(s.dated for s, _ in spans))
        surnames = {p.rsplit(" ", 1)[1].lower() for p in record.phrases if " " in p}
        unique: dict[str, str] = {}
        for phrase in record.phrases:
            name = self._cased(phrase, kind, surnames)
            unique.setdefault(name.lower(), name)
        fresh = [a for a in unique.values() if not self._known(a)]
        report.known += len(unique) - len(fresh)
        if not fresh:
            return []
        report.actors += 1
        # dated codes first: among codes that all hold, the knowledge base keeps file order
        ordered = sorted(spans, key=lambda sp: not sp[0].dated)
        return [
            UserRow(
                name=next(iter(unique.values())),
                aliases="|".join(fresh),
                country=parsed.country or "",
                sector=parsed.sector or "",
                affiliation=parsed.affiliation or "",
                code=span.code,
                kind=kind,
                start=span.start.isoformat() if span.start else "",
                end=span.end.isoformat() if span.end else "",
                source=f"petrarch {record.file}:{span.line}",
            )
            for span, parsed in ordered
        ]

    def _agent(self, agent: AgentRecord, report: ImportReport) -> None:
        code = agent.code.replace("~", "")
        parsed = self.codes.parse("---" + code)  # agent codes have no country part
        if parsed.sector is None:
            report.skipped.append(Skipped(agent.file, agent.line, f"agent code has no PLOVER sector [{agent.code}]"))
            return
        fresh = [f for f in agent.forms if self.override or self.builtin.role(f) is None]
        report.known += len(agent.forms) - len(fresh)
        if not fresh:
            return
        report.agents += 1
        report.rows.append(UserRow(name=fresh[0], aliases="|".join(fresh), sector=parsed.sector,
                                   code=agent.code, kind="role", source=f"petrarch {agent.file}:{agent.line}"))

    def _cased(self, phrase: str, kind: str, surnames: set[str]) -> str:
        """The phrase as news text writes it: names in Title Case, acronyms in capitals.

        The built-in data's spelling of the phrase or word wins; otherwise a word with no vowel (PKK) or
        a dotted short form (U.S.) is an acronym, and so is a one-word name of up to four letters unless
        it is a place (kind country) or the surname of the entry's other phrases (Bush, Sisi).
        """
        known = self._spelling.get(phrase.lower())
        if known:
            return known
        words = phrase.split(" ")
        out = []
        for i, word in enumerate(words):
            low = word.lower()
            letters = "".join(ch for ch in word if ch.isalpha()).upper()
            if i > 0 and low in _SMALL:
                out.append(low)
            elif low in self._spelling:
                out.append(self._spelling[low])
            elif low.rstrip(".") in _ABBREVIATIONS:
                out.append(_title(word))
            elif len(letters) > 1 and ("." in word and len(letters) <= 4 or not set(letters) & _VOWELS):
                out.append(word.upper())
            elif len(words) == 1 and len(letters) <= 4 and kind != "country" and low not in surnames:
                out.append(word.upper())
            else:
                out.append(_title(word))
        return " ".join(out)


def _kind(parsed: list[CameoActor], dated: bool) -> str:
    """person when codes change over time or say ELI; otherwise from the sector (country when none)."""
    sectors = [p.sector for p in parsed if p.sector]
    if sectors and (dated or "ELI" in sectors):
        return "person"
    if not sectors:
        return "country"
    return _SECTOR_KIND.get(sectors[0], "org")


def _title(word: str) -> str:
    def cap(part: str) -> str:
        # O'NEILL -> O'Neill, D'ALEMA -> D'Alema, but PEOPLE'S -> People's
        head, apo, tail = part.partition("'")
        if apo and len(head) == 1 and tail:
            return head.upper() + "'" + tail[:1].upper() + tail[1:].lower()
        lead = len(part) - len(part.lstrip("'\"(."))
        return part[:lead] + part[lead:lead + 1].upper() + part[lead + 1:].lower()

    return "-".join(cap(p) for p in word.split("-"))


def _token_spellings(aliases: Iterable[str]) -> dict[str, str]:
    """How the built-in data spells words and names (lower-case key -> most frequent written form)."""
    counts: dict[str, Counter] = {}
    for alias in aliases:
        counts.setdefault(alias.lower(), Counter())[alias] += 1
        for word in alias.split(" "):
            if any(ch.isupper() for ch in word):  # lower-case words carry no spelling information
                counts.setdefault(word.lower(), Counter())[word] += 1
    return {k: c.most_common(1)[0][0] for k, c in counts.items()}


def import_dictionaries(paths: Iterable[str | Path], into: str | Path, override: bool = False) -> ImportReport:
    """Convert PETRARCH dictionaries and merge the rows into the user layer file `into` (no duplicates)."""
    report = PetrarchImporter.load(override).convert(paths)
    report.merged = merge_rows(into, report.rows)
    return report
