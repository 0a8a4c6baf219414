#!/usr/bin/env python3
"""MXNet's side of bench/conv: mx.sym.Convolution (NCHW float32, with bias) on the
same layers, bound with simple_bind on the CPU (grad_req write). Forward is
forward(is_train=True); backward is backward(head gradient) alone after one
forward. ms per call, medians of 7 samples (each sample >= 20 ms of back-to-back
calls, ending with wait_to_read on the results, so MXNet's engine and Python
overhead are included, as a MXNet user gets them). The output and the three
gradients are checked against numpy (im2col in float64) first.

    OMP_NUM_THREADS=1 /work/mxvenv/bin/python bench/conv_mxnet.py [--quick]
    OMP_NUM_THREADS=2 /work/mxvenv/bin/python bench/conv_mxnet.py [--quick]

--quick uses bench/conv --quick's batch sizes (ResNet layer: 8 instead of 32).
The thread count is MXNet's: OMP_NUM_THREADS (set before the import) for its
operators and its bundled OpenBLAS. Prints one line per layer:
    mxnet layer=lenet2 batch=64 threads=1 fwd_ms=4.10 bwd_ms=9.80
"""
import os
import sys
import time

import numpy as np
import mxnet as mx

# name, batch, quick batch, C, H, W, filters, kernel, stride, pad (as bench/conv.c)
LAYERS = [("lenet1", 64, 64, 1, 28, 28, 20, 5, 1, 0),
          ("lenet2", 64, 64, 20, 12, 12, 50, 5, 1, 0),
          ("resnet3x3", 32, 8, 64, 56, 56, 64, 3, 1, 1)]


def reference(x, w, b, dy, k, s, p):
    """Output and data / weight / bias gradients in float64 by im2col."""
    n, c, h, wd = x.shape
    f = w.shape[0]
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    ho, wo = (h + 2 * p - k) // s + 1, (wd + 2 * p - k) // s + 1
    col = np.empty((n, c, k, k, ho, wo))
    for i in range(k):
        for j in range(k):
            col[:, :, i, j] = xp[:, :, i:i + s * ho:s, j:j + s * wo:s]
    col = col.reshape(n, c * k * k, ho * wo)
    wm = w.reshape(f, -1)
    dym = dy.reshape(n, f, ho * wo)
    y = np.matmul(wm, col).reshape(n, f, ho, wo) + b[None, :, None, None]
    dw = np.matmul(dym, col.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)
    dcol = np.matmul(wm.T, dym).reshape(n, c, k, k, ho, wo)
    dxp = np.zeros_like(xp)
    for i in range(k):
        for j in range(k):
            dxp[:, :, i:i + s * ho:s, j:j + s * wo:s] += dcol[:, :, i, j]
    dx = dxp[:, :, p:p + h, p:p + wd]
    return y, dx, dw, dym.sum(axis=(0, 2))


def median_ms(fn, sync):
    t0 = time.perf_counter()
    fn()
    sync()
    one = max(time.perf_counter() - t0, 1e-6)
    iters = max(1, int(0.02 / one))
    samples = []
    for _ in range(7):
        fn()
        sync()  # warm-up
        t0 = time.perf_counter()
        for _ in range(iters):
            fn()
        sync()
        samples.append((time.perf_counter() - t0) / iters * 1e3)
    samples.sort()
    return samples[3]


def main():
    quick = "--quick" in sys.argv[1:]
    threads = os.environ.get("OMP_NUM_THREADS", "?")
    feats = [k for k in ("BLAS_OPEN", "BLAS_MKL", "MKLDNN", "OPENMP") if mx.runtime.Features().is_enabled(k)]
    print("# MXNet %s (%s), mx.sym.Convolution simple_bind, OMP_NUM_THREADS=%s, %s batches" %
          (mx.__version__, " ".join(feats), threads, "quick" if quick else "full"))
    rng = np.random.default_rng(1)
    for name, nb, nq, c, h, wd, f, k, s, p in LAYERS:
        n = nq if quick else nb
        sym = mx.sym.Convolution(mx.sym.Variable("data"), kernel=(k, k), num_filter=f, stride=(s, s), pad=(p, p),
                                 no_bias=False, name="conv")
        ex = sym.simple_bind(mx.cpu(), grad_req="write", data=(n, c, h, wd))
        x = rng.uniform(-1, 1, (n, c, h, wd)).astype(np.float32)
        w = rng.uniform(-1, 1, ex.arg_dict["conv_weight"].shape).astype(np.float32)
        b = rng.uniform(-1, 1, (f,)).astype(np.float32)
        ex.arg_dict["data"][:] = x
        ex.arg_dict["conv_weight"][:] = w
        ex.arg_dict["conv_bias"][:] = b
        dy_np = rng.uniform(-1, 1, ex.outputs[0].shape).astype(np.float32)
        dy = mx.nd.array(dy_np)
        ex.forward(is_train=True)
        ex.backward(dy)
        got = [ex.outputs[0].asnumpy(), ex.grad_dict["data"].asnumpy(), ex.grad_dict["conv_weight"].asnumpy(),
               ex.grad_dict["conv_bias"].asnumpy()]
        want = reference(*(a.astype(np.float64) for a in (x, w, b, dy_np)), k, s, p)
        mags = reference(*(np.abs(a).astype(np.float64) for a in (x, w, b, dy_np)), k, s, p)
        for what, g, r, m in zip(("output", "data gradient", "weight gradient", "bias gradient"), got, want, mags):
            err = float(np.max(np.abs(g - r) / np.maximum(m, 1e-30)))
            if not err < 1e-5:
                print("CHECK FAILED %s %s: relative error %g" % (name, what, err))
                sys.exit(1)

        def sync_fwd():
            ex.outputs[0].wait_to_read()

        def sync_bwd():
            for a in ex.grad_arrays:
                a.wait_to_read()

        fwd = median_ms(lambda: ex.forward(is_train=True), sync_fwd)
        ex.forward(is_train=True)
        bwd = median_ms(lambda: ex.backward(dy), sync_bwd)
        print("mxnet layer=%s batch=%d threads=%s fwd_ms=%.3f bwd_ms=%.3f" % (name, n, threads, fwd, bwd))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
