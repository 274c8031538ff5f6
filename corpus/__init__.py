"""Reading inputs (text, HTML, JSONL/CSV corpora) into :class:`Article` records."""
from khaosan.corpus.article import Article, ReadError

__all__ = ["Article", "ReadError"]
