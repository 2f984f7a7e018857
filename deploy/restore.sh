#!/bin/sh
# Restore a deploy/backup.sh archive into a NEW database (never over a live one).
# Usage: deploy/restore.sh DUMP_FILE TARGET_DATABASE_URL
#   The target database must not exist yet; it is created on the same server (through its
#   "postgres" maintenance database), the archive is restored with --exit-on-error in one
#   transaction, and the Alembic revision of the restored schema is printed. Point the app's
#   DATABASE_URL at it (and run `python -m interviewer migrate` if the code is newer).
set -eu
dump="${1:?usage: $0 DUMP_FILE TARGET_DATABASE_URL}"
url="${2:?usage: $0 DUMP_FILE TARGET_DATABASE_URL}"
[ -r "$dump" ] || { echo "restore.sh: cannot read $dump" >&2; exit 2; }
url="$(printf '%s' "$url" | sed -E 's#^(postgresql\+[a-z0-9]+|postgres)://#postgresql://#')"
case "$url" in postgresql://*) ;; *) echo "restore.sh: target must be a PostgreSQL URL" >&2; exit 2;; esac
db="$(printf '%s' "$url" | sed -E 's#^.*/([^/?]+)(\?.*)?$#\1#')"
admin_url="$(printf '%s' "$url" | sed -E 's#/[^/?]+(\?|$)#/postgres\1#')"
case "$db" in *[!A-Za-z0-9_]*|"") echo "restore.sh: database name must be [A-Za-z0-9_]+" >&2; exit 2;; esac
exists="$(psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")"
if [ "$exists" = "1" ]; then
  echo "restore.sh: database $db already exists; restore into a fresh database" >&2
  exit 3
fi
pg_restore --list "$dump" >/dev/null
psql "$admin_url" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$db\""
if ! pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$dump"; then
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS \"$db\"" || true
  echo "restore.sh: restore failed; $db was removed" >&2
  exit 1
fi
revision="$(psql "$url" -tAc "SELECT version_num FROM alembic_version" 2>/dev/null || true)"
echo "restored $dump into $db (alembic revision: ${revision:-unknown})"
