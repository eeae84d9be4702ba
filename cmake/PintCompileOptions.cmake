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
