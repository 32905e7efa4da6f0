#!/usr/bin/env bash
# Builds helm v$HELM_VERSION from the Go module proxy (about 2.5 min cold) and prints its path.
source "$(dirname "$0")/common.sh"
HELM_VERSION="${HELM_VERSION:-3.22.0}"
final="$TOOLS_DIR/helm-v$HELM_VERSION"
if [[ -x "$final/helm" ]]; then echo "$final/helm"; exit 0; fi
tmp="$(mktemp -d "$TOOLS_DIR/.helm.XXXXXX")"
log "building helm v$HELM_VERSION"
# The version string helm prints comes from its internal/version package, set the way its Makefile does.
timed "helm go install" env GOBIN="$tmp" go install -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION" \
  "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
publish "$tmp" "$final"
echo "$final/helm"
