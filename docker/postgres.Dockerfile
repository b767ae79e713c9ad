# PostgreSQL 15 with pg_cron preloaded and pgTAP, for docker-compose.yml.
# The same Debian packages that scripts/setup installs on a machine.
FROM postgres:15-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-15-cron postgresql-15-pgtap \
    && rm -rf /var/lib/apt/lists/*

# Creates the extensions as superuser the first time the data volume is initialised.
COPY docker/initdb-extensions.sql /docker-entrypoint-initdb.d/10-extensions.sql

CMD ["postgres", \
     "-c", "shared_preload_libraries=pg_cron", \
     "-c", "cron.database_name=fastqueue", \
     "-c", "cron.use_background_workers=on", \
     "-c", "max_worker_processes=16", \
     "-c", "timezone=UTC"]
