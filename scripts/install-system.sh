#!/usr/bin/env bash
# Installs the native runtimes the service and its tests use, from Debian's packages only.
# Idempotent: skips apt entirely when everything is already there.
set -euo pipefail
PACKAGES=(
  tesseract-ocr tesseract-ocr-all   # native engine + every fast language/script model + OSD
  poppler-utils                     # pdfinfo / pdftoppm / pdftotext: PDF page count, raster, text layer
  qpdf                              # tests: encrypted PDFs
  libjpeg-turbo-progs               # jpegtran: lossless Huffman optimisation of JPEGs in searchable PDFs
  fonts-noto-core fonts-noto-cjk    # tests: pages rendered in scripts the corpus lacks (Devanagari, CJK)
  libreoffice-writer-nogui          # tests: DOCX exports must open in LibreOffice and give back the text
  ocrmypdf                          # bench: the searchable-PDF peer
  chromium                          # tests: the account pages in a real browser (playwright-core drives it)
  maven openjdk-17-jre-headless     # cluster: Kafka and s3proxy come from Maven Central (scripts/cluster)
)
# The client-compatibility tests run the original page's Python example, which needs requests.
python3 -c 'import requests' 2>/dev/null || python3 -m pip install --quiet requests

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -q
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}"
