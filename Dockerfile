# Production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=project.settings.prod PROFROST_VAR_DIR=/var/lib/profrost

RUN apt-get update \
 && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-liberation poppler-utils \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/profrost profrost

WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY project project
COPY common common
COPY orgstructure orgstructure
COPY programmes programmes
COPY workflows workflows
COPY documents documents
COPY api api
COPY manage.py ./
RUN pip install . \
 && DJANGO_SECRET_KEY=build-only-collectstatic-key-000000000000000000000000 DJANGO_CACHE_URL=redis://unused:6379/1 \
    python manage.py collectstatic --noinput

USER profrost
EXPOSE 8000
CMD ["gunicorn", "project.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
