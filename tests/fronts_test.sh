#!/usr/bin/env bash
# Every program's front answers --help and --version without loading LibTorch, OpenCV or Qt: its
# executable does not even link them, and it answers from a folder without its work library;
# there, a command that needs the work says which file is missing. CTest runs it (test "fronts").
#   tests/fronts_test.sh BIN_DIR VERSION
set -euo pipefail
bin=$1
version=$2
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
echo "fronts test: the four fronts answer without their work libraries"
