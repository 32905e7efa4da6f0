#!/usr/bin/env bash
# Installs the native runtimes from Debian's packages only.
#   install-system.sh          what the service needs to run (make start)
#   install-system.sh test     that plus what only the tests and benchmarks use (make test, make bench)
# Idempotent: skips apt entirely when everything is already there.
set -euo pipefail
PROFILE="${1:-service}"
case "$PROFILE" in service|test) ;; *) echo "usage: $0 [service|test]" >&2; exit 2 ;; esac

SERVICE_PACKAGES=(
  tesseract-ocr tesseract-ocr-all   # native engine + every fast language/script model + OSD
  poppler-utils                     # pdfinfo / pdftoppm / pdftotext: PDF page count, raster, text layer
  libjpeg-turbo-progs               # jpegtran: lossless Huffman optimisation of JPEGs in searchable PDFs
)
# Hundreds of MB a user who only runs the service does not need.
TEST_PACKAGES=(
  qpdf                              # tests: encrypted PDFs
  fonts-noto-core fonts-noto-cjk    # tests: pages rendered in scripts the corpus lacks (Devanagari, CJK)
  fonts-dejavu-core fonts-urw-base35 # tests: Latin pages in sans and schoolbook faces (DejaVu Sans, C059)
  libreoffice-writer-nogui          # tests: DOCX exports must open in LibreOffice and give back the text
  ocrmypdf                          # bench: the searchable-PDF peer
  chromium                          # tests: the account pages in a real browser (playwright-core drives it)
  maven openjdk-17-jre-headless     # cluster: Kafka and s3proxy come from Maven Central (scripts/cluster)
  python3-venv                      # tests: schemathesis runs from its own venv (scripts/install-schemathesis.sh)
)

PACKAGES=("${SERVICE_PACKAGES[@]}")
if [ "$PROFILE" = test ]; then
  PACKAGES+=("${TEST_PACKAGES[@]}")
  # The client-compatibility tests run the original page's Python example, which needs requests.
  python3 -c 'import requests' 2>/dev/null || python3 -m pip install --quiet requests
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -q
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}"
