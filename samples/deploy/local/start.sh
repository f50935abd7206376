#!/usr/bin/env bash
# Starts N instances of the sample server (default 3) behind HAProxy on http://127.0.0.1:$LB_PORT (default 8080).
# HAProxy checks GET /health/ready every second, so an instance leaves the rotation as soon as it starts shutting down.
# Needs dotnet and haproxy (apt-get install haproxy). Stop everything with stop.sh.
set -euo pipefail
source "$(dirname "$0")/common.sh"
N="${1:-3}"
mkdir -p "$STATE"
echo "$N" >"$STATE/count"

dotnet publish "$ROOT/samples/WebApi/TaskPool.Samples.WebApi.csproj" -c Release -o "$STATE/app" --nologo -v quiet

{
  cat <<CFG
global
    maxconn 1024
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch
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
} >"$STATE/haproxy.cfg"

for i in $(seq 0 $((N - 1))); do start_instance "$i"; done
for i in $(seq 0 $((N - 1))); do wait_ready "$i"; done
haproxy -f "$STATE/haproxy.cfg" -D -p "$STATE/haproxy.pid"
echo "$N instances behind http://127.0.0.1:$LB_PORT (HAProxy; readiness delay $READINESS_DELAY). rolling-restart.sh restarts them one by one; stop.sh stops all."
