"""The actor knowledge base: CAMEO codes, PETRARCH dictionary import, the user layer, `dyad actors lookup`."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from conftest import shared_path
from dyad.actors.cameo import CameoCodes
from dyad.actors.explain import explain_name, explain_text
from dyad.actors.kb import KnowledgeBase
from dyad.actors.petrarch import (
    PetrarchImporter,
    import_dictionaries,
    parse_cameo_date,
    read_actor_dictionary,
    read_agent_dictionary,
)
from dyad.actors.userlayer import USER_COLUMNS, read_rows
from dyad.cli import main

# A small dictionary in PETRARCH's format, with made-up actors (a person with dated codes, a group, a
# date-restricted unit and a coded phrase with no code of its own sharing the next entry's code).
ACTORS = """\
# made-up actors for dyad's tests
RUFUS_T._FIREFLY_  # leader of a made-up country
+PRESIDENT_FIREFLY_
\t[USAELI 19300101-330101]
\t[USAGOV 330102-19361231]
\t[USAELI]
SYLVANIAN_LIBERATION_FRONT_ [AFGREB]
+SLF_
KOSOVO_HARBOUR_GUARD_
\t[KSVMIL >080217]
TIMOR_RIVER_AUTHORITY_
TIMOR_RIVER_BOARD_  [TMPGOV]
NOWHERE_ISLANDS_ [---]
"""

AGENTS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN
GRAIN_GROWER [~AGR]
HARBOUR_WATCH!PERSON! [~COP]
CHIEF_FERRYMAN {CHIEF_FERRYMEN} [~BUS]
"""


@pytest.fixture(scope="module")
def importer():
    return PetrarchImporter.load()


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


@pytest.fixture
def dictionaries(tmp_path):
    actors = tmp_path / "Test.actors.txt"
    actors.write_text(ACTORS, encoding="utf-8")
    agents = tmp_path / "Test.agents.txt"
    agents.write_text(AGENTS, encoding="utf-8")
    return actors, agents


# -- CAMEO codes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, country, sector, affiliation",
    [
        ("USAGOV", "USA", "GOV", None),
        ("USA", "USA", None, None),
        ("USAGOVLEG", "USA", "LEG", None),  # CAMEO codes legislators GOVLEG
        ("IGOUNOKID", None, "IGO", "UNICEF"),
        ("IGOEUREEC", None, "IGO", "European Union"),
        ("TMPGOV", "TLS", "GOV", None),  # CAMEO keeps East Timor's old code
        ("KSVMIL", "XKX", "MIL", None),
        ("SUNRUS", "RUS", None, None),  # a republic of a former union
        ("USAASMGOV", "USA", "GOV", None),  # dependencies fold into their state (PLOVER)
        ("MNCUSAHLH", "USA", "BUS", None),
        ("NGOUSAEDU", "USA", "NGO", None),
        ("IMGMUSISI", None, "REB", "Islamic State"),  # MUS is Muslim here, not Mauritius
        ("---REB", None, "REB", None),
        ("USAMED", "USA", "JRN", None),  # CAMEO MED was media
        ("USAHLH", "USA", "MED", None),  # CAMEO HLH was health
        ("EGYOPPMUS", "EGY", "OPP", None),  # religion only when nothing else is coded
        ("IRQMUS", "IRQ", "REL", None),
    ],
)
def test_cameo_code_reads_as_country_sector_affiliation(code, country, sector, affiliation):
    parsed = CameoCodes.load().parse(code)
    assert (parsed.country, parsed.sector, parsed.affiliation) == (country, sector, affiliation)


def test_cameo_dates_take_two_or_four_digit_years():
    assert parse_cameo_date("090120") == date(2009, 1, 20)
    assert parse_cameo_date("450703") == date(1945, 7, 3)
    assert parse_cameo_date("19171109") == date(1917, 11, 9)
    with pytest.raises(ValueError):
        parse_cameo_date("201005011")


# -- PETRARCH import ---------------------------------------------------------------------------


def test_actor_dictionary_records_codes_and_restrictions(dictionaries):
    records, skipped = read_actor_dictionary(dictionaries[0])
    by_phrase = {r.phrases[0]: r for r in records}
    firefly = by_phrase["RUFUS T. FIREFLY"]
    assert firefly.phrases == ("RUFUS T. FIREFLY", "PRESIDENT FIREFLY")
    assert [(c.code, c.start, c.end) for c in firefly.codes] == [
        ("USAELI", date(1930, 1, 1), date(1933, 1, 1)),
        ("USAGOV", date(1933, 1, 2), date(1936, 12, 31)),
        ("USAELI", None, None),
    ]
    assert by_phrase["KOSOVO HARBOUR GUARD"].codes[0].start == date(2008, 2, 17)
    # a phrase with no code of its own shares the codes that follow it
    assert by_phrase["TIMOR RIVER AUTHORITY"].phrases == ("TIMOR RIVER AUTHORITY", "TIMOR RIVER BOARD")
    assert not skipped


