"""The event lexicon and the small word lists the extractor reads: all data files, no Python knowledge."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from dyad.actors.kb import read_tsv

__all__ = ["Lexicon", "Trigger", "load_lexicon"]


@dataclass(frozen=True)
class Trigger:
    """One lexicon row: a lemma (and optional object lemmas) that codes a PLOVER type."""

    event_type: str  # "-" blocks the lemma: a phrase that looks like an event but is not one
    mode: str | None
    pos: str  # VERB or NOUN
    lemma: str
    objects: frozenset[str]
    recipient: tuple[str, ...]
    reciprocal: bool
    modifier_actor: bool
    origin: str = "lexicon"  # where the row comes from, for `why`: the lexicon, or a rule ("obligation")

    @property
    def blocks(self) -> bool:
        """True for rows that say a phrase is not an event."""
        return self.event_type == "-"


@dataclass(frozen=True)
class Lexicon:
    """Triggers by (pos, lemma), plus the word lists that steer argument finding and modality."""

    triggers: dict[tuple[str, str], tuple[Trigger, ...]]
    modality: dict[tuple[str, str], str]  # (where, word) -> modality
    speech_verbs: frozenset[str]
    filter_openers: tuple[str, ...]
    evaluative_verbs: frozenset[str]
    support_verbs: dict[str, str]
    anaphors: frozenset[str]
    control_verbs: frozenset[str]
    modal_types: tuple[tuple[str, str, str, str, str, str | None], ...]  # modality, via, quad, type, to_type, to_mode
    partitives: frozenset[str] = frozenset()  # "members of", "hundreds of": the group after "of" takes part
    instruments: frozenset[str] = frozenset()  # "missiles", "a car bomb": who fires or plants them acts
    state_acts: frozenset[str] = frozenset()  # types whose agentless passive is done by the state of the place
    obligations: dict[str, str] = field(default_factory=dict)  # "must" -> REQUEST: "X says Y must ..."

    def candidates(self, pos: str, lemma: str) -> tuple[Trigger, ...]:
        """Rows for a lemma, rows that need an object first."""
        return self.triggers.get((pos, lemma.lower()), ())

    def intent_type(self, modality: str, via: str, quad: str, event_type: str) -> tuple[str, str | None] | None:
        """The (type, mode) an intended or refused act is coded as (modal_types.tsv), or None to keep it; `via` is
        how the intention is stated: "governor" (a governing verb) or "future" (the act's own future tense)."""
        for mod, how, q, typ, to_type, to_mode in self.modal_types:
            if mod == modality and how in {"any", via} and q == quad and typ in {"*", event_type}:
                return to_type, to_mode
        return None

    def is_future(self, auxiliary: str) -> bool:
        """Whether an auxiliary states the future ("will", "shall"): modality.tsv's intended auxiliaries."""
        return self.modality.get(("aux", auxiliary.lower())) == "intended"

    def types(self) -> set[str]:
        """The PLOVER types the lexicon can code."""
        return {t.event_type for rows in self.triggers.values() for t in rows if not t.blocks}


def _data(name: str):
    return resources.files("dyad.events") / "data" / name


def _column(name: str, column: str) -> list[str]:
    return [row[column].lower() for row in read_tsv(_data(name))]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read the lexicon and word lists shipped in dyad/events/data (cached)."""
    by_key: dict[tuple[str, str], list[Trigger]] = defaultdict(list)
    for row in read_tsv(_data("lexicon.tsv")):
        trig = Trigger(
            event_type=row["type"].upper() if row["type"] != "-" else "-",
            mode=row["mode"] or None,
            pos=row["pos"].upper(),
            lemma=row["lemma"].lower(),
            objects=frozenset(o.strip().lower() for o in row["object"].split("|") if o.strip()),
            recipient=tuple(r.strip() for r in row["recipient"].split(",") if r.strip()),
            reciprocal=row["reciprocal"] == "yes",
            modifier_actor=row["modifier"] == "actor",
        )
        by_key[(trig.pos, trig.lemma)].append(trig)
    triggers = {k: tuple(sorted(v, key=lambda t: not t.objects)) for k, v in by_key.items()}
    modality = {(r["where"], r["word"].lower()): r["modality"] for r in read_tsv(_data("modality.tsv"))}
    filters = list(read_tsv(_data("filters.tsv")))
    return Lexicon(
        triggers=triggers,
        modality=modality,
        speech_verbs=frozenset(_column("speech.tsv", "lemma")),
        filter_openers=tuple(r["text"].lower() for r in filters if r["kind"] == "opener"),
        evaluative_verbs=frozenset(r["text"].lower() for r in filters if r["kind"] == "evaluative"),
        support_verbs={r["lemma"].lower(): r["direction"] for r in read_tsv(_data("support_verbs.tsv"))},
        anaphors=frozenset(_column("anaphors.tsv", "lemma")),
        control_verbs=frozenset(_column("control.tsv", "lemma")),
        partitives=frozenset(_column("partitives.tsv", "lemma")),
        instruments=frozenset(_column("instruments.tsv", "lemma")),
        state_acts=frozenset(r["type"].upper() for r in read_tsv(_data("state_acts.tsv"))),
        obligations={r["word"].lower(): r["type"].upper() for r in read_tsv(_data("obligations.tsv"))},
        modal_types=tuple(
            (r["modality"], r["via"], r["quad"], r["type"].upper(), r["to_type"].upper(), r["to_mode"] or None)
            for r in read_tsv(_data("modal_types.tsv"))
        ),
    )
