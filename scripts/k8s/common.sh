# Shared by scripts/k8s/*.sh: where registry-built tools are cached and how they land there.
# Tools live OUTSIDE the tree (a fresh clone builds them once; later runs reuse them) and are
# built in a temp dir then moved into place with one rename, so two builders never see half a tool.
set -euo pipefail
TOOLS_DIR="${OCR_TOOLS_DIR:-$HOME/.cache/ocr-chat-tools}"
mkdir -p "$TOOLS_DIR"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

# log MESSAGE: progress goes to stderr so stdout carries only the tool's path.
log() { printf '[k8s-tools] %s\n' "$*" >&2; }

# publish TMPDIR FINALDIR: atomic move; if another builder won the race, keep theirs.
publish() {
  local tmp="$1" final="$2"
  chmod 755 "$tmp"
  if ! mv -T "$tmp" "$final" 2>/dev/null; then
    rm -rf "$tmp"
  fi
}

# timed LABEL CMD...: runs CMD and logs its wall time (the report records cold and warm builds).
timed() {
  local label="$1"; shift
  local start; start=$(date +%s)
  "$@"
  log "$label took $(( $(date +%s) - start ))s"
}
