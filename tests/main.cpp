// doctest's main, and nothing else: each topic's tests live in their own file.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
