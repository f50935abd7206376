#!/usr/bin/env bash
# Thumbnail throughput, side by side in one run: taskpool-thumbs at --workers 1 and = cores, and libvips' vipsthumbnail
# with the same parallelism (xargs -P, one libvips thread per process), same box (320x320, center crop) and JPEG quality 80.
# Not a test. Needs vipsthumbnail (Debian: apt-get install libvips-tools); it is not a project dependency.
#
#   benchmarks/ThumbnailImageSet/run.sh [count] [width] [height]     (default: 100 photos of 4000x3000 = 12 MP)
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

seconds() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" -v e="$3" 'BEGIN { printf "%.2f", n / (e - s) }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(vips --version)"
echo "set: $count JPEG photos of ${width}x${height} in $set_dir; output 320x320 cover, JPEG q80"
printf '%-34s %8s %10s %12s\n' "run" "workers" "seconds" "images/s"
for p in 1 "$cores"; do
  out="$work/out-taskpool-$p"; rm -rf "$out"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  s=$(seconds)
  dotnet "$tool" "$set_dir" "$out" --workers "$p" --width 320 --height 320 --quality 80 --fit cover > "$work/taskpool-$p.log"
  e=$(seconds)
  tp=$(rate "$count" "$s" "$e")
  printf '%-34s %8s %10.2f %12s\n' "taskpool-thumbs" "$p" "$(awk -v s="$s" -v e="$e" 'BEGIN{print e-s}')" "$tp"

  out="$work/out-vips-$p"; rm -rf "$out"; mkdir -p "$out"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  s=$(seconds)
  find "$set_dir" -name '*.jpg' -print0 | VIPS_CONCURRENCY=1 xargs -0 -n 10 -P "$p" \
    vipsthumbnail --size 320x320 --smartcrop centre -o "$out/%s.jpg[Q=80,strip]"
  e=$(seconds)
  vp=$(rate "$count" "$s" "$e")
  printf '%-34s %8s %10.2f %12s\n' "vipsthumbnail (xargs -P $p)" "$p" "$(awk -v s="$s" -v e="$e" 'BEGIN{print e-s}')" "$vp"
  echo "ratio taskpool/vips at $p: $(awk -v a="$tp" -v b="$vp" 'BEGIN { printf "%.2f", a / b }')"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
