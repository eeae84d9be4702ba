# install() rules and the exported package, so an outside project can find_package(pint).
include(CMakePackageConfigHelpers)
set(PINT_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/pint)

set(_pint_targets pint pint_spaces pint_core pint_models pint_io pint_compile_options)
if(TARGET pint_torch_bridge)
  list(APPEND _pint_targets pint_torch_bridge pint_learned)
endif()
install(TARGETS ${_pint_targets} EXPORT pintTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT pintTargets NAMESPACE pint:: DESTINATION ${PINT_INSTALL_CMAKEDIR})
foreach(dir spaces core models io)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pint/${dir}
          FILES_MATCHING PATTERN "*.hpp" PATTERN "figures" EXCLUDE)
endforeach()

set(PINT_WITH_TORCH ${PINT_ENABLE_TORCH})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/pintConfig.cmake.in
  ${PROJECT_BINARY_DIR}/pintConfig.cmake INSTALL_DESTINATION ${PINT_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/pintConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/pintConfig.cmake ${PROJECT_BINARY_DIR}/pintConfigVersion.cmake
  DESTINATION ${PINT_INSTALL_CMAKEDIR})
