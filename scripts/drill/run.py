"""The production profile as it runs, drilled (issue 11): no Docker, real processes on this machine.

0. Its own PostgreSQL cluster (initdb into the drill's directory, a free port) and its own Redis
   (append-only file, as docker-compose runs it), so that restarting them disturbs nobody else's
   tests; both stopped at the end.
1. A fresh database: the owner role migrates and grants (db_grants); everything after runs as the
   application role `profrost_app`, as in docker-compose.yml.
2. gunicorn (2 workers), a Celery worker and beat on PostgreSQL and Redis, project.settings.prod.
3. Through HTTP: a token, then an РМА application that fails the formal criteria — the worker
   issues the справка об отказе (.docx) and converts it to PDF. Timings are printed.
4. kill -9 while documents are due: N справки enqueued at once while the worker is killed with
   SIGKILL again and again and started anew; at the end every one is issued exactly once and the
   register's numbers run 1..N without a gap.
5. kill -9 while reminders are due: tasks of real flows (monitoring campaigns, whose notices come as
   one digest per official and day, and every other open task of the demo) fall due in waves — a
   reminder, or an overdue notice with its escalation — while the worker is killed with SIGKILL;
   at the end every outbox row is delivered once to each recipient (in-app notification or digest
   line), each official has one digest, and every letter is in the mail directory under its own
   Message-ID (a copy sent again by a killed worker has the same one and is counted as a resend).
6. PostgreSQL, then Redis, restarted under load: HTTP clients (the schools' systems) submit
   monitoring forms (a task completion each) while the worker issues справки; errors only during
   the outage, recovery within seconds (printed), then the invariant checker (invariants.py) over
   tasks, artefacts, audit, documents and outbox finds nothing half-applied. While Redis is down a
   few справки are enqueued: the committing caller gets no error, the jobs wait in DocumentJob, and
   once Redis is back the requeue sweep hands them to the worker, which issues each once.
7. schemathesis against the published OpenAPI schema, bounded: no 500, no response off the schema.

Needs PostgreSQL 15 binaries (initdb, pg_ctl; as root they run through `runuser -u postgres`),
redis-server and redis-cli. Every wait is bounded; the whole run stops itself.
Run: .venv/bin/python scripts/drill/run.py [--documents 40] [--kills 3]
"""

import argparse
import email
import glob
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"


def log(message: str) -> None:
    print(f"[drill +{time.monotonic() - START:6.1f}s] {message}", flush=True)


