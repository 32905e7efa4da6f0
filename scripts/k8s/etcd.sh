#!/usr/bin/env bash
# Builds etcd v$ETCD_VERSION from the Go module proxy through a wrapper module calling
# etcdmain.Main (the etcd repository's own main lives in a module the proxy cannot build alone)
# and prints the binary's path.
source "$(dirname "$0")/common.sh"
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
final="$TOOLS_DIR/etcd-v$ETCD_VERSION"
if [[ -x "$final/etcd" ]]; then echo "$final/etcd"; exit 0; fi
tmp="$(mktemp -d "$TOOLS_DIR/.etcd.XXXXXX")"
mkdir -p "$tmp/src"
log "building etcd v$ETCD_VERSION (about 1 min cold)"
cat > "$tmp/src/go.mod" <<MOD
module ocrchat.local/etcd

go 1.25

require go.etcd.io/etcd/server/v3 v$ETCD_VERSION
MOD
cat > "$tmp/src/main.go" <<'GO'
// Wrapper so etcd builds from the module proxy; same entry point as etcd's own main.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
GO
(
  cd "$tmp/src"
  timed "etcd go mod tidy" go mod tidy
  timed "etcd go build" go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" .
)
rm -rf "$tmp/src"
publish "$tmp" "$final"
echo "$final/etcd"
