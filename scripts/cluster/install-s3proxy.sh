#!/usr/bin/env bash
# s3proxy 4.1.0 (Apache-2.0; an S3 API over a filesystem directory) from Maven Central: the S3
# server for local clusters and tests, because it installs in seconds where MinIO from the Go
# proxy takes minutes to build. Prints the install dir (jars in <dir>/lib). Idempotent.
# s3proxy 4.1.0 resolves mismatched Jackson 3 artefacts unless the jackson BOM pins them (it then
# fails at start with ClassNotFoundException JsonSerializeAs), hence the dependencyManagement.
set -euo pipefail
. "$(dirname "$0")/common.sh"
need mvn "run scripts/install-system.sh (Debian maven + openjdk-17)"
VERSION=4.1.0
FINAL="$TOOLS_DIR/s3proxy-$VERSION"
if [ -f "$FINAL/.complete" ]; then echo "$FINAL"; exit 0; fi
TMP="$(mktemp -d "$TOOLS_DIR/.s3proxy-$VERSION.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
cat > "$TMP/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>chat.ocr.tools</groupId><artifactId>s3proxy-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>tools.jackson</groupId><artifactId>jackson-bom</artifactId><version>3.2.2</version><type>pom</type><scope>import</scope></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency><groupId>org.gaul</groupId><artifactId>s3proxy</artifactId><version>$VERSION</version></dependency>
  </dependencies>
</project>
POM
(cd "$TMP" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime >&2)
touch "$TMP/.complete"
trap - EXIT
publish "$TMP" "$FINAL"
echo "$FINAL"
