"""Normalise, tokenize, split sentences, run the extractors, resolve within an article."""
