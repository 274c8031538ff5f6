"""khaosan: Thai news in, verifiable structured facts out.

The package is assembled from the repository's stage folders:
``khaosan.corpus`` (corpus/), ``khaosan.pipeline`` (pipeline/),
``khaosan.extractors`` (extractors/) and ``khaosan.outputs`` (outputs/).
"""
from __future__ import annotations

import os

# PyThaiNLP must never reach the network or write to the home folder: everything
# khaosan uses ships inside its wheel.  Set before any pythainlp import.
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

__version__ = "0.1.0"

__all__ = ["__version__", "extract"]


def extract(paths, settings=None):  # noqa: ANN001 - thin lazy re-export
    """Extract facts from files/directories; returns a :class:`khaosan.outputs.dataset.Dataset`."""
    from khaosan.outputs.dataset import extract as _extract

    return _extract(paths, settings=settings)
