"""`make run`'s embedded broker (SQLite through kombu's SQLAlchemy transport) accepts the
project's Celery settings: the dev profile, with its defaults, connects and round-trips a message.
The test suite itself runs Celery eagerly or on memory:// / Redis, so without this a setting only
the Redis transport knows would break `make run` and nothing else."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import django
django.setup()
from kombu import Queue
from project.celery import app
with app.connection_for_write() as connection:
    connection.ensure_connection(max_retries=1)
    queue = Queue("profrost-probe", routing_key="profrost-probe")
    with connection.Producer() as producer:
        producer.publish({"ok": 1}, routing_key="profrost-probe", declare=[queue])
    with connection.SimpleQueue(queue) as simple:
        message = simple.get(timeout=5)
        message.ack()
        print(message.payload)
"""


def test_the_embedded_broker_of_make_run_connects_with_the_projects_settings(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "DATABASE_"))}
    env.update(DJANGO_SETTINGS_MODULE="project.settings.dev", PROFROST_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "{'ok': 1}" in result.stdout
