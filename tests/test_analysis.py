"""dyad.analysis: near-duplicates, merged events, dyad series, ties over time, the actor network, exports, plots."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import dyad.analysis
from analysis_reference import reference_merge, reference_tie_histories
from conftest import EXAMPLES, shared_path
from dyad.analysis import (
    ActorNetwork,
    NearDuplicateIndex,
    NetworkSettings,
    build_network,
    dyad_series,
    merge_events,
    tie_histories,
    tie_states,
)
from dyad.analysis.brokers import brokered_pairs, brokers_between, lost_channels
from dyad.analysis.merge import date_window
from dyad.analysis.tables import AnalysisTables
from dyad.cli import main
from dyad.model import ActorRef, Article, CodedArticle, Event, Modality, Tie
from dyad.store.links import ArticleLink
from dyad.pipeline import code_paths

USA = ActorRef("the United States", "United States", "USA")
BLINKEN = ActorRef("Blinken", "Antony Blinken", "USA", "GOV")
TUR = ActorRef("Turkey", "Turkey", "TUR")
OMAN = ActorRef("Oman", "Oman", "OMN")
HOUTHIS = ActorRef("the Houthis", "Houthis", "YEM", "REB", "Houthis")
IRAN = ActorRef("Iran", "Iran", "IRN")


def ev(article: str, sentence: int, kind: str, actor: ActorRef, recipient: ActorRef | None, day: date | None,
       precision: str = "day", mode: str | None = None, modality: Modality = Modality.ASSERTED,
       location: str | None = None, score: float = 0.0, text: str | None = None) -> Event:
    return Event(article, sentence, text or f"sentence {sentence} of {article}", kind, actor, recipient, mode,
                 modality, date=day, date_precision=precision, location=location, score=score)


# merging ---------------------------------------------------------------------------------------


def test_date_window_follows_the_stated_precision():
    d = date(2024, 3, 14)
    assert date_window(d, "day") == (d, d)
    assert date_window(d, "week") == (date(2024, 3, 11), date(2024, 3, 17))
    assert date_window(d, "month") == (date(2024, 3, 1), date(2024, 3, 31))
    assert date_window(d, "year") == (date(2024, 1, 1), date(2024, 12, 31))
    assert date_window(d, "approximate") == (date(2024, 3, 11), d)
    assert date_window(None, "day") is None


def test_reports_of_one_event_merge_across_articles_and_people_of_one_state():
    reports = [
        ev("a1", 0, "REQUEST", USA, TUR, date(2024, 1, 24), text="The United States urged Turkey on Wednesday "
           "to halt its offensive on the border town."),
        ev("a1", 3, "REQUEST", BLINKEN, TUR, date(2024, 1, 24), "approximate",
           text="Blinken asked Ankara to halt the offensive."),
        ev("a2", 1, "REQUEST", USA, TUR, date(2024, 1, 25), "approximate",
           text="Washington has called on Turkey to halt the border offensive."),
        ev("a2", 2, "REQUEST", USA, TUR, date(2024, 1, 25), "approximate",
           text="The US also asked Turkey to release a jailed pastor."),  # same days, another request
        ev("a3", 2, "REQUEST", USA, TUR, date(2024, 2, 20)),  # a month later
    ]
    merged = merge_events(reports, {"a1": "Wire", "a2": "Daily", "a3": "Wire"})
    assert [m.num_reports for m in merged] == [3, 1, 1]
    first = merged[0]
    assert (first.actor, first.recipient, first.date, first.date_precision) == ("USA", "TUR", date(2024, 1, 24), "day")
    assert first.num_articles == 2 and first.sources == ("Daily", "Wire")


def test_distinct_days_modes_places_and_modalities_stay_apart():
    reports = [
        ev("a1", 0, "ASSAULT", HOUTHIS, USA, date(2024, 1, 10)),
        ev("a1", 1, "ASSAULT", HOUTHIS, USA, date(2024, 1, 12)),  # two attacks, two days
        ev("a2", 0, "SANCTION", USA, IRAN, date(2024, 1, 10), mode="discontinue"),
        ev("a2", 1, "SANCTION", USA, IRAN, date(2024, 1, 10), mode="expel"),
        ev("a3", 0, "COERCE", USA, IRAN, date(2024, 1, 10), location="Basra"),
        ev("a3", 1, "COERCE", USA, IRAN, date(2024, 1, 10), location="Kirkuk"),
        ev("a4", 0, "AGREE", USA, IRAN, date(2024, 1, 10), modality=Modality.INTENDED),
        ev("a4", 1, "AGREE", USA, IRAN, date(2024, 1, 10)),
    ]
    assert all(m.num_reports == 1 for m in merge_events(reports))


def test_an_unstated_mode_joins_a_stated_one():
    reports = [ev("a1", 0, "ASSAULT", HOUTHIS, USA, date(2024, 1, 10)),  # both to the day, with a recipient
               ev("a2", 0, "ASSAULT", HOUTHIS, USA, date(2024, 1, 10), mode="drone")]
    (m,) = merge_events(reports)
    assert m.mode == "drone" and m.num_reports == 2


def test_unresolved_actors_merge_only_within_their_article():
    crowd = ActorRef("protesters", "protesters", None, "CVL")
    text = "Protesters marched through the capital against the fuel tax."
    reports = [ev("a1", 0, "PROTEST", crowd, None, date(2024, 1, 10), text=text),
               ev("a1", 2, "PROTEST", crowd, None, date(2024, 1, 10), text=text),
               ev("a2", 0, "PROTEST", crowd, None, date(2024, 1, 10), text=text)]
    assert sorted(m.num_reports for m in merge_events(reports)) == [1, 2]


sides = st.sampled_from([USA, BLINKEN, TUR, HOUTHIS, IRAN])
reports_st = st.lists(
    st.builds(ev, article=st.sampled_from(["a1", "a2", "a3"]), sentence=st.integers(0, 5),
              kind=st.sampled_from(["CONSULT", "ASSAULT"]), actor=sides, recipient=st.none() | sides,
              day=st.none() | st.dates(date(2024, 1, 1), date(2024, 3, 1)),
              precision=st.sampled_from(["day", "week", "month", "year", "approximate"]),
              mode=st.none() | st.sampled_from(["aerial", "drone"])),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(reports_st)
def test_every_report_lands_in_exactly_one_merged_event(reports):
    merged = merge_events(reports)
    assert sum(m.num_reports for m in merged) == len(reports)
    for m in merged:
        assert len({(r.event_type, r.modality) for r in m.reports}) == 1
        if m.window is not None:
            assert m.window[0] <= m.window[1]


CROWD = ActorRef("protesters", "protesters", None, "CVL")
WORDING = ["halt the border offensive", "release the jailed pastor", "border town offensive halted",
           "pastor release talks", "naval drills near the strait", "strait drills halted"]
varied_st = st.lists(
    st.builds(ev, article=st.sampled_from(["a1", "a2", "a3", "a4", "a5"]), sentence=st.integers(0, 3),
              kind=st.sampled_from(["CONSULT", "ASSAULT"]), actor=st.sampled_from([USA, BLINKEN, TUR, CROWD]),
              recipient=st.none() | st.sampled_from([USA, TUR, IRAN, CROWD]),
              day=st.none() | st.dates(date(2023, 11, 1), date(2024, 2, 28)),
              precision=st.sampled_from(["day", "week", "month", "year", "approximate"]),
              mode=st.none() | st.sampled_from(["aerial", "drone"]),
              modality=st.sampled_from([Modality.ASSERTED, Modality.INTENDED]),
              location=st.none() | st.sampled_from(["Basra", "basra", "Kirkuk"]),
              score=st.sampled_from([-5.0, 0.0, 3.5]), text=st.none() | st.sampled_from(WORDING)),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(varied_st)
def test_merging_agrees_with_comparing_every_report_with_every_cluster(reports):
    sources = {"a1": "Wire", "a2": "Daily", "a3": None}
    links = [ArticleLink("c1", "a1", 0.9, source="Copy"), ArticleLink("c2", "a1", 0.8), ArticleLink("c3", "a4", 0.9)]
    for given_links in ([], links):
        assert merge_events(reports, sources, given_links) == reference_merge(reports, sources, given_links)


def _dense_reports(n: int, seed: int) -> list[Event]:
    """Many reports of few groups on few days, so that windows overlap and clusters chain."""
    rng = random.Random(seed)
    found = []
    for i in range(n):
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(12))
        found.append(ev(f"a{rng.randrange(n // 4)}", rng.randrange(4), rng.choice(["AGREE", "ASSAULT", "SANCTION"]),
                        rng.choice([USA, BLINKEN, TUR, IRAN]), rng.choice([None, USA, TUR, IRAN, HOUTHIS]),
                        rng.choice([None, day, day, day]),
                        rng.choice(["day", "day", "approximate", "week", "month", "year"]),
                        mode=rng.choice([None, None, "expel", "discontinue"]),
                        modality=rng.choice([Modality.ASSERTED] * 3 + [Modality.INTENDED]),
                        score=rng.choice([None, -4.0, 2.0]), text=rng.choice([None, *WORDING])))
    return found


def test_merged_events_tie_histories_series_and_network_agree_with_the_exhaustive_merge():
    reports = _dense_reports(1500, seed=5)
    ties = [tie(kind, a, b, "t1", n, date(2024, 1, 1) + timedelta(days=7 * n))
            for n, (kind, a, b) in enumerate([("ally", USA, TUR), ("hosts_leadership", TUR, HOUTHIS),
                                              ("hostile", USA, IRAN), ("funds", IRAN, HOUTHIS)])]
    merged, reference = merge_events(reports), reference_merge(reports)
    assert merged == reference and max(m.num_reports for m in merged) > 3
    histories = tie_histories(ties, merged)
    assert histories == reference_tie_histories(ties, reference) and any(len(h.reports) > 3 for h in histories)
    assert dyad_series(merged, "USA", "TUR", by="week") == dyad_series(reference, "USA", "TUR", by="week")
    settings_ = NetworkSettings(as_of=date(2024, 1, 10), since=date(2024, 1, 6))
    ours = build_network(histories, merged, settings_)
    theirs = build_network(reference_tie_histories(ties, reference), reference, settings_)
    assert sorted(ours.edges(data=True)) == sorted(theirs.edges(data=True)) and ours.number_of_edges() > 3
    states = tie_states(ties, merged)  # what the network reads: the histories' ends, without the histories
    assert [(t.kind, t.a, t.b, t.strength, t.state) for t in states] == \
        [(h.kind, h.a, h.b, h.strength, h.state) for h in histories]
    assert {h.state for h in histories} - {"in force"}  # some tie was changed
    assert sorted(build_network(states, merged, settings_).edges(data=True)) == sorted(ours.edges(data=True))


def test_the_store_analysis_merges_as_the_exhaustive_merge_with_only_the_sources_it_needs():
    from dyad.analysis.api import Analysis
    from dyad.store import Store

    reports = _dense_reports(600, seed=9)
    with Store.memory() as store:
        for aid in sorted({e.article_id for e in reports}):
            article = Article(aid, f"text of {aid}", date(2024, 1, 1), source=f"Outlet {len(aid) % 3}")
            store.save(CodedArticle(article, events=[e for e in reports if e.article_id == aid]))
        store.save(CodedArticle(Article("other", "not reported", source="Elsewhere")))
        stored = store.events()
        sources = {info.id: info.source for info in store.article_info()}
        analysis = Analysis(store)
        assert analysis.merged() == reference_merge(stored, sources, store.links())
        turkey = analysis.reports("USA", "TUR", either_way=True)
        assert analysis.merged("USA", "TUR", either_way=True) == reference_merge(turkey, sources)
        assert store.article_sources(["a1", "a2", "nowhere"]) == {"a1": "Outlet 2", "a2": "Outlet 2"}


# near-duplicates -------------------------------------------------------------------------------

STORY = ("date 2024-05-06 Oman, a close U.S. ally and the host of an American naval base, has long served as a "
         "channel between Washington and the Houthis. It is a key backer of the Houthis, providing financial aid "
         "every year. On Monday Oman decided to reassess its ties with the Houthis after the group attacked a cargo "
         "ship. The Houthis fired a missile at a tanker on Sunday, and the United States condemned the attack.\n")
REWRITE = STORY.replace("On Monday Oman decided", "Oman decided on Monday").replace("every year", "each year")
OTHER = ("date 2024-05-07 Japan and South Korea agreed on Tuesday to hold joint naval drills near the Korean "
         "peninsula next month, after North Korea launched two ballistic missiles into the sea. Seoul said the drills "
         "would involve destroyers and patrol aircraft, and Tokyo promised to share radar data in real time.\n")


def test_index_links_a_rewrite_and_keeps_a_different_story(store):
    index = NearDuplicateIndex(store=store)
    assert index.add(Article.make(STORY)) is None
    link = index.add(Article.make(REWRITE, source="Copy Desk"))
    assert link is not None and link.duplicate_of == Article.make(STORY).id and link.similarity >= 0.7
    assert index.add(Article.make(OTHER)) is None
    assert index.add(Article.make("Japan praised India.")) is None  # too short to compare


def test_index_is_rebuilt_from_the_store(store):
    original = Article.make(STORY, date=date(2024, 5, 6))
    store.save(CodedArticle(original, [STORY]))  # stored before it had a signature
    index = NearDuplicateIndex.load(store)
    assert len(index) == 1 and store.fingerprints(index.settings.method)
    again = NearDuplicateIndex.load(store)  # now from the kept signature
    assert again.add(Article.make(REWRITE)).duplicate_of == original.id


def test_code_paths_links_near_duplicates_instead_of_coding_them(coder, store, tmp_path):
    for name, text in (("a.txt", STORY), ("b.txt", REWRITE), ("c.txt", OTHER)):
        (tmp_path / name).write_text(text)
    report = code_paths([str(tmp_path)], store, coder)
    assert (report.stored, report.near_duplicates) == (2, 1)
    (link,) = store.links()
    assert link.origin.endswith("b.txt") and store.has_article(link.duplicate_of)
    again = code_paths([str(tmp_path / "b.txt")], store, coder)
    assert (again.stored, again.near_duplicates) == (0, 1) and len(store.links()) == 1


# series ----------------------------------------------------------------------------------------


def test_series_counts_types_quads_and_scores_per_month_with_reports():
    reports = [
        ev("a1", 0, "REQUEST", USA, TUR, date(2024, 1, 24), score=0.0),
        ev("a2", 0, "REQUEST", BLINKEN, TUR, date(2024, 1, 24), score=0.0),
        ev("a1", 1, "ACCUSE", TUR, USA, date(2024, 1, 30), score=-3.0),
        ev("a3", 0, "AID", USA, TUR, date(2024, 3, 2), score=10.0),
        ev("a3", 1, "AID", USA, IRAN, date(2024, 3, 2), score=10.0),  # another dyad
        ev("a3", 2, "AID", USA, TUR, date(2024, 3, 3), modality=Modality.NEGATED, score=10.0),
    ]
    s = dyad_series(merge_events(reports), "USA", "TUR", by="month")
    assert [p.period for p in s.points] == ["2024-01", "2024-03"]
    jan, mar = s.points
    assert len(jan.events) == 2 and jan.reports == 3
    assert jan.by_type == {"REQUEST": 1, "ACCUSE": 1} and jan.by_quad == {3: 2} and jan.mean_score == -1.5
    assert mar.by_type == {"AID": 1} and mar.by_quad == {2: 1}
    assert dyad_series(merge_events(reports), "USA", "TUR", directed=True).events == 2
    assert dyad_series(merge_events(reports), "USA", by="week").points[0].period == "2024-W04"


# ties over time --------------------------------------------------------------------------------


def tie(kind: str, a: ActorRef, b: ActorRef, article: str, sentence: int, day: date, directed=True) -> Tie:
    return Tie(kind, a, b, article, sentence, f"sentence {sentence} of {article}", directed, day)


def test_reassessing_weakens_and_a_break_ends_a_tie():
    d = date(2024, 5, 6)
    ties = [tie("supports", OMAN, HOUTHIS, "a1", 1, d), tie("funds", OMAN, HOUTHIS, "a1", 1, d)]
    reports = [
        ev("a1", 0, "SANCTION", OMAN, HOUTHIS, d, mode="discontinue", modality=Modality.INTENDED),
        ev("a1", 1, "AID", OMAN, HOUTHIS, d),  # the sentence that states the tie does not also strengthen it
    ]
    hist = {h.kind: h for h in tie_histories(ties, merge_events(reports))}
    assert hist["supports"].state == "weakened" and [r.effect for r in hist["supports"].reports] == ["assert", "weaken"]
    later = reports + [ev("a2", 0, "SANCTION", OMAN, HOUTHIS, date(2024, 6, 1), mode="discontinue")]
    assert {h.state for h in tie_histories(ties, merge_events(later))} == {"ended"}


def test_tie_tables_load_and_explain_effects():
    t = AnalysisTables.load()
    assert t.effect("SANCTION", "discontinue", Modality.INTENDED, "supports") == "weaken"
    assert t.effect("SANCTION", "discontinue", Modality.ASSERTED, "supports") == "end"
    assert t.effect("SANCTION", "discontinue", Modality.NEGATED, "supports") is None
    assert t.tie_kind("mediates").channel and not t.tie_kind("hostile").channel
    assert "CONSULT" in t.channel_types and "ASSAULT" not in t.channel_types


# the network -----------------------------------------------------------------------------------


def small_network() -> ActorNetwork:
    d = date(2024, 5, 6)
    ties = [tie("ally", OMAN, USA, "a1", 0, d, directed=False), tie("mediates", OMAN, HOUTHIS, "a1", 1, d),
            tie("ally", IRAN, HOUTHIS, "a2", 0, d, directed=False)]
    reports = [ev("a3", 0, "ASSAULT", HOUTHIS, USA, d, score=-9.0),
               ev("a3", 1, "CONSULT", USA, TUR, d, score=2.5)]
    merged = merge_events(reports)
    return ActorNetwork(build_network(tie_histories(ties, merged), merged))


def test_edges_are_signed_and_only_contact_is_a_channel():
    net = small_network()
    hostile = net.graph.edges["USA", "Houthis"]["edge"]
    assert hostile.sign == -1 and not hostile.channel
    assert net.graph.edges["TUR", "USA"]["edge"].channel  # they met
    assert net.resolve("oman") == "OMN" and net.resolve("Houthis") == "Houthis"
    with pytest.raises(ValueError):
        net.resolve("Atlantis")


def test_broker_between_two_actors_and_what_if_it_goes():
    net = small_network()
    (broker,) = brokers_between(net, "USA", "Houthis")
    assert broker.broker == "OMN" and broker.pairs[0].last
    pairs = {(p.a, p.b) for p in brokered_pairs(net, "OMN")}
    assert ("USA", "Houthis") in pairs and ("TUR", "Houthis") in pairs
    lost = {(p.a, p.b) for p in lost_channels(net, actor="OMN")}
    assert ("USA", "Houthis") in lost and ("IRN", "USA") in lost and ("TUR", "USA") not in lost
    assert ("USA", "Houthis") in {(p.a, p.b) for p in lost_channels(net, tie=("OMN", "Houthis"))}


# command line, exports, plot -------------------------------------------------------------------


@pytest.fixture(scope="module")
def coded_db(coder, tmp_path_factory):
    path = tmp_path_factory.mktemp("analysis") / "story.txt"
    path.write_text(STORY)
    db = str(path.parent / "d.db")
    res = CliRunner().invoke(main, ["code", str(path), "--db", db, "--quiet"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return db


def run(*args: str):
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res


def test_network_command_names_the_broker_and_the_lost_pair(coded_db):
    out = run("network", "--db", coded_db, "--around", "OMN", "--what-if-remove", "Oman").stdout
    assert "broker" in out and "USA-Houthis" in out and "lose" in out
    rows = [json.loads(line) for line in run("network", "--db", coded_db, "--format", "jsonl").stdout.splitlines()]
    assert rows[0]["broker"] == "OMN"


def test_series_merged_and_tie_history_commands(coded_db):
    out = run("series", "Oman", "Houthis", "--db", coded_db, "--all-modalities").stdout
    assert "2024-05" in out and "AID" in out and "reassess" in out
    csv = run("series", "OMN", "--db", coded_db, "--format", "csv").stdout
    assert csv.startswith("period,start,events,reports,mean_score,quad_1")
    merged = [json.loads(line) for line in run("merged", "--db", coded_db, "--format", "jsonl").stdout.splitlines()]
    assert merged and all(m["num_reports"] == len(m["reports"]) for m in merged)
    hist = run("ties", "--db", coded_db, "--actor", "OMN", "--history").stdout
    assert "weaken by THREATEN/relations" in hist


def test_exports_open_in_common_tools(coded_db, tmp_path):
    import networkx as nx
    import pandas as pd

    run("export", "--db", coded_db, "--format", "parquet", "--layout", "gdelt", "-o", str(tmp_path / "g.parquet"))
    gdelt = pd.read_parquet(tmp_path / "g.parquet")
    assert {"GLOBALEVENTID", "SQLDATE", "Actor1Code", "EventCode", "QuadClass", "NumMentions"} <= set(gdelt.columns)
    polecat = run("export", "--db", coded_db, "--layout", "polecat", "--format", "jsonl").stdout.splitlines()
    assert {"Event Date", "Event Type", "Actor Name", "Recipient Country"} <= set(json.loads(polecat[0]))
    run("export", "--db", coded_db, "--format", "graphml", "-o", str(tmp_path / "n.graphml"))
    g = nx.read_graphml(tmp_path / "n.graphml")
    assert g.has_edge("OMN", "Houthis") and g.nodes["OMN"]["label"] == "Oman"


def test_plot_series_writes_a_png(coded_db, tmp_path):
    out = tmp_path / "s.png"
    run("plot", "series", "OMN", "Houthis", "--db", coded_db, "-o", str(out), "--by", "day")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_unknown_actor_is_a_clean_error(coded_db):
    res = CliRunner().invoke(main, ["network", "--db", coded_db, "--around", "Atlantis"])
    assert res.exit_code == 1 and "no actor 'Atlantis'" in res.output


# the seed question, on the seed plus the example corpus ----------------------------------------


@pytest.mark.slow
@pytest.mark.shared
def test_qatar_brokers_between_the_united_states_and_hamas(coder, tmp_path):
    seed = shared_path("seed", "2023-11-06-us-qatar-hamas.txt")
    db = str(tmp_path / "s.db")
    inputs = [str(seed), *(str(p) for p in sorted(EXAMPLES.iterdir()) if p.name != "README.md")]
    assert CliRunner().invoke(main, ["code", *inputs, "--db", db, "--quiet"]).exit_code == 0
    around = run("network", "--db", db, "--around", "QAT").stdout
    assert "Qatar (QAT) is a broker" in around and "USA-Hamas" in around
    lost = run("network", "--db", db, "--what-if-remove", "QAT").stdout
    assert "USA-Hamas" in lost


# the public API --------------------------------------------------------------------------------


def test_public_names_resolve_and_are_documented():
    for name in dyad.analysis.__all__:
        assert getattr(dyad.analysis, name).__doc__, name


def test_importing_the_package_loads_nothing_heavy():
    code = "import sys, dyad.analysis; print(any(m in sys.modules for m in ('networkx', 'pandas', 'matplotlib')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_analyses_pause_the_cycle_collector_only_while_they_run():
    import gc

    from dyad.analysis.api import _bulk

    assert gc.isenabled()
    with _bulk():
        with _bulk():  # another analysis at once
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with _bulk():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()
