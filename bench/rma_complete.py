"""Benchmark: completing РМА tasks — the municipal coordinator's document verification, approved or
returned (alternately) — including what a task page loads, the conditional claim, the artefact's
transition with its audit event, and the next task with its due date and alarm. 8 concurrent
clients, each a coordinator working through their own inbox, on PostgreSQL.

    DATABASE_URL=postgres://profrost:profrost-ci@127.0.0.1:5432/profrost .venv/bin/python bench/rma_complete.py
    … --processes 2        # the 8 clients spread over 2 processes (4 threads each)
    … --small              # 2 clients, a few completions each: seconds, no target judged (CI)

Target (issue 4): ≥ 200 completions per second per process, p95 < 20 ms. Not part of the test suite.

What it reports: the data size; queries of one (warm) approval and one return; one client alone
(sequential completions: rate, p50, p95); the concurrent clients (rate per process, p50, p95);
and where the time goes — CPU seconds of the benchmark's process per completion (its threads
share one interpreter lock, so 1 / that is the ceiling of one process whatever the number of
clients) and of the rest of the machine (PostgreSQL, on the same CPUs) per completion.
"""

# ruff: noqa: E402, I001 — rma_common sets Django up, so it comes before the Django imports

import argparse
import multiprocessing
import os
import threading
import time

import scale
from rma_common import banner, build_region, files, latency_line, percentile, setup

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--clients", type=int, default=8, help="concurrent clients (coordinators)")
parser.add_argument("--processes", type=int, default=1, help="processes the clients are spread over")
parser.add_argument("--per-client", type=int, default=200, help="completions per client")
parser.add_argument("--single", type=int, default=200, help="sequential completions of the one-client run")
scale.add_argument(parser)
args = parser.parse_args()
if scale.SMALL:
    args.clients, args.per_client, args.single = 2, 4, 4
setup()

from django.db import connection, connections
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task

from workflows.core.models import AuditEvent, TaskDeadline
from workflows.core import flowkit
from workflows.rma import flows, services
from workflows.rma.flows import RmaFlow
from workflows.rma.models import RmaApplication

COMMENT = "Приложите копию диплома с вкладышем"


def submit_all(region):
    from orgstructure.models import Person

    started = time.perf_counter()
    persons = list(Person.objects.filter(organization__region=region.region).order_by("id"))
    for person in persons:
        flows.application_start(actor=region.head, person=person, subjects=region.subjects[:1], files=files())
    elapsed = time.perf_counter() - started
    print(
        f"   setup: {len(persons):,} applications submitted (formal check, first task) in {elapsed:.1f} s "
        f"({len(persons) / elapsed:.0f}/s, one client)"
    )


def complete(user, task_id, approve):
    """What the task page's POST does: load the task and its application, then complete."""
    task = Task.objects.select_related("process").get(pk=task_id)
    application = RmaFlow.instance.artefact_of(task.process)
    if approve:

        def perform(activation):
            return services.application_verify(actor=user, application=application)
    else:

        def perform(activation):
            return services.application_return(actor=user, application=application, comment=COMMENT)

    flowkit.task_complete(actor=user, task_id=task_id, task=task, perform=perform)


def inbox(user):
    return list(
        TaskDeadline.objects.filter(owner=user, is_open=True, flow_task__endswith=".verify")
        .order_by("sort_due", "task_id")
        .values_list("task_id", flat=True)
    )


