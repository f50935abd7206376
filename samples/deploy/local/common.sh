# Shared settings of the local scale-out scripts (sourced, not run). Every setting can be overridden from the environment.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
STATE="${TASKPOOL_LOCAL_STATE:-$ROOT/samples/deploy/local/.state}" # pids, logs, haproxy.cfg and (unless APP_DIR is set) the published server
APP_DIR="${APP_DIR:-}"            # a folder holding TaskPool.Samples.WebApi.dll; empty: start.sh publishes the server into $STATE/app
BASE_PORT="${BASE_PORT:-5101}"    # instance i listens on BASE_PORT + i
LB_PORT="${LB_PORT:-8080}"        # HAProxy's front end
STATS_PORT="${STATS_PORT:-$((LB_PORT + 1))}" # HAProxy's stats page (CSV at /stats;csv), which rolling-restart.sh reads
LB_RETRIES="${LB_RETRIES:-0}"     # 0: a lossless restart is lossless on its own, not because HAProxy resent what failed
READINESS_DELAY="${READINESS_DELAY:-00:00:03}" # must exceed HAProxy's check interval (1 s): the time it needs to notice a 503

app_dir() { echo "${APP_DIR:-$STATE/app}"; }

instance_port() { echo $((BASE_PORT + $1)); }

haproxy_bin() { command -v haproxy 2>/dev/null || { [ -x /usr/sbin/haproxy ] && echo /usr/sbin/haproxy; }; }

ensure_haproxy() { # installs Debian's haproxy when it is missing (as root, or through sudo)
  [ -n "$(haproxy_bin)" ] && return 0
  echo "haproxy not found; installing it with apt-get" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq haproxy >/dev/null
  [ -n "$(haproxy_bin)" ] || { echo "could not install haproxy: install it (apt-get install haproxy) and rerun" >&2; return 1; }
}

start_instance() { # start_instance i: starts instance i in the background and records its pid
  local i=$1 port
  port=$(instance_port "$i")
  (cd "$(app_dir)" && ASPNETCORE_ENVIRONMENT=Production Shutdown__ReadinessDelay="$READINESS_DELAY" \
    exec dotnet TaskPool.Samples.WebApi.dll --urls "http://127.0.0.1:$port" >>"$STATE/instance-$i.log" 2>&1) &
  echo $! >"$STATE/instance-$i.pid"
}

wait_ready() { # wait_ready i: until the instance's /health/ready answers 200 (60 s at most)
  local port
  port=$(instance_port "$1")
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ] && return 0
    sleep 0.1
  done
  echo "instance $1 (port $port) did not become ready; see $STATE/instance-$1.log" >&2
  return 1
}

haproxy_status() { # haproxy_status i: the status HAProxy's checks give instance i (UP, DOWN, "DOWN 1/2", MAINT...)
  curl -s "http://127.0.0.1:$STATS_PORT/stats;csv" | awk -F, -v name="web$1" '$1 == "webapi" && $2 == name { print $18 }'
}

wait_in_rotation() { # wait_in_rotation i: until HAProxy's checks mark instance i UP (60 s at most)
  for _ in $(seq 1 600); do
    [ "$(haproxy_status "$1")" = UP ] && return 0
    sleep 0.1
  done
  echo "HAProxy did not mark instance $1 UP; status: $(haproxy_status "$1")" >&2
  return 1
}

stop_instance() { # stop_instance i: SIGTERM, then wait for the readiness delay, the drain and the exit (SIGKILL after 60 s)
  local pid
  pid=$(cat "$STATE/instance-$1.pid" 2>/dev/null) || return 0
  kill -TERM "$pid" 2>/dev/null || { rm -f "$STATE/instance-$1.pid"; return 0; }
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$STATE/instance-$1.pid"; return 0; }
    sleep 0.1
  done
  echo "instance $1 (pid $pid) did not exit 60 s after SIGTERM; killing it" >&2
  kill -KILL "$pid" 2>/dev/null
  rm -f "$STATE/instance-$1.pid"
  return 1
}