START = time.monotonic()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float, step: float = 0.1) -> float | None:
    """Seconds until `condition()` held, or None after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if condition():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001 — not up yet, whatever the reason
            pass
        time.sleep(step)
    return None


class Services:
    """The drill's own PostgreSQL cluster and Redis server: initdb into its directory on a free port
    (as root through `runuser -u postgres`, since initdb refuses root), Redis with an append-only
    file like docker-compose's. Restarting them disturbs nobody's tests on 5432 and 6379."""

    def __init__(self, var: Path):
        self.var = var
        self.pg_dir, self.redis_dir = var / "pg", var / "redis"
        self.pg_port, self.redis_port = free_port(), free_port()
        self.password = secrets.token_urlsafe(16)
        self.redis: subprocess.Popen | None = None
        self.pg_running = False
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
        self.pg_bin = Path(binaries[-1]) if binaries else Path(shutil.which("initdb") or "initdb").parent

    def _as_postgres(self, command: list) -> list:
        return ["runuser", "-u", "postgres", "--", *map(str, command)] if os.geteuid() == 0 else list(map(str, command))

    def _run(self, command: list, timeout=120) -> None:
        result = subprocess.run(self._as_postgres(command), capture_output=True, text=True, timeout=timeout, cwd="/")
        if result.returncode:
            raise RuntimeError(f"{command[0]} failed: {result.stdout}\n{result.stderr}")

    def url(self, role: str, password: str) -> str:
        return f"postgres://{role}:{password}@{HOST}:{self.pg_port}/"

    def start(self) -> None:
        t0 = time.monotonic()
        data = self.pg_dir / "data"
        secret = self.pg_dir / "superuser-password"
        if data.exists():
            self.password = secret.read_text()
        else:
            self.pg_dir.mkdir(parents=True, exist_ok=True)
            secret.write_text(self.password)
            if os.geteuid() == 0:
                shutil.chown(self.pg_dir, "postgres", "postgres")
                shutil.chown(secret, "postgres", "postgres")
            secret.chmod(0o600)
            self._run([self.pg_bin / "initdb", "-D", data, "-U", "postgres", f"--pwfile={secret}",
                       "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        self.pg_start()
        self.sql("postgres", [
            "CREATE ROLE profrost LOGIN CREATEDB PASSWORD 'profrost-ci'",
            "CREATE ROLE profrost_app LOGIN PASSWORD 'profrost-app-ci'",
        ], ignore_existing=True)
        self.redis_start()
        log(f"own PostgreSQL {self.pg_bin.parent.name} on port {self.pg_port} and Redis on port {self.redis_port} "
            f"started in {time.monotonic() - t0:.1f} s ({self.var})")

    def sql(self, database: str, statements: list[str], ignore_existing=False) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres", self.password) + database, autocommit=True) as connection:
            for statement in statements:
                try:
                    connection.execute(statement)
                except psycopg.errors.DuplicateObject:
                    if not ignore_existing:
                        raise

    def pg_ready(self) -> bool:
        import psycopg

        with psycopg.connect(self.url("postgres", self.password) + "postgres", connect_timeout=2) as connection:
            return connection.execute("SELECT 1").fetchone() == (1,)

    def pg_start(self) -> None:
        # fsync off: a throwaway cluster, stopped cleanly; the restart below is a clean stop and start
        options = (f"-p {self.pg_port} -k {self.pg_dir} -c listen_addresses={HOST} -c fsync=off "
                   "-c full_page_writes=off -c max_connections=200")
        self._run([self.pg_bin / "pg_ctl", "-D", self.pg_dir / "data", "-l", self.pg_dir / "server.log", "-o",
                   options, "-w", "-t", "60", "start"])
        self.pg_running = True

    def pg_stop(self) -> None:
        # fast: connections are terminated at once, as a database server restart does
        self._run([self.pg_bin / "pg_ctl", "-D", self.pg_dir / "data", "-m", "fast", "-w", "-t", "60", "stop"])
        self.pg_running = False

    def redis_ping(self) -> bool:
        result = subprocess.run(["redis-cli", "-h", HOST, "-p", str(self.redis_port), "ping"], capture_output=True,
                                text=True, timeout=5)
        return result.stdout.strip() == "PONG"

    def redis_start(self) -> None:
        self.redis_dir.mkdir(parents=True, exist_ok=True)
        logfile = open(self.redis_dir / "server.log", "ab")  # noqa: SIM115 — closed with the process
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", HOST, "--dir", str(self.redis_dir),
             "--appendonly", "yes", "--save", "", "--daemonize", "no"],
            stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True,
        )
        if wait_for(self.redis_ping, 30) is None:
            raise RuntimeError("the drill's redis-server did not answer within 30 s")

    def redis_stop(self) -> None:
        if self.redis is None or self.redis.poll() is not None:
            return
        # SHUTDOWN writes the append-only file, as `docker restart` of the redis service does
        subprocess.run(["redis-cli", "-h", HOST, "-p", str(self.redis_port), "shutdown"], capture_output=True,
                       timeout=30)
        try:
            self.redis.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.redis.pid, signal.SIGKILL)
            self.redis.wait(10)

    def stop(self) -> None:
        self.redis_stop()
        if self.pg_running:
            try:
                self.pg_stop()
            except Exception as exc:  # noqa: BLE001 — report and go on stopping
                log(f"stopping the drill's PostgreSQL failed: {exc}")


class Drill:
    def __init__(self, args):
        self.args = args
        self.db = args.database
        self.var = Path(tempfile.gettempdir()) / f"profrost-drill-{self.db}"
        if not args.reuse:
            shutil.rmtree(self.var, ignore_errors=True)
        for sub in ("log", "mail", "media"):
            (self.var / sub).mkdir(parents=True, exist_ok=True)
        self.services = Services(self.var)
        self.owner = self.services.url("profrost", "profrost-ci")
        self.app = self.services.url("profrost_app", "profrost-app-ci")
        redis = f"redis://{HOST}:{self.services.redis_port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "project.settings.prod",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_CACHE_URL": f"{redis}/0",
            "CELERY_BROKER_URL": f"{redis}/1",
            "PROFROST_VAR_DIR": str(self.var),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "PROFROST_BROKER_VISIBILITY_TIMEOUT": str(args.visibility_timeout),
            # issue jobs a dying worker or a broker outage lost: swept within a minute or two
            "PROFROST_DOCUMENT_JOB_REQUEUE_SECONDS": "30",
            "PROFROST_DOCUMENT_REQUEUE_EVERY_SECONDS": "10",
            "DATABASE_URL": self.app + self.db,
            "DATABASE_CONN_MAX_AGE": "0",
            # reminders: the deadline scan and the delivery every few seconds, a killed worker's
            # letter retried after seconds, digests at any hour of the day the drill runs
            "PROFROST_DEADLINE_SCAN_SECONDS": "4",
            "PROFROST_OUTBOX_DELIVER_SECONDS": "6",
            "PROFROST_EMAIL_RETRY_SECONDS": "3",
            "PROFROST_DIGEST_HOUR": "0",
            "PROFROST_SITE_URL": "https://profrost.drill.example",
        }
        self.processes: dict[str, subprocess.Popen] = {}
        # The supervisor restarts a process that exits on its own, as docker-compose's
        # `restart: unless-stopped` does in production (a Celery worker can die of a broker
        # reconnect: kombu's «Unrecoverable error … 'NoneType' object has no attribute 'hostname'»).
        self.commands: dict[str, object] = {}
        self.restarts: Counter = Counter()
        self.lock = threading.RLock()
        self.supervising = threading.Event()

    # --- processes -----------------------------------------------------------------------------

    def manage(self, *command, owner=False, timeout=600, stdin=None) -> str:
        env = {**self.env, "DATABASE_URL": (self.owner if owner else self.app) + self.db}
        result = subprocess.run(
            [BIN / "python", "manage.py", *command],
            cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def shell(self, code: str, timeout=120) -> dict:
        """Runs Python in the project (as the app role); the code prints one JSON line last."""
        out = self.manage("shell", "-c", code, timeout=timeout)
        return json.loads(out.strip().splitlines()[-1])

    def start(self, name: str, command) -> None:
        """`command`: the argument list, or a callable making it (a worker gets a new node name)."""
        logfile = open(self.var / "log" / f"{name}.log", "ab")  # noqa: SIM115 — closed with the process
        with self.lock:
            self.commands[name] = command
            self.processes[name] = subprocess.Popen(
                command() if callable(command) else command,
                cwd=ROOT, env=self.env, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def start_worker(self) -> None:
        self.start("worker", lambda: [BIN / "celery", "-A", "project", "worker", "--loglevel=INFO",
                                      "--concurrency=2", "--without-gossip", "--without-mingle",
                                      "-n", f"drill-{uuid.uuid4().hex[:6]}@%h"])

    def supervise(self) -> None:
        """Restart, within a second, whatever exited without the drill stopping it."""
        def loop():
            while not self.supervising.wait(1.0):
                with self.lock:
                    for name, process in list(self.processes.items()):
                        if process.poll() is not None:
                            self.restarts[name] += 1
                            log(f"{name} exited on its own (code {process.returncode}); restarted, as "
                                "docker-compose's `restart: unless-stopped` does")
                            self.start(name, self.commands[name])

        threading.Thread(target=loop, daemon=True).start()

    def kill(self, name: str, sig=signal.SIGTERM) -> None:
        with self.lock:
            process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)  # the whole group: a Celery worker's pool children too
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def stop_all(self) -> None:
        self.supervising.set()
        for name in list(self.processes):
            self.kill(name)
        self.services.stop()

    def query(self, sql: str, params=()) -> list[tuple]:
        """Straight in the database as the app role (a manage.py shell takes seconds to start)."""
        import psycopg

        with psycopg.connect(self.app + self.db) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def issued(self, marker: str) -> int:
        return self.query("SELECT count(*) FROM documents_issueddocument WHERE data->>'drill_marker' = %s",
                          [marker])[0][0]

    # --- phases --------------------------------------------------------------------------------

    def setup(self) -> None:
        self.services.start()
        if self.args.reuse and (self.services.pg_dir / "data").exists() and self.query("SELECT 1"):
            log(f"reusing database {self.db}")
            return
        self.services.sql("postgres", [f"CREATE DATABASE {self.db} OWNER profrost"])
        t0 = time.monotonic()
        self.manage("migrate", "--noinput", "-v0", owner=True)
        self.manage("db_grants", "--app-role", "profrost_app", owner=True)
        log(f"migrated and granted as the owner in {time.monotonic() - t0:.0f} s")
        t0 = time.monotonic()
        self.manage("load_demo", "--no-users")
        self.manage("load_rma_demo")
        log(f"demo region loaded as the app role in {time.monotonic() - t0:.0f} s")

    def serve(self) -> None:
        self.start("web", [BIN / "gunicorn", "project.wsgi:application", "--bind", f"{HOST}:{self.args.port}",
                           "--workers", "2", "--timeout", "60"])
        self.start_worker()
        self.start("beat", [BIN / "celery", "-A", "project", "beat", "--loglevel=INFO",
                            f"--schedule={self.var / 'celerybeat-schedule'}"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.args.port}/healthz", timeout=5) as response:
                    if response.status == 200:
                        log("gunicorn answers /healthz; worker and beat started")
                        self.supervise()
                        return
            except OSError:  # refused, reset or timed out while the workers boot
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def http(self, method, path, *, token=None, data=None, content_type=None):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if token:
            headers["Authorization"] = f"Token {token}"
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(f"http://{HOST}:{self.args.port}{path}", data=data, headers=headers,
                                         method=method)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def issue_over_http(self) -> None:
        candidate = self.shell(CANDIDATE)
        status, body = self.http("POST", "/api/v1/auth/token/", data=json.dumps(
            {"username": candidate["username"], "password": "profrost-demo"}).encode(), content_type="application/json")
        assert status == 200, (status, body)
        token = body["token"]
        fields = {"person": str(candidate["person"]), "subjects": str(candidate["subject"])}
        files = {kind: (name, data, mime) for kind, (name, data, mime) in sample_files().items()}
        data, content_type = multipart(fields, files)
        t0 = time.monotonic()
        status, body = self.http("POST", "/api/v1/rma/applications/", token=token, data=data, content_type=content_type)
        answered = time.monotonic() - t0
        assert status == 201, (status, body)
        assert body["status"] == "rejected", body
        log(f"POST /api/v1/rma/applications/ → 201 in {answered * 1000:.0f} ms: rejected, "
            f"{len(body['refusals'])} reason(s): {body['refusals'][0]['message']}")
        deadline = time.monotonic() + self.args.pdf_timeout
        docx_at = None
        while time.monotonic() < deadline:
            state = self.shell(DOCUMENT_STATE % {"application": body["id"]})
            if state["issued"] and docx_at is None:
                docx_at = time.monotonic() - t0
                log(f"the worker issued {state['title']!r} (.docx {state['size']} bytes, SHA-256 matches: "
                    f"{state['sha_ok']}) {docx_at:.1f} s after the POST")
            if state["issued"] and state["pdf_status"] in {"ready", "failed", "unavailable"}:
                assert state["pdf_status"] == "ready", state
                assert state["pdf_head"] == "%PDF", state
                log(f"the worker converted it to PDF ({state['pdf_size']} bytes) "
                    f"{time.monotonic() - t0:.1f} s after the POST")
                return
            time.sleep(1)
        raise RuntimeError(f"no PDF within {self.args.pdf_timeout} s: {state}")

    def kill9(self) -> None:
        count, kills = self.args.documents, self.args.kills
        enqueued = self.shell(ENQUEUE % {"count": count, "offset": 0})
        log(f"enqueued {count} справки (register {enqueued['register']}); killing the worker with SIGKILL "
            f"{kills} times while it issues them")
        deadline = time.monotonic() + self.args.kill_timeout
        marker = enqueued["marker"]
        for number in range(1, kills + 1):
            # kill a worker that is at work: wait until it has issued something since the last kill
            seen, wait_until = self.issued(marker), time.monotonic() + 60
            while time.monotonic() < wait_until and self.issued(marker) == seen:
                time.sleep(0.3)
            time.sleep(self.args.kill_every)
            self.kill("worker", signal.SIGKILL)
            log(f"kill -9 #{number}: worker killed with {self.issued(marker)}/{count} issued; starting a new one")
            self.start_worker()
        while time.monotonic() < deadline and self.issued(marker) < count:
            time.sleep(1)
        state = self.shell(CHECK % {"markers": json.dumps([enqueued["marker"]])})
        log(f"after {kills} kills: {state['issued']} issued for {count} enqueued, {state['artefacts']} distinct "
            f"persons, numbers {state['numbers'][:3]}…{state['numbers'][-3:]}; lost {count - state['artefacts']}, "
            f"duplicated {state['issued'] - state['artefacts']}, gaps {state['gaps']}")
        assert state["issued"] == state["artefacts"] == count, state
        assert state["gaps"] == [] and state["numbers"] == list(range(state["numbers"][0], state["numbers"][0] + count))


    # --- kill -9 while reminders are due --------------------------------------------------------

    def age(self, task_ids: list[int], mode: str) -> list[tuple[int, object]]:
        """Let the tasks' notices fall due now (their due date and alarm rewritten, as time passing
        would): `reminder` — due in three days, the reminder a minute ago; `overdue` — due two days
        ago, the escalation a minute ago; `future` — nothing due for weeks. Returns (task, due)."""
        import datetime as dt

        now = dt.datetime.now(dt.UTC)
        minute = dt.timedelta(minutes=1)
        due, remind, escalate = {
            "reminder": (now + dt.timedelta(days=3), now - minute, now + dt.timedelta(days=8)),
            "overdue": (now - dt.timedelta(days=2), None, now - minute),
            "future": (now + dt.timedelta(days=30), now + dt.timedelta(days=20), now + dt.timedelta(days=35)),
        }[mode]
        next_at = remind or due
        self.query(
            "WITH d AS (UPDATE core_taskdeadline SET due_at = %(due)s, sort_due = %(due)s, remind_at = %(remind)s, "
            "escalate_at = %(escalate)s WHERE task_id = ANY(%(ids)s) RETURNING task_id) "
            "INSERT INTO core_taskalarm (task_id, due_at, remind_at, escalate_at, stage, next_at) "
            "SELECT task_id, %(due)s, %(remind)s, %(escalate)s, 0, %(next)s FROM d "
            "ON CONFLICT (task_id) DO UPDATE SET due_at = EXCLUDED.due_at, remind_at = EXCLUDED.remind_at, "
            "escalate_at = EXCLUDED.escalate_at, stage = 0, next_at = EXCLUDED.next_at",
            {"due": due, "remind": remind, "escalate": escalate, "ids": task_ids, "next": next_at},
        )
        return [(task_id, due) for task_id in task_ids]

    def notice_state(self, pairs: list[tuple[int, object]]) -> dict:
        """Where the notices of these (task, due date) pairs are, counted in the database."""
        if not pairs:
            return {}
        tasks, dues = [p[0] for p in pairs], [p[1] for p in pairs]
        row = self.query(
            "WITH mine AS (SELECT o.* FROM core_outboxmessage o JOIN unnest(%s::bigint[], %s::timestamptz[]) "
            "AS x(t, d) ON o.task_id = x.t AND o.due_at = x.d), "
            "lines AS (SELECT l.* FROM core_digestline l WHERE l.outbox_id IN (SELECT id FROM mine)), "
            "letters AS (SELECT e.* FROM core_outboxemail e WHERE e.outbox_id IN (SELECT id FROM mine) "
            "  OR e.digest_id IN (SELECT digest_id FROM lines)) "
            "SELECT (SELECT count(*) FROM mine), (SELECT count(*) FROM mine WHERE sent_at IS NOT NULL), "
            "(SELECT count(*) FROM lines), (SELECT count(*) FROM lines WHERE digest_id IS NULL), "
            "(SELECT count(*) FROM lines WHERE digest_id IS NULL AND user_id NOT IN "
            "  (SELECT user_id FROM core_digest)), "
            "(SELECT count(DISTINCT digest_id) FROM lines), (SELECT count(*) FROM letters), "
            "(SELECT count(*) FROM letters WHERE status = 'sent'), "
            "(SELECT count(*) FROM letters WHERE status = 'failed'), "
            "(SELECT count(*) FROM core_notification n WHERE n.outbox_id IN (SELECT id FROM mine)), "
            "(SELECT count(*) FROM core_taskalarm a WHERE a.task_id = ANY(%s) AND a.next_at <= now())",
            [tasks, dues, tasks],
        )[0]
        keys = ("rows", "delivered", "lines", "lines_pending", "lines_waiting_nobody", "digests", "letters",
                "letters_sent", "letters_failed", "notifications", "alarms_due")
        return dict(zip(keys, row, strict=True))

    def reminders(self) -> dict:
        setup = self.shell(REMINDER_SETUP % {"due_campaigns": self.args.reminder_campaigns,
                                             "load_campaigns": self.args.load_campaigns})
        self.age(setup["load_tasks"], "future")
        digest, other = setup["digest_tasks"], setup["other_tasks"]
        kills = self.args.kills
        random.seed(11)
        # waves by school, so that each wave's school heads get their first digest in it; an authority
        # whose lines come after its day's digest has them wait for tomorrow's, by design
        waves = [[] for _ in range(kills + 1)]
        for task, school in digest:
            waves[school % (kills + 1)].append(task)
        for index, task in enumerate(other):
            waves[index % (kills + 1)].append(task)
        waves = [wave for wave in waves if wave]
        kills = len(waves) - 1
        log(f"reminders: {setup['users_made']} officials added (a head for every school, an authority for every "
            f"municipality); {len(digest)} monitoring tasks (digest) in {self.args.reminder_campaigns} campaigns, "
            f"{len(other)} other open tasks of the demo; they fall due in {kills + 1} waves, the worker killed "
            f"with SIGKILL after each of the first {kills}")
        expected, pairs, t0 = 0, [], time.monotonic()
        for number, wave in enumerate(waves):
            half = len(wave) // 2
            wave_pairs = self.age(wave[:half], "reminder") + self.age(wave[half:], "overdue")
            expected += half + 2 * (len(wave) - half)  # a reminder; an overdue notice and an escalation
            pairs += wave_pairs
            if number == kills:
                break
            # kill a worker at work: once the scan has written this wave's rows and delivery has begun
            if wait_for(lambda wp=wave_pairs: self.notice_state(wp)["rows"] > 0, 60, 0.2) is None:
                raise RuntimeError(f"wave {number + 1}: the deadline scan wrote nothing within 60 s")
            wait_for(lambda wp=wave_pairs: self.notice_state(wp)["delivered"] > 0, 30, 0.05)
            time.sleep(random.uniform(0, 0.3))
            state = self.notice_state(wave_pairs)
            self.kill("worker", signal.SIGKILL)
            log(f"kill -9 #{number + 1} (wave of {len(wave)} tasks): {state['rows']} rows written, "
                f"{state['delivered']} delivered, {state['letters_sent']}/{state['letters']} letters sent; "
                "starting a new worker")
            self.start_worker()

        def done():
            state = self.notice_state(pairs)
            return (state["rows"] == expected and state["delivered"] == expected and not state["lines_waiting_nobody"]
                    and state["letters"] == state["letters_sent"] + state["letters_failed"] and not state["alarms_due"])

        waited = wait_for(done, self.args.reminder_timeout, 1.0)
        state = self.notice_state(pairs)
        if waited is None:
            raise RuntimeError(f"reminders not all delivered within {self.args.reminder_timeout} s: expected "
                               f"{expected} rows, {state}")
        log(f"reminders: {expected} outbox rows expected, {state['rows']} written, {state['delivered']} delivered "
            f"{time.monotonic() - t0:.0f} s after the first wave fell due")
        check = self.shell(NOTICE_CHECK % {"pairs": json.dumps([(t, d.isoformat()) for t, d in pairs])})
        letters = self.mail_ids()
        wanted = set(check["letter_ids"])
        copies = {pk: letters[pk] for pk in wanted if letters.get(pk, 0) > 1}
        missing = sorted(wanted - set(letters))
        log(f"reminders: recipients per row as planned — in-app {check['notifications']} of "
            f"{check['planned_notifications']}, digest lines {check['lines']} of {check['planned_lines']}; "
            f"{check['digests']} digests for {check['digest_users']} officials (one each, {check['lines_tomorrow']} "
            f"lines after the day's digest wait for tomorrow's); letters {len(wanted)} sent, in the mail directory "
            f"{len(wanted) - len(missing)} distinct, {sum(copies.values()) - len(copies)} resent copies "
            f"(same Message-ID), {len(missing)} lost")
        assert state["rows"] == expected and not state["letters_failed"], state
        assert check["wrong"] == [], check["wrong"]
        assert not missing, f"letters sent but not in the mail directory: {missing[:10]}"
        # at-least-once e-mail: only a worker killed between writing a letter and marking it sent
        # sends that one again (2 pool processes per kill at most)
        assert sum(copies.values()) - len(copies) <= 2 * kills, copies
        return setup

    def mail_ids(self) -> Counter:
        """Letters in the mail directory by the outbox letter's id in their Message-ID."""
        found = Counter()
        pattern = re.compile(r"<profrost-notification-(\d+)@")
        for path in (self.var / "mail").glob("*.log"):
            for chunk in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n"):
                if chunk.strip():
                    match = pattern.match(email.message_from_string(chunk).get("Message-ID", ""))
                    if match:
                        found[int(match.group(1))] += 1
        return found

    # --- PostgreSQL and Redis restarted under load ---------------------------------------------

    def outage(self, setup: dict) -> None:
        items = list(setup["load_items"])
        marker = self.shell(ENQUEUE % {"count": self.args.outage_documents, "offset": self.args.documents})["marker"]
        log(f"under load: {self.args.clients} HTTP clients submit {len(items)} monitoring forms (a task completion "
            f"each) while the worker issues {self.args.outage_documents} справки; PostgreSQL, then Redis, "
            f"restarted, each down for {self.args.outage_seconds:.0f} s")
        load = Load(self, items, self.args.clients)
        load.start()
        time.sleep(3)
        windows = []
        for name, stop, start, ready in (
            ("PostgreSQL", self.services.pg_stop, self.services.pg_start, self.services.pg_ready),
            ("Redis", self.services.redis_stop, self.services.redis_start, self.services.redis_ping),
        ):
            down = time.monotonic()
            stop()
            if name == "Redis":
                broker_down = self.enqueue_while_broker_down()
            time.sleep(max(0.0, self.args.outage_seconds - (time.monotonic() - down)))
            start()
            if wait_for(ready, 60) is None:
                raise RuntimeError(f"{name} did not come back within 60 s")
            up = time.monotonic()
            recovered = wait_for(lambda u=up: load.all_succeeded_since(u), 30, 0.1)
            windows.append((name, down, up, recovered))
            first = load.first_success_since(up)
            again = f"{recovered:.1f} s" if recovered is not None else "not within 30 s"
            log(f"{name}: down {up - down:.1f} s; the first request succeeded "
                f"{first - up if first is not None else float('nan'):.1f} s and every client {again} after it was back")
            time.sleep(3)
        load.finish(self.args.load_timeout)
        summary = load.summary(windows)
        for line in summary["lines"]:
            log(line)
        assert all(w[3] is not None and w[3] <= self.args.recovery_limit for w in windows), windows
        assert summary["errors_outside"] == 0, summary["outside"][:10]
        assert load.left == 0, f"{load.left} forms not submitted within {self.args.load_timeout} s"
        waited = wait_for(lambda: self.issued(marker) >= self.args.outage_documents, self.args.kill_timeout, 1.0)
        count = self.issued(marker)
        log(f"after the outages: {count}/{self.args.outage_documents} справки issued"
            + (f", the last {waited:.0f} s after the load ended" if waited is not None else ""))
        if self.restarts:
            log("processes that died of the outages and were restarted by the supervisor: "
                + ", ".join(f"{name} × {count}" for name, count in self.restarts.items()))
        state = self.shell(CHECK % {"markers": json.dumps([marker])})
        assert state["issued"] == state["artefacts"] == self.args.outage_documents, state
        self.issued_after_broker_outage(broker_down)
        # one register: the справки of the outage and those enqueued while Redis was down share it
        both = self.shell(CHECK % {"markers": json.dumps([marker, broker_down["marker"]])})
        log(f"numbers of both batches: {both['numbers'][0]}…{both['numbers'][-1]}, gaps {both['gaps']}")
        assert not both["gaps"], both
        submitted = self.query(
            "SELECT count(*) FROM monitoring_submission WHERE id = ANY(%s) AND status = 'submitted'",
            [[item["submission"] for item in items]])[0][0]
        log(f"forms submitted: {submitted} of {len(items)} ({load.replays} answered 409 «уже представлены» on a "
            "retry after an error: the first try had committed)")
        assert submitted == len(items)
        t0 = time.monotonic()
        report = self.shell(INVARIANTS, timeout=300)
        counts = ", ".join(f"{name} {value}" for name, value in report["counts"].items())
        log(f"invariants ({time.monotonic() - t0:.0f} s): {counts}")
        if report["violations"]:
            for name, examples in report["violations"].items():
                log(f"VIOLATED: {name}: {examples}")
            raise RuntimeError("the invariant checker found half-applied changes")
        log("invariants hold: no half-applied transition")

    def enqueue_while_broker_down(self) -> dict:
        """Справки enqueued with Redis down: the transaction commits and the caller sees no error
        (the shell would fail otherwise); no job reached the broker."""
        count = self.args.broker_down_documents
        enqueued = self.shell(ENQUEUE % {"count": count, "offset": self.args.documents + self.args.outage_documents})
        waiting = self.query(
            "SELECT count(*) FROM documents_documentjob WHERE kwargs->'context'->>'drill_marker' = %s "
            "AND enqueued_at IS NULL AND started_at IS NULL", [enqueued["marker"]])[0][0]
        log(f"Redis down: {count} справки enqueued without an error; {waiting} of them wait in DocumentJob")
        assert waiting == count, (waiting, count)
        return enqueued

    def issued_after_broker_outage(self, enqueued: dict) -> None:
        """The jobs the broker could not take are found by beat's sweep (requeue_document_jobs, every
        10 s in the drill, for jobs older than 30 s) and issued once each."""
        marker, count = enqueued["marker"], self.args.broker_down_documents
        waited = wait_for(lambda: self.issued(marker) >= count, self.args.kill_timeout, 1.0)
        state = self.shell(CHECK % {"markers": json.dumps([marker])})
        swept = self.query(
            "SELECT count(*) FROM documents_documentjob WHERE kwargs->'context'->>'drill_marker' = %s "
            "AND enqueued_at IS NOT NULL AND finished_at IS NOT NULL", [marker])[0][0]
        log(f"the справки enqueued while Redis was down: {state['issued']}/{count} issued, {swept} jobs enqueued "
            "by the sweep and finished" + (f" (the last {waited:.0f} s after the outages' справки)" if waited else ""))
        assert state["issued"] == state["artefacts"] == count == swept, (state, swept)

    def schemathesis(self) -> None:
        """A bounded property-based run against the OpenAPI schema as the server publishes it:
        no 500, every response as documented. Last: its random logins lock the address out (axes),
        and revoking the token (DELETE) is left out so the run keeps its credentials."""
        status, body = self.http("POST", "/api/v1/auth/token/", data=json.dumps(
            {"username": "rma_coord", "password": "profrost-demo"}).encode(), content_type="application/json")
        assert status == 200, (status, body)
        token = body["token"]
        request = urllib.request.Request(f"http://{HOST}:{self.args.port}/api/schema/?format=json",
                                         headers={"Authorization": f"Token {token}", "X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(request, timeout=60) as response:
            schema = self.var / "openapi.json"
            schema.write_bytes(response.read())
        t0 = time.monotonic()
        result = subprocess.run(
            [BIN / "schemathesis", "run", str(schema), "--url", f"http://{HOST}:{self.args.port}",
             "-H", f"Authorization: Token {token}", "-H", "X-Forwarded-Proto: https",
             "-n", str(self.args.examples), "--phases", "coverage,fuzzing", "--exclude-method", "DELETE",
             "-c", "not_a_server_error,response_schema_conformance,content_type_conformance",
             "--request-timeout", "30", "--generation-deterministic", "--no-color"],
            # in the drill's directory: schemathesis keeps its cache of crashes there, not in the clone
            cwd=self.var, capture_output=True, text=True, timeout=600,
        )
        summary = [line for line in result.stdout.splitlines() if "generated" in line or "passed" in line]
        log(f"schemathesis: {'; '.join(summary[-2:]) or 'no summary'} in {time.monotonic() - t0:.0f} s")
        if result.returncode:
            print(result.stdout[-6000:])
            raise RuntimeError("schemathesis found failures")


class Load:
    """HTTP clients, as the schools' systems: each takes the next form and submits it through the API
    (a task completion); on an error it puts the form back and retries after a pause (a retry may meet
    409 «Данные уже представлены» — the first try had committed); with no form left it reads a
    submitted one, until told to finish. Every request is recorded: (client, start, end, ok, what)."""

    def __init__(self, drill: Drill, items: list[dict], clients: int):
        self.drill, self.queue, self.left, self.replays = drill, list(items), len(items), 0
        self.done: list[dict] = []
        self.records: list[tuple] = []
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(clients)]
        self.started = time.monotonic()

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def call(self, client: int, method: str, path: str, token: str, body: dict | None = None) -> int | None:
        request = urllib.request.Request(
            f"http://{HOST}:{self.drill.args.port}{path}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Host": HOST, "X-Forwarded-Proto": "https", "Authorization": f"Token {token}",
                     "Content-Type": "application/json"},
        )
        started, status, what = time.monotonic(), None, ""
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except Exception as exc:  # noqa: BLE001 — refused, reset, timed out: recorded as such
            what = type(exc).__name__
        ok = status is not None and status < 500 and status != 429
        with self.lock:
            self.records.append((client, started, time.monotonic(), ok, status or what))
        return status

    def client(self, number: int) -> None:
        while True:
            with self.lock:
                item = self.queue.pop(0) if self.queue else None
            if item is None:
                if self.stop.is_set():
                    return
                with self.lock:
                    pick = random.choice(self.done) if self.done else None
                if pick is None:
                    time.sleep(0.2)
                    continue
                self.call(number, "GET", f"/api/v1/monitoring/submissions/{pick['submission']}/", pick["token"])
                continue
            status = self.call(number, "POST", f"/api/v1/monitoring/submissions/{item['submission']}/submit/",
                               item["token"], {"values": {"IND-22": True}})
            with self.lock:
                if status == 200 or (status == 409 and item.get("tried")):
                    self.left -= 1
                    self.done.append(item)
                    self.replays += status == 409
                    continue
                item["tried"] = True
                self.queue.append(item)
            time.sleep(0.2)

    def first_success_since(self, instant: float) -> float | None:
        """When the first request begun after `instant` that succeeded ended."""
        with self.lock:
            ends = [record[2] for record in self.records if record[3] and record[1] >= instant]
        return min(ends, default=None)

    def all_succeeded_since(self, instant: float) -> bool:
        with self.lock:
            clients = {record[0] for record in self.records if record[3] and record[1] >= instant}
        return len(clients) == len(self.threads)

    def finish(self, timeout: float) -> None:
        wait_for(lambda: self.left == 0, timeout, 0.5)
        self.stop.set()
        for thread in self.threads:
            thread.join(30)

    def summary(self, windows: list[tuple]) -> dict:
        lines, inside = [], set()
        base = self.started
        for name, down, up, recovered in windows:
            end = up + (recovered or 0)
            during = [r for r in self.records if r[2] >= down and r[1] <= end]
            errors = [r for r in during if not r[3]]
            inside.update(id(r) for r in errors)
            kinds = Counter(str(r[4]) for r in errors)
            last = max((r[2] for r in errors), default=None)
            lines.append(
                f"{name} outage +{down - base:.1f}…+{up - base:.1f} s ({up - down:.1f} s down): {len(during)} requests "
                f"in it, {len(errors)} errors ({', '.join(f'{k} × {v}' for k, v in kinds.most_common()) or 'none'})"
                + (f", the last ending {last - up:+.1f} s after {name} was back" if last is not None else ""))
        outside = [r for r in self.records if not r[3] and id(r) not in inside]
        total, errors = len(self.records), sum(1 for r in self.records if not r[3])
        span = max((r[2] for r in self.records), default=base) - base
        lines.append(f"load: {total} requests in {span:.0f} s ({total / max(span, 1):.1f}/s), {errors} errors, "
                     f"{len(outside)} of them outside the outages")
        return {"lines": lines, "errors_outside": len(outside),
                "outside": [(r[0], round(r[1] - base, 2), r[4]) for r in outside]}


