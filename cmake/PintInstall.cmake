# install() rules and the exported package, so an outside project can find_package(pint).
include(CMakePackageConfigHelpers)
set(PINT_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/pint)

set(_pint_targets pint pint_spaces pint_core pint_models pint_config pint_io pint_compile_options)
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

# An installed pint runs for every user and from wherever the tree is moved: the Kokkos shared
# libraries it was built against (cmake/setup_dependencies.sh builds them in one user's ~/.cache,
# which other users cannot read) are installed with it into lib/pint, and the program and the
# learned module find them through run paths relative to themselves ($ORIGIN). A Kokkos in the
# system's library directories is used where it is and not copied.
option(PINT_INSTALL_KOKKOS_LIBS "Install the Kokkos shared libraries pint was built against into lib/pint" ON)
set(_pint_private_libdir ${CMAKE_INSTALL_LIBDIR}/pint)
file(RELATIVE_PATH _pint_bin_to_private ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR}/pint)
set_target_properties(pint_cli PROPERTIES INSTALL_RPATH "$ORIGIN/${_pint_bin_to_private}")
if(TARGET pint_learned_module)
  set_target_properties(pint_learned_module PROPERTIES INSTALL_RPATH "$ORIGIN")
endif()
if(PINT_INSTALL_KOKKOS_LIBS)
  set(_pint_kokkos_dirs "")
  foreach(_tgt Kokkos::kokkoscore Kokkos::kokkoskernels)
    if(TARGET ${_tgt})
      get_target_property(_type ${_tgt} TYPE)
      if(_type STREQUAL "SHARED_LIBRARY")
        get_target_property(_loc ${_tgt} LOCATION)
        get_filename_component(_dir "${_loc}" DIRECTORY)
        list(APPEND _pint_kokkos_dirs "${_dir}")
      endif()
    endif()
  endforeach()
  list(REMOVE_DUPLICATES _pint_kokkos_dirs)
  foreach(_dir IN LISTS _pint_kokkos_dirs)
    if(NOT _dir MATCHES "^(/usr)?/lib")
      # The files and their SONAME links (install(FILES) copies links as links).
      file(GLOB _libs "${_dir}/libkokkos*.so*")
      install(FILES ${_libs} DESTINATION ${_pint_private_libdir})
    endif()
  endforeach()
endif()
