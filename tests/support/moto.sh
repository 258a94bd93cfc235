#!/usr/bin/env bash
# Starts and stops a moto_server on a free loopback port for shell tests.
#   eval "$(tests/support/moto.sh start WORKDIR)"   # sets MOTO_PID, MOTO_URL, AWS_* env
#   tests/support/moto.sh stop "$MOTO_PID"
set -euo pipefail

cmd=${1:-}
case "$cmd" in
  start)
    dir=${2:?usage: moto.sh start WORKDIR}
    mkdir -p "$dir"
    log="$dir/moto.log"
    moto_server -H 127.0.0.1 -p 0 >"$log" 2>&1 &
    pid=$!
    url=""
    for _ in $(seq 1 600); do
      url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$log" | head -1 || true)
      [ -n "$url" ] && break
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "moto_server exited; its log:" >&2
        cat "$log" >&2
        exit 1
      fi
      sleep 0.1
    done
    if [ -z "$url" ]; then
      echo "moto_server did not report its port within 60 s" >&2
      kill "$pid" 2>/dev/null || true
      exit 1
    fi
    for _ in $(seq 1 100); do
      curl -s --noproxy '*' -o /dev/null "$url/moto-api/data.json" && break
      sleep 0.1
    done
    cat <<VARS
export MOTO_PID=$pid
export MOTO_URL=$url
export AWS_ENDPOINT_URL=$url
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export AWS_DEFAULT_REGION=us-east-1
export AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN
VARS
    ;;
  stop)
    pid=${2:?usage: moto.sh stop PID}
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || exit 0
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    ;;
  *)
    echo "usage: moto.sh start WORKDIR | stop PID" >&2
    exit 2
    ;;
esac
