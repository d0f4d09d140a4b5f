# golden.cmake: run sipladder on one capture and compare with the expected
# file byte for byte; print diff -u on mismatch. The exit status is part of
# the output: it is appended as a last line "exit N", so exit codes are
# pinned too. Captures are named relative to sample-pcaps/; "-" means no
# capture argument (usage tests).
#
# Every run has a database of its own, made afresh: $SIPLADDER_DB is
# ${OUTDIR}/db/NAME.db, so no test touches the user's default database,
# and "@DB" in the options is that path. Capture "db:a,b" reads those
# captures into it first (`sipladder read`, one run each, from
# sample-pcaps/) and passes no capture argument; "sqlite:F" makes it with
# the sqlite3 program from tests/store/F (a file sipladder must refuse),
# and skips the test without sqlite3 (SQLITE3 empty).
set(db ${OUTDIR}/db/${NAME}.db)
file(MAKE_DIRECTORY ${OUTDIR}/db)
file(REMOVE ${db} ${db}-wal ${db}-shm ${db}-journal)
string(REPLACE "@DB" "${db}" ARGS "${ARGS}")
if(CAPTURE MATCHES "^db:")
  string(SUBSTRING "${CAPTURE}" 3 -1 pre)
  string(REPLACE "," ";" pre "${pre}")
  foreach(c ${pre})
    execute_process(COMMAND ${BIN} read -q --db ${db} ${c}
      WORKING_DIRECTORY ${SRCDIR}/sample-pcaps
      RESULT_VARIABLE prc OUTPUT_QUIET ERROR_VARIABLE perr)
    if(NOT prc EQUAL 0)
      message(FATAL_ERROR "golden: reading ${c} into ${db} failed (exit ${prc}):\n${perr}")
    endif()
  endforeach()
  set(CAPTURE "-")
elseif(CAPTURE MATCHES "^sqlite:")
  if(NOT SQLITE3)
    message("golden: skipped: no sqlite3 program to make the database")
    return()
  endif()
  string(SUBSTRING "${CAPTURE}" 7 -1 sqlfile)
  execute_process(COMMAND ${SQLITE3} ${db} INPUT_FILE ${SRCDIR}/tests/store/${sqlfile}
    RESULT_VARIABLE prc ERROR_VARIABLE perr)
  if(NOT prc EQUAL 0)
    message(FATAL_ERROR "golden: sqlite3 ${db} < ${sqlfile} failed:\n${perr}")
  endif()
  set(CAPTURE "-")
endif()
separate_arguments(args UNIX_COMMAND "${ARGS}")
set(cmd ${BIN})
list(GET args 0 sub)
list(REMOVE_AT args 0)
list(APPEND cmd ${sub})
set(input_args "")
if(CAPTURE MATCHES "^<")
  # "<file": the capture comes on stdin and the command line says "-"
  string(SUBSTRING "${CAPTURE}" 1 -1 stdin_cap)
  set(input_args INPUT_FILE ${SRCDIR}/sample-pcaps/${stdin_cap})
elseif(NOT CAPTURE STREQUAL "-")
  string(REPLACE "," ";" caps "${CAPTURE}")
  foreach(c ${caps})
    list(APPEND cmd ${SRCDIR}/sample-pcaps/${c})
  endforeach()
endif()
list(APPEND cmd ${args})
file(MAKE_DIRECTORY ${OUTDIR})
get_filename_component(ename ${EXPECTED} NAME)
set(out ${OUTDIR}/${ename})
execute_process(COMMAND ${CMAKE_COMMAND} -E env TZ=UTC COLUMNS=120 LC_ALL=C
  SIPLADDER_DB=${db} ${cmd}
  WORKING_DIRECTORY ${SRCDIR}/sample-pcaps
  ${input_args}
  OUTPUT_VARIABLE so ERROR_VARIABLE se RESULT_VARIABLE rc)
# Paths in messages (and in what read prints) would differ between
# checkouts and build trees.
foreach(v so se)
  string(REPLACE "${SRCDIR}/sample-pcaps/" "" ${v} "${${v}}")
  string(REPLACE "${OUTDIR}/" "" ${v} "${${v}}")
endforeach()
file(WRITE ${out} "${so}${se}exit ${rc}\n")
if(DEFINED ENV{SL_UPDATE_GOLDEN})
  # tests/update-golden.sh: accept the new output (review the git diff!)
  file(COPY_FILE ${out} ${EXPECTED})
endif()
execute_process(COMMAND diff -u ${EXPECTED} ${out} RESULT_VARIABLE drc
  OUTPUT_VARIABLE dout)
if(NOT drc EQUAL 0)
  message("${dout}")
  message(FATAL_ERROR "golden mismatch: ${EXPECTED}\n(update with tests/update-golden.sh)")
endif()
