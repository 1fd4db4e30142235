# Parse-only conformance check of the SQL front end (src/sql): every record of
# the DataFusion sqllogictest corpus that DataFusion accepts must parse (at
# least 99.5 %), and every parsed tree must survive unparse -> parse.
# Included from tests/CMakeLists.txt; skipped with a message when the corpus
# is not checked out next to the source tree.
set(QV_DATAFUSION_SLT_DIR
    ${CMAKE_SOURCE_DIR}/../shared/conformance/datafusion/datafusion/sqllogictest/test_files)
if(EXISTS ${QV_DATAFUSION_SLT_DIR} AND TARGET quiver_slt)
  add_test(NAME slt_parse_conformance
           COMMAND quiver_slt --parse-only --min-rate 99.5 ${QV_DATAFUSION_SLT_DIR})
  add_test(NAME slt_round_trip_conformance
           COMMAND quiver_slt --round-trip --min-rate 99.5 ${QV_DATAFUSION_SLT_DIR})
  set_tests_properties(slt_parse_conformance slt_round_trip_conformance PROPERTIES TIMEOUT 600)
else()
  message(STATUS "DataFusion conformance corpus not found at ${QV_DATAFUSION_SLT_DIR}: "
                 "slt_parse_conformance skipped")
endif()
