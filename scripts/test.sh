#!/usr/bin/env bash
# Set up a virtual environment with the test and spark extras and run the whole test suite.
# Browser tests need Debian's chromium: installed here when we are root with apt-get,
# otherwise they are skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
export GX_ANALYTICS_ENABLED=false
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
python3 -m venv .venv
.venv/bin/pip install -q -e '.[test,spark]'
# Spark's Python workers run the test venv's interpreter (the Spark tests skip without java)
export PYSPARK_PYTHON="$PWD/.venv/bin/python"
exec .venv/bin/python -m pytest "$@"
