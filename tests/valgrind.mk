# make check-valgrind: the unit test binaries, golden, and the tests/cli
# and tests/hostile suites with xlvcpu under valgrind; a memory error or a
# definite or indirect leak fails (tests/valgrind.sh).  VALGRIND_SUITES
# adds suites, e.g. VALGRIND_SUITES="scopes inject" (scopes: ~25 min).

VALGRIND_SUITES ?=

check-valgrind:
	@./.ci/deps valgrind
	@$(MAKE) --no-print-directory tests
	@VALGRIND_SUITES="$(VALGRIND_SUITES)" sh tests/valgrind.sh $(B)
