#!/usr/bin/env bash
# Installs every server the cluster shape runs locally (Kafka, FerretDB, s3proxy) into the tools
# cache; the second run takes seconds. MinIO is optional: install-minio.sh.
set -euo pipefail
here="$(dirname "$0")"
bash "$here/install-kafka.sh" >/dev/null
bash "$here/install-s3proxy.sh" >/dev/null
bash "$here/install-ferretdb.sh" >/dev/null
echo "cluster servers installed in ${OCR_TOOLS_DIR:-$HOME/.cache/ocr-chat-tools}"
