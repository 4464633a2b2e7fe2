#!/usr/bin/env bash
# make bench: a fresh PostgreSQL database with the demo data and BENCH_COUNT generated dossiers,
# the dossier-code and report-figure checks, then `manage.py bench` in a production-like
# configuration (DEBUG off, a secret key, compressed static files); prints the table and writes
# bench-<date>.json and bench-<date>-plans.txt (EXPLAIN ANALYZE of each page's main query).
#   BENCH_DATABASE_URL  postgres://postgres@127.0.0.1:5432/onestop_bench (dropped and re-created)
#   BENCH_COUNT=1000000  BENCH_REPEAT=30  BENCH_SEED=1
set -euo pipefail
cd "$(dirname "$0")/.."
source demo/load/serve.sh

url=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/onestop_bench}
count=${BENCH_COUNT:-1000000}
repeat=${BENCH_REPEAT:-30}
seed=${BENCH_SEED:-1}

perf_env "$url"
# The bench talks to Django in-process through its test client, which calls itself testserver.
export ALLOWED_HOSTS=testserver,localhost

perf_log "database ${url##*/}: fresh, migrate, demo data"
perf_fresh_database "$url"
"$PY" manage.py migrate --no-input -v0
"$PY" manage.py seed_demo --force >/dev/null
perf_log "$count generated dossiers"
"$PY" manage.py generate_dossiers --count "$count" --seed "$seed"
perf_log "dossier codes"
"$PY" manage.py check_dossier_codes
"$PY" manage.py collectstatic --no-input -v0
# Fresh planner statistics after the bulk load, as autovacuum would have gathered by now.
psql -X -q -d "$url" -c "VACUUM ANALYZE"
stamp=$(date +%Y%m%d-%H%M%S)
perf_log "report figures against the dossiers"
"$PY" manage.py check_report_figures
perf_log "bench: $repeat requests per page"
"$PY" manage.py bench --json "bench-$stamp.json" --explain "bench-$stamp-plans.txt" \
  --repeat "$repeat" --seed "$seed"
