#!/usr/bin/env bash
# Thumbnail throughput, side by side in one run: taskpool-thumbs (each --engine) at --workers 1 and = cores, and libvips'
# vipsthumbnail with the same parallelism (xargs -P, one libvips thread per process), same box (320x320, center crop) and
# JPEG quality 80. Every round runs every contender at every parallelism, interleaved, and prints the load average before each.
# Not a test. Needs vipsthumbnail (Debian: apt-get install libvips-tools); it is not a project dependency (the tool's own
# libvips comes from the NetVips.Native package).
#
#   benchmarks/ThumbnailImageSet/run.sh [count] [width] [height]     (default: 100 photos of 4000x3000 = 12 MP)
#   ROUNDS=3 (rounds)  ENGINES="vips skia" (taskpool-thumbs engines)  WORKERS="1 <cores>" (parallelism)
set -euo pipefail
cd "$(dirname "$0")/../.."

count=${1:-100}
width=${2:-4000}
height=${3:-3000}
cores=$(nproc)
work=${BENCH_DIR:-/tmp/taskpool-thumbs-bench}
set_dir="$work/set-${count}x${width}x${height}"

command -v vipsthumbnail >/dev/null || { echo "vipsthumbnail not found: apt-get install libvips-tools" >&2; exit 1; }
dotnet build -c Release benchmarks/ThumbnailImageSet >/dev/null
dotnet build -c Release samples/BatchThumbnails >/dev/null
if [ ! -d "$set_dir" ]; then
  dotnet benchmarks/ThumbnailImageSet/bin/Release/net10.0/ThumbnailImageSet.dll "$set_dir" "$count" "$width" "$height" 10
fi
tool=samples/BatchThumbnails/bin/Release/net10.0/taskpool-thumbs.dll

rounds=${ROUNDS:-3}
engines=${ENGINES:-vips skia}
parallelism=${WORKERS:-1 $cores}

# One timed command: prints "wall user+sys" in seconds (children included).
measure() {
  local TIMEFORMAT='%R %U %S'
  { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }'
}
taskpool() { dotnet "$tool" "$set_dir" "$1" --workers "$2" --width 320 --height 320 --quality 80 --fit cover --engine "$3"; }
run_vips() {
  mkdir -p "$1"
  find "$set_dir" -name '*.jpg' -print0 | VIPS_CONCURRENCY=1 xargs -0 -n 10 -P "$2" \
    vipsthumbnail --size 320x320 --smartcrop centre -o "$1/%s.jpg[Q=80,strip]"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(command vips --version)"
echo "set: $count JPEG photos of ${width}x${height} in $set_dir; output 320x320 cover, JPEG q80; $rounds rounds, interleaved"
printf '%-6s %-24s %8s %9s %11s %10s %13s %s\n' round run workers wall_s images/s cpu_s cpu_ms/photo loadavg
for round in $(seq 1 "$rounds"); do
  for p in $parallelism; do
    for impl in $engines vipsthumbnail; do
      out="$work/out-$impl-$p"; rm -rf "$out"
      load=$(cut -d' ' -f1 /proc/loadavg)
      if [ "$impl" = vipsthumbnail ]; then
        name=vipsthumbnail
        read -r wall cpu < <(measure run_vips "$out" "$p")
      else
        name="taskpool-thumbs --engine $impl"
        read -r wall cpu < <(measure taskpool "$out" "$p" "$impl")
      fi
      made=$(find "$out" -name '*.jpg' | wc -l)
      [ "$made" -eq "$count" ] || { echo "$name made $made of $count thumbnails" >&2; exit 1; }
      printf '%-6s %-24s %8s %9s %11.2f %10s %13.1f %s\n' "$round" "${name#taskpool-thumbs }" "$p" "$wall" \
        "$(awk -v n="$count" -v w="$wall" 'BEGIN { print n / w }')" "$cpu" "$(awk -v n="$count" -v c="$cpu" 'BEGIN { print 1000 * c / n }')" "$load"
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
