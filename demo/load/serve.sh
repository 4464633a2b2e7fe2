# Shared by scripts/load.sh and scripts/soak.sh (sourced, not run): a fresh PostgreSQL database
# with the demo data, onestop under gunicorn on the loopback address in a production-like
# configuration, and the helpers to watch its workers. Everything stays on 127.0.0.1.

PY=${PY:-.venv/bin/python}
VENV_BIN=$(dirname "$PY")
GUNICORN_PID=""

perf_log() { printf '\n== %s\n' "$*"; }

# The production settings, as a deployment would set them, except what plain HTTP on the
# loopback needs (no HTTPS redirect, cookies not marked Secure) and the limits a load from one
# address would trip: django-axes' lockout and the status page's lookups per address and minute.
perf_env() {
  local url=$1
  export DATABASE_URL=$url
  export DEBUG=false
  SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
  export SECRET_KEY
  export ALLOWED_HOSTS=127.0.0.1,localhost
  export SECURE_SSL_REDIRECT=false
  export SECURE_COOKIES=false
  export SECURE_HSTS_SECONDS=0
  export AXES_FAILURE_LIMIT=${AXES_FAILURE_LIMIT:-1000}
  export LOOKUP_RATE_LIMIT=${LOOKUP_RATE_LIMIT:-1000000}
  export LOG_LEVEL=${LOG_LEVEL:-WARNING}
  unset PUBLIC_BASE_URL
}

# Drop and create the database named in the URL, through the server's "postgres" database.
perf_fresh_database() {
  local url=$1 name server
  name=${url##*/}
  name=${name%%\?*}
  server=${url%/*}
  if [[ ! $name =~ ^[A-Za-z0-9_]+$ ]]; then
    echo "database name '$name' must be letters, digits and _" >&2
    return 1
  fi
  psql -X -q -v ON_ERROR_STOP=1 -d "$server/postgres" \
    -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\""
}

# Fresh database, schema, demo data, an optional history of generated dossiers, static files,
# and the plan of accounts the locust users sign in as.
perf_prepare() {
  local url=$1 history=$2 run_dir=$3
  perf_log "database ${url##*/}: fresh, migrate, demo data"
  perf_fresh_database "$url"
  "$PY" manage.py migrate --no-input -v0
  "$PY" manage.py seed_demo --force >"$run_dir/seed_demo.log"
  if ((history > 0)); then
    perf_log "history: $history generated dossiers"
    "$PY" manage.py generate_dossiers --count "$history" --no-progress
    # Planner statistics after the bulk load, as autovacuum would soon gather them.
    psql -X -q -d "$url" -c "VACUUM ANALYZE"
  fi
  perf_log "collectstatic"
  "$PY" manage.py collectstatic --no-input -v0
  "$PY" -m demo.load.plan "$run_dir/plan.json"
  export ONESTOP_LOAD_PLAN=$run_dir/plan.json
}

# A database prepared by an earlier run (or by make bench): migrate, static files and a new plan.
perf_reuse() {
  local url=$1 run_dir=$2
  perf_log "database ${url##*/}: reused as it is"
  "$PY" manage.py migrate --no-input -v0
  "$PY" manage.py collectstatic --no-input -v0
  "$PY" -m demo.load.plan "$run_dir/plan.json"
  export ONESTOP_LOAD_PLAN=$run_dir/plan.json
}

perf_free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

perf_stop_server() {
  [[ -n $GUNICORN_PID ]] || return 0
  if kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true
    for _ in $(seq 1 40); do
      kill -0 "$GUNICORN_PID" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL "$GUNICORN_PID" 2>/dev/null || true
  fi
  wait "$GUNICORN_PID" 2>/dev/null || true
  GUNICORN_PID=""
}

# gunicorn on 127.0.0.1:$port, 2 workers; waits (bounded) until the login page answers.
perf_start_server() {
  local port=$1 worker_class=$2 threads=$3 run_dir=$4
  local args=(--bind "127.0.0.1:$port" --workers 2 --worker-class "$worker_class"
    --timeout 30 --graceful-timeout 10 --error-logfile "$run_dir/gunicorn.log" --log-level warning)
  if [[ $worker_class == gthread ]]; then
    args+=(--threads "$threads")
  fi
  perf_log "gunicorn: 2 $worker_class workers$([[ $worker_class == gthread ]] && echo " x $threads threads") on 127.0.0.1:$port"
  "$VENV_BIN/gunicorn" onestop.wsgi:application "${args[@]}" &
  GUNICORN_PID=$!
  for _ in $(seq 1 60); do
    if "$PY" - "$port" <<'EOF' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/dang-nhap/", timeout=2)
EOF
      return 0
    fi
    kill -0 "$GUNICORN_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "gunicorn did not answer on 127.0.0.1:$port; see $run_dir/gunicorn.log" >&2
  return 1
}

perf_workers() {
  ps -o pid= --ppid "$GUNICORN_PID" | tr -d ' '
}

# One line per worker: pid and resident memory in kB.
perf_worker_rss() {
  local pids
  pids=$(perf_workers | paste -sd, -)
  [[ -n $pids ]] && ps -o pid=,rss= -p "$pids"
}

# CPU seconds (user + system) the gunicorn workers have used so far, together.
perf_worker_cpu() {
  local ticks=0 pid
  for pid in $(perf_workers); do
    [[ -r /proc/$pid/stat ]] || continue
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f\n", t / hz }'
}

perf_load_average() {
  cut -d' ' -f1-3 /proc/loadavg
}

# locust, headless and bounded; its exit status is returned, its CSVs land in $run_dir.
perf_locust() {
  local port=$1 users=$2 spawn=$3 seconds=$4 run_dir=$5
  perf_log "locust: $users users (spawn $spawn/s) for ${seconds}s against http://127.0.0.1:$port"
  local rc=0
  # LOAD_CLASSES picks the users (default: the counters' mix; "Intake" receives only).
  # shellcheck disable=SC2086
  "$VENV_BIN/locust" -f demo/load/locustfile.py --headless --only-summary \
    --users "$users" --spawn-rate "$spawn" --run-time "${seconds}s" --stop-timeout 5 \
    --host "http://127.0.0.1:$port" --csv "$run_dir/locust" --csv-full-history --loglevel WARNING \
    ${LOAD_CLASSES:-Officer PostalWorker Citizen} >"$run_dir/locust.log" 2>&1 || rc=$?
  return $rc
}

# Every step of the journey once, before the load: a missing page or an error names its step.
perf_journey() {
  local port=$1 run_dir=$2
  perf_log "journey, once (demo/load/journey.py)"
  if ! "$PY" -m demo.load.journey "http://127.0.0.1:$port" >"$run_dir/journey.txt" 2>&1; then
    cat "$run_dir/journey.txt" >&2
    echo "the journey fails before any load: see above and $run_dir/gunicorn.log" >&2
    return 1
  fi
  tail -n 1 "$run_dir/journey.txt"
}

perf_require_locust() {
  if ! "$PY" -c 'import locust' 2>/dev/null; then
    echo "locust is missing: make load (or make soak) installs requirements-perf.txt" >&2
    return 1
  fi
}
