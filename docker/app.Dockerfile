# The fastqueue API server, worker and migrations (Sqitch), for docker-compose.yml.
FROM python:3.11-slim-bookworm

# Sqitch with its PostgreSQL driver runs `fastqueue db-migrate`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends sqitch libdbd-pg-perl postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md sqitch.plan sqitch.conf ./
COPY db ./db
COPY api ./api
RUN pip install --no-cache-dir .

ENV fastqueue_server_host=0.0.0.0
EXPOSE 8000
ENTRYPOINT ["fastqueue"]
CMD ["server"]
