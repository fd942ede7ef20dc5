# simdjson's on-demand API is compiled into our code (header-inlined), so its SIMD kernel is
# chosen at compile time from the target flags: with the x86-64 baseline (SSE2) it falls back to
# the scalar kernel, several times slower. Target haswell (AVX2, x86-64-v3) when the build
# machine has it — the binary is meant to run where it is built, like most of our users' tools.
option(DIFF_EVENTS_SIMD "Compile for the build machine's AVX2 (x86-64-v3) when present" ON)
set(DIFF_EVENTS_ARCH_FLAGS "")
if(DIFF_EVENTS_SIMD AND CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64" AND EXISTS /proc/cpuinfo)
  file(READ /proc/cpuinfo _cpuinfo)
  if(_cpuinfo MATCHES " avx2 " AND _cpuinfo MATCHES " bmi2 " AND _cpuinfo MATCHES " pclmulqdq ")
    set(DIFF_EVENTS_ARCH_FLAGS -march=haswell)
  elseif(_cpuinfo MATCHES " sse4_2 " AND _cpuinfo MATCHES " pclmulqdq ")
    set(DIFF_EVENTS_ARCH_FLAGS -march=westmere)
  endif()
endif()
message(STATUS "diff_events SIMD target flags: ${DIFF_EVENTS_ARCH_FLAGS}")
add_compile_options(${DIFF_EVENTS_ARCH_FLAGS})