def test_agent_dictionary_forms_plurals_and_substitutions(dictionaries):
    agents, skipped = read_agent_dictionary(dictionaries[1])
    forms = {a.forms[0]: a.forms for a in agents}
    assert forms["grain grower"] == ("grain grower", "grain growers")
    assert forms["harbour watchman"] == ("harbour watchman", "harbour watchmen", "harbour watchwoman", "harbour watchwomen")
    assert forms["chief ferryman"] == ("chief ferryman", "chief ferrymen")
    assert not skipped


def test_import_converts_entries_to_user_layer_rows(dictionaries, importer):
    report = importer.convert(dictionaries)
    rows = {(r.name, r.code, r.start, r.end): r for r in report.rows}
    firefly = rows[("Rufus T. Firefly", "USAGOV", "1933-01-02", "1936-12-31")]
    assert (firefly.country, firefly.sector, firefly.kind) == ("USA", "GOV", "person")
    assert firefly.aliases.split("|") == ["Rufus T. Firefly", "President Firefly"]
    # dated codes come before the undated default, so the default only wins when no term applies
    codes = [r.code for r in report.rows if r.name == "Rufus T. Firefly"]
    assert codes == ["USAELI", "USAGOV", "USAELI"] and rows[("Rufus T. Firefly", "USAELI", "", "")]
    front = next(r for r in report.rows if r.name == "Sylvanian Liberation Front")
    assert (front.country, front.sector, front.kind, front.aliases) == ("AFG", "REB", "armed_group",
                                                                       "Sylvanian Liberation Front|SLF")
    guard = next(r for r in report.rows if r.name == "Kosovo Harbour Guard")
    assert (guard.country, guard.sector, guard.start, guard.end) == ("XKX", "MIL", "2008-02-17", "")
    roles = {r.name: r for r in report.rows if r.kind == "role"}
    assert roles["grain grower"].sector == "AGR" and roles["harbour watchman"].sector == "COP"
    assert (report.actors, report.agents) == (4, 3)
    assert [s.reason for s in report.skipped] == ["only the null code ---"]


def test_import_twice_writes_no_duplicate_rows(dictionaries, tmp_path):
    into = tmp_path / "layer.tsv"
    first = import_dictionaries(dictionaries, into)
    text = into.read_text(encoding="utf-8")
    second = import_dictionaries(dictionaries, into)
    assert first.merged.created and first.merged.written > 0
    assert second.merged.written == 0 and second.merged.already == first.merged.written
    assert into.read_text(encoding="utf-8") == text
    rows = read_rows(into)
    assert len(rows) == len({r.key for r in rows}) == first.merged.written
    assert text.splitlines()[1].split("\t") == list(USER_COLUMNS)


def test_imported_layer_resolves_by_date_and_adds_roles(dictionaries, tmp_path):
    into = tmp_path / "layer.tsv"
    import_dictionaries(dictionaries, into)
    kb = KnowledgeBase.load(into)
    assert kb.resolve("Rufus T. Firefly", date(1935, 6, 1)).actor.sector == "GOV"
    assert kb.resolve("President Firefly", date(1950, 1, 1)).actor.sector == "ELI"
    assert kb.resolve("SLF").actor.country == "AFG"
    assert kb.resolve("Timor River Board").actor.country == "TLS"
    assert kb.role("grain growers").sector == "AGR" and kb.role("grain growers").layer == "user"
    assert kb.role("harbour watchwomen").sector == "COP"


