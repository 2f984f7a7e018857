#!/bin/sh
# Back up the database with pg_dump's custom format (compressed, restorable table by table).
# Usage: deploy/backup.sh [OUTPUT_FILE]
#   DATABASE_URL: the database (else the application's settings, .env included, are asked)
#   default OUTPUT_FILE: ${BACKUP_DIR:-var/backups}/interviewer-<UTC timestamp>.dump
# The archive is written under a temporary name and checked with pg_restore --list before it
# takes its final name, so a half-written file never looks like a backup.
set -eu
url="${DATABASE_URL:-}"
if [ -z "$url" ]; then
  url="$(python -m interviewer.ops db-url)"
fi
# libpq does not know SQLAlchemy driver names.
url="$(printf '%s' "$url" | sed -E 's#^(postgresql\+[a-z0-9]+|postgres)://#postgresql://#')"
case "$url" in postgresql://*) ;; *) echo "backup.sh: DATABASE_URL must be a PostgreSQL URL" >&2; exit 2;; esac
out="${1:-${BACKUP_DIR:-var/backups}/interviewer-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$out")"
umask 077
pg_dump --format=custom --compress=6 --no-owner --no-privileges --dbname="$url" --file="$out.partial"
pg_restore --list "$out.partial" >/dev/null
mv "$out.partial" "$out"
echo "$out"
