#!/usr/bin/env bash
# KEDA's CRDs from its Go module zip (github.com/kedacore/keda/v2@v$KEDA_VERSION, files
# config/crd/bases/keda.sh_*.yaml). Prints a directory holding the CRD YAML files (crds/) and
# kubeconform schemas made from them (schemas/<group>/<kind>_<version>.json).
source "$(dirname "$0")/common.sh"
KEDA_VERSION="${KEDA_VERSION:-2.21.0}"
final="$TOOLS_DIR/keda-crds-v$KEDA_VERSION"
if [[ -f "$final/.complete" ]]; then echo "$final"; exit 0; fi
tmp="$(mktemp -d "$TOOLS_DIR/.keda-crds.XXXXXX")"
log "fetching github.com/kedacore/keda/v2@v$KEDA_VERSION from the Go module proxy"
dir="$(cd "$tmp" && go mod download -json "github.com/kedacore/keda/v2@v$KEDA_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
mkdir -p "$tmp/crds"
cp "$dir"/config/crd/bases/keda.sh_*.yaml "$tmp/crds/"
chmod 644 "$tmp"/crds/*.yaml
PYTHONPATH="$("$(dirname "$0")/pyyaml.sh")" python3 "$(dirname "$0")/crd-schemas.py" "$tmp/schemas" "$tmp"/crds/*.yaml
touch "$tmp/.complete"
publish "$tmp" "$final"
echo "$final"
