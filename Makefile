# symgraph: build and test. `make test` is the test command (README, .ci/run).
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    = -std=c99 -Wall -Wextra -Wpedantic
SAN     = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDLIBS  = -lm
NVCC    ?= nvcc

TESTS    = test_graph test_json test_infer test_gemm test_params test_ops_tensor test_ops_nn test_ops_rnn test_executor test_train test_fuzz test_alloc
EXAMPLES = quickstart inference seed_compose seed_group seed_attributes seed_serialization seed_bind_execute \
           seed_simple_bind seed_gradients seed_aux_states seed_variable_sharing seed_weight_tying seed_type_cast
BUILD    = build

.PHONY: all test test-asan unit-asan compile-check demo demo-cnn models cuda bench clean cli-asan docs-images

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

# The main job's program needs zlib (Debian: zlib1g-dev) for the gzip'd IDX files.
$(BUILD)/examples/fashion_mnist: examples/fashion_mnist.c symgraph.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(WARN) -I. -o $@ $< -lz $(LDLIBS)

# The command-line tool (tools/symgraph.c): built in place as tools/symgraph.
# examples/embedded_model.c includes a header that the tool generates (embed).
CLI_CFLAGS = -I. -pthread
EXAMPLES += embedded_model
all: tools/symgraph $(BUILD)/examples/embedded_model
tools/symgraph: tools/symgraph.c symgraph.h
	$(CC) $(CFLAGS) $(WARN) $(CLI_CFLAGS) -o $@ $< $(LDLIBS)
$(BUILD)/gen/fcmlp_model.h: tools/symgraph tests/data/cli/fcmlp-symbol.json tests/data/cli/fcmlp-0000.params
	@mkdir -p $(dir $@)
	tools/symgraph embed tests/data/cli/fcmlp-symbol.json --params tests/data/cli/fcmlp-0000.params --name fcmlp -o $@
$(BUILD)/examples/embedded_model: examples/embedded_model.c symgraph.h $(BUILD)/gen/fcmlp_model.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -I. -I$(BUILD)/gen -o $@ $< $(LDLIBS)
$(BUILD)/asan/symgraph: tools/symgraph.c symgraph.h
	@mkdir -p $(dir $@)
	$(CC) -O1 -g $(WARN) $(SAN) $(CLI_CFLAGS) -o $@ $< $(LDLIBS)
# The CLI tests under AddressSanitizer + UBSan (bad files, wrong shapes, corrupt .npy).
cli-asan: $(BUILD)/asan/symgraph
	@SYMGRAPH_BIN=$(BUILD)/asan/symgraph sh tests/test_cli.sh
test-asan: cli-asan
# README pictures of the seed graphs (needs Graphviz: apt-get install graphviz).
docs-images: tools/symgraph
	tools/symgraph render tests/data/cli/abcd-symbol.json --shape A=2,3 --shape B=2,3 --shape C=2,3 --shape D=2,3 --node-attr fixedsize=false -o docs/abcd.png
	tools/symgraph render tests/data/cli/mlp-symbol.json --shape data=64,784 --node-attr fixedsize=false -o docs/mlp.png
	tools/symgraph render tests/data/cli/lenet-symbol.json --shape data=64,1,28,28 --node-attr fixedsize=false -o docs/lenet.png

# test_gemm and test_ops_nn (the batch-parallel Convolution, the range-parallel
# Activation, Pooling and BatchNorm) again with two
# real threads: the internal pool (SYMGRAPH_PTHREADS) and OpenMP (the default
# build is single-threaded).
THREAD_TESTS = test_gemm_pool test_gemm_omp test_ops_nn_pool test_ops_nn_omp
$(BUILD)/tests/%_pool: tests/%.c symgraph.h tests/sg_test.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -DSYMGRAPH_PTHREADS -pthread -o $@ $< $(LDLIBS)
$(BUILD)/tests/%_omp: tests/%.c symgraph.h tests/sg_test.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -fopenmp -o $@ $< $(LDLIBS)
$(BUILD)/asan/%_pool: tests/%.c symgraph.h tests/sg_test.h
	@mkdir -p $(dir $@)
	$(CC) -O1 -g $(WARN) $(SAN) -DSYMGRAPH_PTHREADS -pthread -o $@ $< $(LDLIBS)

