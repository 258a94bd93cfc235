# Included through CMAKE_PROJECT_INCLUDE by run.sh: adds the fuzz targets
# once the top-level CMakeLists has defined the library areas, unless the
# project already added tests/fuzz itself.
function(reconcile_add_fuzz_targets)
  if(RECONCILE_FUZZ AND NOT TARGET stack_fuzzer)
    include(${CMAKE_SOURCE_DIR}/tests/fuzz/CMakeLists.txt)
  endif()
endfunction()
if(CMAKE_CURRENT_SOURCE_DIR STREQUAL CMAKE_SOURCE_DIR)
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL reconcile_add_fuzz_targets)
endif()
