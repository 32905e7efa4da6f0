#!/usr/bin/env bash
# FerretDB v1.24.2 (MongoDB wire protocol over SQLite) from the Go module proxy: no registry here
# ships a real mongod. Prints the install dir (binary: <dir>/ferretdb). Idempotent.
# `go install` of this module builds a binary that panics on "Invalid build/version/version.txt"
# (the file is empty in the module zip), so build from a writable copy with the file filled in.
set -euo pipefail
. "$(dirname "$0")/common.sh"
VERSION=v1.24.2
[ -x "$TOOLS_DIR/ferretdb-$VERSION/ferretdb" ] || need go "Go 1.22 or newer (https://go.dev/dl), e.g. in /usr/local/go/bin"
FINAL="$TOOLS_DIR/ferretdb-$VERSION"
if [ -x "$FINAL/ferretdb" ]; then echo "$FINAL"; exit 0; fi
TMP="$(mktemp -d "$TOOLS_DIR/.ferretdb-$VERSION.XXXXXX")"
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
MODDIR="$(go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$MODDIR" ] || { echo "go mod download gave no module dir" >&2; exit 1; }
cp -r "$MODDIR" "$TMP/src"
chmod -R u+w "$TMP/src"
echo "$VERSION" > "$TMP/src/build/version/version.txt"
mkdir -p "$TMP/out"
(cd "$TMP/src" && CGO_ENABLED=0 go build -trimpath -o "$TMP/out/ferretdb" ./cmd/ferretdb >&2)
chmod -R u+w "$TMP/src"; rm -rf "$TMP/src"
trap - EXIT
publish "$TMP/out" "$FINAL"
rm -rf "$TMP"
echo "$FINAL"
