"""The production profile as it runs, drilled (issue 11): no Docker, real processes on this machine.

1. A fresh PostgreSQL database: the owner role migrates and grants (db_grants); everything after
   runs as the application role `profrost_app`, as in docker-compose.yml.
2. gunicorn (2 workers), a Celery worker and beat on PostgreSQL and Redis, project.settings.prod.
3. Through HTTP: a token, then an РМА application that fails the formal criteria — the worker
   issues the справка об отказе (.docx) and converts it to PDF. Timings are printed.
4. kill -9: N справки enqueued at once while the worker is killed with SIGKILL again and again and
   started anew; at the end every one is issued exactly once and the register's numbers run 1..N
   without a gap.
5. schemathesis against the published OpenAPI schema, bounded: no 500, no response off the schema.

Needs PostgreSQL on 127.0.0.1:5432 with the roles `profrost` (CREATEDB) and `profrost_app`, and
Redis on 127.0.0.1:6379 (.ci/run starts them). Every wait is bounded; the whole run stops itself.
Run: .venv/bin/python scripts/drill/run.py [--documents 40] [--kills 3]
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
OWNER = "postgres://profrost:profrost-ci@127.0.0.1:5432/"
APP = "postgres://profrost_app:profrost-app-ci@127.0.0.1:5432/"


def log(message: str) -> None:
    print(f"[drill +{time.monotonic() - START:6.1f}s] {message}", flush=True)


START = time.monotonic()


class Drill:
    def __init__(self, args):
        self.args = args
        self.db = args.database
        self.var = Path(tempfile.gettempdir()) / f"profrost-drill-{self.db}"
        if not args.reuse:
            shutil.rmtree(self.var, ignore_errors=True)
        for sub in ("log", "mail", "media"):
            (self.var / sub).mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "project.settings.prod",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_CACHE_URL": f"redis://{HOST}:6379/{args.redis_db}",
            "CELERY_BROKER_URL": f"redis://{HOST}:6379/{args.redis_db + 1}",
            "PROFROST_VAR_DIR": str(self.var),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "PROFROST_BROKER_VISIBILITY_TIMEOUT": str(args.visibility_timeout),
            "DATABASE_URL": APP + self.db,
            "DATABASE_CONN_MAX_AGE": "0",
        }
        self.processes: dict[str, subprocess.Popen] = {}

    # --- processes -----------------------------------------------------------------------------

    def manage(self, *command, owner=False, timeout=600, stdin=None) -> str:
        env = {**self.env, "DATABASE_URL": (OWNER if owner else APP) + self.db}
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

    def start(self, name: str, command: list[str]) -> None:
        logfile = open(self.var / "log" / f"{name}.log", "ab")  # noqa: SIM115 — closed with the process
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start_worker(self) -> None:
        self.start("worker", [BIN / "celery", "-A", "project", "worker", "--loglevel=INFO", "--concurrency=2",
                              "--without-gossip", "--without-mingle", "-n", f"drill-{uuid.uuid4().hex[:6]}@%h"])

    def kill(self, name: str, sig=signal.SIGTERM) -> None:
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
        for name in list(self.processes):
            self.kill(name)

    def issued(self, marker: str) -> int:
        """Counted straight in the database (a manage.py shell takes seconds to start)."""
        import psycopg

        with psycopg.connect(APP + self.db) as connection:
            row = connection.execute(
                "SELECT count(*) FROM documents_issueddocument WHERE data->>'drill_marker' = %s", [marker]
            ).fetchone()
        return row[0]

    # --- phases --------------------------------------------------------------------------------

    def setup(self) -> None:
        if self.args.reuse:
            log(f"reusing database {self.db}")
            return
        subprocess.run(["dropdb", "-h", HOST, "-U", "profrost", "--if-exists", self.db],
                       env={**os.environ, "PGPASSWORD": "profrost-ci"}, check=True, capture_output=True)
        subprocess.run(["createdb", "-h", HOST, "-U", "profrost", self.db],
                       env={**os.environ, "PGPASSWORD": "profrost-ci"}, check=True)
        flush = "import redis, sys; [redis.Redis(db=int(d)).flushdb() for d in sys.argv[1:]]"
        subprocess.run([BIN / "python", "-c", flush, str(self.args.redis_db), str(self.args.redis_db + 1)], check=True)
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
        enqueued = self.shell(ENQUEUE % {"count": count})
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
        state = self.shell(CHECK % {"marker": enqueued["marker"]})
        log(f"after {kills} kills: {state['issued']} issued for {count} enqueued, {state['artefacts']} distinct "
            f"persons, numbers {state['numbers'][:3]}…{state['numbers'][-3:]}; lost {count - state['artefacts']}, "
            f"duplicated {state['issued'] - state['artefacts']}, gaps {state['gaps']}")
        assert state["issued"] == state["artefacts"] == count, state
        assert state["gaps"] == [] and state["numbers"] == list(range(state["numbers"][0], state["numbers"][0] + count))


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
            cwd=ROOT, capture_output=True, text=True, timeout=600,
        )
        summary = [line for line in result.stdout.splitlines() if "generated" in line or "passed" in line]
        log(f"schemathesis: {'; '.join(summary[-2:]) or 'no summary'} in {time.monotonic() - t0:.0f} s")
        if result.returncode:
            print(result.stdout[-6000:])
            raise RuntimeError("schemathesis found failures")


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
persons = list(Person.objects.filter(organization__region=ministry.region).order_by("pk")[:%(count)d])
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
docs = IssuedDocument.objects.filter(data__drill_marker="%(marker)s")
numbers = sorted(docs.values_list("sequence", flat=True))
gaps = [n for n in range(numbers[0], numbers[-1] + 1) if n not in set(numbers)] if numbers else []
print(json.dumps({"issued": docs.count(), "artefacts": docs.values("artefact_id").distinct().count(),
                  "numbers": numbers, "gaps": gaps}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="profrost_drill")
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--redis-db", type=int, default=8)
    parser.add_argument("--documents", type=int, default=120)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--kill-every", type=float, default=2.0)
    parser.add_argument("--visibility-timeout", type=int, default=45)
    parser.add_argument("--pdf-timeout", type=int, default=240)
    parser.add_argument("--kill-timeout", type=int, default=420)
    parser.add_argument("--examples", type=int, default=15, help="schemathesis examples per operation")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run (development)")
    args = parser.parse_args()
    drill = Drill(args)
    try:
        drill.setup()
        drill.serve()
        drill.issue_over_http()
        drill.kill9()
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
