#!/usr/bin/env bash
# Starts N instances of the sample server (default 3) behind HAProxy on http://127.0.0.1:$LB_PORT (default 8080).
# HAProxy checks GET /health/ready every second, so an instance leaves the rotation as soon as it starts shutting down.
# Needs dotnet and curl; installs Debian's haproxy when it is missing. Settings: see common.sh. Stop everything with stop.sh.
set -euo pipefail
source "$(dirname "$0")/common.sh"
N="${1:-3}"
[[ "$N" =~ ^[1-9][0-9]?$ ]] || { echo "usage: start.sh [N]  (N instances, 1 to 99; default 3)" >&2; exit 2; }
[ -f "$STATE/haproxy.pid" ] && kill -0 "$(cat "$STATE/haproxy.pid")" 2>/dev/null \
  && { echo "already running (state in $STATE): run stop.sh first" >&2; exit 1; }
ensure_haproxy
trap 'echo "start.sh failed; stopping what it started" >&2; "$(dirname "$0")/stop.sh" >/dev/null' ERR
mkdir -p "$STATE"
rm -f "$STATE"/instance-*.log
echo "$N" >"$STATE/count"

if [ -z "$APP_DIR" ]; then
  dotnet publish "$ROOT/samples/WebApi/TaskPool.Samples.WebApi.csproj" -c Release -o "$STATE/app" --nologo -v quiet
fi
[ -f "$(app_dir)/TaskPool.Samples.WebApi.dll" ] || { echo "no TaskPool.Samples.WebApi.dll in $(app_dir)" >&2; exit 1; }

{
  cat <<CFG
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout check 3s
    retries $LB_RETRIES
frontend taskpool
    bind 127.0.0.1:$LB_PORT
    default_backend webapi
backend webapi
    balance leastconn
    option httpchk GET /health/ready
    http-check expect status 200
    default-server inter 1s fall 1 rise 2
CFG
  for i in $(seq 0 $((N - 1))); do
    echo "    server web$i 127.0.0.1:$(instance_port "$i") check"
  done
  cat <<CFG
listen stats
    bind 127.0.0.1:$STATS_PORT
    stats enable
    stats uri /stats
CFG
} >"$STATE/haproxy.cfg"

for i in $(seq 0 $((N - 1))); do start_instance "$i"; done
for i in $(seq 0 $((N - 1))); do wait_ready "$i"; done
"$(haproxy_bin)" -f "$STATE/haproxy.cfg" -D -p "$STATE/haproxy.pid"
for i in $(seq 0 $((N - 1))); do wait_in_rotation "$i"; done
echo "$N instances behind http://127.0.0.1:$LB_PORT (HAProxy, stats at http://127.0.0.1:$STATS_PORT/stats; readiness delay $READINESS_DELAY)."
echo "rolling-restart.sh restarts them one by one; stop.sh stops all."
