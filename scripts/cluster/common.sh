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

# maven_runtime NAME VERSION POM_INNER: the runtime jars of the dependencies that POM_INNER (the
# <dependencies>/<dependencyManagement> part of a pom) names, copied into $TOOLS_DIR/NAME-VERSION/lib
# by Maven from Maven Central. Prints the install dir; a second run only prints it.
maven_runtime() {
  local name="$1" version="$2" inner="$3"
  local final="$TOOLS_DIR/$name-$version"
  if [ -f "$final/.complete" ]; then echo "$final"; return 0; fi
  need mvn "run scripts/install-system.sh (Debian maven + openjdk-17)"
  local tmp
  tmp="$(mktemp -d "$TOOLS_DIR/.$name-$version.XXXXXX")"
  cat > "$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>chat.ocr.tools</groupId><artifactId>$name-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
$inner
</project>
POM
  if ! (cd "$tmp" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime >&2); then
    rm -rf "$tmp"
    return 1
  fi
  touch "$tmp/.complete"
  publish "$tmp" "$final"
  echo "$final"
}
