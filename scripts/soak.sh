#!/usr/bin/env bash
# make soak: the load test's setup, then a steady moderate load for SOAK_SECONDS (600), while each
# gunicorn worker's resident memory is sampled every SOAK_SAMPLE_SECONDS (30) into a CSV; prints
# first/last/max per worker, the request figures, and checks the dossier codes. Loopback only,
# bounded in time and in samples. Settings (environment):
#   SOAK_DATABASE_URL  postgres://postgres@127.0.0.1:5432/onestop_soak (dropped and re-created)
#   SOAK_HISTORY=100000  SOAK_USERS=10  SOAK_SPAWN_RATE=2  SOAK_WAIT=0.5,2 (think time, seconds)
#   SOAK_WORKER_CLASS=gthread  SOAK_THREADS=4  SOAK_PORT (default: a free port)
#   SOAK_SKIP_SETUP=1  reuse the database as it is (an earlier run's, or make bench's)
set -euo pipefail
cd "$(dirname "$0")/.."
source demo/load/serve.sh

url=${SOAK_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/onestop_soak}
history=${SOAK_HISTORY:-100000}
duration=${SOAK_SECONDS:-600}
every=${SOAK_SAMPLE_SECONDS:-30}
users=${SOAK_USERS:-10}
spawn=${SOAK_SPAWN_RATE:-2}
worker_class=${SOAK_WORKER_CLASS:-gthread}
threads=${SOAK_THREADS:-4}
export ONESTOP_LOAD_WAIT=${SOAK_WAIT:-0.5,2}
if ((duration < 10 || duration > 7200)); then
  echo "SOAK_SECONDS must be 10..7200" >&2
  exit 2
fi
if ((every < 1 || every > duration)); then
  echo "SOAK_SAMPLE_SECONDS must be 1..SOAK_SECONDS" >&2
  exit 2
fi

perf_require_locust
run_dir=tmp/perf/soak-$(date +%Y%m%d-%H%M%S)
mkdir -p "$run_dir"
perf_env "$url"
LOCUST_PID=""
stop_all() {
  if [[ -n $LOCUST_PID ]] && kill -0 "$LOCUST_PID" 2>/dev/null; then
    kill -TERM "$LOCUST_PID" 2>/dev/null || true
    wait "$LOCUST_PID" 2>/dev/null || true
  fi
  perf_stop_server
}
trap stop_all EXIT INT TERM

if [[ ${SOAK_SKIP_SETUP:-} == 1 ]]; then
  perf_reuse "$url" "$run_dir"
else
  perf_prepare "$url" "$history" "$run_dir"
fi
port=${SOAK_PORT:-$(perf_free_port)}
perf_start_server "$port" "$worker_class" "$threads" "$run_dir"
perf_journey "$port" "$run_dir"

samples=$run_dir/rss.csv
echo "elapsed_s,pid,rss_kb" >"$samples"
sample() {
  local elapsed=$1
  perf_worker_rss | while read -r pid rss; do echo "$elapsed,$pid,$rss"; done >>"$samples"
}

load_before=$(perf_load_average)
cpu_before=$(perf_worker_cpu)
perf_locust "$port" "$users" "$spawn" "$duration" "$run_dir" &
LOCUST_PID=$!
started=$SECONDS
sample 0
# At most one sample per interval for the run's length, plus slack for locust's stop.
max_samples=$((duration / every + 3))
for ((i = 1; i <= max_samples; i++)); do
  for ((s = 0; s < every; s++)); do
    kill -0 "$LOCUST_PID" 2>/dev/null || break 2
    sleep 1
  done
  sample $((SECONDS - started))
  echo "  $((SECONDS - started))s: $(perf_worker_rss | awk '{printf "%s=%.1fMB ", $1, $2/1024}')"
done
locust_rc=0
wait "$LOCUST_PID" || locust_rc=$?
LOCUST_PID=""
sample $((SECONDS - started))
cpu_after=$(perf_worker_cpu)
load_after=$(perf_load_average)
perf_stop_server

perf_log "worker memory over $((SECONDS - started)) s (samples in $samples)"
"$PY" -m demo.load.report memory "$samples"
perf_log "requests ($worker_class; $users users; think time $ONESTOP_LOAD_WAIT s)"
report_rc=0
"$PY" -m demo.load.report load "$run_dir/locust_stats.csv" \
  --history "$run_dir/locust_stats_history.csv" --json "$run_dir/summary.json" \
  || report_rc=$?
if (($(wc -l <"$run_dir/locust_failures.csv") > 1)); then
  echo "failures:"
  cat "$run_dir/locust_failures.csv"
fi
"$PY" -m demo.load.report cpu "$run_dir/summary.json" "$cpu_before" "$cpu_after"
echo "machine load average (1, 5, 15 min): $load_before at the start, $load_after at the end"
perf_log "dossier codes"
codes_rc=0
"$PY" manage.py check_dossier_codes || codes_rc=$?
echo "run files: $run_dir"
if ((report_rc || codes_rc || locust_rc)); then
  exit 1
fi
