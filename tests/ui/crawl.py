"""A browser crawl of the site as each user sees it (issue 10).

For one user: log in, open the start page, every link on it (the side menu included), and every
link one level further; every same-origin link found on the start page and on the pages one level
down is also fetched over HTTP (with the user's cookies), so a broken link is caught even where
only one page of its kind is rendered. Pages are discovered, never listed: a new menu item of a
new process is crawled without new code here.

A finding is:
* ``status``   — a link the user was shown answers 4xx or 5xx (downloads included: their status
                 is checked with a request, the file itself is not opened);
* ``console``  — a console error or an uncaught exception in the page;
* ``overflow`` — at 390 px the page scrolls sideways (documentElement.scrollWidth > clientWidth);
* ``latin``    — a visible Latin word outside ``ALLOWED_LATIN`` (and outside e-mail addresses
                 and URLs).

Each rendered page is screenshotted at 1366 px and at 390 px into ``var/crawl/<user>/``.

Only GET links are followed and forms are never submitted, so the crawl changes nothing but the
sessions it logs in. One page per *kind* is rendered (the path with numbers as ``<n>`` and the
set of query keys: ``/directory/person/<n>/detail/`` once, not for every teacher); every link is
still fetched for its status.

Run from the test suite (tests/ui/test_crawl.py) or by hand against `make run`:
    .venv/bin/python -m tests.ui.crawl --base-url http://127.0.0.1:8000 [--user teacher …]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit, urlunsplit

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
MAX_DEPTH = 2  # the start page is 0; the side menu and the start page's links are 1
USER_TIMEOUT = 900  # seconds for one user's whole crawl

# Visible Latin words that are right on a Russian page, each for a reason:
ALLOWED_LATIN = {
    "pdf",  # the file format, as officials call it
    "docx",  # file formats named on download links and upload hints
    "xlsx",
    "csv",
    "jpeg",
    "png",
    "excel",  # «Выгрузить в Excel»
    "api",  # «Документация API»
    "ctrl",  # the key's label, as printed on the keyboard: «удерживайте Ctrl»
}
# Pages that are not ours to translate: Swagger UI renders the OpenAPI schema in English for the
# developers of schools' and regions' systems; Django's admin shows codes, logins and the models
# of third-party apps (Celery beat's «Crontab») to the system administrator. Both are still checked
# for status, console errors and overflow.
LATIN_EXEMPT_PREFIXES = ("/api/", "/admin/")
# Django's admin is Django's own, tested UI: its index is opened, the pages behind it are fetched
# for their status only (40 model lists and forms would double the crawl's time).
RENDER_ONLY_INDEX_PREFIXES = ("/admin/",)

# Never followed: ending the session, and anything that is not a page of the site.
SKIP_PATH_PARTS = ("/logout",)
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")

_NUMBER = re.compile(r"^\d+$")
_URL = re.compile(r"\b(?:https?|ftp)://\S+")
_EMAIL = re.compile(r"\S+@\S+\.\S+")
# A file's own name («diploma.pdf») is the user's data, shown as uploaded.
_FILE_NAME = re.compile(r"\S+\.(?:pdf|docx?|xlsx?|csv|jpe?g|png|odt)\b", re.IGNORECASE)
# The indicator catalogue's codes (IND-01 … IND-22, IND-04a; DOMAIN-DOCUMENTS §1.8) are the
# identifiers the monitoring forms, letters and справки cite, as officials cite them.
_INDICATOR_CODE = re.compile(r"\bIND-\d{2}[a-z]?\b")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'’.-]*")

VISIBLE_TEXT_JS = """
() => {
  const shown = (el) => {
    if (!el || !el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.nodeValue.trim();
    if (!text) continue;
    const el = node.parentElement;
    if (!el || el.closest('script, style, noscript, template, .material-icons, option')) continue;
    if (!shown(el)) continue;
    out.push(text);
  }
  for (const el of document.querySelectorAll('select')) {
    if (shown(el)) for (const option of el.options) out.push(option.textContent.trim());
  }
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (shown(el)) out.push(el.placeholder);
  }
  for (const el of document.querySelectorAll('input[type=submit], input[type=button]')) {
    if (shown(el)) out.push(el.value);
  }
  return out.filter(Boolean);
}
"""

# The side menu's links count as one click from anywhere: the menu is on every page.
LINKS_JS = """
() => Array.from(document.querySelectorAll('a[href]'), (a) => [
  new URL(a.getAttribute('href'), document.baseURI).href, !!a.closest('.vf-page__menu')])
