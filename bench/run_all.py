"""Run every benchmark in bench/, one after another, on PostgreSQL; exit non-zero if any fails.

    DATABASE_URL=postgres://profrost:profrost-ci@127.0.0.1:5432/profrost .venv/bin/python bench/run_all.py --small
    DATABASE_URL=… .venv/bin/python bench/run_all.py                 # full scale: tens of minutes
    DATABASE_URL=… .venv/bin/python bench/run_all.py deadlines rma   # some groups only

`--small` (or BENCH_SCALE=small) is what CI runs after its PostgreSQL test run: every script on a
few rows, seconds each, no target judged — so a schema change that breaks a benchmark breaks CI.
DATABASE_URL names a server and a database to connect to; the benchmarks work in databases of
their own beside it, named after it and dropped and created afresh: «<name>_bench_template»
(migrated once; the others are copies of it, which takes a moment where migrating takes half a
minute), «<name>_bench_deadlines» (the generated region; kept afterwards, so one script can be
re-run alone), «<name>_bench_rma», and «test_<name>_documents_bench» (dropped at the end). Each
script's own docstring says what it measures and its options at full scale.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import databases

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

GROUPS = {
    "deadlines": [
        ["generate_region.py"],
        ["deadlines_inbox.py"],
        ["deadlines_overdue_page.py", "--export"],
        ["deadlines_scan.py"],
    ],
    "rma": [["rma_complete.py"], ["rma_batch.py"]],
    "documents": [["documents_render.py"], ["documents_pdf.py"]],
    "monitoring": [["monitoring_fanout.py"], ["monitoring_analysis.py"], ["monitoring_collection.py"]],
    "internships": [["internships_ranking.py"]],
    "diagnostics": [["diagnostics_import.py"]],
    "iom": [["iom_register.py"]],
}


def with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def run(label: str, command: list[str], env: dict, results: list) -> bool:
    print(f"\n--- {label}", flush=True)
    started = time.monotonic()
    code = subprocess.call(command, cwd=ROOT, env=env)
    if code < 0:  # killed by a signal (seen once, not reproduced, with no output): once more, and say so
        signal = -code
        print(f"--- {label}: killed by signal {signal}; running it once more", flush=True)
        code = subprocess.call(command, cwd=ROOT, env=env)
        label += f" (killed by signal {signal} on the first run)"
    elapsed = time.monotonic() - started
    results.append((label, code, elapsed))
    return code == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("groups", nargs="*", help=f"groups to run: {', '.join(GROUPS)} (all by default)")
    parser.add_argument("--small", action="store_true", help="every script at its small scale (CI)")
    options = parser.parse_args()
    unknown = set(options.groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown groups: {', '.join(sorted(unknown))}")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Нужен PostgreSQL: задайте DATABASE_URL=postgres://user:pass@host:5432/db", file=sys.stderr)
        return 2
    base = urlparse(url).path.lstrip("/") or "profrost"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if options.small:
        env["BENCH_SCALE"] = "small"
    env.pop("DJANGO_SETTINGS_MODULE", None)  # each script picks its own settings
    python = sys.executable
    results: list[tuple[str, int, float]] = []

    # Migrate once, into a template every benchmark database is copied from (its settings have
    # every app of the others plus the test-only sample flow the deadline benchmarks use).
    template = f"{base}_bench_template"
    databases.recreate(url, template, template="")
    settings = "bench.deadlines_settings"
    migrate_env = {**env, "DATABASE_URL": with_database(url, template), "DJANGO_SETTINGS_MODULE": settings}
    migrated = run("migrate the template database", [python, "manage.py", "migrate", "-v0"], migrate_env, results)
    env["BENCH_TEMPLATE_DB"] = template
    for group in (options.groups or list(GROUPS)) if migrated else []:
        group_env = dict(env)
        if group == "deadlines":
            name = f"{base}_bench_deadlines"
            databases.recreate(url, name, template)
            group_env.update(DATABASE_URL=with_database(url, name), DJANGO_SETTINGS_MODULE=settings)
        elif group == "rma":
            group_env["RMA_BENCH_DB"] = f"{base}_bench_rma"
        elif group == "monitoring":
            group_env["MONITORING_BENCH_DB"] = f"{base}_bench_monitoring"
        elif group == "internships":
            group_env["INTERNSHIPS_BENCH_DB"] = f"{base}_bench_internships"
        elif group == "diagnostics":
            group_env["DIAGNOSTICS_BENCH_DB"] = f"{base}_bench_diagnostics"
        elif group == "iom":
            group_env["IOM_BENCH_DB"] = f"{base}_bench_iom"
        for script, *arguments in GROUPS[group]:
            ok = run(" ".join([script, *arguments]), [python, str(BENCH / script), *arguments], group_env, results)
            if not ok and group == "deadlines":
                break  # the later deadline scripts read what the generator wrote

    print(f"\n=== benchmarks ({'small' if options.small else 'full'} scale)")
    for label, code, elapsed in results:
        outcome = "ok    " if code == 0 else "FAILED"
        print(f"   {outcome} {elapsed:7.1f} s  {label}" + (f" (exit code {code})" if code else ""))
    failed = [label for label, code, _ in results if code != 0]
    print(f"   {len(results)} benchmark steps run, {len(failed)} of them failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
