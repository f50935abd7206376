#!/usr/bin/env bash
# Stops HAProxy and every instance started by start.sh (each one drains as on a rolling restart).
set -uo pipefail
source "$(dirname "$0")/common.sh"
if [ -f "$STATE/haproxy.pid" ]; then
  kill "$(cat "$STATE/haproxy.pid")" 2>/dev/null
  rm -f "$STATE/haproxy.pid"
fi
N=$(cat "$STATE/count" 2>/dev/null || echo 0)
for i in $(seq 0 $((N - 1))); do stop_instance "$i" & done
wait
rm -f "$STATE/count"
echo "stopped"
