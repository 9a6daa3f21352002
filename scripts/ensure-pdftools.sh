#!/usr/bin/env bash
# The report PDF test (test/unit/reportPdf.test.ts) reads the PDF back with poppler-utils
# (pdftotext, pdffonts). Installs Debian's poppler-utils when missing and we are root; otherwise
# says what to install. Idempotent.
set -uo pipefail
say() { echo "[warnflow] $*" >&2; }
if command -v pdftotext >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  say "the report PDF test needs: apt-get install -y poppler-utils (not root: not installing)"
  exit 0
fi
say "installing poppler-utils for the report PDF test (apt-get)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends poppler-utils >/dev/null 2>&1 || {
  apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends poppler-utils >/dev/null 2>&1
} || say "could not install poppler-utils: the report PDF test will fail"
