# cmake -DPROGRAM=... -DARGS="help --man" -DOUT=... -P generate.cmake
# Writes what PROGRAM ARGS prints to OUT: how the build makes the man page and
# the completion scripts from the built tool itself.
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND "${PROGRAM}" ${args} OUTPUT_FILE "${OUT}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  file(REMOVE "${OUT}")
  message(FATAL_ERROR "${PROGRAM} ${ARGS} failed (${result})")
endif()
