"""dyad: political event data from news text.

Read articles, resolve actors, code PLOVER events with modality, attribution and dates, extract
standing ties, and store them. The command line (`dyad`) is a thin layer over this API.
"""

from dyad.model import (
    Actor,
    ActorRef,
    Article,
    CodedArticle,
    Event,
    IngestError,
    Mention,
    Modality,
    Tie,
)
from dyad.settings import Settings

__all__ = [
    "Actor",
    "ActorRef",
    "Article",
    "CodedArticle",
    "Coder",
    "Event",
    "IngestError",
    "Mention",
    "Modality",
    "ParallelCoder",
    "Settings",
    "Store",
    "Tie",
    "code_paths",
]

__version__ = "0.1.0"


def __getattr__(name: str):
    # The pipeline and store pull in spaCy and SQLAlchemy: import them only when asked for.
    if name in {"Coder", "code_paths"}:
        from dyad import pipeline

        return getattr(pipeline, name)
    if name == "ParallelCoder":
        from dyad.parallel import ParallelCoder

        return ParallelCoder
    if name == "Store":
        from dyad.store import Store

        return Store
    raise AttributeError(name)
