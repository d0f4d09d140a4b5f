# golden.cmake: run sipladder on one capture and compare with the expected
# file byte for byte; print diff -u on mismatch. The exit status is part of
# the output: it is appended as a last line "exit N", so exit codes are
# pinned too. Captures are named relative to sample-pcaps/; "-" means no
# capture argument (usage tests).
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
execute_process(COMMAND ${CMAKE_COMMAND} -E env TZ=UTC COLUMNS=120 LC_ALL=C ${cmd}
  WORKING_DIRECTORY ${SRCDIR}/sample-pcaps
  ${input_args}
  OUTPUT_VARIABLE so ERROR_VARIABLE se RESULT_VARIABLE rc)
# Paths in error messages would differ between checkouts.
string(REPLACE "${SRCDIR}/sample-pcaps/" "" se "${se}")
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