def sample_files():
    sys.path.insert(0, str(ROOT))
    from common.uploads import samples

    return {
        "attestation_order": ("prikaz.pdf", samples.pdf("Приказ об аттестации"), "application/pdf"),
        "diploma": ("diplom.pdf", samples.pdf("Диплом"), "application/pdf"),
        "employment_record": ("trudovaya.png", samples.png(), "image/png"),
    }


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, mime) in files.items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {mime}\r\n\r\n")
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# Code run inside the project (manage.py shell, as the application role).
CANDIDATE = """
import json
from orgstructure import access
from orgstructure.models import Person, QualificationCategory
from django.contrib.auth import get_user_model
from workflows.rma.models import RmaApplication
head = get_user_model().objects.get(username="school_head")
taken = RmaApplication.objects.values("person_id")
person = (access.visible_persons(head, access.Action.ACT).filter(category=QualificationCategory.NONE)
          .exclude(pk__in=taken).exclude(user=head).order_by("pk").first())
subject = person.subjects.first() or __import__("orgstructure.models").models.Subject.objects.first()
print(json.dumps({"username": "school_head", "person": person.pk, "subject": subject.pk}))
"""

DOCUMENT_STATE = """
import hashlib, json
from django.contrib.contenttypes.models import ContentType
from documents.models import IssuedDocument
from workflows.rma.models import RmaApplication
ct = ContentType.objects.get_for_model(RmaApplication)
doc = IssuedDocument.objects.filter(artefact_type=ct, artefact_id="%(application)s").first()
state = {"issued": doc is not None}
if doc:
    data = doc.file.open("rb").read()
    state.update(title=doc.title, size=len(data), sha_ok=hashlib.sha256(data).hexdigest() == doc.sha256,
                 pdf_status=doc.pdf_status)
    if doc.pdf_file:
        pdf = doc.pdf_file.open("rb").read()
        state.update(pdf_size=len(pdf), pdf_head=pdf[:4].decode("latin-1"))
print(json.dumps(state))
"""

