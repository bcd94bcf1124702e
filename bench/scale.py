"""The benchmarks' scale. Full by default (the figures the issues quote); small with `--small` or
BENCH_SCALE=small: the same code paths on a few rows, seconds a script, so that CI runs every
benchmark (bench/run_all.py --small) and a schema change breaks CI instead of silently breaking
the benchmarks. Figures at the small scale measure nothing: no target is judged there."""

import os
import sys

SMALL = os.environ.get("BENCH_SCALE", "").strip().lower() == "small" or "--small" in sys.argv[1:]
SMALL_HELP = "a few rows, seconds (CI runs every benchmark so); also BENCH_SCALE=small"


def add_argument(parser) -> None:
    parser.add_argument("--small", action="store_true", help=SMALL_HELP)


def verdict(met: bool) -> str:
    if SMALL:
        return "not judged (small scale)"
    return "met" if met else "NOT met"
