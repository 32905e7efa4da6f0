#!/usr/bin/env bash
# PyYAML from PyPI into the tools cache (the CRD-to-schema conversion needs a YAML parser and
# a fresh machine's python3 may not have one). Prints the directory to put on PYTHONPATH.
source "$(dirname "$0")/common.sh"
PYYAML_VERSION="${PYYAML_VERSION:-6.0.3}"
final="$TOOLS_DIR/pyyaml-$PYYAML_VERSION"
if [[ -f "$final/.complete" ]]; then echo "$final"; exit 0; fi
tmp="$(mktemp -d "$TOOLS_DIR/.pyyaml.XXXXXX")"
timed "PyYAML download" python3 -m pip install --quiet --no-deps --disable-pip-version-check --root-user-action=ignore --target "$tmp" "PyYAML==$PYYAML_VERSION"
touch "$tmp/.complete"
publish "$tmp" "$final"
echo "$final"