REMINDER_SETUP = """
import datetime as dt, json
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from rest_framework.authtoken.models import Token
from viewflow.workflow.models import Task
from orgstructure.models import Membership, Organization, OrganizationKind, Role
from workflows.core.models import TaskDeadline
from workflows.monitoring.flows import MonitoringFlow
from workflows.monitoring.models import Campaign, CampaignIndicator, Submission, ValueKind
from workflows.monitoring.opening import campaign_open
User = get_user_model()
ministry = Organization.objects.filter(kind=OrganizationKind.MINISTRY).order_by("pk").first()
region = ministry.region
official = User.objects.get(username="ministry")
password = make_password(None)  # no login: the drill's officials use API tokens
made = 0
for kind, role, prefix in ((OrganizationKind.SCHOOL, Role.SCHOOL_HEAD, "head"),
                           (OrganizationKind.MUNI_AUTHORITY, Role.MUNI_AUTHORITY, "uo")):
    for organization in Organization.objects.filter(region=region, kind=kind).order_by("pk"):
        if Membership.objects.filter(organization=organization, role=role, is_active=True).exists():
            continue
        user = User.objects.create(username=f"drill-{prefix}-{organization.pk}", password=password,
                                   email=f"drill-{prefix}-{organization.pk}@drill.example", first_name="Учения",
                                   last_name=f"Руководитель {organization.pk}")
        Membership.objects.create(user=user, role=role, organization=organization)
        made += 1
today = dt.date.today()
def campaign(title):
    c = Campaign.objects.create(region=region, title=title, created_by=official, period_start=dt.date(today.year, 1, 1),
                                period_end=dt.date(today.year, 12, 31), opens_on=today - dt.timedelta(days=1))
    CampaignIndicator.objects.create(campaign=c, code="IND-22", title="Наличие плана наставничества",
                                     kind=ValueKind.YES_NO, required=True)
    campaign_open(actor=official, campaign=c)
    return c
due = [campaign(f"Учения: мониторинг {n + 1}") for n in range(%(due_campaigns)d)]
load = [campaign(f"Учения под нагрузкой: мониторинг {n + 1}") for n in range(%(load_campaigns)d)]
kind = ContentType.objects.get_for_model(Submission)
def fill_tasks(campaigns):
    ids = [str(pk) for pk in Submission.objects.filter(campaign__in=campaigns).values_list("pk", flat=True)]
    return list(Task.objects.filter(process__artifact_content_type=kind, process__artifact_object_id__in=ids,
                                    flow_task=MonitoringFlow.fill, status__in=["NEW", "ASSIGNED", "STARTED"])
                .order_by("pk").values_list("pk", "process__artifact_object_id"))
digest = fill_tasks(due)
monitoring = Task.objects.filter(process__artifact_content_type=kind).values("pk")
other = list(TaskDeadline.objects.filter(is_open=True).exclude(task_id__in=monitoring).order_by("task_id")
             .values_list("task_id", flat=True))
items = []
heads = {}
for task_id, submission_id in fill_tasks(load):
    school = Submission.objects.values_list("organization_id", flat=True).get(pk=submission_id)
    if school not in heads:
        head = (Membership.objects.filter(organization_id=school, role=Role.SCHOOL_HEAD, is_active=True)
                .order_by("pk").first().user)
        heads[school] = Token.objects.get_or_create(user=head)[0].key
    items.append({"submission": submission_id, "token": heads[school]})
schools = dict(Submission.objects.filter(campaign__in=due).values_list("pk", "organization_id"))
print(json.dumps({"users_made": made, "digest_tasks": [(t, schools[int(s)]) for t, s in digest], "other_tasks": other,
                  "load_tasks": [t for t, _ in fill_tasks(load)], "load_items": items}))
"""

