#!/usr/bin/env bash
# Files the tests need that are not dependencies of Pindai itself, fetched once into a cache:
#   mirador@4.0.0 — the IIIF viewer the Mirador browser test drives (test/iiif-interchange.test.ts).
#                   `npm install mirador` fails here (its peer dependencies refuse TypeScript 7), but
#                   its npm tarball ships a self-contained UMD bundle, dist/mirador.min.js: the
#                   tarball is fetched with `npm pack`, checked against the integrity pinned below
#                   (`npm view mirador@4.0.0 dist.integrity`), and only that file (and the licence)
#                   is kept. Apache-2.0.
# Run by `npm test` (pretest) and by the test itself; does nothing when the cache is complete.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${PINDAI_TEST_ASSETS:-node_modules/.cache/pindai-test-assets}"
MIRADOR_VERSION=4.0.0
MIRADOR_INTEGRITY='sha512-uWsE9e2oqSc/lUu+vVwDGhTsycuhGsfZ2KfX6CLfXiT3wgGy6qT9+q5M3V9Zz72hkdIgsJugKesaowmRtYmvrA=='
target="$CACHE/mirador-$MIRADOR_VERSION"
[ -f "$target/mirador.min.js" ] && exit 0

mkdir -p "$CACHE"
tmp="$(mktemp -d "$CACHE/.fetch-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
npm pack "mirador@$MIRADOR_VERSION" --pack-destination "$tmp" --silent >/dev/null
tgz="$tmp/mirador-$MIRADOR_VERSION.tgz"
actual="sha512-$(node -e 'process.stdout.write(require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
if [ "$actual" != "$MIRADOR_INTEGRITY" ]; then
  echo "mirador@$MIRADOR_VERSION: tarball integrity $actual does not match the pinned $MIRADOR_INTEGRITY" >&2
  exit 1
fi
tar -xzf "$tgz" -C "$tmp" package/dist/mirador.min.js package/LICENSE
mkdir -p "$tmp/out"
mv "$tmp/package/dist/mirador.min.js" "$tmp/package/LICENSE" "$tmp/out/"
rm -rf "$target"
mv "$tmp/out" "$target"
echo "Test asset: mirador@$MIRADOR_VERSION -> $target" >&2
