"""The public API is explicit and complete; importing dyad does no heavy work."""

import subprocess
import sys

import dyad


def test_all_names_resolve():
    for name in dyad.__all__:
        assert getattr(dyad, name) is not None, name


def test_import_does_not_load_spacy():
    code = "import sys, dyad; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
