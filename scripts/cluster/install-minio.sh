#!/usr/bin/env bash
# MinIO from the Go module proxy: an OPTIONAL alternative S3 server (S3_SERVER=minio in the test
# support); s3proxy is the default because this build takes about 6.5 minutes on a fresh machine.
# Prints the install dir (binary: <dir>/minio). Idempotent. MINIO_MODULE_VERSION pins a version.
set -euo pipefail
. "$(dirname "$0")/common.sh"
VERSION="${MINIO_MODULE_VERSION:-latest}"
need go "Go 1.24 or newer"
FINAL="$TOOLS_DIR/minio-$VERSION"
if [ -x "$FINAL/minio" ]; then echo "$FINAL"; exit 0; fi
TMP="$(mktemp -d "$TOOLS_DIR/.minio-$VERSION.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
GOBIN="$TMP" CGO_ENABLED=0 go install "github.com/minio/minio@$VERSION" >&2
trap - EXIT
publish "$TMP" "$FINAL"
echo "$FINAL"
