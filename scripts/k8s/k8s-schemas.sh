#!/usr/bin/env bash
# Kubernetes JSON schemas for kubeconform, from the PyPI package kubernetes-validate (it ships
# one directory of standalone-strict schemas per Kubernetes minor). Prints the directory that
# kubeconform's -schema-location template expects: <dir>/<kind>-<group>-<version>.json.
# The package's schemas point at a shared "_definitions.json" by a path kubeconform cannot
# follow offline; those refs are rewritten to the file's own "#/definitions" after merging the
# definitions into each schema, otherwise every nested object would be "could not find schema".
source "$(dirname "$0")/common.sh"
KV_VERSION="${KV_VERSION:-1.37.0}"
K8S_SCHEMA_VERSION="${K8S_SCHEMA_VERSION:-1.36.0}"
final="$TOOLS_DIR/k8s-schemas-kv$KV_VERSION-v$K8S_SCHEMA_VERSION"
if [[ -f "$final/.complete" ]]; then echo "$final"; exit 0; fi
tmp="$(mktemp -d "$TOOLS_DIR/.k8s-schemas.XXXXXX")"
log "fetching kubernetes-validate $KV_VERSION from PyPI"
timed "kubernetes-validate download" python3 -m pip download --quiet --no-deps --only-binary=:all: \
  -d "$tmp/wheel" "kubernetes-validate==$KV_VERSION"
unzip -q "$tmp"/wheel/*.whl -d "$tmp/wheel/x"
python3 "$(dirname "$0")/rewrite-schemas.py" "$tmp/wheel/x/kubernetes_validate/kubernetes-json-schema" "$K8S_SCHEMA_VERSION" "$tmp"
rm -rf "$tmp/wheel"
touch "$tmp/.complete"
publish "$tmp" "$final"
echo "$final"
