"""Sentence boundaries the parser must respect: paragraph breaks and a title line.

spaCy's parser decides where sentences end, and a line break is only white space to it: a title with no full
stop is glued to the article's first sentence, and the parse of both is lost. `LineBreaks` runs before the
parser and starts a sentence after a blank line, after the text's first line when that line has no final
punctuation (a title), and after a line that ends a sentence. A single line break inside running text (a
hard-wrapped paragraph) starts nothing.
"""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["LineBreaks"]

_ENDS = frozenset({".", "!", "?", '"', "”", "’", "»"})


class LineBreaks:
    """spaCy component (`dyad_breaks`, before the parser): sets `is_sent_start` at paragraph and title breaks."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        first_line_end = text.find("\n")
        last = None
        for tok in doc:
            if tok.is_space:
                continue
            if last is not None:
                gap = text[last.idx + len(last.text) : tok.idx]
                if "\n" in gap and (gap.count("\n") >= 2 or last.idx < first_line_end or last.text in _ENDS):
                    tok.is_sent_start = True
            last = tok
        return doc
