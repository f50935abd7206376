#!/usr/bin/env bash
# Restarts the instances one at a time, as PM2's reload does: SIGTERM (readiness turns 503 and HAProxy's next check takes the
# instance out of rotation; it serves on for the readiness delay, drains its pool and exits 0), start the successor on the same
# port, wait until it is ready and HAProxy has it back UP, then the next one. Capacity never drops below N - 1 instances.
set -euo pipefail
source "$(dirname "$0")/common.sh"
[ -f "$STATE/count" ] || { echo "nothing to restart (no $STATE/count): run start.sh first" >&2; exit 1; }
N=$(cat "$STATE/count")
for i in $(seq 0 $((N - 1))); do
  old=$(cat "$STATE/instance-$i.pid" 2>/dev/null || echo none)
  stop_instance "$i"
  start_instance "$i"
  wait_ready "$i"
  wait_in_rotation "$i"
  echo "instance $i (port $(instance_port "$i")): pid $old -> $(cat "$STATE/instance-$i.pid")"
done
echo "rolling restart done"
