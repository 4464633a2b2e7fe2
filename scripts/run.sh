#!/usr/bin/env bash
# `make run`'s last step: the development server and the background worker side by side, both
# stopped together on Ctrl+C (or when either ends). TASKS_BACKEND=rq runs RQ's worker instead of
# the database one (README, "Background work").
set -uo pipefail

PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export DEBUG=${DEBUG:-true}

if [ "${TASKS_BACKEND:-database}" = "rq" ]; then
  worker=("$PY" manage.py rqworker --with-scheduler --job-class django_tasks_rq.Job default)
else
  worker=("$PY" manage.py db_worker --queue-name default)
fi

# Its own process group, so that stopping it also stops the reloader's child process.
setsid "${worker[@]}" &
worker_pid=$!
stop_worker() {
  kill -TERM -- "-$worker_pid" 2>/dev/null
  wait "$worker_pid" 2>/dev/null
}
trap stop_worker EXIT
trap 'exit 130' INT TERM

echo "onestop: worker started (${TASKS_BACKEND:-database} backend, pid $worker_pid)"
"$PY" manage.py runserver "$HOST:$PORT"
