#!/usr/bin/env bash
# Builds kubeconform v$KUBECONFORM_VERSION from the Go module proxy and prints its path.
source "$(dirname "$0")/common.sh"
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-0.8.0}"
final="$TOOLS_DIR/kubeconform-v$KUBECONFORM_VERSION"
if [[ -x "$final/kubeconform" ]]; then echo "$final/kubeconform"; exit 0; fi
tmp="$(mktemp -d "$TOOLS_DIR/.kubeconform.XXXXXX")"
log "building kubeconform v$KUBECONFORM_VERSION"
timed "kubeconform go install" env GOBIN="$tmp" go install -trimpath -ldflags "-s -w" \
  "github.com/yannh/kubeconform/cmd/kubeconform@v$KUBECONFORM_VERSION"
publish "$tmp" "$final"
echo "$final/kubeconform"
