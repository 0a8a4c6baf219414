# symgraph: build and test. `make test` is the test command (README, .ci/run).
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    = -std=c99 -Wall -Wextra -Wpedantic
SAN     = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDLIBS  = -lm
NVCC    ?= nvcc

TESTS    = test_graph test_json test_infer test_gemm
EXAMPLES = quickstart inference
BUILD    = build

.PHONY: all test test-asan unit-asan compile-check demo cuda bench clean

all: $(TESTS:%=$(BUILD)/tests/%) $(EXAMPLES:%=$(BUILD)/examples/%)

$(BUILD)/tests/%: tests/%.c symgraph.h tests/sg_test.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -o $@ $< $(LDLIBS)

$(BUILD)/asan/%: tests/%.c symgraph.h tests/sg_test.h
	@mkdir -p $(dir $@)
	$(CC) -O1 -g $(WARN) $(SAN) -o $@ $< $(LDLIBS)

$(BUILD)/examples/%: examples/%.c symgraph.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -I. -o $@ $< $(LDLIBS)

# Every test program prints "name: N passed, N failed"; tests/summary.sh adds them up.
test: $(TESTS:%=$(BUILD)/tests/%) $(EXAMPLES:%=$(BUILD)/examples/%)
	@sh tests/run_all.sh $(BUILD)/tests tests/compile_check.sh $(TESTS) -- $(BUILD)/examples $(EXAMPLES)

unit-asan: $(TESTS:%=$(BUILD)/asan/%)
	@sh tests/run_all.sh $(BUILD)/asan $(TESTS) --

compile-check:
	@sh tests/compile_check.sh

test-asan: unit-asan

# Until the Fashion-MNIST job lands (issue 6), the demo loads every real MXNet
# model in ../shared/interop and infers its shapes.
demo: $(BUILD)/examples/inference
	$(BUILD)/examples/inference

# GEMM benchmark against OpenBLAS (apt-get install libopenblas-dev; linked into
# the benchmark only). Not a test: run bench/gemm [--quick]; see bench/RESULTS.md.
BENCH_CFLAGS  ?= -O3 -march=native
BENCH_THREADS ?= -DSYMGRAPH_PTHREADS -pthread
bench: bench/gemm

bench/gemm: bench/gemm.c symgraph.h
	$(CC) $(BENCH_CFLAGS) $(BENCH_THREADS) -std=c99 -o $@ bench/gemm.c -lopenblas -lm

cuda: symgraph_cuda.cu symgraph.h
	@mkdir -p $(BUILD)
	$(NVCC) -O2 -c symgraph_cuda.cu -o $(BUILD)/symgraph_cuda.o

clean:
	rm -rf $(BUILD)