NOTICE_CHECK = """
import datetime as dt, json, re
from collections import Counter
from workflows.core.models import Digest, DigestLine, Notification, OutboxEmail, OutboxMessage
pairs = {(t, dt.datetime.fromisoformat(d)) for t, d in json.loads('%(pairs)s')}
rows = [r for r in OutboxMessage.objects.filter(task_id__in={t for t, _ in pairs}) if (r.task_id, r.due_at) in pairs]
ids = [r.pk for r in rows]
notes = Counter(Notification.objects.filter(outbox_id__in=ids).values_list("outbox_id", flat=True))
lines = Counter(DigestLine.objects.filter(outbox_id__in=ids).values_list("outbox_id", flat=True))
wrong, planned_notes, planned_lines = [], 0, 0
for row in rows:
    match = re.search(r"(\\d+)$", row.result)
    planned = int(match.group(1)) if match else 0
    if row.result.startswith("в сводку"):
        planned_lines += planned
        if lines[row.pk] != planned:
            wrong.append(f"outbox #{row.pk}: {lines[row.pk]} digest lines for {planned} recipients")
    else:
        planned_notes += planned
        if notes[row.pk] != planned:
            wrong.append(f"outbox #{row.pk}: {notes[row.pk]} notifications for {planned} recipients ({row.result})")
my_lines = DigestLine.objects.filter(outbox_id__in=ids)
users = set(my_lines.values_list("user_id", flat=True))
digests = Digest.objects.filter(user_id__in=users)
per_user = Counter(digests.values_list("user_id", "day"))
wrong += [f"user #{u}: {n} digests on {d}" for (u, d), n in per_user.items() if n > 1]
wrong += [f"digest #{d.pk} without its notification" for d in digests if d.notification_id is None]
wrong += [f"user #{u}: lines but no digest" for u in users - set(digests.values_list("user_id", flat=True))]
letters = OutboxEmail.objects.filter(outbox_id__in=ids) | OutboxEmail.objects.filter(digest__in=digests)
wrong += [f"letter #{pk} {status}" for pk, status in letters.exclude(status="sent").values_list("pk", "status")]
print(json.dumps({"wrong": wrong[:20], "notifications": sum(notes.values()), "planned_notifications": planned_notes,
                  "lines": sum(lines.values()), "planned_lines": planned_lines, "digests": digests.count(),
                  "digest_users": len(users), "lines_tomorrow": my_lines.filter(digest__isnull=True).count(),
                  "letter_ids": list(letters.filter(status="sent").values_list("pk", flat=True))}))
"""

