#!/usr/bin/env bash
# Builds OpenCV's own FFmpeg videoio plugin (libopencv_videoio_ffmpeg.so) for bytedeco's OpenCV, whose
# VideoWriter otherwise has no FFmpeg backend ("FFMPEG: backend is not available (plugin is missing)").
# Put the output directory on OPENCV_VIDEOIO_PLUGIN_PATH and VideoWriter writes mp4v and avc1 through the
# system FFmpeg.
#
#   build-ffmpeg-plugin.sh --out DIR --opencv-jar PATH [--java-home DIR]
#
#   --out         where libopencv_videoio_ffmpeg.so goes (the OPENCV_VIDEOIO_PLUGIN_PATH directory)
#   --opencv-jar  bytedeco's natives jar, e.g. ~/.m2/.../opencv-4.13.0-1.5.13-linux-x86_64.jar: its
#                 headers are compiled against and its libopencv_core is linked, so the plugin uses the
#                 very OpenCV the JVM has loaded (one OpenCV in the process)
#   --java-home   a JDK, for its `jar` tool (when `unzip` is absent)
#
# What it compiles: one translation unit, modules/videoio/src/cap_ffmpeg.cpp with BUILD_PLUGIN, from
# Debian 12's OpenCV 4.6.0 source (downloaded once, SHA-256 checked, cached in $SNAPREEL_CACHE_DIR or
# ~/.cache/snapreel). The plugin talks to OpenCV through videoio's versioned C plugin API only, and OpenCV's
# loader skips the minor-version check for FFmpeg plugins; built against the 4.13 headers it reports 4.13.
# Needs: g++ pkg-config libavcodec-dev libavformat-dev libavutil-dev libswscale-dev xz-utils curl|wget,
# and unzip or a JDK. No root, no stdin. Runs in about 5 s, and returns at once when the plugin is up to date.
#
# Exit status: 0 when built or up to date. When it cannot build (missing prerequisites, no network, a
# compile error) it writes the reason and the fix to DIR/NOT-BUILT.txt, which the tests print when they
# skip, and exits 0, or 1 if SNAPREEL_REQUIRE_OPENCV_FFMPEG=true (CI: the OpenCV tests must run).
set -euo pipefail

OPENCV_SOURCE_URL="http://deb.debian.org/debian/pool/main/o/opencv/opencv_4.6.0+dfsg.orig.tar.xz"
OPENCV_SOURCE_SHA256="40a59ba7e5c18a43652de0a08733c9843a39bba619b1f3e26a5fac4a6f041423"
OPENCV_SOURCE_ROOT="opencv-4.6.0"
# The only files of the 74 MB tarball the plugin needs (found with g++ -M).
SOURCE_FILES=(
  LICENSE
  modules/videoio/src/cap_ffmpeg.cpp
  modules/videoio/src/cap_ffmpeg_hw.hpp
  modules/videoio/src/cap_ffmpeg_impl.hpp
  modules/videoio/src/cap_ffmpeg_legacy_api.hpp
  modules/videoio/src/cap_interface.hpp
  modules/videoio/src/ffmpeg_codecs.hpp
  modules/videoio/src/plugin_api.hpp
  modules/videoio/src/plugin_capture_api.hpp
  modules/videoio/src/plugin_writer_api.hpp
  modules/videoio/src/precomp.hpp
  # Installed by a normal OpenCV, but not shipped in bytedeco's include/:
  modules/core/include/opencv2/core/llapi/llapi.h
  modules/core/include/opencv2/core/utils/configuration.private.hpp
)
FFMPEG_PKGS=(libavcodec libavformat libavutil libswscale)
PLUGIN=libopencv_videoio_ffmpeg.so

out=""
opencv_jar=""
java_home=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --opencv-jar) opencv_jar="$2"; shift 2 ;;
    --java-home) java_home="$2"; shift 2 ;;
    *) echo "build-ffmpeg-plugin.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$out" ] || [ -z "$opencv_jar" ]; then
  echo "usage: build-ffmpeg-plugin.sh --out DIR --opencv-jar PATH [--java-home DIR]" >&2
  exit 2
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cache="${SNAPREEL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/snapreel}"
required="${SNAPREEL_REQUIRE_OPENCV_FFMPEG:-false}"
cxx="${CXX:-g++}"

