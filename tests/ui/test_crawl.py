"""The site as every demo user lives it, in a real browser (issue 10): the demo region and its РМА
cases are loaded as `make run` loads them, then tests/ui/crawl.py logs in as each of the demo
users of the README and opens the start page, every link of the side menu and of the start
page, and every link one level further. It fails on a 4xx/5xx behind a link the user was shown
(downloads included), a console error, sideways scrolling at 390 px and visible Latin words.
Screenshots at 1366 px and 390 px are kept in var/crawl/<user>/.

Pages are discovered, not listed: a process that registers its flow and menu items is crawled
without a line here."""

import time

import pytest
from django.conf import settings
from django.core.management import call_command

from orgstructure.demo import DEMO_PASSWORD, DEMO_USERS
from tests.ui import crawl
from tests.ui.conftest import CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUT_DIR = settings.BASE_DIR / "var" / "crawl"
# Users crawled at once, each in two browser contexts (1366 px and 390 px) of one chromium. On
# SQLite the live server's threads share the test database's one connection, so concurrent users
# can stall each other: one user at a time there; PostgreSQL (CI's second run) takes three.
def _parallel():
    from django.db import connection

    return 1 if connection.vendor == "sqlite" else 3
# The workflows/core tests' sample flow is installed by project.settings.test only (not a page of
# the product): the superuser would see its stock, untranslated viewflow pages.
TEST_ONLY_PAGES = ("/workflow/flows/sample/",)


def _load_demo():
    # A transactional test before this one may have flushed what migrations seed.
    call_command("load_regulation_profiles", stdout=open("/dev/null", "w"))
    call_command("load_demo", quiet=True)
    call_command("load_programmes_demo", quiet=True)
    call_command("load_rma_demo", quiet=True)
    call_command("load_iom_demo", quiet=True)
    call_command("load_diagnostics_demo", quiet=True)
    call_command("load_internships_demo", quiet=True)


def test_every_demo_user_crawls_the_site_clean(live_server, chromium_path):
    _load_demo()
    users = [row[0] for row in DEMO_USERS]
    assert len(users) == 14
    started = time.monotonic()
    results = crawl.crawl(
        base_url=live_server.url,
        users=users,
        password=DEMO_PASSWORD,
        chromium_path=chromium_path,
        out_dir=OUT_DIR,
        parallel=_parallel(),
        launch_args=CHROMIUM_ARGS,
        skip_prefixes=TEST_ONLY_PAGES,
    )
    elapsed = time.monotonic() - started
    summary = crawl.report(results)
    print(f"\n{summary}\nВсего: {sum(len(r.rendered) for r in results)} страниц за {elapsed:.0f} с")
    assert {result.user for result in results} == set(users)
    # Each user sees at least the start page, «Задачи», «Документы» and the directories.
    assert all(len(result.rendered) >= 8 for result in results), summary
    assert not [f for result in results for f in result.findings], summary


def test_the_crawl_catches_a_broken_menu_link_and_latin_text(live_server, chromium_path, settings, tmp_path):
    """The crawl fails on what it promises to: here the start page carries a link to a page that
    does not exist and an English word, and both are reported."""
    _load_demo()
    override = tmp_path / "profrost"
    override.mkdir()
    (override / "start.html").write_text(
        "{% extends 'viewflow/base_page.html' %}{% block content %}"
        '<p>Dashboard</p><a href="/workflow/no-such-page/">Сломанная ссылка</a>{% endblock %}',
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    results = crawl.crawl(
        base_url=live_server.url,
        users=["teacher"],
        password=DEMO_PASSWORD,
        chromium_path=chromium_path,
        out_dir=None,
        max_depth=1,
        launch_args=CHROMIUM_ARGS,
    )
    findings = [(f.kind, f.url) for f in results[0].findings]
    assert ("status", "/workflow/no-such-page/") in findings
    assert ("latin", "/") in findings
    assert "Dashboard" in next(f.detail for f in results[0].findings if f.kind == "latin")
