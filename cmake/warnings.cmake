# Warnings (as errors unless DIFF_EVENTS_WERROR=OFF) and optional sanitizers.
function(diff_events_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  if(DIFF_EVENTS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(DIFF_EVENTS_SANITIZE OR DIFF_EVENTS_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

# Coverage instrumentation for libFuzzer in every target (the library too), linked only by the
# fuzz targets themselves.
if(DIFF_EVENTS_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