INVARIANTS = """
import json
from scripts.drill.invariants import check
print(json.dumps(check(), default=str))
"""

ENQUEUE = """
import datetime as dt, json, uuid
from django.db import transaction
from documents.kinds import get_spec
from documents.tasks import document_issue_later
from orgstructure.models import Organization, OrganizationKind, Person
from workflows.rma.documents import CERTIFICATE_KIND
ministry = Organization.objects.filter(kind=OrganizationKind.MINISTRY).order_by("pk").first()
spec = get_spec(CERTIFICATE_KIND)
marker = uuid.uuid4().hex[:8]
persons = list(Person.objects.filter(organization__region=ministry.region).order_by("pk")
               [%(offset)d:%(offset)d + %(count)d])
assert len(persons) == %(count)d, len(persons)
with transaction.atomic():
    for person in persons:
        context = spec.sample(ministry)
        context["drill_marker"] = marker
        document_issue_later(kind=CERTIFICATE_KIND, issuing_organization=ministry, artefact=person, context=context,
                             signatory=None, issued_on=dt.date.today(), actor=None, person=person)
print(json.dumps({"marker": marker, "register": f"{ministry.short_name or ministry.name} / {CERTIFICATE_KIND}"}))
"""

CHECK = """
import json
from documents.models import IssuedDocument
docs = IssuedDocument.objects.filter(data__drill_marker__in=%(markers)s)
numbers = sorted(docs.values_list("sequence", flat=True))
gaps = [n for n in range(numbers[0], numbers[-1] + 1) if n not in set(numbers)] if numbers else []
print(json.dumps({"issued": docs.count(), "artefacts": docs.values("artefact_id").distinct().count(),
                  "numbers": numbers, "gaps": gaps}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="profrost_drill")
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--documents", type=int, default=120)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--kill-every", type=float, default=2.0)
    parser.add_argument("--visibility-timeout", type=int, default=45)
    parser.add_argument("--pdf-timeout", type=int, default=240)
    parser.add_argument("--kill-timeout", type=int, default=420)
    parser.add_argument("--reminder-campaigns", type=int, default=3,
                        help="monitoring campaigns whose tasks fall due (one task per school each)")
    parser.add_argument("--reminder-timeout", type=int, default=240)
    parser.add_argument("--load-campaigns", type=int, default=5, help="campaigns whose forms the HTTP clients submit")
    parser.add_argument("--clients", type=int, default=4, help="HTTP clients during the outages")
    parser.add_argument("--outage-seconds", type=float, default=3.0, help="how long PostgreSQL and Redis stay down")
    parser.add_argument("--outage-documents", type=int, default=40, help="справки the worker issues meanwhile")
    parser.add_argument("--broker-down-documents", type=int, default=5,
                        help="справки enqueued while Redis is down (issued by the requeue sweep after)")
    parser.add_argument("--recovery-limit", type=float, default=10.0, help="seconds every client may need to recover")
    parser.add_argument("--load-timeout", type=int, default=180)
    parser.add_argument("--examples", type=int, default=15, help="schemathesis examples per operation")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run (development)")
    args = parser.parse_args()
    drill = Drill(args)
    try:
        drill.setup()
        drill.serve()
        drill.issue_over_http()
        drill.kill9()
        setup = drill.reminders()
        drill.outage(setup)
        drill.schemathesis()
    except Exception as exc:
        log(f"FAILED: {exc}")
        for name in ("web", "worker", "beat"):
            path = drill.var / "log" / f"{name}.log"
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-25:]
                print(f"--- last lines of {name}.log ---\n" + "\n".join(tail))
        return 1
    finally:
        drill.stop_all()
    log("drill passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
