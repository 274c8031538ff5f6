"""Rule and pattern extractors, one module per fact family; rules and gazetteers live in ``data/``."""
from khaosan.extractors.base import Extractor, RuleExtractor
from khaosan.extractors.registry import BUILTINS, available, build

__all__ = ["BUILTINS", "Extractor", "RuleExtractor", "available", "build"]
