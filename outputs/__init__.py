"""Writers (facts.jsonl, Parquet, CSV, SQLite) and the Dataset API."""
