"""The invariant checker of the drill (issue 11): after workers were killed and PostgreSQL and Redis
restarted under load, nothing may be half-applied. Run inside the project (Django set up):

    from scripts.drill.invariants import check
    report = check()          # {"counts": {...}, "violations": {name: [examples…]}}

Each check is one set-based query or a few (the drill's data: a demo region, some thousands of
rows), read-only, and names what it found wrong with up to EXAMPLES examples. The pytest test
tests/security/test_drill_invariants.py runs it on a small dataset, with each invariant broken
once, so that it cannot rot.

What holds (and why a crash could break it if the code were wrong):
- an artefact's status is its last audit event's `to_state` (the state change and its event are
  one transaction, workflows/core/state.fire);
- every finished human task of a process about an audited artefact had an event written on the
  artefact while it was open (the step's service and the task completion are one transaction);
- no open task on a finished or cancelled process, a task's deadline row open exactly while the
  task is, alarms only for open tasks;
- every issued document's .docx — and its PDF where one is ready — matches its SHA-256 and size;
- each numbering register's numbers run without a gap or a repeat, and its next number follows
  the last one issued;
- the outbox: one row per (task, kind, due date), one notification / letter / digest line per
  row and recipient, one digest per official and day, every digest with its notification.
"""

from __future__ import annotations

from collections import Counter, defaultdict

EXAMPLES = 5
OPEN_TASK = ("NEW", "ASSIGNED", "STARTED", "SCHEDULED", "ERROR")
FINISHED_PROCESS = ("DONE", "CANCELED")


def check() -> dict:
    counts: dict[str, int] = {}
    violations: dict[str, list] = {}
    for name, function in CHECKS:
        found, counted = function()
        counts.update(counted)
        if found:
            violations[name] = found[:EXAMPLES] + ([f"… {len(found) - EXAMPLES} more"] if len(found) > EXAMPLES else [])
    return {"counts": counts, "violations": violations}


def _status_matches_last_event():
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.functions import Cast

    from workflows.core.models import AuditEvent
    from workflows.core.state import status_field

    wrong, checked = [], 0
    type_ids = AuditEvent.objects.exclude(to_state="").values_list("content_type_id", flat=True).distinct()
    for content_type in ContentType.objects.filter(pk__in=list(type_ids)):
        model = content_type.model_class()
        field = status_field(model) if model is not None else None
        if field is None:
            continue  # events on rows without an FSM status (a due date moved, a task substituted)
        last = (
            AuditEvent.objects.filter(content_type=content_type, object_id=OuterRef("pk_text")).exclude(to_state="")
            .order_by("-occurred_at", "-id").values("to_state")[:1]
        )
        rows = (
            model._base_manager.annotate(pk_text=Cast("pk", CharField())).annotate(last_state=Subquery(last))
            .filter(last_state__isnull=False).values_list("pk", field.attname, "last_state")
        )
        for pk, status, last_state in rows:
            checked += 1
            if status != last_state:
                wrong.append(f"{content_type.app_label}.{content_type.model} #{pk}: status {status!r}, "
                             f"last event → {last_state!r}")
    return wrong, {"artefacts with events": checked}


def _finished_tasks_have_events():
    """A DONE human task of a process whose artefact has an audit trail must have an event on
    that artefact between its creation and its finish (the step's service writes it in the
    transaction that completes the task). Flows whose artefact never had an event are not
    judged (their steps route without a state change)."""
    from django.contrib.contenttypes.models import ContentType
    from viewflow.workflow.models import Task

    from workflows.core.models import AuditEvent

    audited = set(AuditEvent.objects.exclude(to_state="").values_list("content_type_id", flat=True).distinct())
    tasks = list(
        Task.objects.filter(flow_task_type="HUMAN", status="DONE", process__artifact_content_type_id__in=audited,
                            finished__isnull=False)
        .values_list("pk", "flow_task", "created", "finished", "process__artifact_content_type_id",
                     "process__artifact_object_id")
    )
    by_artefact = defaultdict(list)
    wanted = defaultdict(set)
    for row in tasks:
        wanted[row[4]].add(str(row[5]))
    for type_id, ids in wanted.items():
        for object_id, at in AuditEvent.objects.filter(content_type_id=type_id, object_id__in=ids).values_list(
                "object_id", "occurred_at"):
            by_artefact[(type_id, object_id)].append(at)
    labels = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.filter(pk__in=list(wanted))}
    wrong = []
    for pk, flow_task, created, finished, type_id, object_id in tasks:
        events = by_artefact.get((type_id, str(object_id)), [])
        if not any(created <= at <= finished for at in events):
            wrong.append(f"task #{pk} ({flow_task}) finished {finished:%H:%M:%S.%f} with no event on "
                         f"{labels.get(type_id)} #{object_id}")
    return wrong, {"finished tasks of audited processes": len(tasks)}