def test_cli_import_reports_counts_on_stderr(dictionaries, tmp_path):
    into = tmp_path / "layer.tsv"
    args = ["actors", "import", *map(str, dictionaries), "--format", "petrarch", "--into", str(into)]
    first = CliRunner().invoke(main, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "4 actors" in first.stderr and "3 agents" in first.stderr and "only the null code" in first.stderr
    second = CliRunner().invoke(main, args, catch_exceptions=False)
    assert "0 rows written" in second.stderr


@pytest.mark.slow
def test_import_all_phoenix_actor_dictionaries(tmp_path):
    folder = shared_path("dictionaries", "petrarch2")
    files = sorted(folder.glob("Phoenix.*.actors.txt"))
    assert len(files) == 3
    report = import_dictionaries(files, tmp_path / "phoenix.tsv")
    assert report.actors > 20_000 and report.aliases > 25_000
    assert len(report.skipped) < 50  # a handful of malformed dates and null codes
    assert all("unreadable" not in s.reason for s in report.skipped)
    kb = KnowledgeBase.load(tmp_path / "phoenix.tsv")
    annan = kb.resolve("Kofi Annan", date(2000, 1, 1))
    assert (annan.actor.sector, annan.actor.affiliation, annan.layer) == ("IGO", "United Nations", "user")
    assert kb.resolve("Kofi Annan", date(2010, 1, 1)).actor.sector == "ELI"
    # names the built-in data has keep their curated entries
    assert kb.resolve("Hamas").layer == "builtin"


# -- the knowledge base and its user layer -----------------------------------------------------


def test_builtin_knowledge_base_has_every_state_and_key_actors(kb):
    states = CameoCodes.load().states
    assert len(states) >= 198 and {"USA", "QAT", "PSE", "XKX"} <= states
    countries = {e.actor.country for a in kb.aliases() for e in kb.lookup(a) if e.kind == "country"}
    assert states <= countries
    hamas, jazeera = kb.resolve("Hamas"), kb.resolve("Al Jazeera")
    assert (hamas.actor.country, hamas.actor.sector) == ("PSE", "REB")
    assert (jazeera.actor.country, jazeera.actor.sector) == ("QAT", "JRN")
    assert len(kb.roles) > 300


def test_user_layer_overrides_a_builtin_alias_and_role(tmp_path, kb):
    layer = tmp_path / "layer.tsv"
    header = "\t".join(USER_COLUMNS)
    layer.write_text(
        f"{header}\n"
        "Al Jazeera Media Network\tAl Jazeera\tGBR\tJRN\t\tAJ\tmedia\t\t\t\tmy correction\n"
        "protester\tprotester|protesters\t\tOPP\t\t\trole\t\t\t\tmy coding\n",
        encoding="utf-8",
    )
    user = KnowledgeBase.load(layer)
    entry = user.resolve("Al Jazeera")
    assert (entry.actor.country, entry.layer, entry.source) == ("GBR", "user", "my correction")
    assert [e.layer for e in user.lookup("Al Jazeera")] == ["user"]
    assert kb.resolve("Al Jazeera").actor.country == "QAT"  # the built-in data is unchanged
    assert user.role("protesters").sector == "OPP"
    assert user.role("protesters").kind == kb.role("protesters").kind  # empty role column keeps the kind
    why = explain_name(user, "Al Jazeera", None, builtin=kb)
    assert [c.hidden for c in why.candidates] == [False, True] and "user layer" in why.reason


# -- dyad actors lookup ------------------------------------------------------------------------


def lookup(*args):
    return CliRunner(env={"DYAD_USER_ACTORS": None}).invoke(main, ["actors", "lookup", *args],
                                                             catch_exceptions=False)


def test_lookup_blinken_in_office():
    res = lookup("Antony Blinken", "--date", "2023-11-06")
    assert res.exit_code == 0, res.output
    assert "resolves to: Antony Blinken (USA GOV)" in res.stdout
    assert "holds office on 2023-11-06" in res.stdout


def test_lookup_blinken_out_of_office():
    res = lookup("Antony Blinken", "--date", "2026-01-01", "--format", "jsonl")
    out = json.loads(res.stdout)
    assert out["resolves_to"]["country"] == "USA" and out["resolves_to"]["sector"] == "ELI"
    assert out["reason"].startswith("out of office on 2026-01-01: former")
    assert out["entries"][0]["holds"] is False
    table = lookup("Antony Blinken", "--date", "2026-01-01").stdout
    assert "holds office" not in table and "(USA ELI)" in table


def test_text_that_is_no_alias_resolves_through_the_pipeline(coder, kb):
    assert explain_name(kb, "the Iranian foreign minister").winner is None
    mentions = explain_text(coder.nlp, "the Iranian foreign minister", date(2024, 5, 1))
    assert [(m.actor.country, m.actor.sector) for m in mentions] == [("IRN", "GOV")]


def test_actors_commands_have_examples():
    group = main.commands["actors"]
    for name, command in group.commands.items():
        assert "Example:" in (command.help or ""), name
