# make check-concurrency: 16 processes x 100 vcpu-set / vcpu-pin commands
# at once on the simulated host, in every scope, then the lock log
# (XLVCPU_LOCK_LOG) replayed serially must give the same state
# (tests/concurrency/concurrency.c).  CONC_PROCS, CONC_OPS, CONC_SEED and
# CONC_TIMEOUT (seconds, for the deadlock watchdog) change the run.

$(B)/tests/concurrency: tests/concurrency/concurrency.c tests/spawn.h $(STLIB) | $(B)/tests
	$(CC) $(TEST_CFLAGS) -Itests -o $@ $< $(STLIB) $(TEST_LIBS)

check-concurrency: all $(B)/tests/concurrency
	$(B)/tests/concurrency $(XLVCPU)
