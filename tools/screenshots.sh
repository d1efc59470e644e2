#!/bin/sh
# Regenerates the docs' screenshots (docs/screenshots/) from the bundled model and samples, at
# 1280×720 and at 1920×1080, each on its own virtual screen (Xvfb) with fresh settings, so that
# the pictures are the same whoever makes them:
#   main       a domain-B sample with its ground truth: error views and the Metrics dock
#   dataset    the domain-B samples as a data set, every image scored (Dataset dock)
#   compare    A/B: MC dropout against test-time augmentation, side by side
#   video      the sample video analysed whole (timeline and worst frames)
#   help       Help → What am I looking at?
# The application takes its own picture (`uvis --screenshot`) once the result it was opened to
# show is complete; the help page, a dialog, is taken from the screen with xdotool and ImageMagick.
#   tools/screenshots.sh [BUILD_DIR]     (default: build)
# Needs: apt-get install xvfb xdotool imagemagick
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
uvis="$build/bin/uvis"
out=docs/screenshots
for tool in Xvfb xdotool import; do
    command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is missing: apt-get install xvfb xdotool imagemagick" >&2; exit 2; }
done
[ -x "$uvis" ] || { echo "screenshots.sh: $uvis is missing: build first (README)" >&2; exit 2; }
mkdir -p "$out"
scratch=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$scratch"' EXIT

samples=resources/samples
for size in 1280x720 1920x1080; do
    # A display of its own; -displayfd says which number it got once it accepts clients.
    Xvfb -displayfd 3 -screen 0 "${size}x24" -nolisten tcp 3>"$scratch/display" 2>/dev/null &
    server=$!
    while [ ! -s "$scratch/display" ]; do sleep 0.2; done
    export DISPLAY=":$(cat "$scratch/display")"
    shot() {  # NAME [uvis arguments…]
        name=$1
        shift
        rm -f "$scratch/uvis.ini"
        "$uvis" --settings "$scratch/uvis.ini" --cache-dir "$scratch/cache-$name-$size" --window-size "$size" \
            --screenshot "$out/$name-$size.png" "$@"
    }
    shot main --show-dock metrics "$samples/domainB/B_000002_rgb.png"
    shot dataset --show-dock dataset "$samples/domainB"
    shot compare --compare both --compare-method tta "$samples/domainB/B_000000_rgb.png"
    shot video --show-dock video_analysis --analyse-video "$samples/video/sequence.avi"

    # The help page: F1 once the window is up, the dialog's own picture once it is mapped.
    rm -f "$scratch/uvis.ini"
    "$uvis" --settings "$scratch/uvis.ini" --cache-dir "$scratch/cache-help" --window-size "$size" \
        "$samples/domainA/A_000000_rgb.png" 2>/dev/null &
    app=$!
    # Without a window manager nothing gives the window the keyboard: focus it, then press F1.
    window=$(timeout 300 xdotool search --sync --onlyvisible --name "A_000000_rgb.png" | head -n 1)
    xdotool windowfocus --sync "$window" key F1
    timeout 300 xdotool search --sync --onlyvisible --name "What am I looking at" >/dev/null
    sleep 1  # the page lays out its text after it is mapped
    import -window root "$out/help-$size.png"  # the page over the window it explains
    kill "$app"
    wait "$app" 2>/dev/null || true

    kill "$server"
    wait "$server" 2>/dev/null || true
    server=
    rm -f "$scratch/display"
done
ls -l "$out"
