"""PLOVER ontology: event types, modes, scores, quad classes, sectors and the CAMEO crosswalk.

The knowledge lives in the TSV files under `data/`; nothing is read until `Ontology.load()`.
"""

from dyad.ontology.ontology import Ontology, load_ontology
from dyad.ontology.records import QUADS, TYPES, CameoCode, EventType, Mode, Sector, plover_types

__all__ = [
    "QUADS",
    "TYPES",
    "CameoCode",
    "EventType",
    "Mode",
    "Ontology",
    "Sector",
    "load_ontology",
    "plover_types",
]