def run_clients(users, per_client, queue=None):
    """Threads of one process, one per user; returns (latencies by kind, wall seconds)."""
    latencies = {"approve": [], "return": []}
    errors, lock = [], threading.Lock()
    start = threading.Barrier(len(users) + 1)

    def client(user):
        own = {"approve": [], "return": []}
        try:
            tasks = inbox(user)[:per_client]
            start.wait()
            for index, task_id in enumerate(tasks):
                kind = "approve" if index % 2 == 0 else "return"
                began = time.perf_counter()
                complete(user, task_id, approve=kind == "approve")
                own[kind].append(time.perf_counter() - began)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()
            with lock:
                for kind, values in own.items():
                    latencies[kind].extend(values)

    threads = [threading.Thread(target=client, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    start.wait()
    began, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.join()
    result = (latencies, time.perf_counter() - began, errors, time.process_time() - cpu)
    if queue is not None:
        queue.put(result)
    return result


def machine_busy_seconds() -> float | None:
    """CPU seconds all CPUs of the machine spent busy so far (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except OSError:
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def data_size() -> str:
    tasks = Task.objects.count()
    deadlines = TaskDeadline.objects.count()
    audit = AuditEvent.objects.count()
    applications = RmaApplication.objects.count()
    return f"{applications:,} applications, {tasks:,} tasks, {deadlines:,} due-date rows, {audit:,} audit events"


def main():
    banner("РМА: completing a task (verify / return) — claim, transition, audit, next task")
    # One more municipality than clients: its coordinator does the one-client measurements.
    region = build_region(
        municipalities=args.clients + 1, candidates_per_municipality=max(args.per_client, args.single + 4)
    )
    submit_all(region)
    print(f"   data: {data_size()}")

    solo = region.coordinators[-1]
    tasks = inbox(solo)
    for approve in (True, False):  # warm: the user's memberships, the calendar, the content types
        complete(solo, tasks.pop(0), approve=approve)
    for approve in (True, False):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            complete(solo, tasks.pop(0), approve=approve)
            single = time.perf_counter() - started
        print(
            f"   one {'approval' if approve else 'return  '} alone: {single * 1000:5.1f} ms, {len(captured)} queries "
            "(2 of them load the task and the application, as the task page does; BEGIN and COMMIT counted)"
        )
    sequential = []
    cpu, busy = time.process_time(), machine_busy_seconds()
    began = time.perf_counter()
    for index, task_id in enumerate(tasks[: args.single]):
        started = time.perf_counter()
        complete(solo, task_id, approve=index % 2 == 0)
        sequential.append(time.perf_counter() - started)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    busy = machine_busy_seconds() - busy if busy is not None else None
    print(f"   one client, {len(sequential)} completions in a row: {len(sequential) / wall:.0f}/s")
    print(latency_line("one client", sequential))
    print(cpu_line(len(sequential), cpu, busy))

    users = region.coordinators[: args.clients]
    busy = machine_busy_seconds()
    groups = [users[i :: args.processes] for i in range(args.processes)]
    if args.processes == 1:
        results = [run_clients(users, args.per_client)]
    else:
        connections.close_all()  # every forked process opens its own connection
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        processes = [context.Process(target=run_clients, args=(group, args.per_client, queue)) for group in groups]
        for process in processes:
            process.start()
        results = [queue.get() for _ in processes]
        for process in processes:
            process.join()

    busy = machine_busy_seconds() - busy if busy is not None else None
    everything, per_process = [], []
    approve, returned = [], []
    cpu = 0.0
    failed = []
    for latencies, wall, errors, process_cpu in results:
        cpu += process_cpu
        if errors:
            print(f"   ERRORS: {errors[:3]}")
            failed += errors
        count = len(latencies["approve"]) + len(latencies["return"])
        per_process.append(count / wall)
        approve += latencies["approve"]
        returned += latencies["return"]
    everything = approve + returned
    wall = max(result[1] for result in results)
    print(
        f"   {args.clients} concurrent clients in {args.processes} process(es): {len(everything):,} completions "
        f"in {wall:.2f} s = {len(everything) / wall:.0f}/s in all; per process "
        + ", ".join(f"{rate:.0f}/s" for rate in per_process)
    )
    print(latency_line("all completions", everything))
    print(latency_line("approve (→ assessment task)", approve))
    print(latency_line("return (→ correction task)", returned))
    print(cpu_line(len(everything), cpu, busy))

    done = Task.objects.filter(flow_task=RmaFlow.verify, status="DONE").count()
    audit = AuditEvent.objects.filter(event__in=["rma.verified", "rma.returned"]).count()
    nexts = Task.objects.filter(flow_task__in=[RmaFlow.assess, RmaFlow.correct]).count()
    statuses = dict(RmaApplication.objects.values_list("status").annotate(n=Count("id")).order_by())
    print(
        f"   check: {done:,} verification tasks done, {audit:,} audit events, {nexts:,} next tasks; "
        f"applications by status {statuses}"
    )
    p95 = percentile(everything, 0.95)
    verdict = scale.verdict(min(per_process) >= 200 and p95 < 0.020)
    print(
        f"   target ≥ 200/s per process and p95 < 20 ms: {verdict} "
        f"(min per process {min(per_process):.0f}/s, p95 {p95 * 1000:.1f} ms)"
    )
    expected = args.clients * args.per_client
    if failed or len(everything) != expected:
        raise SystemExit(f"{len(failed)} clients failed; {len(everything)} completions of {expected}")


def cpu_line(count: int, cpu: float, busy: float | None) -> str:
    """Where the time of `count` completions went: the benchmark's process(es) and the rest."""
    line = (
        f"   CPU per completion: {cpu / count * 1000:.2f} ms in the benchmark's Python "
        f"(one process at most {count / cpu:.0f}/s: its threads share one interpreter lock)"
    )
    if busy is not None:
        rest = max(busy - cpu, 0.0)
        line += f", {rest / count * 1000:.2f} ms elsewhere on the machine (PostgreSQL)"
    return line


if __name__ == "__main__":
    main()