log() { echo "[opencv-ffmpeg-plugin] $*"; }

# Records why there is no plugin (the tests show it) and stops: a failure only when it is required.
not_built() {
  rm -f "$out/$PLUGIN" "$out/.inputs"
  printf '%s\n' "$@" >"$out/NOT-BUILT.txt"
  log "NOT BUILT: $*"
  if [ "$required" = true ]; then
    log "SNAPREEL_REQUIRE_OPENCV_FFMPEG=true: failing"
    exit 1
  fi
  exit 0
}

# ---------------------------------------------------------------- prerequisites
missing=()
command -v "$cxx" >/dev/null 2>&1 || missing+=(g++)
if command -v pkg-config >/dev/null 2>&1; then
  for p in "${FFMPEG_PKGS[@]}"; do
    pkg-config --exists "$p" || missing+=("$p-dev")
  done
else
  missing+=(pkg-config libavcodec-dev libavformat-dev libavutil-dev libswscale-dev)
fi
command -v xz >/dev/null 2>&1 || missing+=(xz-utils)
command -v sha256sum >/dev/null 2>&1 || missing+=(coreutils)
if command -v curl >/dev/null 2>&1; then
  fetch() { curl -fsSL --retry 3 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  fetch() { wget -q -O "$2" "$1"; }
else
  missing+=(curl)
fi
# unjar JAR DEST DIR/ FILE: extracts the directory DIR/ (recursively) and the file FILE.
if command -v unzip >/dev/null 2>&1; then
  unjar() { unzip -q -o "$1" "$3*" "$4" -d "$2"; }
  listjar() { unzip -Z1 "$1"; }
else
  jar_tool="jar"
  [ -n "$java_home" ] && [ -x "$java_home/bin/jar" ] && jar_tool="$java_home/bin/jar"
  if command -v "$jar_tool" >/dev/null 2>&1; then
    unjar() { local jar; jar="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; (cd "$2" && "$jar_tool" xf "$jar" "$3" "$4"); }
    listjar() { "$jar_tool" tf "$1"; }
  else
    missing+=(unzip)
  fi
fi
if [ "${#missing[@]}" -gt 0 ]; then
  not_built "The OpenCV FFmpeg videoio plugin was not built: missing ${missing[*]}." \
    "Install (Debian/Ubuntu): sudo apt-get install --no-install-recommends ${missing[*]}" \
    "then run mvn verify again (recording-opencv/src/plugin/build-ffmpeg-plugin.sh builds it)."
fi
[ -f "$opencv_jar" ] || not_built "The OpenCV FFmpeg videoio plugin was not built: no bytedeco OpenCV natives jar at $opencv_jar."

# ---------------------------------------------------------------- up to date?
# Everything the result depends on: this script, the OpenCV natives, the compiler and FFmpeg versions.
inputs="$(
  sha256sum "$0" | cut -d' ' -f1
  echo "$OPENCV_SOURCE_SHA256"
  echo "$(basename "$opencv_jar") $(stat -c %s "$opencv_jar")"
  "$cxx" --version | head -n 1
  for p in "${FFMPEG_PKGS[@]}"; do echo "$p $(pkg-config --modversion "$p")"; done
)"
if [ -f "$out/$PLUGIN" ] && [ -f "$out/.inputs" ] && [ "$(cat "$out/.inputs")" = "$inputs" ]; then
  log "up to date: $out/$PLUGIN"
  exit 0
fi
rm -f "$out/NOT-BUILT.txt"

# ---------------------------------------------------------------- OpenCV 4.6.0 source (cached)
mkdir -p "$cache"
tarball="$cache/$(basename "$OPENCV_SOURCE_URL")"
src="$cache/$OPENCV_SOURCE_ROOT-videoio-ffmpeg-src"
if [ ! -f "$src/.complete" ]; then
  if [ ! -f "$tarball" ] || [ "$(sha256sum "$tarball" | cut -d' ' -f1)" != "$OPENCV_SOURCE_SHA256" ]; then
    log "downloading $OPENCV_SOURCE_URL (74 MB, once)"
    part="$(mktemp "$tarball.XXXXXX.part")"
    if ! fetch "$OPENCV_SOURCE_URL" "$part"; then
      rm -f "$part"
      not_built "The OpenCV FFmpeg videoio plugin was not built: cannot download $OPENCV_SOURCE_URL" \
        "(or put that file, SHA-256 $OPENCV_SOURCE_SHA256, in $cache)."
    fi
    actual="$(sha256sum "$part" | cut -d' ' -f1)"
    if [ "$actual" != "$OPENCV_SOURCE_SHA256" ]; then
      rm -f "$part"
      not_built "The OpenCV FFmpeg videoio plugin was not built: $OPENCV_SOURCE_URL has SHA-256 $actual," \
        "expected $OPENCV_SOURCE_SHA256."
    fi
    chmod 644 "$part"
    mv -f "$part" "$tarball"
  fi
  staging="$(mktemp -d "$cache/.extract.XXXXXX")"
  tar -xJf "$tarball" -C "$staging" "${SOURCE_FILES[@]/#/$OPENCV_SOURCE_ROOT/}"
  touch "$staging/$OPENCV_SOURCE_ROOT/.complete"
  # An atomic rename; if a concurrent build got there first its copy is complete and identical.
  mv -T "$staging/$OPENCV_SOURCE_ROOT" "$src" 2>/dev/null || true
  rm -rf "$staging"
fi

# ---------------------------------------------------------------- bytedeco's OpenCV headers and core
work="$out/build"
rm -rf "$work"
mkdir -p "$work"
prefix="$(listjar "$opencv_jar" | sed -n 's#^\(org/bytedeco/opencv/[^/]*/\)libopencv_core\.so\.[0-9]*$#\1#p' | head -n 1)"
core="$(listjar "$opencv_jar" | sed -n 's#^org/bytedeco/opencv/[^/]*/\(libopencv_core\.so\.[0-9]*\)$#\1#p' | head -n 1)"
[ -n "$prefix" ] || not_built "The OpenCV FFmpeg videoio plugin was not built: no libopencv_core.so.* in $opencv_jar."
unjar "$opencv_jar" "$work" "${prefix}include/" "$prefix$core"
opencv="$work/$prefix"

# ---------------------------------------------------------------- compile
log "compiling $PLUGIN ($OPENCV_SOURCE_ROOT cap_ffmpeg.cpp, FFmpeg $(pkg-config --modversion libavcodec | cut -d. -f1) ABI, $core)"
# -include libavcodec/version.h: 4.6's ffmpeg_codecs.hpp tests LIBAVCODEC_VERSION_INT, which FFmpeg >= 5.1
# no longer defines through avformat.h; undefined, it would select the pre-2012 CODEC_ID_* names.
# HAVE_FFMPEG is what OpenCV's CMake defines for this target; no HAVE_OPENCL (no OpenCL interop).
# -Wl,--no-undefined: every symbol must come from libopencv_core or FFmpeg, checked now, not at dlopen.
# shellcheck disable=SC2046 # pkg-config output is meant to be split
if ! "$cxx" -std=c++11 -O2 -fPIC -shared -fvisibility=hidden -DNDEBUG -DBUILD_PLUGIN=1 -DHAVE_FFMPEG \
  -include libavcodec/version.h \
  -I"$src/modules/videoio/src" -I"$opencv/include" -I"$src/modules/core/include" \
  $(pkg-config --cflags "${FFMPEG_PKGS[@]}") \
  "$src/modules/videoio/src/cap_ffmpeg.cpp" \
  -o "$work/$PLUGIN" \
  "$opencv/$core" $(pkg-config --libs "${FFMPEG_PKGS[@]}") \
  -Wl,--no-undefined >"$work/compile.log" 2>&1; then
  tail -n 30 "$work/compile.log" >&2
  not_built "The OpenCV FFmpeg videoio plugin was not built: the compiler failed, see $work/compile.log."
fi
mv -f "$work/$PLUGIN" "$out/$PLUGIN"
cp "$src/LICENSE" "$out/LICENSE-opencv-4.6.0.txt"
rm -rf "$work"
printf '%s\n' "$inputs" >"$out/.inputs"
log "built $out/$PLUGIN"
