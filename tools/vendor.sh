#!/bin/sh
# Bring pinned npm libraries into the repository, reproducibly: `make vendor`.
#
# Each line of PACKAGES below is "name version destination file...": the tarball `npm pack` fetches
# from the npm registry is checked against the sha512 integrity the registry publishes, then only
# the named files and the package's licence files are unpacked into the destination. The files are
# committed, so the reading room serves them itself (the strict CSP allows no CDN) and a checkout
# needs no npm to run. The destination's README.md lists name, version, licence and integrity.
# To upgrade: change a version here, run `make vendor`, run the browser tests, commit.
set -eu
cd "$(dirname "$0")/.."

PACKAGES='
openseadragon 6.1.1 src/opis/web/static/vendor/openseadragon build/openseadragon/openseadragon.min.js build/openseadragon/images
axe-core 4.14.1 tests/browser/vendor/axe-core axe.min.js
'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
index=src/opis/web/static/vendor/README.md
rows="$work/rows"
: > "$rows"

echo "$PACKAGES" | while read -r name version dest files; do
  [ -n "$name" ] || continue
  want=$(npm view "$name@$version" dist.integrity)
  tarball=$(cd "$work" && npm pack --silent "$name@$version")
  got="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
  if [ "$got" != "$want" ]; then
    echo "vendor: $name@$version: tarball integrity $got is not the registry's $want; nothing changed" >&2
    exit 1
  fi
  rm -rf "$work/package" "$dest"
  tar xzf "$work/$tarball" -C "$work"
  mkdir -p "$dest"
  for file in $files; do
    cp -R "$work/package/$file" "$dest/"
  done
  for licence in "$work"/package/LICEN[CS]E*; do
    [ -e "$licence" ] && cp "$licence" "$dest/"
  done
  licence=$(node -p "require('$work/package/package.json').license")
  cat > "$dest/README.md" <<NOTE
# $name $version (vendored)

| name | version | licence | npm tarball integrity |
|---|---|---|---|
| $name | $version | $licence | \`$want\` |

Unpacked from \`npm pack $name@$version\` by \`make vendor\` (tools/vendor.sh); do not edit by hand.
Files: $files, with the package's licence file(s).
NOTE
  echo "| $name | $version | $licence | \`$dest\` | \`$want\` |" >> "$rows"
  echo "vendor: $name@$version -> $dest"
done

mkdir -p "$(dirname "$index")"
{
  echo "# Vendored npm libraries"
  echo
  echo "Brought in by \`make vendor\` (tools/vendor.sh) from \`npm pack NAME@VERSION\`, each tarball checked"
  echo "against the registry's sha512 integrity; served from our own static files (no CDN). Do not edit."
  echo
  echo "| name | version | licence | where | npm tarball integrity |"
  echo "|---|---|---|---|---|"
  cat "$rows"
} > "$index"
