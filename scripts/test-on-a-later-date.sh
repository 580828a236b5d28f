#!/usr/bin/env bash
# Runs every workspace's tests with the calendar moved DAYS ahead (30 unless given), to find the
# test that will fail on its own some later day: a fixture with a fixed date that a time window
# (the mailbox reader's 7 days, a signature's 5 minutes, a certificate's validity) will one day
# leave behind. One did on 4 Dec 2026 and turned CI red with no change to the code.
#
# libfaketime (Debian's `faketime`) moves the wall clock of every process started from here:
# jest, the relays and simulators the tests start, openssl making certificates. The monotonic
# clock stays real (FAKETIME_DONT_FAKE_MONOTONIC), so timers and timeouts behave as they do on
# any day. Chromium runs on the real clock with its pages' clock set to Node's (see
# apps/preview/src/e2e/chromium.ts). PostgreSQL is a service started before this and keeps the
# real time, so the relay's two tests of its clock against PostgreSQL's fail: that is the
# relay seeing a clock 30 days off, as it should.
#
# Usage: scripts/test-on-a-later-date.sh [DAYS] [turbo options, e.g. --filter=@sync-doctor/relay]
# Not part of CI (it runs the whole suite a second time): run it before a release, or when a date
# in a fixture changes.
set -euo pipefail

days="${1:-30}"
[[ $# -gt 0 ]] && shift
if [[ ! $days =~ ^[0-9]+$ ]]; then
  echo "usage: $0 [DAYS] [turbo options]: DAYS is a whole number of days ahead, not '$days'" >&2
  exit 2
fi

lib=$(compgen -G '/usr/lib/*/faketime/libfaketime.so.1' | head -n 1 || true)
if [[ -z $lib ]]; then
  echo "libfaketime is not installed: apt-get install -y faketime" >&2
  exit 2
fi

cd "$(dirname "$0")/.."
echo "tests on $(LD_PRELOAD=$lib FAKETIME="+${days}d" date -u +%Y-%m-%d), ${days} days ahead"
export LD_PRELOAD="$lib" FAKETIME="+${days}d" FAKETIME_DONT_FAKE_MONOTONIC=1
export TURBO_TELEMETRY_DISABLED=1
# --force: turbo's cache would replay today's results.
exec npx turbo run test --concurrency=1 --continue --force "$@"
