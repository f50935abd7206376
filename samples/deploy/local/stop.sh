#!/usr/bin/env bash
# Stops HAProxy and every instance started by start.sh.
set -uo pipefail
source "$(dirname "$0")/common.sh"
[ -f "$STATE/haproxy.pid" ] && kill "$(cat "$STATE/haproxy.pid")" 2>/dev/null && rm -f "$STATE/haproxy.pid"
N=$(cat "$STATE/count" 2>/dev/null || echo 0)
for i in $(seq 0 $((N - 1))); do stop_instance "$i"; done
echo "stopped"
