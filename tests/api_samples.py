"""Made-up articles for the API and browser tests (written for these tests; no real reporting).

One of them carries markup in its title and text, which every page must show as text.
"""

from __future__ import annotations

from datetime import date

from dyad.model import Article

__all__ = ["HOSTILE", "SAMPLES", "sample_articles"]

HOSTILE = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"

SAMPLES = [
    dict(
        text="Egypt hosted talks between Israel and Hamas in Cairo on Monday. Qatar mediated the talks, "
             "officials said. Israel later accused Hamas of violating the truce.",
        date=date(2024, 3, 4), title="Talks in Cairo", source="Test Wire", url="https://example.org/cairo",
    ),
    dict(
        text="The United States accused China of cyber espionage on Tuesday. China rejected the accusation "
             "and warned the United States against interference. The two countries agreed to resume talks.",
        date=date(2024, 4, 9), title="Washington and Beijing trade charges", source="Test Wire",
    ),
    dict(
        text=f"Russia threatened Ukraine on Friday {HOSTILE} and Ukraine rejected the threat {HOSTILE_IMG}. "
             f"Turkey offered to mediate between Russia and Ukraine.",
        date=date(2024, 5, 3), title=f"Markup {HOSTILE} {HOSTILE_IMG} in a title", source=f"Desk {HOSTILE_IMG}",
        url="javascript:alert(1)",
    ),
    dict(
        text="Qatar hosts the political leadership of Hamas in Doha. The United States met Qatar's prime minister "
             "in Doha on Wednesday and asked Qatar to press Hamas to release hostages.",
        date=date(2024, 5, 15), title="Doha channel", source="Test Wire",
    ),
]


def sample_articles() -> list[Article]:
    """The samples as Articles (their ids are hashes of their texts)."""
    return [Article.make(origin=f"samples:{n}", **fields) for n, fields in enumerate(SAMPLES, start=1)]
