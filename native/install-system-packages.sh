#!/usr/bin/env bash
# Installs the Debian packages vanthu needs to run and to be tested (Debian 12 / Ubuntu).
# Idempotent: apt-get skips what is installed. Waits on the dpkg lock instead of failing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
APT="$SUDO apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3"
PACKAGES=(
  build-essential python3 make g++ pkg-config
  openssl softhsm2 opensc libnss3-tools
  poppler-utils qpdf ghostscript
  fonts-liberation2 fonts-dejavu-core fontconfig
  chromium xvfb xauth imagemagick
  sane-utils libsane1 img2pdf tesseract-ocr tesseract-ocr-vie
  libsecret-tools gnome-keyring dbus
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
$APT update
$APT install -y --no-install-recommends "${missing[@]}"
