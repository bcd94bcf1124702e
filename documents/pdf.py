"""LibreOffice headless conversion of .docx to PDF, many files per soffice start.

Starting soffice costs about a second; converting one more page a few milliseconds. So one run
converts a whole batch. Each worker process keeps its own LibreOffice profile directory
(-env:UserInstallation): two soffice processes sharing one profile block each other, and a fresh
profile per run would double the start-up time. Never called in a web request.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

UNAVAILABLE_MESSAGE = "PDF недоступен: LibreOffice не установлен"


@dataclass(frozen=True)
class ConversionResult:
    pdf_path: Path | None
    error: str = ""


def soffice_binary() -> str | None:
    configured = getattr(settings, "PROFROST_SOFFICE_BINARY", "")
    if configured:
        return configured if os.path.exists(configured) else shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def profile_dir() -> Path:
    base = getattr(settings, "PROFROST_SOFFICE_PROFILE_DIR", "") or tempfile.gettempdir()
    path = Path(base) / f"profrost-soffice-profile-{os.getpid()}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def convert_to_pdf(
    sources: list[Path], outdir: Path, *, binary: str | None = None, timeout: int | None = None
) -> dict[Path, ConversionResult]:
    """Convert `sources` (.docx files with distinct stems) into `outdir` with one soffice run."""
    binary = binary or soffice_binary()
    if binary is None:
        return {source: ConversionResult(None, UNAVAILABLE_MESSAGE) for source in sources}
    outdir.mkdir(parents=True, exist_ok=True)
    timeout = timeout or getattr(settings, "PROFROST_SOFFICE_TIMEOUT", 30 + 3 * len(sources))
    command = [
        binary,
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nologo",
        f"-env:UserInstallation={profile_dir().as_uri()}",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(outdir),
        *[str(source) for source in sources],
    ]
    error = ""
    # A session of its own: on timeout the whole soffice process group (the wrapper script and
    # soffice.bin) is killed, not only the wrapper.
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "HOME": str(profile_dir())},
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        if process.returncode != 0:
            error = (stderr or stdout).decode("utf-8", "replace").strip()[-300:]
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        error = f"LibreOffice не ответил за {timeout} с"
    results = {}
    for source in sources:
        target = outdir / f"{source.stem}.pdf"
        if target.exists() and target.stat().st_size > 0:
            results[source] = ConversionResult(target)
        else:
            results[source] = ConversionResult(None, error or "LibreOffice не создал PDF")
    return results
