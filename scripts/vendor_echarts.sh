#!/usr/bin/env bash
# `vendor_echarts.sh [VERSION]`: fetch Apache ECharts from the npm registry and keep
# its dist/echarts.min.js, LICENSE and NOTICE in the application's static files
# (deployments are offline: no page may load it from a CDN). The tarball is checked
# against the registry's published integrity (sha512) before anything is copied,
# and the README beside the files records the version and the SHA-256 of the script.
# `vendor_echarts.sh --check`: the vendored script still has the SHA-256 its README gives.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/src/zhenggai/web/static/web/vendor/echarts"
readme="$dest/README.md"

if [ "${1:-}" = --check ]; then
    want=$(sed -n 's/^SHA-256 of echarts.min.js: \([0-9a-f]\{64\}\)$/\1/p' "$readme")
    got=$(sha256sum "$dest/echarts.min.js" | cut -d' ' -f1)
    [ -n "$want" ] && [ "$want" = "$got" ] || {
        echo "$0: echarts.min.js is $got, the README says ${want:-nothing}" >&2
        exit 1
    }
    echo "echarts.min.js: $got OK"
    exit 0
fi

version=${1:-5.6.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

integrity=$(npm view "echarts@$version" dist.integrity)
tarball=$(cd "$work" && npm pack --silent "echarts@$version")
got="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
if [ "$got" != "$integrity" ]; then
    echo "$0: $tarball is $got, the registry publishes $integrity" >&2
    exit 1
fi
tar -xzf "$work/$tarball" -C "$work" package/dist/echarts.min.js package/LICENSE package/NOTICE

mkdir -p "$dest"
cp "$work/package/dist/echarts.min.js" "$work/package/LICENSE" "$work/package/NOTICE" "$dest/"
sha=$(sha256sum "$dest/echarts.min.js" | cut -d' ' -f1)
cat >"$readme" <<END
Apache ECharts $version (https://echarts.apache.org), dist/echarts.min.js of the npm
package echarts@$version, Apache License 2.0 (LICENSE, NOTICE). Refreshed and
checked by scripts/vendor_echarts.sh; the npm tarball matched $integrity.

SHA-256 of echarts.min.js: $sha
END
echo "echarts $version: $sha"
