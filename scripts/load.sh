#!/usr/bin/env bash
# make load: onestop under gunicorn (2 workers) on PostgreSQL, and locust headless against it
# on the loopback address, bounded in time; then the report, the dossier-code check and the
# workers' memory. Settings (environment):
#   LOAD_DATABASE_URL  postgres://postgres@127.0.0.1:5432/onestop_load (dropped and re-created)
#   LOAD_HISTORY       100000 generated dossiers before the run (0: none)
#   LOAD_USERS=20  LOAD_SPAWN_RATE=5  LOAD_SECONDS=60  LOAD_WAIT=0,0 (think time, seconds)
#   LOAD_WORKER_CLASS=gthread  LOAD_THREADS=4  LOAD_PORT (default: a free port)
#   LOAD_SKIP_SETUP=1  reuse the database as it is (after a first run)
set -euo pipefail
cd "$(dirname "$0")/.."
source demo/load/serve.sh

url=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/onestop_load}
history=${LOAD_HISTORY:-100000}
users=${LOAD_USERS:-20}
spawn=${LOAD_SPAWN_RATE:-5}
seconds=${LOAD_SECONDS:-60}
worker_class=${LOAD_WORKER_CLASS:-gthread}
threads=${LOAD_THREADS:-4}
export ONESTOP_LOAD_WAIT=${LOAD_WAIT:-0,0}
if ((seconds < 1 || seconds > 3600)); then
  echo "LOAD_SECONDS must be 1..3600" >&2
  exit 2
fi

perf_require_locust
run_dir=tmp/perf/load-$(date +%Y%m%d-%H%M%S)
mkdir -p "$run_dir"
perf_env "$url"
trap perf_stop_server EXIT INT TERM

if [[ ${LOAD_SKIP_SETUP:-} == 1 ]]; then
  perf_reuse "$url" "$run_dir"
else
  perf_prepare "$url" "$history" "$run_dir"
fi

port=${LOAD_PORT:-$(perf_free_port)}
perf_start_server "$port" "$worker_class" "$threads" "$run_dir"
perf_journey "$port" "$run_dir"
before=$("$PY" manage.py shell -v0 -c 'from intake.models import Dossier; print(Dossier.objects.count())')
echo "workers after start (pid, RSS kB):"
perf_worker_rss

load_before=$(perf_load_average)
cpu_before=$(perf_worker_cpu)
locust_rc=0
perf_locust "$port" "$users" "$spawn" "$seconds" "$run_dir" || locust_rc=$?
cpu_after=$(perf_worker_cpu)
load_after=$(perf_load_average)

perf_log "workers' resident memory after the run (pid, RSS kB)"
perf_worker_rss | tee "$run_dir/rss-after.txt"
perf_stop_server

perf_log "results ($worker_class; $users users, ${seconds}s; think time $ONESTOP_LOAD_WAIT s)"
report_rc=0
"$PY" -m demo.load.report load "$run_dir/locust_stats.csv" \
  --history "$run_dir/locust_stats_history.csv" --json "$run_dir/summary.json" \
  || report_rc=$?
if [[ -s $run_dir/locust_failures.csv ]] && (($(wc -l <"$run_dir/locust_failures.csv") > 1)); then
  echo "failures:"
  cat "$run_dir/locust_failures.csv"
fi
"$PY" -m demo.load.report cpu "$run_dir/summary.json" "$cpu_before" "$cpu_after"
echo "machine load average (1, 5, 15 min): $load_before before the load, $load_after after"
after=$("$PY" manage.py shell -v0 -c 'from intake.models import Dossier; print(Dossier.objects.count())')
echo "dossiers: $before before the load, $after after ($((after - before)) received under load)"

perf_log "dossier codes"
codes_rc=0
"$PY" manage.py check_dossier_codes || codes_rc=$?
grep -v '^\s*$' "$run_dir/gunicorn.log" | grep -iv 'Booting worker\|Starting gunicorn\|Listening at\|Using worker\|Handling signal\|Worker exiting\|Shutting down' \
  | head -20 || true
echo "run files: $run_dir"
if ((report_rc || codes_rc)); then
  exit 1
fi
if ((locust_rc)); then
  echo "locust exited with $locust_rc; see $run_dir/locust.log" >&2
  exit 1
fi
