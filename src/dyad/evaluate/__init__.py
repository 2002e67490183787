"""Gold-data readers and scoring: how well dyad's events match development gold sets.

Readers (`read_plv`, `read_petr`, `read_case`) turn gold files into frozen records; `score_*` turn
events per text into a `Report` (pure); `evaluate_*` run a Coder first. `Scores` is the per-type
precision/recall/F1 table with micro and macro averages and a confusion matrix.
Importing this package loads no spaCy model.
"""

from dyad.evaluate.gold import (
    CaseSnippet,
    GoldPair,
    GoldTriple,
    PetrRecord,
    Span,
    marked_spans,
    read_case,
    read_petr,
    read_plv,
    unique_sentences,
)
from dyad.evaluate.labels import (
    CaseType,
    Triple,
    cameo_country,
    event_triple,
    gold_triple,
    gold_triples,
    load_case_mapping,
    plv_label,
)
from dyad.evaluate.match import arguments_match, overlaps, pair_matched
from dyad.evaluate.report import Measure, Report, TypeRow
from dyad.evaluate.run import (
    FORMATS,
    PLV_TYPES,
    code_texts,
    evaluate_case,
    evaluate_file,
    evaluate_petr,
    evaluate_plv,
    guess_format,
    score_case,
    score_petr,
    score_plv,
    top_type,
)
from dyad.evaluate.scores import Confusion, Scores, TypeScore, confusion, score_items, score_labels

__all__ = [
    "FORMATS",
    "PLV_TYPES",
    "CaseSnippet",
    "CaseType",
    "Confusion",
    "GoldPair",
    "GoldTriple",
    "Measure",
    "PetrRecord",
    "Report",
    "Scores",
    "Span",
    "Triple",
    "TypeRow",
    "TypeScore",
    "arguments_match",
    "cameo_country",
    "code_texts",
    "confusion",
    "evaluate_case",
    "evaluate_file",
    "evaluate_petr",
    "evaluate_plv",
    "event_triple",
    "gold_triple",
    "gold_triples",
    "guess_format",
    "load_case_mapping",
    "marked_spans",
    "overlaps",
    "pair_matched",
    "plv_label",
    "read_case",
    "read_petr",
    "read_plv",
    "score_case",
    "score_items",
    "score_labels",
    "score_petr",
    "score_plv",
    "top_type",
    "unique_sentences",
]
