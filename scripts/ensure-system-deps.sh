#!/usr/bin/env bash
# System packages the test suite and benchmark need (not the service itself):
#   poppler-utils — pdftotext/pdfinfo read our PDFs back as a real PDF tool would.
#   chromium      — browser tests drive the real pages (playwright-core, no browser download).
#   docker-compose — `docker-compose config -q` validates docker-compose.yml offline (no engine).
#   tesseract-ocr, tesseract-ocr-ind — the native OCR engine and its spec.
#   fonts-liberation — held-out fonts for `npm run bench:columns` (the tests use npm's DejaVu).
#   postgresql    — the PostgreSQL register's tests and `npm run bench:scale` start a throwaway
#                   server of their own (initdb into a temp folder, a free port); only the server
#                   binaries under /usr/lib/postgresql/<version>/bin are used, not the cluster the
#                   package sets up.
#   libxml2-utils — xmllint validates OAI-PMH, MARCXML, METS and ALTO output against the
#                   official schemas (test/fixtures/schemas) in the tests.
# Installs what is missing when run as root on Debian/Ubuntu; otherwise says what to install.
set -euo pipefail
missing=()
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -x "${PINDAI_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
# Native OCR engine (PINDAI_OCR_ENGINE=auto picks it when present): its spec runs only with these.
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/ind.traineddata >/dev/null 2>&1 || missing+=(tesseract-ocr-ind)
[ -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || missing+=(fonts-liberation)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]} — install them (e.g. sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