def _no_open_task_on_a_finished_process():
    from viewflow.workflow.models import Task

    from workflows.core.models import TaskAlarm, TaskDeadline

    wrong = [
        f"task #{pk} {status} on process #{process} {process_status}"
        for pk, status, process, process_status in Task.objects.filter(
            status__in=OPEN_TASK, process__status__in=FINISHED_PROCESS
        ).values_list("pk", "status", "process_id", "process__status")
    ]
    open_ids = Task.objects.filter(status__in=OPEN_TASK).values("pk")
    wrong += [
        f"deadline of task #{task} says open={is_open} while the task is {status}"
        for task, is_open, status in TaskDeadline.objects.filter(is_open=True).exclude(task_id__in=open_ids)
        .values_list("task_id", "is_open", "task__status")
    ]
    wrong += [
        f"deadline of task #{task} says closed while the task is {status}"
        for task, status in TaskDeadline.objects.filter(is_open=False, task_id__in=open_ids)
        .values_list("task_id", "task__status")
    ]
    wrong += [f"alarm of task #{task} whose task is {status}" for task, status in
              TaskAlarm.objects.exclude(task_id__in=open_ids).values_list("task_id", "task__status")]
    return wrong, {"tasks": Task.objects.count(), "open tasks": Task.objects.filter(status__in=OPEN_TASK).count()}


def _documents_match_their_checksums():
    from documents.integrity import docx_intact, pdf_intact
    from documents.models import IssuedDocument, PdfStatus

    wrong, pdfs = [], 0
    for document in IssuedDocument.objects.only("pk", "file", "sha256", "size", "pdf_file", "pdf_sha256",
                                                "pdf_size", "pdf_status").order_by("pk").iterator(chunk_size=500):
        if not docx_intact(document):
            wrong.append(f"document #{document.pk}: .docx {document.file.name} does not match its SHA-256")
        if document.pdf_status == PdfStatus.READY:
            pdfs += 1
            if not pdf_intact(document):
                wrong.append(f"document #{document.pk}: PDF {document.pdf_file.name} does not match its SHA-256")
    return wrong, {"issued documents": IssuedDocument.objects.count(), "ready PDFs": pdfs}


def _numbers_gap_free():
    from documents.models import IssuedDocument, NumberingRegister

    numbers = defaultdict(list)
    for organization, kind, year, sequence in IssuedDocument.objects.filter(sequence__isnull=False).values_list(
            "organization_id", "kind", "year", "sequence"):
        numbers[(organization, kind, year)].append(sequence)
    registers = {
        (r.organization_id, r.kind, r.year): r.next_number
        for r in NumberingRegister.objects.only("organization_id", "kind", "year", "next_number")
    }
    wrong = []
    for key, taken in numbers.items():
        taken.sort()
        repeated = sorted(n for n, times in Counter(taken).items() if times > 1)
        missing = sorted(set(range(taken[0], taken[-1] + 1)) - set(taken))
        if repeated:
            wrong.append(f"register {key}: numbers issued twice {repeated[:10]}")
        if missing:
            wrong.append(f"register {key}: gaps {missing[:10]}")
        if registers.get(key) != taken[-1] + 1:
            wrong.append(f"register {key}: next number {registers.get(key)} after the last issued {taken[-1]}")
    return wrong, {"numbering registers": len(numbers), "numbered documents": sum(map(len, numbers.values()))}


def _outbox_unique():
    from django.db.models import Count

    from workflows.core.models import Digest, DigestLine, Notification, OutboxEmail, OutboxMessage

    def repeated(queryset, *fields):
        return [f"{queryset.model.__name__} {dict(zip(fields, row[:-1], strict=True))} × {row[-1]}" for row in
                queryset.values(*fields).annotate(n=Count("id")).filter(n__gt=1).values_list(*fields, "n")]

    wrong = (
        repeated(OutboxMessage.objects.all(), "task_id", "kind", "due_at")
        + repeated(Notification.objects.filter(outbox__isnull=False), "outbox_id", "user_id")
        + repeated(OutboxEmail.objects.filter(outbox__isnull=False), "outbox_id", "user_id")
        + repeated(DigestLine.objects.all(), "outbox_id", "user_id")
        + repeated(Digest.objects.all(), "user_id", "day")
    )
    wrong += [f"digest #{pk} of user #{user} on {day} has no notification" for pk, user, day in
              Digest.objects.filter(notification__isnull=True).values_list("pk", "user_id", "day")]
    return wrong, {
        "outbox rows": OutboxMessage.objects.count(),
        "outbox rows delivered": OutboxMessage.objects.filter(sent_at__isnull=False).count(),
        "notifications": Notification.objects.count(),
        "letters": OutboxEmail.objects.count(),
        "letters sent": OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count(),
        "digest lines": DigestLine.objects.count(),
        "digests": Digest.objects.count(),
    }


CHECKS = [
    ("artefact status = last audit event", _status_matches_last_event),
    ("finished task has its audit event", _finished_tasks_have_events),
    ("open tasks and processes agree", _no_open_task_on_a_finished_process),
    ("issued files match their SHA-256", _documents_match_their_checksums),
    ("numbering registers gap-free", _numbers_gap_free),
    ("outbox unique by key", _outbox_unique),
]
