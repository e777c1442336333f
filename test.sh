#!/usr/bin/env bash
# Runs every test of the project: unit tests (*Test) and integration tests (*ITCase) against a
# real Kafka broker and a real MariaDB server that the tests start themselves.
#
# Besides a JDK 17+, a few tests drive programs the JVM cannot bring along: the dashboard tests
# drive a real headless Chromium through chromedriver, and the metrics tests run Prometheus'
# promtool. This script provides them first: on Debian or Ubuntu as root it installs the missing
# packages (chromium, chromium-driver, prometheus); anywhere else it names what is missing and how
# to get it, and stops before spending minutes on a build. Arguments go to Maven, e.g. one module
# (after `./mvnw -B install -DskipTests`):  ./test.sh -pl api-server
# or one integration test class:
#   ./test.sh -pl api-server -Dit.test=AuthITCase -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v java >/dev/null; then
  echo "test.sh: no java on PATH; install a JDK 17 or newer" >&2
  exit 1
fi

# command -> Debian package that provides it
declare -A PACKAGE_OF=(
  [chromium]=chromium
  [chromedriver]=chromium-driver
  [promtool]=prometheus
  [prometheus]=prometheus
)

missing_packages() {
  local cmd
  for cmd in "${!PACKAGE_OF[@]}"; do
    command -v "$cmd" >/dev/null || echo "${PACKAGE_OF[$cmd]}"
  done | sort -u
}

missing=$(missing_packages)
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing $(echo $missing) (Debian packages the browser and metrics tests use)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq $missing >/dev/null
    missing=$(missing_packages)
  fi
fi
if [ -n "$missing" ]; then
  cat >&2 <<EOF
test.sh: the tests need these programs, which are not installed: $(echo $missing)
  On Debian or Ubuntu:  sudo apt-get install chromium chromium-driver prometheus
  Elsewhere: put 'chromium' (or a Chrome build named so), a matching 'chromedriver', and
  Prometheus 2.x ('prometheus' and 'promtool') on PATH, then run ./test.sh again.
EOF
  exit 1
fi

exec ./mvnw -B verify "$@"
