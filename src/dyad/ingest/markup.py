"""HTML fragments (feed summaries, titles) to plain text, keeping paragraph breaks."""

from __future__ import annotations

import html as stdlib_html
import re

import lxml.etree
import lxml.html

__all__ = ["html_to_text", "page_title"]

# Elements that end a line or a paragraph when the markup is flattened to text.
LINE_BREAKS = frozenset({"br"})
PARAGRAPHS = frozenset(
    {"p", "div", "li", "ul", "ol", "blockquote", "pre", "table", "tr",
     "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "figure", "figcaption"}
)
_DROP = ("script", "style", "noscript", "template")

_TAG = re.compile(r"<[^>]*>")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment: tags dropped, entities resolved, paragraphs on their own lines."""
    # lxml refuses to set text holding characters XML forbids (NUL, most controls, lone surrogates).
    fragment = _NOT_XML.sub("", fragment)
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        for element in root.iter(*_DROP):
            element.drop_tree()
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue  # comments and processing instructions
            if element.tag in LINE_BREAKS:
                element.tail = "\n" + (element.tail or "")
            elif element.tag in PARAGRAPHS:
                element.tail = "\n\n" + (element.tail or "")
                element.text = "\n" + (element.text or "")
        return _tidy(root.text_content())
    except (ValueError, lxml.etree.ParserError):
        return _tidy(_NOT_XML.sub("", stdlib_html.unescape(_TAG.sub(" ", fragment))))


def page_title(page: str) -> str | None:
    """The text of a page's <title> element, if it has a non-empty one."""
    try:
        root = lxml.html.document_fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return None
    title = " ".join((root.findtext(".//title") or "").split())
    return title or None


def _tidy(text: str) -> str:
    """Collapse runs of spaces, trim each line, keep at most one blank line between paragraphs."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
