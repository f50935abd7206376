# Shared settings of the local scale-out scripts (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
STATE="${TASKPOOL_LOCAL_STATE:-$ROOT/samples/deploy/local/.state}"   # pids, logs, haproxy.cfg, the published server
BASE_PORT="${BASE_PORT:-5101}"    # instance i listens on BASE_PORT + i
LB_PORT="${LB_PORT:-8080}"        # HAProxy's front end
READINESS_DELAY="${READINESS_DELAY:-00:00:03}"

instance_port() { echo $((BASE_PORT + $1)); }

start_instance() { # start_instance i: starts instance i in the background and records its pid
  local i=$1 port
  port=$(instance_port "$i")
  (cd "$STATE/app" && ASPNETCORE_ENVIRONMENT=Production Shutdown__ReadinessDelay="$READINESS_DELAY" \
    exec dotnet TaskPool.Samples.WebApi.dll --urls "http://127.0.0.1:$port" >"$STATE/instance-$i.log" 2>&1) &
  echo $! >"$STATE/instance-$i.pid"
}

wait_ready() { # wait_ready i: until /health/ready answers 200 (60 s at most)
  local port
  port=$(instance_port "$1")
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ] && return 0
    sleep 0.1
  done
  echo "instance $1 (port $port) did not become ready; see $STATE/instance-$1.log" >&2
  return 1
}

stop_instance() { # stop_instance i: SIGTERM, then wait for the drain and the exit
  local pid
  pid=$(cat "$STATE/instance-$1.pid" 2>/dev/null) || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$STATE/instance-$1.pid"
}
