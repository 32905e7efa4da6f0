#!/usr/bin/env bash
# Apache Kafka 4.4.0 (KRaft, no ZooKeeper) from Maven Central: the broker jar and its runtime
# dependencies, plus slf4j-simple so the broker has a log binding. Prints the install dir.
# Idempotent: a second run only prints the cached dir.
set -euo pipefail
. "$(dirname "$0")/common.sh"
VERSION=4.4.0
maven_runtime kafka "$VERSION" "  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>1.7.36</version></dependency>
  </dependencies>"