"""
READY_JS = "document.fonts.ready.then(() => true)"

OVERFLOW_JS = """
() => {
  const root = document.documentElement;
  const wide = [];
  if (root.scrollWidth > root.clientWidth) {
    for (const el of document.body.querySelectorAll('*')) {
      const rect = el.getBoundingClientRect();
      if (rect.right > root.clientWidth + 1 && rect.width > 0) {
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
        wide.push(name + ' → ' + Math.round(rect.right) + 'px');
        if (wide.length >= 5) break;
      }
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide};
}
"""


LOGIN_LOCK: list = []  # an asyncio.Lock of the running crawl's event loop


@dataclass
class Finding:
    user: str
    kind: str
    url: str
    detail: str
    source: str = ""

    def __str__(self):
        where = f" (ссылка на странице {self.source})" if self.source else ""
        return f"[{self.user}] {self.kind}: {self.url}{where} — {self.detail}"


@dataclass
class UserResult:
    user: str
    rendered: list[str] = field(default_factory=list)
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0


def page_kind(url: str) -> str:
    """The kind of a page: its path with numbers generalised and the names of its query keys."""
    parts = urlsplit(url)
    path = "/".join("<n>" if _NUMBER.match(segment) else segment for segment in parts.path.split("/"))
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def latin_words(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        text = _INDICATOR_CODE.sub(" ", _FILE_NAME.sub(" ", _EMAIL.sub(" ", _URL.sub(" ", text))))
        for word in _LATIN_WORD.findall(text):
            word = word.strip(".-_'’")
            if word and word.lower() not in ALLOWED_LATIN and word not in found:
                found.append(word)
    return found


def _normalise(url: str) -> str:
    url, _ = urldefrag(url)
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def _slug(url: str) -> str:
    parts = urlsplit(url)
    text = parts.path.strip("/") or "start"
    if parts.query:
        text += "_" + parts.query
    return re.sub(r"[^A-Za-z0-9=._-]+", "-", text)[:120]


class UserCrawl:
    def __init__(self, browser, base_url: str, user: str, password: str, out_dir: Path | None,
                 max_depth: int = MAX_DEPTH, skip_prefixes: tuple[str, ...] = ()):
        self.browser = browser
        self.base = base_url.rstrip("/")
        self.origin = urlsplit(self.base)[:2]
        self.user = user
        self.password = password
        self.out_dir = out_dir / user if out_dir else None
        self.result = UserResult(user)
        self.checked: dict[str, tuple[int, str, str]] = {}
        self.kinds: set[str] = set()
        self.max_depth = max_depth
        self.skip_prefixes = tuple(skip_prefixes)

    def find(self, kind, url, detail, source=""):
        self.result.findings.append(Finding(self.user, kind, self._path(url), detail, self._path(source)))

    def _path(self, url: str) -> str:
        if not url:
            return ""
        parts = urlsplit(url)
        return urlunsplit(("", "", parts.path, parts.query, ""))

    def _inside(self, url: str) -> bool:
        if url.startswith(SKIP_SCHEMES):
            return False
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != self.origin:
            return False
        if parts.path.startswith(self.skip_prefixes):
            return False
        return not any(part in parts.path for part in SKIP_PATH_PARTS)

    async def run(self) -> UserResult:
        started = time.monotonic()
        self.desktop = await self.browser.new_context(locale="ru-RU", viewport=DESKTOP)
        try:
            await self._login()
            state = await self.desktop.storage_state()
            self.phone = await self.browser.new_context(
                locale="ru-RU", viewport=PHONE, storage_state=state, is_mobile=True, has_touch=True
            )
            try:
                await self._crawl()
            finally:
                await self.phone.close()
        finally:
            await self.desktop.close()
        self.result.seconds = time.monotonic() - started
        return self.result

    async def _login(self):
        # One login at a time: on the SQLite test database the live server's threads share one
        # connection, and two logins writing sessions at once meet «database table is locked».
        async with LOGIN_LOCK[0]:
            await self._login_once()

    async def _login_once(self):
        page = await self.desktop.new_page()
        try:
            await page.goto(f"{self.base}/accounts/login/")
            await page.fill("input[name=username]", self.user)
            await page.fill("input[name=password]", self.password)
            async with page.expect_navigation():
                await page.click("button[type=submit]")
            if "/accounts/login/" in page.url:
                raise RuntimeError(f"{self.user}: вход не удался")
        finally:
            await page.close()

    async def _crawl(self):
        self.errors: list[str] = []
        self.page = await self.desktop.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda exc: self.errors.append(f"исключение: {exc}"))
        self.page.on("response", self._resource_failed)
        self.phone_page = await self.phone.new_page()
        self.phone_page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.phone_page.on("pageerror", lambda exc: self.errors.append(f"исключение: {exc}"))
        self.phone_page.on("response", self._resource_failed)
        start = _normalise(f"{self.base}/")
        queue: list[tuple[str, int, str]] = [(start, 0, "")]
        self.kinds.add(page_kind(start))
        while queue:
            url, depth, source = queue.pop(0)
            links = await self._render(url, source)
            for link, in_menu in links:
                link_depth = 1 if in_menu else depth + 1
                if depth >= self.max_depth and not in_menu:
                    continue  # the links of the deepest pages are not followed
                status, content_type, final = await self._check(link, url)
                if status >= 400 or "text/html" not in content_type or link_depth > self.max_depth:
                    continue
                if any(urlsplit(final).path.startswith(p) and urlsplit(final).path != p
                       for p in RENDER_ONLY_INDEX_PREFIXES):
                    continue
                # A link that redirects («/» → «/home/») is the page it lands on.
                kinds = {page_kind(link), page_kind(final)}
                if kinds & self.kinds:
                    self.kinds |= kinds
                    continue
                self.kinds |= kinds
                queue.append((_normalise(final), link_depth, url))

    def _resource_failed(self, response):
        """A stylesheet, script, font or image the page asked for and did not get."""
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{response.status} {self._path(response.url)}")

    async def _check(self, url: str, source: str) -> tuple[int, str, str]:
        """The status of a link (redirects followed), its content type and where it lands; each
        URL once."""
        if url not in self.checked:
            response = await self.desktop.request.get(url, max_redirects=10)
            self.checked[url] = (response.status, response.headers.get("content-type", ""), response.url)
            await response.dispose()
            self.result.checked += 1
            status = self.checked[url][0]
            if status >= 400:
                self.find("status", url, f"ответ {status}", source)
        return self.checked[url]

    async def _render(self, url: str, source: str) -> list[tuple[str, bool]]:
        self.result.rendered.append(self._path(url))
        index = len(self.result.rendered)
        page = self.page
        self.errors.clear()
        links: list[tuple[str, bool]] = []
        response = await page.goto(url, wait_until="load")
        await page.evaluate(READY_JS)
        status = response.status if response else 0
        if status >= 400:
            self.find("status", url, f"ответ {status}", source)
        final = page.url
        self.kinds.add(page_kind(final))  # «/» lands on «/home/»: that page is done too
        if self._inside(final):
            if not urlsplit(final).path.startswith(LATIN_EXEMPT_PREFIXES):
                words = latin_words(await page.evaluate(VISIBLE_TEXT_JS))
                if words:
                    self.find("latin", url, "латиница на странице: " + ", ".join(words[:15]), source)
            seen = set()
            for href, in_menu in await page.evaluate(LINKS_JS):
                if self._inside(href):
                    normalised = _normalise(href)
                    if normalised not in seen:
                        seen.add(normalised)
                        links.append((normalised, in_menu))
        if self.out_dir:
            await page.screenshot(path=str(self.out_dir / f"{index:03d}-{_slug(url)}-1366.png"), full_page=True)
        await self._phone(url, index)
        if self.errors:
            self.find("console", url, "; ".join(self.errors[:5]), source)
        return links

    async def _phone(self, url: str, index: int):
        page = self.phone_page
        await page.goto(url, wait_until="load")
        await page.evaluate(READY_JS)
        overflow = await page.evaluate(OVERFLOW_JS)
        if overflow["scrollWidth"] > overflow["clientWidth"]:
            self.find(
                "overflow",
                url,
                f"при ширине 390 px страница шире экрана: {overflow['scrollWidth']} > {overflow['clientWidth']} px; "
                + ", ".join(overflow["wide"]),
            )
        if self.out_dir:
            await page.screenshot(path=str(self.out_dir / f"{index:03d}-{_slug(url)}-390.png"), full_page=True)


async def crawl_async(
    *, base_url, users, password, chromium_path, out_dir: Path | None, parallel: int = 3, launch_args=(),
    max_depth: int = MAX_DEPTH, skip_prefixes: tuple[str, ...] = (),
) -> list[UserResult]:
    from playwright.async_api import async_playwright

    if out_dir:
        shutil.rmtree(out_dir, ignore_errors=True)
        for user in users:
            (out_dir / user).mkdir(parents=True, exist_ok=True)
    semaphore = asyncio.Semaphore(parallel)
    LOGIN_LOCK[:] = [asyncio.Lock()]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=list(launch_args)
        )
        try:

            async def one(user):
                async with semaphore:
                    crawler = UserCrawl(browser, base_url, user, password, out_dir, max_depth, skip_prefixes)
                    try:
                        # A page that never answers must fail the crawl, not hang CI.
                        return await asyncio.wait_for(crawler.run(), timeout=USER_TIMEOUT)
                    except TimeoutError:
                        crawler.result.findings.append(
                            Finding(user, "crash", "", f"обход не уложился в {USER_TIMEOUT} с")
                        )
                        return crawler.result
                    except Exception as exc:  # a crash of one user's crawl is a finding, not a lost run
                        crawler.result.findings.append(Finding(user, "crash", "", repr(exc)))
                        return crawler.result

            return list(await asyncio.gather(*(one(user) for user in users)))
        finally:
            await browser.close()


def crawl(**kwargs) -> list[UserResult]:
    """Run the crawl in a thread of its own: Playwright's sync API of other UI tests may hold an
    event loop in the calling thread."""
    results: list = []
    failure: list = []

    def target():
        try:
            results.extend(asyncio.run(crawl_async(**kwargs)))
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    import threading

    thread = threading.Thread(target=target, name="crawl")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return results


def report(results: list[UserResult]) -> str:
    lines = []
    for result in results:
        lines.append(
            f"{result.user}: {len(result.rendered)} страниц открыто, {result.checked} ссылок проверено, "
            f"{len(result.findings)} замечаний, {result.seconds:.1f} с"
        )
    findings = [str(finding) for result in results for finding in result.findings]
    if findings:
        lines.append("")
        lines.extend(findings)
    return "\n".join(lines)


def main(argv=None):
    from tests.ui.conftest import CHROMIUM_ARGS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", action="append", help="demo login (default: every demo user)")
    parser.add_argument("--password", default="profrost-demo")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--out", default="var/crawl")
    parser.add_argument("--parallel", type=int, default=3)
    args = parser.parse_args(argv)
    users = args.user
    if not users:
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.dev")
        django.setup()
        from orgstructure.demo import DEMO_USERS

        users = [row[0] for row in DEMO_USERS]
    started = time.monotonic()
    results = crawl(
        base_url=args.base_url,
        users=users,
        password=args.password,
        chromium_path=args.chromium,
        out_dir=Path(args.out),
        parallel=args.parallel,
        launch_args=CHROMIUM_ARGS,
    )
    print(report(results))
    print(f"\nВсего: {sum(len(r.rendered) for r in results)} страниц, {time.monotonic() - started:.1f} с")
    return 1 if any(r.findings for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
