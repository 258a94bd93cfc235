# Installation: the static and shared libraries, the public headers, the
# provider static libraries (for running a provider in-process), a CMake
# package and a pkg-config file. The tool and the plugins install themselves
# (tool/, reconcile_plugin_executable).
#
#   find_package(reconcile) gives
#     reconcile::reconcile       the static library (the whole C++ API)
#     reconcile::shared          libreconcile.so (C ABI and C++ API)
#     reconcile::provider_aws    in-process providers, with reconcile/providers/*.h;
#     reconcile::provider_random they link the static library
#     reconcile::provider_local
#   pkg-config reconcile          libreconcile.so (--static: libreconcile.a)
include(CMakePackageConfigHelpers)

set(RECONCILE_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/reconcile)

install(TARGETS reconcile reconcile_shared EXPORT reconcileTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libreconcile/include/reconcile
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

foreach(provider aws random local)
  set(target reconcile_provider_${provider})
  set_target_properties(${target} PROPERTIES EXPORT_NAME provider_${provider})
  # Installed, a provider library brings the static library it is built on.
  target_link_libraries(${target} INTERFACE $<INSTALL_INTERFACE:reconcile::reconcile>)
  install(TARGETS ${target} EXPORT reconcileTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
endforeach()

install(EXPORT reconcileTargets NAMESPACE reconcile:: DESTINATION ${RECONCILE_PACKAGE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/reconcileConfig.cmake.in
  ${PROJECT_BINARY_DIR}/reconcileConfig.cmake
  INSTALL_DESTINATION ${RECONCILE_PACKAGE_DIR}
  PATH_VARS CMAKE_INSTALL_LIBEXECDIR CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/reconcileConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/reconcileConfig.cmake ${PROJECT_BINARY_DIR}/reconcileConfigVersion.cmake
  DESTINATION ${RECONCILE_PACKAGE_DIR})

# pkg-config: relocatable (the prefix is found from the .pc file's place), so
# `cmake --install --prefix DIR` gives a working file wherever DIR is.
file(RELATIVE_PATH RECONCILE_PC_TO_PREFIX
  ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" RECONCILE_PC_TO_PREFIX "${RECONCILE_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/reconcile.pc.in ${PROJECT_BINARY_DIR}/reconcile.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/reconcile.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
