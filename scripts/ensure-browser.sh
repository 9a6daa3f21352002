#!/usr/bin/env bash
# The browser tests (test/e2e) drive Debian's chromium with Chinese fonts. Installs both when
# chromium is missing and we are root; otherwise says what to install. Idempotent; never downloads a browser bundle.
set -uo pipefail
say() { echo "[warnflow] $*" >&2; }
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  say "browser tests need: apt-get install -y chromium fonts-noto-cjk (not root: skipping; test/e2e will be skipped)"
  exit 0
fi
say "installing chromium and fonts-noto-cjk for the browser tests (apt-get, a few minutes once)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium fonts-noto-cjk >/dev/null 2>&1 || {
  apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium fonts-noto-cjk >/dev/null 2>&1
} || say "could not install chromium/fonts-noto-cjk: test/e2e will be skipped"
