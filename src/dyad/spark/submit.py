"""Driver script for spark-submit, which takes a Python file rather than a command:

    spark-submit --master spark://HOST:7077 [...] "$(python -c 'import dyad.spark.submit as s; print(s.__file__)')" \
        INPUT --output DIR [--partitions N]

The arguments are those of `dyad spark code` (without --master: spark-submit's own applies).
"""

import runpy
import sys

if __name__ == "__main__":
    sys.argv = ["dyad", "spark", "code", *sys.argv[1:]]
    runpy.run_module("dyad.cli", run_name="__main__")
