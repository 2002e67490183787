"""dyad.evaluate: gold readers on tiny made-up files, scorer arithmetic, matching rules, the real PLV file."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import shared_path
from dyad.evaluate import (
    FORMATS,
    CaseSnippet,
    GoldPair,
    GoldTriple,
    PetrRecord,
    Span,
    Triple,
    cameo_country,
    confusion,
    evaluate_plv,
    gold_triple,
    guess_format,
    load_case_mapping,
    marked_spans,
    overlaps,
    plv_label,
    read_case,
    read_petr,
    read_plv,
    score_case,
    score_items,
    score_labels,
    score_petr,
    score_plv,
    top_type,
)
from dyad.model import ActorRef, Event
from dyad.ontology import TYPES

PLV_HEADER = "\tsentence_id\tsentence\tmarked_sentence\tsource\ttarget\tgold_penta\tgold_root\tmodality_L2\n"


def event(event_type, actor, recipient=None, actor_country=None, recipient_country=None, sentence=""):
    """A hand-made Event with only what the scorers read."""
    return Event("a1", 0, sentence, event_type, ActorRef(actor, country=actor_country),
                 ActorRef(recipient, country=recipient_country) if recipient else None)


def pair(sentence, marked, event_type, pid="1"):
    """A GoldPair built from a marked sentence, as the reader builds it."""
    plain, spans = marked_spans(marked)
    assert plain == sentence
    return GoldPair(pid, pid, sentence, spans.get("s"), spans.get("t"), event_type)


# Readers


def test_marked_spans_keep_every_occurrence_and_trim_spaces():
    text, spans = marked_spans("<s>Ruritania </s>fined <t>Utopia</t> and praised <t>Utopia</t>'s envoy.")
    assert text == "Ruritania fined Utopia and praised Utopia's envoy."
    assert spans["s"] == Span("Ruritania", ((0, 9),))
    assert spans["t"].ranges == ((16, 22), (35, 41))
    assert all(text[a:b] == "Utopia" for a, b in spans["t"].ranges)


def test_read_plv_builds_pairs_with_offsets_and_missing_spans(tmp_path):
    path = tmp_path / "plv.tsv"
    path.write_text(
        PLV_HEADER
        + "0\t7\tRuritania fined Utopia.\t<s>Ruritania</s> fined <t>Utopia</t>.\tRuritania\tUtopia\t4\tSANCTION\tpast\n"
        + "1\t7\tRuritania fined Utopia.\t<s>Ruritania</s> fined Utopia.\tRuritania\ta recipient\t4\tYIELD\ttodo\n"
        + "2\t9\tTwo papers were shut.\t<t>Two papers</t> were shut.\tAn actor\tTwo papers\t4\tCOERCE\tpast\n",
        encoding="utf-8",
    )
    pairs = read_plv(path)
    assert [p.id for p in pairs] == ["7", "7.2", "9"]
    first = pairs[0]
    assert (first.event_type, first.penta, first.modality) == ("SANCTION", 4, "past")
    assert first.actor_span == Span("Ruritania", ((0, 9),)) and first.recipient_span == Span("Utopia", ((16, 22),))
    assert pairs[1].recipient_span is None and pairs[1].event_type == "YIELD"
    assert pairs[2].actor_span is None and pairs[2].recipient_span.text == "Two papers"


def test_read_plv_refuses_other_tables(tmp_path):
    path = tmp_path / "other.tsv"
    path.write_text("id\ttext\n1\thello\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a PLV file"):
        read_plv(path)


PETR_SAMPLE = """<Validation>
#  header text that is not XML, mentioning <EventCoding...> in passing
<Sentences>
<Sentence category="AFP" date="20080804" id="R1" evaluate="true"/>
<EventCoding eventcode="042" sourcecode="RURGOV" targetcode="UTO" />
<EventCoding eventcode="190" sourcecode="---REB" targetcode="IGOUNO" />
<Text>
Ruritania's minister visited Utopia,
while rebels shelled the UN camp.
</Text>
<!-- <Sentence date="1" id="COMMENTED"> -->
<Sentence date = "20080805" id ="R2" category="OTHER" sentence="true">
<EventCoding noevents="True" />
<Text>
Nothing happened.
</Text>
<Sentence date="20080806" id="R3">
<EventCoding error="sentencediscard"></EventCoding>
<Text>
</Text>
<Parse>
1\tRebels\trebel\tNOUN\tNNS\t_\t2\tnsubj\t_\t_
2\tleft\tleave\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No
3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_
</Parse>
</Sentences>
</Validation>
"""


def test_read_petr_scans_records_codings_flags_and_parse_text(tmp_path):
    path = tmp_path / "petr.xml"
    path.write_text(PETR_SAMPLE, encoding="utf-8")
    records = read_petr(path)
    assert [r.id for r in records] == ["R1", "R2", "R3"]
    r1, r2, r3 = records
    assert r1.text == "Ruritania's minister visited Utopia, while rebels shelled the UN camp."
    assert r1.triples == (GoldTriple("RURGOV", "UTO", "042"), GoldTriple("---REB", "IGOUNO", "190"))
    assert (r1.date, r1.category) == ("20080804", "AFP")
    assert r2.noevents and r2.triples == () and r2.date == "20080805"
    assert r3.error == "sentencediscard" and r3.text == "Rebels left."


def test_read_case(tmp_path):
    path = tmp_path / "case.tsv"
    path.write_text("id\tEventSnippet\tSubType\n1\tPolice  arrested two men.\tarrest\n", encoding="utf-8")
    assert read_case(path) == [CaseSnippet("1", "Police arrested two men.", "ARREST")]
    path.write_text("id\ttext\tlabel\n1\tx\ty\n", encoding="utf-8")
    with pytest.raises(ValueError, match="CASE"):
        read_case(path)


def test_guess_format(tmp_path):
    plv, case, xml = tmp_path / "a.tsv", tmp_path / "b.tsv", tmp_path / "c.xml"
    plv.write_text(PLV_HEADER)
    case.write_text("id\tEventSnippet\tSubType\n")
    xml.write_text(PETR_SAMPLE)
    assert [guess_format(str(p)) for p in (plv, case, xml)] == ["plv", "case", "petr"]
    assert set(FORMATS) == {"plv", "petr", "case"}


# Labels


def test_plv_label_merges_concede_and_retreat():
    assert plv_label("CONCEDE") == plv_label("retreat") == "YIELD"
    assert plv_label("ASSAULT") == "ASSAULT" and plv_label("YIELD") == "YIELD"


def test_cameo_country_only_for_state_prefixes():
    assert cameo_country("USAGOV") == "USA" and cameo_country("PSEREBHMSGOV") == "PSE"
    assert cameo_country("IGOUNO") is None and cameo_country("IMGMUSISI") is None
    assert cameo_country("---REB") is None and cameo_country("") is None


def test_gold_triple_goes_through_the_crosswalk():
    assert gold_triple(GoldTriple("USAGOV", "CHN", "042")) == Triple("USA", "CHN", "CONSULT")
    assert gold_triple(GoldTriple("USA", "RUS", "1124")).event_type == "ACCUSE"
    assert gold_triple(GoldTriple("---REB", "SYR", "190")) == Triple(None, "SYR", "ASSAULT")
    assert gold_triple(GoldTriple("USA", "IRQ", "013")) is None  # CAMEO 01: no PLOVER type


def test_case_mapping_covers_the_thirty_types_with_valid_plover_types():
    mapping = load_case_mapping()
    assert len(mapping) == 30
    assert {m.plover_type for m in mapping.values()} - {None} <= set(TYPES)
    assert mapping["ARREST"].plover_type == "COERCE" and mapping["PEACE_PROTEST"].plover_type == "PROTEST"
    assert mapping["AIR_STRIKE"].plover_type == "ASSAULT" and mapping["NATURAL_DISASTER"].plover_type is None


# Scores


def test_score_labels_hand_computed():
    pairs = [("A", "A"), ("A", "B"), ("B", "B"), ("B", "B"), ("C", None), (None, "A")]
    scores = score_labels(pairs, order=("A", "B", "C"))
    a, b, c = scores.get("A"), scores.get("B"), scores.get("C")
    assert (a.tp, a.fp, a.fn) == (1, 1, 1) and a.precision == a.recall == a.f1 == 0.5
    assert (b.tp, b.fp, b.fn) == (2, 1, 0) and b.precision == pytest.approx(2 / 3) and b.recall == 1.0
    assert b.f1 == pytest.approx(0.8)
    assert (c.tp, c.fp, c.fn, c.precision, c.f1) == (0, 0, 1, 0.0, 0.0)
    micro = scores.micro
    assert (micro.tp, micro.fp, micro.fn) == (3, 2, 2) and micro.f1 == pytest.approx(0.6)
    assert scores.macro_precision == pytest.approx((0.5 + 2 / 3 + 0) / 3)
    assert scores.macro_recall == pytest.approx(0.5)
    assert scores.macro_f1 == pytest.approx((0.5 + 0.8 + 0) / 3)
    matrix = scores.confusion
    assert matrix.rows == ("A", "B", "C", "(none)") and matrix.columns == ("A", "B", "(none)")
    assert matrix.count("A", "B") == 1 and matrix.count("B", "B") == 2 and matrix.count("(none)", "A") == 1
    assert matrix.matrix()[2] == [0, 0, 1]


def test_score_items_matches_multisets_and_counts_by_label():
    t1, t2 = Triple("USA", "RUS", "ACCUSE"), Triple("RUS", "USA", "ACCUSE")
    items = [({t1, t2}, {t1, Triple("USA", None, "ACCUSE")}), ((), [Triple(None, None, "ASSAULT")])]
    scores = score_items(items, label=lambda t: t.event_type, order=TYPES)
    assert [(t.label, t.tp, t.fp, t.fn) for t in scores.per_type] == [("ACCUSE", 1, 1, 1), ("ASSAULT", 0, 1, 0)]
    assert score_items([(["X", "X"], ["X"])]).get("X").fn == 1  # duplicates count


def test_scores_render_as_text_and_json():
    scores = score_labels([("AGREE", "AGREE"), ("ASSAULT", "COERCE")], order=TYPES)
    text = scores.to_text()
    assert "AGREE" in text and "micro" in text and "macro" in text and "confusion" in text
    data = json.loads(scores.to_json())
    assert data["micro"]["precision"] == 0.5 and data["confusion"]["rows"] == ["AGREE", "ASSAULT"]
    assert data["confusion"]["columns"] == ["AGREE", "COERCE"]


def test_confusion_orders_known_labels_first():
    matrix = confusion([("Z", "Y"), ("B", None), ("A", "B")], order=("B",))
    assert matrix.rows == ("B", "A", "Z") and matrix.columns == ("B", "Y", "(none)")


def test_top_type_prefers_the_most_frequent_then_the_first():
    assert top_type([event("AGREE", "a"), event("ASSAULT", "b"), event("ASSAULT", "c")]) == "ASSAULT"
    assert top_type([event("CONCEDE", "a"), event("ASSAULT", "b")], plv_label) == "YIELD"
    assert top_type([]) is None


# Matching and PLV scoring


SENTENCE = "Ruritania's army shelled the Utopian border post, and he said the talks were over."


def test_overlap_by_range_or_whole_word_containment():
    gold = pair(SENTENCE, "<s>Ruritania's army</s> shelled <t>the Utopian border post</t>, and he said the talks"
                          " were over.", "ASSAULT")
    assert overlaps(ActorRef("Ruritania"), gold.actor_span, SENTENCE)
    assert overlaps(ActorRef("Ruritania's army shelled"), gold.actor_span, SENTENCE)
    assert overlaps(ActorRef("border post, and"), gold.recipient_span, SENTENCE)  # ranges share characters
    assert not overlaps(ActorRef("he"), gold.recipient_span, SENTENCE)  # not inside 'the'
    assert not overlaps(ActorRef("talks"), gold.recipient_span, SENTENCE)
    assert not overlaps(None, gold.recipient_span, SENTENCE)


def test_score_plv_recalls_hand_computed():
    s1 = "Ruritania fined Utopia."
    s2 = "Ruritania freed prisoners."
    s3 = "Utopia condemned Ruritania."
    pairs = [
        pair(s1, "<s>Ruritania</s> fined <t>Utopia</t>.", "SANCTION", "1"),
        pair(s2, "<s>Ruritania</s> freed prisoners.", "YIELD", "2"),  # no recipient marked
        pair(s3, "<s>Utopia</s> condemned <t>Ruritania</t>.", "ACCUSE", "3"),
    ]
    events = {
        s1: [event("SANCTION", "Ruritania", "Utopia")],  # end-to-end hit
        s2: [event("RETREAT", "Ruritania", "prisoners")],  # RETREAT counts as YIELD; any recipient
        s3: [event("ACCUSE", "Ruritania", "Utopia"), event("REJECT", "Utopia", "Ruritania")],  # reversed
    }
    report = score_plv(pairs, events, seconds=2.0)
    assert report.measure("end-to-end recall").hits == 2
    assert report.measure("actor/recipient recall").hits == 3  # REJECT has the right actors
    assert report.measure("typed-only recall").value == 1.0
    assert dict(report.figures)["events per sentence"] == pytest.approx(4 / 3)
    rows = {r.label: r.measures for r in report.by_type}
    assert rows["ACCUSE"][0].hits == 0 and rows["YIELD"][0].hits == 1
    assert len(report.misses) == 1 and report.misses[0].startswith("[3] ACCUSE")
    assert report.scores.get("REJECT").fp == 1
    assert json.loads(report.to_json())["measures"][0]["value"] == pytest.approx(2 / 3, abs=1e-4)
    assert "items/s" in report.to_text() and "misses" in report.to_text(verbose=True)


def test_score_petr_triples_and_types():
    records = [
        PetrRecord("R1", "x", (GoldTriple("RURGOV", "UTO", "042"), GoldTriple("UTO", "RUR", "042"))),
        PetrRecord("R2", "y", (), noevents=True),
    ]
    assert cameo_country("RURGOV") is None  # made-up codes are not ISO: both sides have no country
    events = [[event("CONSULT", "a"), event("CONSULT", "b")], [event("ASSAULT", "c")]]
    report = score_petr(records, events)
    assert report.measure("triple recall").hits == 1 and report.measure("triple recall").total == 1
    assert report.measure("triple precision").total == 2  # (-,-,CONSULT) once + (-,-,ASSAULT)
    assert report.measure("type precision").value == 0.5


def test_score_case_accuracy_over_snippets_with_events():
    snippets = [CaseSnippet("1", "a", "ARREST"), CaseSnippet("2", "b", "AIR_STRIKE"),
                CaseSnippet("3", "c", "PEACE_PROTEST"), CaseSnippet("4", "d", "NATURAL_DISASTER")]
    events = {"1": [event("COERCE", "police")], "2": [event("COERCE", "x"), event("ASSAULT", "y"),
                                                        event("COERCE", "z")]}
    report = score_case(snippets, events)
    assert report.items == 3  # the disaster has no PLOVER type
    assert report.measure("type accuracy (snippets with an event)").to_text() == "0.500 (1/2)"
    assert report.measure("coverage (snippets with an event)").hits == 2
    assert report.measure("any event of the gold type").hits == 2


# The real gold files (../shared)


@pytest.mark.shared
def test_read_plv_on_the_real_file():
    pairs = read_plv(shared_path("gold", "plv_train", "PLV_train.tsv"))
    assert len(pairs) == 1050 and len({p.sentence for p in pairs}) == 1044
    labels = {p.event_type for p in pairs}
    assert "YIELD" in labels and not labels & {"CONCEDE", "RETREAT"}
    assert labels <= {plv_label(t) for t in TYPES}
    for p in pairs:
        for span in (p.actor_span, p.recipient_span):
            if span is not None:
                assert span.ranges and all(p.sentence[a:b] == span.text for a, b in span.ranges), p.id
    assert sum(p.recipient_span is None for p in pairs) == 20


@pytest.mark.shared
def test_read_petr_and_case_on_the_real_files():
    records = read_petr(shared_path("gold", "petr2_gsr_validation", "PETR2_GSR_validation.xml"))
    assert len(records) == 78 and sum(len(r.triples) for r in records) == 80
    assert all(r.text for r in records)
    snippets = read_case(shared_path("gold", "case2021_task2", "test_set_final_release_with_labels.tsv"))
    assert len(snippets) == 1019 and {s.subtype for s in snippets} <= set(load_case_mapping())


# With the coder


def test_evaluate_plv_runs_the_coder(coder):
    s = "Ruritania condemned Utopia on Monday."
    report = evaluate_plv(coder, [pair(s, "<s>Ruritania</s> condemned <t>Utopia</t> on Monday.", "ACCUSE")])
    assert report.items == 1 and report.seconds is not None
    assert report.measure("typed-only recall").total == 1


@pytest.mark.slow
def test_cli_evaluate_prints_scores_and_writes_json(coder, tmp_path):
    from dyad.cli import main

    gold = tmp_path / "plv.tsv"
    gold.write_text(PLV_HEADER + "0\t1\tGermany condemned Russia.\t<s>Germany</s> condemned <t>Russia</t>.\t"
                    "Germany\tRussia\t3\tACCUSE\tpast\n", encoding="utf-8")
    out = tmp_path / "scores.json"
    res = CliRunner().invoke(main, ["evaluate", str(gold), "--json", str(out)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "end-to-end recall" in res.output
    assert json.loads(out.read_text())["measures"][0]["name"] == "end-to-end recall"
