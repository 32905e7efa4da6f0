#!/usr/bin/env bash
# Builds kube-apiserver v$KUBE_VERSION from the Go module proxy and prints the binary's path.
# k8s.io/kubernetes cannot be required as a plain module: its go.mod points every k8s.io
# staging module at ./staging/src, so the wrapper module repeats each of those replace lines
# with the published v0.x tag. The list is read from the kubernetes go.mod itself, so a new
# staging module in a later release needs no edit here.
source "$(dirname "$0")/common.sh"
KUBE_VERSION="${KUBE_VERSION:-1.36.3}"
final="$TOOLS_DIR/kube-apiserver-v$KUBE_VERSION"
if [[ -x "$final/kube-apiserver" ]]; then echo "$final/kube-apiserver"; exit 0; fi

staging="v0.${KUBE_VERSION#1.}"
tmp="$(mktemp -d "$TOOLS_DIR/.kube-apiserver.XXXXXX")"
mkdir -p "$tmp/src"
log "building kube-apiserver v$KUBE_VERSION (about 6 min cold)"
gomod="$(cd "$tmp/src" && go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
{
  echo "module ocrchat.local/kube-apiserver"
  echo
  echo "go 1.25"
  echo
  echo "require k8s.io/kubernetes v$KUBE_VERSION"
  echo
  grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$gomod" \
    | awk -v v="$staging" '{ printf "replace %s => %s %s\n", $1, $1, v }'
} > "$tmp/src/go.mod"
cat > "$tmp/src/main.go" <<'GO'
// Wrapper so kube-apiserver builds from the module proxy; same body as cmd/kube-apiserver.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
GO
minor="${KUBE_VERSION#1.}"; minor="${minor%%.*}"
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
(
  cd "$tmp/src"
  timed "kube-apiserver go mod tidy" go mod tidy
  timed "kube-apiserver go build" go build -trimpath -ldflags "$ldflags" -o "$tmp/kube-apiserver" .
)
rm -rf "$tmp/src"
publish "$tmp" "$final"
echo "$final/kube-apiserver"
