#!/usr/bin/env bash
# The Nu HTML Checker (vnu.jar, npm package « vnu-jar », pinned below), for the
# HTML validity test (tests/test_html_valid.py).
#   scripts/vnu.sh              installs it if needed, prints the jar's path
#   scripts/vnu.sh ARGS…        runs it: java -jar vnu.jar ARGS…
# First run: npm downloads the package into .cache/vnu/ (or $VNU_CACHE); later
# runs reuse it. Java (17+) and npm come from Debian; installed when missing.
set -euo pipefail
VERSION=26.9.27
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${VNU_CACHE:-$ROOT/.cache/vnu}"
PACKAGE="$CACHE/node_modules/vnu-jar"
JAR="$PACKAGE/build/dist/vnu.jar"

need() {  # need COMMAND DEBIAN-PACKAGE…
  command -v "$1" >/dev/null && return 0
  echo "« $1 » absent : installation des paquets Debian « ${*:2} »…" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "Impossible d'installer ${*:2} (ni root ni sudo) : installez-les puis relancez." >&2; exit 1; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${@:2}" >/dev/null
}

installed() {
  [ -f "$JAR" ] && grep -q "\"version\": *\"$VERSION\"" "$PACKAGE/package.json" 2>/dev/null
}

if ! installed; then
  need npm npm
  mkdir -p "$CACHE"
  (
    flock 9  # one install at a time (parallel test runs)
    if ! installed; then
      for attempt in 1 2 3; do
        # --ignore-scripts: the package's postinstall only fetches a Java runtime; Debian's is used.
        if npm install --prefix "$CACHE" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
             "vnu-jar@$VERSION" >&2; then break; fi
        [ "$attempt" = 3 ] && { echo "npm n'a pas pu installer vnu-jar@$VERSION" >&2; exit 1; }
        sleep $((attempt * 5))
      done
    fi
  ) 9>"$CACHE.lock"
  installed || { echo "vnu.jar introuvable après installation ($JAR)" >&2; exit 1; }
fi

if [ "$#" = 0 ]; then
  echo "$JAR"
  exit 0
fi
need java openjdk-17-jre-headless
exec java -Xss4m -jar "$JAR" "$@"
