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
# The session API (runtime, profile, configurators, policy, identity, tables).
required="qv_version qv_build_info qv_status_name qv_status_sqlstate qv_error_clear
  qv_runtime_new qv_runtime_free qv_runtime_register_table qv_profile_new qv_profile_set
  qv_profile_add_configurator qv_profile_allow_statements qv_profile_free qv_session_new
  qv_session_identity qv_session_set qv_session_get qv_session_register_table qv_session_sql
  qv_session_free qv_table_new qv_table_free
  qv_file_options_init qv_csv_table qv_ndjson_table"
for symbol in $required; do
  grep -qx "$symbol" <<<"$exported" || { echo "missing public symbol $symbol"; echo "0 passed, 1 failed"; exit 1; }
done
echo "1 passed, 0 failed"
