#!/usr/bin/env bash
# The postgres-backup CronJob's dump step: pg_dump of `conduit`, gzipped, named
# conduit-YYYYMMDD-HHMMSS.sql.gz, into /backup (the upload step sends it to S3). Plain SQL, so
# the runbook's restore works: gunzip -c FILE | psql -U conduit.
set -euo pipefail
name="conduit-$(date -u +%Y%m%d-%H%M%S).sql.gz"
pg_dump --no-owner --no-privileges --dbname conduit | gzip -9 > "/backup/$name.partial"
mv "/backup/$name.partial" "/backup/$name"
echo "$name" > /backup/latest
echo "wrote $name ($(stat -c %s "/backup/$name") bytes)"