# Every test program prints "name: N passed, N failed"; tests/run_all.sh adds them up.
test: $(TESTS:%=$(BUILD)/tests/%) $(THREAD_TESTS:%=$(BUILD)/tests/%) $(EXAMPLES:%=$(BUILD)/examples/%) $(BUILD)/examples/fashion_mnist tools/symgraph
	@sh tests/run_all.sh $(BUILD)/tests tests/compile_check.sh $(TESTS) $(THREAD_TESTS) tests/fashion_smoke.sh tests/test_cli.sh -- $(BUILD)/examples $(EXAMPLES)

unit-asan: $(TESTS:%=$(BUILD)/asan/%) $(BUILD)/asan/test_gemm_pool $(BUILD)/asan/test_ops_nn_pool
	@sh tests/run_all.sh $(BUILD)/asan $(TESTS) test_gemm_pool test_ops_nn_pool --

compile-check:
	@sh tests/compile_check.sh

test-asan: unit-asan

# The main job: train the MLP on Fashion-MNIST (installs Debian's dataset package
# when it is missing and we are root; otherwise prints the command to run).
DATASET = /usr/share/datasets/fashion-mnist
demo: $(BUILD)/examples/fashion_mnist
	@sh tools/ensure_dataset.sh $(DATASET)
	cd $(BUILD) && ./examples/fashion_mnist --model mlp

demo-cnn: $(BUILD)/examples/fashion_mnist
	@sh tools/ensure_dataset.sh $(DATASET)
	cd $(BUILD) && ./examples/fashion_mnist --model cnn --epochs 10 --prefix fashion_mnist_cnn --svg fashion_mnist_cnn_curve.svg

# Shape inference on every real MXNet model in ../shared/interop.
models: $(BUILD)/examples/inference
	$(BUILD)/examples/inference

# GEMM benchmark against OpenBLAS (apt-get install libopenblas-dev; linked into
# the benchmark only). Not a test: run bench/gemm [--quick]; see bench/RESULTS.md.
BENCH_CFLAGS  ?= -O3 -march=native
BENCH_THREADS ?= -DSYMGRAPH_PTHREADS -pthread
bench: bench/gemm bench/conv

bench/gemm: bench/gemm.c bench/bench_common.h symgraph.h
	$(CC) $(BENCH_CFLAGS) $(BENCH_THREADS) -std=c99 -o $@ bench/gemm.c -lopenblas -lm

# Convolution forward/backward (LeNet conv1/conv2, a ResNet-18 3x3 layer) against
# im2col + OpenBLAS sgemm: bench/conv [--quick].
bench/conv: bench/conv.c bench/bench_common.h symgraph.h
	$(CC) $(BENCH_CFLAGS) $(BENCH_THREADS) -std=c99 -o $@ bench/conv.c -lopenblas -lm

# The CUDA companion (needs nvcc and the CUDA Toolkit; cuBLAS links with -lcublas).
# `make cuda` compiles it; `make cuda-test` builds tests/test_cuda.c with the host
# compiler, links it with nvcc and runs it (it skips, exit 0, with no GPU).
NVCCFLAGS = -O2 -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90
.PHONY: cuda-test
cuda: $(BUILD)/symgraph_cuda.o
$(BUILD)/symgraph_cuda.o: symgraph_cuda.cu symgraph.h
	@mkdir -p $(BUILD)
	$(NVCC) $(NVCCFLAGS) -c symgraph_cuda.cu -o $@
$(BUILD)/test_cuda.o: tests/test_cuda.c symgraph.h tests/sg_test.h
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $(WARN) -I. -c tests/test_cuda.c -o $@
$(BUILD)/tests/test_cuda: $(BUILD)/test_cuda.o $(BUILD)/symgraph_cuda.o
	@mkdir -p $(dir $@)
	$(NVCC) $(BUILD)/test_cuda.o $(BUILD)/symgraph_cuda.o -lcublas -lz -lm -o $@
cuda-test: $(BUILD)/tests/test_cuda
	$(BUILD)/tests/test_cuda
# The Fashion-MNIST program with GPU support (--gpu).
$(BUILD)/examples/fashion_mnist_cuda: examples/fashion_mnist.c symgraph.h $(BUILD)/symgraph_cuda.o
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(WARN) -I. -DSYMGRAPH_CUDA -c examples/fashion_mnist.c -o $(BUILD)/fashion_mnist_cuda.o
	$(NVCC) $(BUILD)/fashion_mnist_cuda.o $(BUILD)/symgraph_cuda.o -lcublas -lz -lm -o $@

clean:
	rm -rf $(BUILD) tools/symgraph
