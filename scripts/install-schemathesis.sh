#!/usr/bin/env bash
# Installs schemathesis (PyPI) for the schema-fuzzing test (test/e2e/schemathesis.test.ts) into its
# own venv outside the tree, shared between checkouts: ${OCR_TOOLS_DIR:-~/.cache/ocr-chat-tools}/
# schemathesis-<version>. Made under a temporary name and renamed in one step, so two builders
# never see a half-made venv. Run it through the venv's interpreter, `<dir>/bin/python -c 'import sys;
# from schemathesis.cli import schemathesis; sys.exit(schemathesis())' run ...`: bin/ scripts keep
# the temporary name in their first line, the interpreter finds its venv wherever it sits.
set -euo pipefail
VERSION=4.32.5
TOOLS="${OCR_TOOLS_DIR:-$HOME/.cache/ocr-chat-tools}"
DEST="$TOOLS/schemathesis-$VERSION"
[ -f "$DEST/.complete" ] && exit 0
mkdir -p "$TOOLS"
TMP="$DEST.tmp.$$"
trap 'rm -rf "$TMP"' EXIT
python3 -m venv "$TMP"
"$TMP/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$VERSION"
touch "$TMP/.complete"
mv -T "$TMP" "$DEST" 2>/dev/null || true  # another builder finished first: keep theirs
