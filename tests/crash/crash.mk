# make check-crash: crash consistency of the store (tests/crash/crash.c).
# CRASH_RUNS commands (default 1000) are killed at a random moment; every
# definition must stay whole and the next command must leave no debris.
# CRASH_SEED=N repeats a choice of commands.

CRASH_RUNS ?= 1000

$(B)/tests/crash: tests/crash/crash.c tests/spawn.h $(STLIB) | $(B)/tests
	$(CC) $(TEST_CFLAGS) -Itests -o $@ $< $(STLIB) $(TEST_LIBS)

check-crash: all $(B)/tests/crash
	CRASH_RUNS=$(CRASH_RUNS) $(B)/tests/crash $(XLVCPU)
