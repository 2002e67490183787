"""Names of the analysis's periods, export formats and layouts (kept light: the CLI imports them for --help)."""

__all__ = ["EXPORT_FORMATS", "LAYOUTS", "PERIODS"]

PERIODS = ("day", "week", "month")
EXPORT_FORMATS = ("csv", "jsonl", "parquet", "graphml")
LAYOUTS = ("dyad", "merged", "gdelt", "polecat")
