# medlead's one image: app server (the default command), Celery worker and beat (compose.yaml's commands).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MEDLEAD_ENV=production \
    MEDLEAD_STATIC_ROOT=/app/staticfiles \
    MEDLEAD_VAR_DIR=/app/var

# Pango for WeasyPrint's PDFs; PostgreSQL's client tools for backups (README, "Backups and upgrades").
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt
COPY manage.py pyproject.toml ./
COPY medlead medlead
COPY data data
COPY deploy deploy

# Hashed, compressed static files, served by WhiteNoise. The values below exist only for this build step.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    CELERY_BROKER_URL=redis://build:6379/0 MEDLEAD_BASE_URL=https://build \
    python manage.py collectstatic --noinput --verbosity 0

RUN useradd --system --home /app medlead && mkdir -p /app/var && chown medlead /app/var
USER medlead
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["gunicorn", "medlead.config.wsgi", "-c", "deploy/gunicorn.conf.py"]
