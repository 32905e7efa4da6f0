#!/usr/bin/env bash
# Builds helm v$HELM_VERSION from the Go module proxy (about 2.5 min cold) and prints its path.
source "$(dirname "$0")/common.sh"
HELM_VERSION="${HELM_VERSION:-3.22.0}"
final="$TOOLS_DIR/helm-v$HELM_VERSION"
if [[ -x "$final/helm" ]]; then echo "$final/helm"; exit 0; fi
tmp="$(mktemp -d "$TOOLS_DIR/.helm.XXXXXX")"
log "building helm v$HELM_VERSION"
# Set what helm's own Makefile sets: its version, and the Kubernetes version that `helm template`
# and `helm lint` assume without a cluster (derived from the client-go it is built with; left
# unset it is v1.20.0, older than the chart's kubeVersion).
gomod="$(cd "$tmp" && go mod download -json "helm.sh/helm/v3@v$HELM_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
client_go="$(sed -n 's/^\s*k8s\.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$gomod" | head -1)"
[[ -n "$client_go" ]] || { log "cannot read k8s.io/client-go's version from $gomod"; exit 1; }
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION"
for pkg in pkg/lint/rules pkg/chartutil; do
  ldflags+=" -X helm.sh/helm/v3/$pkg.k8sVersionMajor=1 -X helm.sh/helm/v3/$pkg.k8sVersionMinor=$client_go"
done
timed "helm go install" env GOBIN="$tmp" go install -trimpath -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
publish "$tmp" "$final"
echo "$final/helm"
