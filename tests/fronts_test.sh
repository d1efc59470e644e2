#!/usr/bin/env bash
# Every program's front answers --help and --version without loading LibTorch, OpenCV or Qt: its
# executable does not even link them, and it answers from a folder without its work library;
# there, a command that needs the work says which file is missing. uvis-cli's precheck refuses a
# broken image without LibTorch: it does not link it, and it answers without the work library.
# CTest runs it (test "fronts").
#   tests/fronts_test.sh BIN_DIR LIB_DIR VERSION PNG
set -euo pipefail
bin=$1
lib=$2
version=$3
png=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "fronts test: $*" >&2; exit 1; }

for program in uvis uvis-cli uvis-train uvis-bench; do
    heavy=$(ldd "$bin/$program" | grep -E 'libtorch|libc10|libopencv|libQt6' || true)
    [[ -z $heavy ]] || fail "$program links what only its work library should: $heavy"
    # A copy without its work library still answers.
    cp "$bin/$program" "$tmp/$program"
    "$tmp/$program" --version | grep -q "^$program $version" || fail "$program --version does not say $version"
    "$tmp/$program" --help | grep -q -- "--version" || fail "$program --help does not list its options"
done
# A usage error is still the front's: exit 2, without the work library.
status=0; "$tmp/uvis-cli" infer --samples 0 x.png 2> "$tmp/err" || status=$?
[[ $status == 2 ]] || fail "uvis-cli infer --samples 0 exits $status, not 2"
# A command needs the work: exit 1 and the missing file named.
status=0; "$tmp/uvis-cli" info model.uvis 2> "$tmp/err" || status=$?
[[ $status == 1 ]] || fail "uvis-cli without its work library exits $status, not 1"
grep -q "libuvis-cli-work.so" "$tmp/err" || fail "the message does not name the work library: $(cat "$tmp/err")"

# The precheck: no LibTorch, and a truncated image refused by it alone (the work library absent).
heavy=$(ldd "$lib/libuvis-cli-precheck.so" | grep -E 'libtorch|libc10' || true)
[[ -z $heavy ]] || fail "libuvis-cli-precheck.so links LibTorch: $heavy"
mkdir -p "$tmp/install/bin" "$tmp/install/lib/uvis"
cp "$bin/uvis-cli" "$tmp/install/bin/"
cp "$lib/libuvis-cli-precheck.so" "$tmp/install/lib/uvis/"
head -c 3000 "$png" > "$tmp/broken.png"
status=0; (cd "$tmp" && install/bin/uvis-cli infer broken.png 2> err) || status=$?
[[ $status == 3 ]] || fail "a truncated image without the work library exits $status, not 3: $(cat "$tmp/err")"
grep -q "broken.png: not an image OpenCV can decode" "$tmp/err" || fail "the refusal does not say why: $(cat "$tmp/err")"
[[ ! -e $tmp/uvis-out ]] || fail "the precheck's refusal wrote an output folder"
# An image that decodes goes on to the work (here missing: exit 1, the library named).
status=0; (cd "$tmp" && install/bin/uvis-cli infer "$png" 2> err) || status=$?
[[ $status == 1 ]] && grep -q "libuvis-cli-work.so" "$tmp/err" || fail "a good image did not go on to the work: $(cat "$tmp/err")"
echo "fronts test: the four fronts answer without their work libraries; the precheck refuses a broken image alone"
