#!/bin/sh
# How long the application takes to close, and how much memory it holds, as a user meets it:
#   idle         the bundled sample, its maps complete (20 s after the window appears)
#   large idle   a 4000×3000 photo at T = 16, its maps complete (25 s after)
#   large photo  a 4000×3000 photo at T = 128, closed while it samples (5 s after the window appears)
#   data set     a folder being scored at T = 128, closed while it scores (5 s after)
# Each case starts uvis under its own Xvfb (1280×720) with fresh settings, presses Ctrl+Q and
# times from the key press to the end of the process; memory is the peak resident set (VmHWM)
# and the resident set at the close (VmRSS). Prints one line per case and run.
#   tools/measure_quit.sh [BUILD_DIR] [RUNS]     (defaults: build, 3)
# Needs: apt-get install xvfb xdotool imagemagick
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-3}
uvis="$build/bin/uvis"
for tool in Xvfb xdotool convert; do
    command -v "$tool" >/dev/null || { echo "measure_quit.sh: $tool is missing: apt-get install xvfb xdotool imagemagick" >&2; exit 2; }
done
[ -x "$uvis" ] || { echo "measure_quit.sh: $uvis is missing: build first (README)" >&2; exit 2; }
scratch=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$scratch"' EXIT
Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp 3>"$scratch/display" 2>/dev/null &
server=$!
while [ ! -s "$scratch/display" ]; do sleep 0.2; done
export DISPLAY=":$(cat "$scratch/display")"

sample=resources/samples/domainA/A_000000_rgb.png
convert "$sample" -resize '4000x3000!' "$scratch/large.png"
mkdir -p "$scratch/set"
for i in 1 2 3 4 5 6 7 8; do cp resources/samples/domainB/B_00000$((i % 3))_rgb.png "$scratch/set/b$i.png"; done

kib() { awk -v k="$1" '$1 == k":" { print int($2 / 1024) }' "/proc/$2/status"; }

measure() {  # CASE SAMPLES WAIT_S FILE
    printf '[mc]\nsamples=%s\n' "$2" >"$scratch/uvis.ini"
    rm -rf "$scratch/cache"
    "$uvis" --settings "$scratch/uvis.ini" --cache-dir "$scratch/cache" --window-size 1280x720 "$4" 2>/dev/null &
    app=$!
    window=$(timeout 300 xdotool search --sync --onlyvisible --pid "$app" --name "uvis" | head -n 1)
    sleep "$3"
    peak=$(kib VmHWM "$app")
    now=$(kib VmRSS "$app")
    xdotool windowfocus --sync "$window"
    start=$(date +%s.%N)
    xdotool key ctrl+q
    while kill -0 "$app" 2>/dev/null; do sleep 0.01; done
    end=$(date +%s.%N)
    wait "$app" 2>/dev/null || true
    printf '%-12s %5.2f s to quit, peak %s MiB, %s MiB at the close\n' "$1" "$(echo "$end - $start" | bc)" "$peak" "$now"
}

run=1
while [ "$run" -le "$runs" ]; do
    measure idle 16 20 "$sample"
    measure large-idle 16 25 "$scratch/large.png"
    measure large-photo 128 5 "$scratch/large.png"
    measure data-set 128 5 "$scratch/set"
    run=$((run + 1))
done
