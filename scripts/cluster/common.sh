# Sourced by the install scripts: where built servers are cached, and an atomic publish step.
# Built artefacts live OUTSIDE the tree (shared between worktrees and CI runs), one directory per
# tool and version; a builder works in a temp dir next to it and renames it into place, so two
# builders racing never leave a half-built directory behind.
set -euo pipefail
TOOLS_DIR="${OCR_TOOLS_DIR:-$HOME/.cache/ocr-chat-tools}"
mkdir -p "$TOOLS_DIR"

# publish TMP FINAL: rename the finished temp dir into place unless another builder won the race.
publish() {
  local tmp="$1" final="$2"
  if mv -T "$tmp" "$final" 2>/dev/null; then return 0; fi
  # Another builder finished first: its result is as good as ours.
  rm -rf "$tmp"
  [ -e "$final" ]
}

# need CMD HINT: fail early with a clear message when a build tool is missing.
need() {
  command -v "$1" >/dev/null 2>&1 || { echo "$1 is required: $2" >&2; exit 1; }
}
