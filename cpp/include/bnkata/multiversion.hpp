// multiversion.hpp — BNKATA_MULTIVERSION: compile a hot loop for the baseline and for AVX2.
//
// On x86-64 with GCC the marked function is compiled twice — for the baseline instruction set and for
// AVX2 — and the loader picks the one the CPU supports (function multiversioning). Results are identical:
// AVX2 only widens independent per-position lanes, it reorders no sum (and no FMA is enabled).
// Elsewhere (Clang, Emscripten) the macro is empty.
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define BNKATA_MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define BNKATA_MULTIVERSION
#endif
