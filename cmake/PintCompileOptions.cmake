# Warnings and sanitizers for pint's own targets (never forced on dependencies).
add_library(pint_compile_options INTERFACE)
target_compile_options(pint_compile_options INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wshadow -Wno-unknown-pragmas>)
if(PINT_WARNINGS_AS_ERRORS)
  target_compile_options(pint_compile_options INTERFACE -Werror)
endif()
if(PINT_ENABLE_SANITIZERS)
  # -fno-sanitize-recover makes the first UBSan report fail the test instead of printing and going on.
  target_compile_options(pint_compile_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(pint_compile_options INTERFACE -fsanitize=address,undefined)
endif()

# Applies pint's options to one of its targets without exporting them to consumers.
function(pint_target_defaults tgt)
  target_link_libraries(${tgt} PRIVATE $<BUILD_INTERFACE:pint_compile_options>)
endfunction()

# pint's libraries are static: built with sanitizers, whatever links them needs the sanitizer
# runtimes, an outside project using the installed package included. So the link flag travels with
# pint::spaces (every other target depends on it).
set(PINT_SANITIZER_LINK_FLAGS "")
if(PINT_ENABLE_SANITIZERS)
  set(PINT_SANITIZER_LINK_FLAGS -fsanitize=address,undefined)
endif()
