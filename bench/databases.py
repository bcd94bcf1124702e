"""Benchmark databases on the PostgreSQL server that DATABASE_URL names, made before Django
connects: dropped and created afresh, as a copy of a migrated template when one is given
(bench/run_all.py migrates one and passes it as BENCH_TEMPLATE_DB — a copy takes a moment where
migrating afresh takes half a minute)."""

from __future__ import annotations

import os
from urllib.parse import urlparse


def recreate(url: str, name: str, template: str | None = None) -> None:
    import psycopg

    template = os.environ.get("BENCH_TEMPLATE_DB") if template is None else template
    parsed = urlparse(url)
    with psycopg.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.path.lstrip("/"),
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
