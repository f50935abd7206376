#!/usr/bin/env bash
# Restarts the instances one at a time: SIGTERM (readiness turns 503, HAProxy's check drops the instance within a second, the
# instance serves on for the readiness delay, drains and exits 0), start it again, wait until /health/ready answers 200, next.
set -euo pipefail
source "$(dirname "$0")/common.sh"
N=$(cat "$STATE/count")
for i in $(seq 0 $((N - 1))); do
  echo "restarting instance $i (port $(instance_port "$i"))"
  stop_instance "$i"
  start_instance "$i"
  wait_ready "$i"
  sleep 2 # HAProxy's "rise 2" at 1 s intervals: back in rotation before the next one leaves
done
echo "rolling restart done"
