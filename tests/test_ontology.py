"""Tests for dyad.ontology: the PLOVER data files and the Ontology lookups over them."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

import dyad.ontology
from dyad.ontology import QUADS, TYPES, Ontology, load_ontology, plover_types

DATA_FILES = ("event_types.tsv", "modes.tsv", "sectors.tsv", "cameo2plover.tsv")

# (quad class, score) per type, from the manual's event-categories chapter and score table.
EXPECTED_TYPES = {
    "AGREE": (1, 2.5),
    "CONSULT": (1, 2.5),
    "SUPPORT": (1, 5.0),
    "CONCEDE": (1, 4.5),
    "COOPERATE": (2, 9.5),
    "AID": (2, 10.0),
    "RETREAT": (2, 6.5),
    "REQUEST": (3, 0.0),
    "ACCUSE": (3, -3.0),  # the table's "3" is a sign typo
    "REJECT": (3, -2.0),
    "THREATEN": (3, -3.5),
    "PROTEST": (4, -5.0),
    "SANCTION": (4, -6.0),
    "MOBILIZE": (4, -5.5),
    "COERCE": (4, -7.0),
    "ASSAULT": (4, -9.0),
}

# Number of modes the manual defines per type (PROTEST includes vandalize, which has no score).
EXPECTED_MODE_COUNTS = {
    "CONSULT": 4,
    "RETREAT": 6,
    "REQUEST": 4,
    "ACCUSE": 3,
    "REJECT": 4,
    "THREATEN": 6,
    "PROTEST": 7,
    "SANCTION": 4,
    "MOBILIZE": 4,
    "COERCE": 10,
    "ASSAULT": 15,
}


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return Ontology.load()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data files."""
    source = resources.files("dyad.ontology").joinpath("data")
    for name in DATA_FILES:
        (tmp_path / name).write_text(source.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def _append(path: Path, row: str) -> int:
    """Append a row to a data file and return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + row + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_all_sixteen_types_load_in_manual_order(onto: Ontology) -> None:
    assert onto.types() == TYPES == plover_types()
    assert len(TYPES) == 16


@pytest.mark.parametrize("name", TYPES)
def test_each_type_has_quad_score_and_description(onto: Ontology, name: str) -> None:
    event_type = onto.event_type(name)
    quad_class, score = EXPECTED_TYPES[name]
    assert event_type.quad == QUADS[quad_class - 1]
    assert event_type.quad_class == onto.quad_class(name) == quad_class
    assert event_type.score == onto.score(name) == score
    assert event_type.description


def test_quad_classes_group_types_as_the_manual_does(onto: Ontology) -> None:
    by_class = {c: [t for t in onto.types() if onto.quad_class(t) == c] for c in (1, 2, 3, 4)}
    assert by_class == {
        1: ["AGREE", "CONSULT", "SUPPORT", "CONCEDE"],
        2: ["COOPERATE", "AID", "RETREAT"],
        3: ["REQUEST", "ACCUSE", "REJECT", "THREATEN"],
        4: ["PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"],
    }


def test_requires_recipient_only_for_cooperate_aid_sanction(onto: Ontology) -> None:
    assert {t for t in onto.types() if onto.requires_recipient(t)} == {"COOPERATE", "AID", "SANCTION"}


def test_type_lookup_is_case_insensitive_and_unknown_types_raise(onto: Ontology) -> None:
    assert onto.event_type(" consult ").name == "CONSULT"
    with pytest.raises(KeyError, match="FIGHT"):
        onto.event_type("FIGHT")


def test_every_mode_belongs_to_a_known_type(onto: Ontology) -> None:
    for name in onto.types():
        for mode in onto.modes(name):
            assert mode.type == name
            assert mode.description
    counts = {t: len(onto.modes(t)) for t in onto.types() if onto.modes(t)}
    assert counts == EXPECTED_MODE_COUNTS


def test_request_and_reject_share_modes(onto: Ontology) -> None:
    names = [m.name for m in onto.modes("REQUEST")]
    assert names == [m.name for m in onto.modes("REJECT")] == ["assist", "change", "yield", "meet"]


def test_mode_scores_come_from_the_score_table(onto: Ontology) -> None:
    assert onto.score("CONSULT", "phone") == 1.5
    assert onto.score("RETREAT", "disarm") == 10
    assert onto.score("THREATEN", "territory") == -4
    assert onto.score("COERCE", "martial-law") == -7.5
    assert onto.score("ASSAULT", "unconventional") == -10
    assert all(m.score is not None and m.score < 0 for m in onto.modes("ACCUSE"))


def test_score_falls_back_to_the_type(onto: Ontology) -> None:
    assert onto.score("PROTEST", "vandalize") == onto.score("PROTEST") == -5  # mode without a score
    assert onto.score("PROTEST", "no-such-mode") == -5
    assert onto.score("AGREE", None) == 2.5


def test_cameo_falls_back_to_the_type(onto: Ontology) -> None:
    assert onto.cameo("CONSULT", "visit") == "042"
    assert onto.cameo("CONSULT", "multilateral") == onto.cameo("CONSULT") == "040"
    assert onto.cameo("ASSAULT", "aerial") == "195"
    assert onto.cameo("AGREE") == "030"


def test_mode_lookup(onto: Ontology) -> None:
    assert onto.mode("coerce", "Arrest").cameo == "173"
    with pytest.raises(KeyError, match="not a mode of CONSULT"):
        onto.mode("CONSULT", "riot")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("030", ("AGREE", None)),
        ("042", ("CONSULT", "visit")),
        ("0431", ("CONSULT", "visit")),  # not in CAMEO: falls back to 043
        ("0499", ("CONSULT", None)),  # falls back past 049 to the root 04
        ("04", ("CONSULT", None)),
        ("1056", ("REQUEST", "yield")),
        ("1712", ("ASSAULT", "destroy")),
        ("191", ("COERCE", "restrict")),
        ("186", ("ASSAULT", "targeted")),
        ("2042", ("ASSAULT", "unconventional")),
        (" 145 ", ("PROTEST", "riot")),
    ],
)
def test_from_cameo(onto: Ontology, code: str, expected: tuple[str, str | None]) -> None:
    assert onto.from_cameo(code) == expected


@pytest.mark.parametrize("code", ["010", "02", "", "abc", "9"])
def test_from_cameo_without_a_plover_type(onto: Ontology, code: str) -> None:
    assert onto.from_cameo(code) is None


def test_cameo_entry_carries_contexts_description_and_goldstein(onto: Ontology) -> None:
    entry = onto.cameo_entry("094")
    assert entry is not None
    assert entry.contexts == ("military", "legal")
    assert entry.description == "Investigate war crimes"
    assert entry.goldstein == -2.0


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ("03", "AGREE"),
        ("08", "CONCEDE"),
        ("09", "ACCUSE"),
        ("11", "ACCUSE"),
        ("15", "MOBILIZE"),
        ("19", "ASSAULT"),
    ],
)
def test_to_root_type(onto: Ontology, root: str, expected: str) -> None:
    assert onto.to_root_type(root) == expected


def test_to_root_type_rejects_dropped_and_malformed_roots(onto: Ontology) -> None:
    with pytest.raises(KeyError):
        onto.to_root_type("01")
    with pytest.raises(ValueError):
        onto.to_root_type("190")


def test_type_and_mode_cameo_codes_are_crosswalked_to_the_same_type(onto: Ontology) -> None:
    for name in onto.types():
        assert onto.from_cameo(onto.cameo(name))[0] == name
        for mode in onto.modes(name):
            if mode.cameo is not None:
                assert onto.from_cameo(mode.cameo)[0] == name, mode


def test_every_root_from_03_to_20_has_a_type(onto: Ontology) -> None:
    # RETREAT has no root of its own: CAMEO 08 YIELD is split, and its root falls back to CONCEDE.
    assert {onto.to_root_type(f"{n:02d}") for n in range(3, 21)} == set(TYPES) - {"RETREAT"}


def test_sectors(onto: Ontology) -> None:
    for code in ("GOV", "MIL", "COP", "JRN", "MED", "PRE", "IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"):
        assert onto.is_sector(code)
    assert onto.is_sector("gov")
    assert not onto.is_sector("USA")
    assert onto.sector("MED").name == "Health"
    assert len(onto.sectors()) == 32


def test_load_is_cached(onto: Ontology) -> None:
    assert Ontology.load() is load_ontology() is onto


def test_import_reads_no_files() -> None:
    code = "import dyad.ontology as o; assert o.load_ontology.cache_info().currsize == 0"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_public_api_is_complete() -> None:
    public = {name for name in vars(dyad.ontology) if not name.startswith("_")}
    modules = {"ontology", "records"}
    assert set(dyad.ontology.__all__) == public - modules


def test_shipped_files_pass_validation(data_copy: Path) -> None:
    assert Ontology.from_dir(data_copy).types() == TYPES
    assert Ontology.from_dir(str(data_copy)).types() == TYPES


def test_unknown_type_in_modes_names_file_and_line(data_copy: Path) -> None:
    line = _append(data_copy / "modes.tsv", "DEMAND\tloud\t-1\t\tA type PLOVER dropped.")
    with pytest.raises(ValueError, match=rf"modes\.tsv:{line}: unknown PLOVER type 'DEMAND'"):
        Ontology.from_dir(data_copy)


def test_unknown_type_in_crosswalk_names_file_and_line(data_copy: Path) -> None:
    line = _append(data_copy / "cameo2plover.tsv", "0199\tFIGHT\t\t\tMade up\t")
    with pytest.raises(ValueError, match=rf"cameo2plover\.tsv:{line}: unknown PLOVER type 'FIGHT'"):
        Ontology.from_dir(data_copy)


def test_unknown_mode_in_crosswalk_names_file_and_line(data_copy: Path) -> None:
    line = _append(data_copy / "cameo2plover.tsv", "0199\tTHREATEN\tban\t\tMade up\t")
    with pytest.raises(ValueError, match=rf"cameo2plover\.tsv:{line}: 'ban' is not a mode of THREATEN"):
        Ontology.from_dir(data_copy)


def test_duplicate_and_missing_types_are_rejected(data_copy: Path) -> None:
    path = data_copy / "event_types.tsv"
    original = path.read_text(encoding="utf-8")
    line = _append(path, "AGREE\tverbal_cooperation\t2.5\tno\t030\tAgain.")
    with pytest.raises(ValueError, match=rf"event_types\.tsv:{line}: type AGREE is listed twice"):
        Ontology.from_dir(data_copy)
    path.write_text("".join(row for row in original.splitlines(keepends=True) if not row.startswith("AID\t")))
    with pytest.raises(ValueError, match=r"event_types\.tsv: missing PLOVER types AID"):
        Ontology.from_dir(data_copy)


def test_bad_header_and_bad_number_are_rejected(data_copy: Path) -> None:
    path = data_copy / "sectors.tsv"
    path.write_text("code\tname\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"sectors\.tsv:1: header"):
        Ontology.from_dir(data_copy)
    line = _append(data_copy / "modes.tsv", "ASSAULT\tsling\tvery bad\t\tSlings.")
    path.write_text("code\tname\tdescription\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"modes\.tsv:{line}: column 'score' is not a number"):
        Ontology.from_dir(data_copy)
