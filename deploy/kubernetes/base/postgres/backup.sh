#!/usr/bin/env bash
# Backs up Conduit's PostgreSQL database as the operations runbook expects to find it:
# `pg_dump | gzip` into conduit-YYYYMMDD-HHMMSS.sql.gz (UTC), written to a local directory and,
# when CONDUIT_BACKUP_S3 is set and the aws CLI is installed, copied to that S3 location.
#
# Restore (runbook, "Database Recovery"):  gunzip -c conduit-YYYYMMDD-HHMMSS.sql.gz | psql -U conduit
# The dump drops and recreates Conduit's tables, so it restores into an empty database or over an
# existing Conduit schema alike.
#
# Usage: scripts/backup.sh [DIR]          (DIR defaults to $CONDUIT_BACKUP_DIR, else ./backups)
# Connection: libpq's variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE
#             (PGUSER and PGDATABASE default to conduit, as in the runbook).
# CONDUIT_BACKUP_S3: e.g. s3://conduit-backups/ (the runbook's bucket); unset = local only.
# Prints the path of the backup it made; exits non-zero if pg_dump, gzip or the upload failed.
set -euo pipefail

dir="${1:-${CONDUIT_BACKUP_DIR:-./backups}}"
export PGUSER="${PGUSER:-conduit}"
export PGDATABASE="${PGDATABASE:-conduit}"

command -v pg_dump >/dev/null 2>&1 || {
  echo "backup: pg_dump not found (install postgresql-client)" >&2
  exit 1
}
mkdir -p "$dir"
file="$dir/conduit-$(date -u +%Y%m%d-%H%M%S).sql.gz"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

# --clean --if-exists: the restore replaces what is there; --no-owner --no-privileges: it may run
# as another user than the one that owned the tables.
pg_dump --clean --if-exists --no-owner --no-privileges | gzip -9 >"$partial"
mv "$partial" "$file"
trap - EXIT
echo "backup: wrote $file"

if [ -n "${CONDUIT_BACKUP_S3:-}" ]; then
  if command -v aws >/dev/null 2>&1; then
    aws s3 cp "$file" "${CONDUIT_BACKUP_S3%/}/$(basename "$file")"
    echo "backup: copied to ${CONDUIT_BACKUP_S3%/}/$(basename "$file")"
  else
    echo "backup: CONDUIT_BACKUP_S3 is set but the aws CLI is not installed" >&2
    exit 1
  fi
fi
