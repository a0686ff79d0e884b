#!/usr/bin/env bash
# Bench-only system packages (not needed by the service or the tests): the peers Pindai is measured
# against — OCRmyPDF and native tesseract with Indonesian data. Installs what is missing as root on
# Debian/Ubuntu; otherwise says what to install and lets the bench skip the missing peers.
set -euo pipefail
missing=()
command -v ocrmypdf >/dev/null 2>&1 || missing+=(ocrmypdf)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/ind.traineddata >/dev/null 2>&1 || missing+=(tesseract-ocr-ind)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing bench packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Bench peers missing: ${missing[*]} — install them (sudo apt-get install ${missing[*]}); those peers are skipped" >&2
fi
