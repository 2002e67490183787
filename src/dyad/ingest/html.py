"""Web pages (`.html`, `.htm`): main text, title and date by trafilatura."""

from __future__ import annotations

from collections.abc import Iterator

from dyad.model import Article, IngestError

from .dates import parse_date
from .markup import page_title
from .options import ReadOptions

__all__ = ["read_html"]

# Footers inside footers: what unclosed <footer> tags (or footer <div>s) become. trafilatura's licence probe
# (`.//footer//a`) takes time quadratic in their nesting: tens of seconds on a 300 kB page (found by
# bench/fuzz.py). A footer inside another is only its content, so its tag is dropped and its content kept.
_NESTED_FOOTERS = ("//footer[ancestor::footer]",
                   "//div[(contains(@class, 'footer') or contains(@id, 'footer')) and "
                   "ancestor::div[contains(@class, 'footer') or contains(@id, 'footer')]]")


def _flatten_nested_footers(tree) -> None:
    for xpath in _NESTED_FOOTERS:
        for element in tree.xpath(xpath):
            element.drop_tag()

# Dates from the page's markup and metadata only: htmldate's "extensive search" runs dateparser over the text
# in every locale, which takes tens of seconds on some pages (found by bench/fuzz.py).
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


def read_html(text: str, origin: str, options: ReadOptions) -> Iterator[Article | IngestError]:
    """Yield one Article with the page's main text (boilerplate and comments removed).

    Title and date come from the page's metadata, the title falling back to <title>;
    the url from its canonical link; the source from its site name, else options.source.
    """
    # Imported here because loading trafilatura takes a third of a second.
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(text)
    if tree is None:
        yield IngestError(origin, "no main text found in the HTML page")
        return
    _flatten_nested_footers(tree)
    page = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False,
                                       date_extraction_params=_DATE_PARAMS)
    body = (page.text or "").strip() if page is not None else ""
    if not body:
        yield IngestError(origin, "no main text found in the HTML page")
        return
    yield Article.make(
        body,
        date=parse_date(page.date) or options.date,
        title=page.title or page_title(text),
        url=page.url or None,
        source=page.sitename or options.source,
        origin=origin,
    )
