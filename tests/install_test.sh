#!/usr/bin/env bash
# Installs the build to a temporary prefix and runs the *installed* programs from another working
# directory, as a user would after `cmake --install`; then builds the Debian package and checks
# its contents and dependencies. CTest runs it (test "install").
#   tests/install_test.sh BUILD_DIR VERSION
set -euo pipefail
build=$1
version=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log"

fail() { echo "install test: $*" >&2; exit 1; }
for f in bin/uvis bin/uvis-cli bin/uvis-train bin/uvis-bench \
         share/uvis/resources/models/uvis-street-demo.uvis share/uvis/resources/samples/domainA/A_000001_rgb.png \
         share/uvis/resources/models/uvis-street-demo.ensemble.json share/uvis/resources/models/uvis-street-demo-m3.uvis \
         share/applications/uvis.desktop share/mime/packages/uvis.xml \
         share/icons/hicolor/scalable/apps/uvis.svg share/icons/hicolor/48x48/apps/uvis.png \
         share/icons/hicolor/256x256/apps/uvis.png; do
    [[ -e $prefix/$f ]] || fail "$f was not installed"
done
for program in uvis uvis-cli uvis-train uvis-bench; do
    compgen -G "$prefix/lib*/uvis/lib$program-work.so" > /dev/null || fail "$program's work library was not installed"
done

# From an unrelated working directory, with nothing pointing at the source tree.
cd "$tmp"
unset UVIS_RESOURCES
"$prefix/bin/uvis" --version | grep -q "^uvis $version" || fail "uvis --version does not say $version"
"$prefix/bin/uvis-cli" --version | grep -q "^uvis-cli $version" || fail "uvis-cli --version does not say $version"
"$prefix/bin/uvis-cli" infer -q -T 2 -o out "$prefix/share/uvis/resources/samples/domainA/A_000001_rgb.png"
[[ -f out/A_000001_rgb/depth_mean.npy && -f out/A_000001_rgb/summary.json ]] || fail "the installed uvis-cli wrote no maps"
# The installed programs use the installed model, not the source tree's.
grep -q "$prefix/share/uvis/resources/models/uvis-street-demo.uvis" out/A_000001_rgb/summary.json ||
    fail "summary.json does not name the installed model"
# The bundled ensemble's card names its members relative to itself: it works where it is installed.
"$prefix/bin/uvis-cli" infer -q --method ensemble -m "$prefix/share/uvis/resources/models/uvis-street-demo.ensemble.json" \
    -o out-ensemble "$prefix/share/uvis/resources/samples/domainA/A_000001_rgb.png" ||
    fail "the installed demo ensemble does not run"
grep -q '"method": "ensemble"' out-ensemble/A_000001_rgb/summary.json || fail "the ensemble run's summary names no method"
if command -v desktop-file-validate > /dev/null; then
    desktop-file-validate "$prefix/share/applications/uvis.desktop" || fail "uvis.desktop is not valid"
fi

# The Debian package: uvis_<version>_<arch>.deb, its files under /usr, dependencies from
# dpkg-shlibdeps (LibTorch, Qt, OpenCV runtime packages).
if command -v dpkg-shlibdeps > /dev/null; then
    (cd "$build" && cpack -G DEB -B "$tmp/deb" > "$tmp/cpack.log") || { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB failed"; }
    deb=$(ls "$tmp"/deb/uvis_"$version"_*.deb) || fail "no uvis_${version}_*.deb"
    depends=$(dpkg-deb -f "$deb" Depends)
    for lib in libtorch libqt6widgets6 libopencv-videoio; do
        [[ $depends == *$lib* ]] || fail "the package does not depend on $lib: $depends"
    done
    contents=$(dpkg-deb -c "$deb")
    [[ $contents == *./usr/bin/uvis-cli* ]] || fail "the package holds no /usr/bin/uvis-cli"
    [[ $contents == *./usr/lib*/uvis/libuvis-cli-work.so* ]] || fail "the package holds no uvis-cli work library"
    [[ $contents == *./usr/share/uvis/resources/models/uvis-street-demo.uvis* ]] || fail "the package holds no demo model"
    [[ $contents == *./usr/share/applications/uvis.desktop* ]] || fail "the package holds no desktop file"
fi
echo "install test: installed and packaged uvis $version work"
