#!/usr/bin/env bash
# The README's two commands land here: `npm start` → run, `npm test` → test.
# Installs what is missing (npm packages, then the tools in .tools/), compiles, and hands over.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "[warnflow] $*" >&2; }

if ! command -v node >/dev/null; then say "Node.js 20 is required"; exit 1; fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then say "Node.js >= 20 is required (found $(node --version))"; exit 1; fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci; about a minute the first time)"
  npm ci --no-audit --no-fund --loglevel=error
fi

say "compiling TypeScript (strict)"
node_modules/.bin/tsc -p tsconfig.json

cmd="${1:-run}"
shift || true
case "$cmd" in
  run)
    exec node dist/scripts/run.js "$@" ;;
  test)
    say "linting (eslint) and checking the format (prettier, 120 columns); either failing fails the suite"
    node_modules/.bin/eslint .
    node_modules/.bin/prettier --check . --log-level warn
    node dist/scripts/setup.js --test-server
    bash scripts/ensure-browser.sh
    bash scripts/ensure-pdftools.sh
    exec node_modules/.bin/jest "$@" ;;
  setup)
    exec node dist/scripts/setup.js "$@" ;;
  backup)
    exec node dist/scripts/backup.js "$@" ;;
  restore)
    exec node dist/scripts/restore.js "$@" ;;
  *)
    say "usage: scripts/warnflow.sh run|test|setup|backup|restore"; exit 2 ;;
esac
