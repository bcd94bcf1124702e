"""Benchmark: .docx → PDF with LibreOffice headless, batched as the Celery job does it.

    .venv/bin/python bench/documents_pdf.py                       # 300 documents, batches of 50, 2 in parallel
    .venv/bin/python bench/documents_pdf.py --count 600 --batch 100 --parallel 2
    .venv/bin/python bench/documents_pdf.py --small                # 2 documents, one soffice run (CI)

Renders COUNT documents (half приказы DOC-1 of 3 pages, half справки DOC-4a of 1 page) from the
shipped templates into a temporary directory, then converts them with documents.pdf.convert_to_pdf
— one soffice run per batch, PARALLEL worker processes each with its own LibreOffice profile (as
separate Celery worker processes would). The first run of each process creates its profile; it
is included in the figure. Needs no database. Prints PDFs per minute and the data size.
"""

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.test")

import scale  # noqa: E402

KINDS = ("rma_list_order", "rma_certificate")


def render(directory: Path, count: int) -> list[Path]:
    import datetime as dt

    from documents.kinds import NUMBER_TOKEN, DocumentRequisites, build_context, get_spec, resolve_signatory
    from documents.rendering import fill_number, render_docx
    from documents.template_versions import _SampleOrganization, builtin_template_bytes

    organization = _SampleOrganization()
    signatory = resolve_signatory(
        {"last_name": "Сидорова", "first_name": "Нина", "middle_name": "Петровна", "sex": "f", "position": "Министр"},
        organization,
    )
    paths = []
    for n in range(count):
        spec = get_spec(KINDS[n % 2])
        requisites = DocumentRequisites(organization, signatory, dt.date(2024, 8, 30), NUMBER_TOKEN)
        context = build_context(spec, spec.sample(None), requisites)
        data = fill_number(render_docx(builtin_template_bytes(spec)[0], context), f"{n + 1}/ОД")
        path = directory / f"{n:05d}-{spec.kind}.docx"
        path.write_bytes(data)
        paths.append(path)
    return paths


def convert(batch: list[Path]) -> tuple[int, int, float]:
    from documents.pdf import convert_to_pdf

    started = time.perf_counter()
    results = convert_to_pdf(batch, batch[0].parent / "pdf")
    done = [r.pdf_path for r in results.values() if r.pdf_path is not None]
    return len(done), sum(p.stat().st_size for p in done), time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--parallel", type=int, default=2)
    scale.add_argument(parser)
    options = parser.parse_args()
    if scale.SMALL:  # one soffice run of two documents, one of each kind
        options.count, options.batch, options.parallel = 2, 2, 1

    import django

    django.setup()
    from documents.pdf import soffice_binary

    if soffice_binary() is None:
        sys.exit("LibreOffice (soffice) не установлен: apt-get install libreoffice-writer-nogui")

    with tempfile.TemporaryDirectory(prefix="profrost-bench-pdf-") as directory:
        sources = render(Path(directory), options.count)
        docx_bytes = sum(p.stat().st_size for p in sources)
        batches = [sources[i : i + options.batch] for i in range(0, len(sources), options.batch)]
        started = time.perf_counter()
        with ProcessPoolExecutor(options.parallel) as pool:
            results = list(pool.map(convert, batches))
        elapsed = time.perf_counter() - started
        converted = sum(r[0] for r in results)
        pdf_bytes = sum(r[1] for r in results)
        print(f"soffice: {soffice_binary()}; CPUs: {os.cpu_count()}; parallel soffice processes: {options.parallel}")
        print(
            f"documents: {options.count} ({options.count // 2 + options.count % 2} приказы of 3 pages, "
            f"{options.count // 2} справки of 1 page); {docx_bytes / 1024 / 1024:.1f} MiB .docx"
        )
        print(
            f"batches: {len(batches)} of up to {options.batch}; per batch "
            f"{min(r[2] for r in results):.1f}–{max(r[2] for r in results):.1f} s"
        )
        print(f"converted: {converted} PDFs, {pdf_bytes / 1024 / 1024:.1f} MiB")
        print(f"wall time: {elapsed:.1f} s -> {converted / elapsed * 60:.0f} PDFs per minute")
        if converted != options.count:
            sys.exit(f"{options.count - converted} documents were not converted")


if __name__ == "__main__":
    main()
