"""Word tokenization with a custom dictionary built from our gazetteers.

Both engines are PyThaiNLP's newmm algorithm: ``nlpo3`` (its Rust build, about
5 M characters/s with a custom dictionary) is the default, ``newmm`` (pure
Python, about 0.8 M characters/s) is the reference.  The dictionary is
PyThaiNLP's ``thai_words()`` plus every gazetteer surface form, so names,
agencies and provinces stay whole tokens.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from itertools import accumulate
from pathlib import Path

Tokenizer = Callable[[str], list[str]]


def _dictionary_words(extra: Iterable[str]) -> list[str]:
    from pythainlp.corpus import thai_words

    words = set(thai_words())
    words.update(w.strip() for w in extra if w and w.strip() and "\n" not in w)
    return sorted(words)


def _nlpo3(words: list[str]) -> Tokenizer:
    import nlpo3

    digest = hashlib.sha1("\n".join(words).encode("utf-8")).hexdigest()[:16]
    name = f"khaosan-{digest}"
    # nlpo3 loads dictionaries from files only; one file per dictionary content,
    # in the temp folder so read-only installs work.
    path = Path(tempfile.gettempdir()) / f"{name}-{os.getpid()}.txt"
    path.write_text("\n".join(words), encoding="utf-8")
    try:
        nlpo3.load_dict(str(path), name)
    finally:
        path.unlink(missing_ok=True)

    def tokenize(text: str) -> list[str]:
        return nlpo3.segment(text, name)

    return tokenize


def _newmm(words: list[str]) -> Tokenizer:
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import Trie

    trie = Trie(words)

    def tokenize(text: str) -> list[str]:
        return word_tokenize(text, engine="newmm", custom_dict=trie, keep_whitespace=True)

    return tokenize


ENGINES: dict[str, Callable[[list[str]], Tokenizer]] = {"nlpo3": _nlpo3, "newmm": _newmm}


def make_tokenizer(engine: str, extra_words: Iterable[str] = ()) -> Tokenizer:
    """A tokenizer whose tokens concatenate back to the input text."""
    try:
        factory = ENGINES[engine]
    except KeyError:
        raise ValueError(f"unknown tokenizer engine {engine!r}; choose one of {sorted(ENGINES)}") from None
    return factory(_dictionary_words(extra_words))


def token_bounds(tokens: list[str]) -> list[int]:
    """Where each token starts, then where the last one ends (running sums in C, not a Python loop)."""
    return list(accumulate(map(len, tokens), initial=0))
