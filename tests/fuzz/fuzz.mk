# Fuzzing with libFuzzer (tests/fuzz/README.md).
#
#   make fuzz FUZZ_SECONDS=N   fuzz each target N seconds (default 60) on a
#                              scratch copy of its corpus, then report
#   make fuzz-regress          run the committed corpora and reproducers once
#   make fuzz-build            just build the targets
#
# The library is built again with clang into build-fuzz, its objects
# instrumented for the fuzzer and ASan+UBSan (by a make of its own, with
# B=build-fuzz, so the ordinary rules build it).

FUZZ_B := build-fuzz
FUZZ_TARGETS := cpuset domain_xml host_state xlcfg
FUZZ_SECONDS ?= 60
FUZZ_CC := clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz/%)

# Only asked for from the make below, where B is $(FUZZ_B).
$(FUZZ_B)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(STLIB) | $(FUZZ_B)/fuzz
	$(CC) $(BASE_CFLAGS) -fsanitize=fuzzer -o $@ $< $(STLIB) $(STLIB_LIBS)

$(FUZZ_B)/fuzz:
	mkdir -p $@

fuzz-bins: $(FUZZ_BINS)

fuzz-build:
	@$(MAKE) --no-print-directory B=$(FUZZ_B) CC=$(FUZZ_CC) \
	    CFLAGS="-O1 -g" SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    fuzz-bins

fuzz:
	@./.ci/deps clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory fuzz-build
	@tests/fuzz/run fuzz $(FUZZ_B) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-regress:
	@./.ci/deps clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory fuzz-build
	@tests/fuzz/run regress $(FUZZ_B) 0 $(FUZZ_TARGETS)
