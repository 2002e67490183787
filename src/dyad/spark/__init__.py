"""Batch coding on Apache Spark: `dyad spark code` writes Parquet datasets, `dyad import` stores them.

`run(SparkCodeOptions(...))` needs pyspark (and Java); `import_output` needs only pyarrow. The row layout of
the datasets is in `dyad.spark.rows`.
"""

from dyad.spark.job import INPUT_FORMATS, SparkCodeOptions, SparkCodeReport, run
from dyad.spark.load import SparkOutput, import_output

__all__ = ["INPUT_FORMATS", "SparkCodeOptions", "SparkCodeReport", "SparkOutput", "import_output", "run"]
