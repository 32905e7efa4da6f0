#!/usr/bin/env bash
# Apache Kafka 4.4.0 (KRaft, no ZooKeeper) from Maven Central: the broker jar and its runtime
# dependencies, plus slf4j-simple so the broker has a log binding. Prints the install dir.
# Idempotent: a second run only prints the cached dir.
set -euo pipefail
. "$(dirname "$0")/common.sh"
need mvn "run scripts/install-system.sh (Debian maven + openjdk-17)"
VERSION=4.4.0
FINAL="$TOOLS_DIR/kafka-$VERSION"
if [ -f "$FINAL/.complete" ]; then echo "$FINAL"; exit 0; fi
TMP="$(mktemp -d "$TOOLS_DIR/.kafka-$VERSION.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
cat > "$TMP/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>chat.ocr.tools</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
POM
(cd "$TMP" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime >&2)
touch "$TMP/.complete"
trap - EXIT
publish "$TMP" "$FINAL"
echo "$FINAL"
