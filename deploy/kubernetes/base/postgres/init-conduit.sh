#!/usr/bin/env bash
# Runs once, when postgres-0 initialises an empty data directory: the role and database the
# gateway uses, and pg_stat_statements in it (created by the superuser: the extension is not
# trusted, so the gateway's own migration could not create it).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v password="$CONDUIT_DB_PASSWORD" <<'SQL'
CREATE ROLE conduit LOGIN PASSWORD :'password';
CREATE DATABASE conduit OWNER conduit;
\connect conduit
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
GRANT pg_read_all_stats TO conduit;
SQL
