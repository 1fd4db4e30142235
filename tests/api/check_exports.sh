#!/usr/bin/env bash
# Checks that libquiver.so exports the public API (qv_*) and nothing else:
# the library is built with -fvisibility=hidden and marks the API with QV_API.
set -euo pipefail
lib=$1
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ {print $3}')
stray=$(grep -v '^qv_' <<<"$exported" | grep -v '^_' || true)
if [[ -n "$stray" ]]; then
  echo "symbols exported beside the public API:"
  echo "$stray"
  echo "0 passed, 1 failed"
  exit 1
fi
for symbol in qv_version qv_build_info qv_status_name qv_status_sqlstate qv_error_clear; do
  grep -qx "$symbol" <<<"$exported" || { echo "missing public symbol $symbol"; echo "0 passed, 1 failed"; exit 1; }
done
echo "1 passed, 0 failed"
