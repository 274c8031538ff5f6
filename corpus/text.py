"""Plain-text articles: one ``.txt`` file is one article, the whole file its body."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from khaosan.corpus.article import Article, ReadError
from khaosan.corpus.boilerplate import clean
from khaosan.corpus.files import ReadFailure, read_text_file, stem
from khaosan.pipeline.settings import Settings


def normalize_newlines(text: str) -> str:
    """Windows and old-Mac line ends become ``\\n`` (what text-mode reading would give)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def read_txt(path: Path, settings: Settings) -> Iterator[Article | ReadError]:
    try:
        text, codec = read_text_file(path, settings)
    except ReadFailure as e:
        yield ReadError(str(path), str(e))
        return
    # Boilerplate goes before the Article exists: its text is what every offset refers to.
    text = clean(normalize_newlines(text))
    if not text:
        yield ReadError(str(path), "no article text (only whitespace or page boilerplate)")
        return
    meta = {"format": "txt", "encoding": codec}
    if len(text) > settings.max_article_chars:
        text = text[: settings.max_article_chars]
        meta["truncated"] = "max_article_chars"
    yield Article(doc_id=stem(path), text=text, source=str(path), meta=meta)
