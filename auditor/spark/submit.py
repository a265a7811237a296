"""Entry point for spark-submit: ``spark-submit [spark options] .../auditor/spark/submit.py INPUT... --out DIR``
takes the arguments of ``auditor run`` and runs it with ``--engine spark`` on the master
spark-submit set (see docs/spark.md)."""

import sys

from auditor.cli import main

if __name__ == "__main__":
    main(["run", *sys.argv[1:], "--engine", "spark"])
