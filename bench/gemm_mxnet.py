#!/usr/bin/env python3
"""MXNet's side of bench/gemm: mx.nd.dot (float32, row-major C = A B) on the same
shapes, GFLOP/s medians of 7 samples (each sample >= 20 ms of back-to-back calls,
ending with wait_to_read, so MXNet's engine and Python overhead are included, as
a MXNet user gets them). Each result is checked against numpy in float64 first.

    OMP_NUM_THREADS=1 /work/mxvenv/bin/python bench/gemm_mxnet.py
    OMP_NUM_THREADS=2 /work/mxvenv/bin/python bench/gemm_mxnet.py

The thread count is MXNet's: OMP_NUM_THREADS (set before the import) for its
operators and its bundled OpenBLAS. Prints one line per shape:
    mxnet M=64 K=784 N=128 threads=1 gflops=57.3
"""
import os
import sys
import time

import numpy as np
import mxnet as mx

SHAPES = [(64, 64, 64), (128, 128, 128), (256, 256, 256), (512, 512, 512), (1024, 1024, 1024),
          (2048, 2048, 2048), (64, 784, 128), (64, 128, 10), (256, 784, 256), (128, 800, 500),
          (4096, 500, 50), (50, 500, 4096)]


def main():
    threads = os.environ.get("OMP_NUM_THREADS", "?")
    feats = [k for k in ("BLAS_OPEN", "BLAS_MKL", "MKLDNN", "OPENMP") if mx.runtime.Features().is_enabled(k)]
    print("# MXNet %s (%s), mx.nd.dot, OMP_NUM_THREADS=%s" % (mx.__version__, " ".join(feats), threads))
    rng = np.random.default_rng(1)
    for m, k, n in SHAPES:
        a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
        ma, mb = mx.nd.array(a), mx.nd.array(b)
        c = mx.nd.dot(ma, mb).asnumpy()
        ref = a.astype(np.float64) @ b.astype(np.float64)
        mag = np.abs(a).astype(np.float64) @ np.abs(b).astype(np.float64)
        err = float(np.max(np.abs(c - ref) / np.maximum(mag, 1e-30)))
        if not err < 1e-5:
            print("CHECK FAILED %dx%dx%d: relative error %g" % (m, k, n, err))
            sys.exit(1)
        flop = 2.0 * m * n * k
        t0 = time.perf_counter()
        mx.nd.dot(ma, mb).wait_to_read()
        one = max(time.perf_counter() - t0, 1e-6)
        iters = max(1, int(0.02 / one))
        samples = []
        for _ in range(7):
            t0 = time.perf_counter()
            for _ in range(iters):
                out = mx.nd.dot(ma, mb)
            out.wait_to_read()
            samples.append(flop * iters / (time.perf_counter() - t0) * 1e-9)
        samples.sort()
        print("mxnet M=%d K=%d N=%d threads=%s gflops=%.1f" % (m, k, n, threads, samples[3]))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
