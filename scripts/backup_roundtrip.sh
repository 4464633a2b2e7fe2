#!/usr/bin/env bash
# Backup and restore round trip of the demo data (docs/backup.md).
#
#   scripts/backup_roundtrip.sh [postgres|sqlite|all]      (default: all)
#
# PostgreSQL: a fresh database seeded with the demo data, pg_dump -Fc, pg_restore into a second
# fresh database. SQLite: a fresh file seeded likewise, dumpdata with natural keys, loaddata into
# a second fresh, migrated file. Each time scripts/compare_databases.py checks that every table
# keeps its row count and every dossier its code. Exit status 0 only when both agree.
#
# Environment: PY (the interpreter, default .venv/bin/python); BACKUP_PG_URL (the PostgreSQL
# server, default postgres://postgres@127.0.0.1:5432); BACKUP_PG_PREFIX (the two databases'
# name prefix, default onestop_backup — both are dropped and created anew);
# DEMO_DOSSIERS_PER_WARD (the demo's size, as seed_demo reads it).
set -euo pipefail

cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
MODE=${1:-all}
PG_URL=${BACKUP_PG_URL:-postgres://postgres@127.0.0.1:5432}
PREFIX=${BACKUP_PG_PREFIX:-onestop_backup}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Demo data is seeded as `make run` does, with DEBUG on; nothing here serves requests.
export DEBUG=true
export SECRET_KEY=${SECRET_KEY:-backup-roundtrip-only-not-a-real-secret-0123456789abcdef}

manage() {
  local url=$1
  shift
  DATABASE_URL=$url "$PY" manage.py "$@"
}

fresh_postgres() {
  local name=$1
  dropdb --if-exists --force --maintenance-db="$PG_URL/postgres" "$name"
  createdb --maintenance-db="$PG_URL/postgres" "$name"
}

postgres_roundtrip() {
  local source="$PG_URL/${PREFIX}_source" restored="$PG_URL/${PREFIX}_restored"
  local dump="$WORK/onestop.dump"
  echo "== PostgreSQL: seed ${PREFIX}_source, pg_dump -Fc, pg_restore into ${PREFIX}_restored"
  fresh_postgres "${PREFIX}_source"
  manage "$source" migrate --no-input -v0
  manage "$source" seed_demo --force >/dev/null
  pg_dump --format=custom --no-owner --no-privileges --dbname="$source" --file="$dump"
  echo "   dump: $(du -h "$dump" | cut -f1)"
  fresh_postgres "${PREFIX}_restored"
  pg_restore --no-owner --no-privileges --exit-on-error --dbname="$restored" "$dump"
  "$PY" scripts/compare_databases.py "$source" "$restored"
}

sqlite_roundtrip() {
  local source="sqlite:///$WORK/source.sqlite3" restored="sqlite:///$WORK/restored.sqlite3"
  local dump="$WORK/onestop.xml"
  echo "== SQLite: seed a fresh file, dumpdata (XML, natural keys), loaddata into a migrated file"
  manage "$source" migrate --no-input -v0
  manage "$source" seed_demo --force >/dev/null
  # XML, not JSON: Django's JSON keeps only the milliseconds of each time, XML keeps them whole.
  # Content types and permissions are made by migrate itself, sessions and login attempts are
  # not records to keep: left out of the dump, and (sessions, attempts) of the comparison.
  manage "$source" dumpdata --format=xml --natural-foreign --natural-primary \
    --exclude contenttypes --exclude auth.permission --exclude sessions --exclude axes \
    --output "$dump"
  echo "   dump: $(du -h "$dump" | cut -f1)"
  manage "$restored" migrate --no-input -v0
  manage "$restored" loaddata "$dump" -v0
  "$PY" scripts/compare_databases.py "$source" "$restored" \
    --ignore django_session --ignore axes_accessattempt --ignore axes_accessfailurelog \
    --ignore axes_accesslog
}

case $MODE in
  postgres) postgres_roundtrip ;;
  sqlite) sqlite_roundtrip ;;
  all) postgres_roundtrip && sqlite_roundtrip ;;
  *) echo "usage: $0 [postgres|sqlite|all]" >&2; exit 2 ;;
esac
