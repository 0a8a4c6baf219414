/* symgraph_cuda.cu - the optional CUDA companion of symgraph.h (v0.1).
 *
 * WHAT IT DOES
 *   Registers an NVIDIA GPU as device type SG_GPU (2) with symgraph.h's device
 *   table (sg_register_device): device memory for NDArrays (sg_nd_zeros_dev,
 *   sg_nd_copy_to across devices, sg_nd_free), GPU kernels for the operators
 *   listed below, and the optimizer updates (sgd, sgd_mom, adam), so that
 *   sg_bind / sg_simple_bind / sg_forward / sg_backward and the training module
 *   (sg_module_opts.dev_type = SG_GPU) run on the GPU with the CPU's semantics
 *   (grad_req add, BatchNorm's moving statistics updated in backward, the same
 *   memory plan in one device arena).
 *
 *       #include "symgraph.h"
 *       int sg_cuda_register(void);   // SG_OK, or SG_ERR_UNSUPPORTED when there is
 *                                     // no CUDA device/driver (sg_last_error() has
 *                                     // CUDA's message); never aborts
 *       const char *sg_cuda_error(void);  // the last CUDA message
 *
 * BUILD (make cuda; the file is C++ for nvcc and includes symgraph.h without
 * SYMGRAPH_IMPLEMENTATION, so the implementation lives in one C file of yours):
 *   nvcc -O2 -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 \
 *        -c symgraph_cuda.cu -o build/symgraph_cuda.o
 *   link:  nvcc your_program.o build/symgraph_cuda.o -lcublas -o your_program
 *
 * GPU KERNELS (float32 and float64 unless noted)
 *   elemwise_add/_sub/_mul/_div (same shapes), Flatten, Reshape, expand_dims,
 *   FullyConnected (cuBLAS GEMM, CUBLAS_DEFAULT_MATH: TF32 off), Activation
 *   (relu, sigmoid, tanh, softrelu, softsign), relu, sigmoid, tanh,
 *   SoftmaxOutput (one block per row), Convolution (2-D, NCHW, any stride, pad,
 *   dilation and num_group; im2col + cuBLAS GEMM, float32 only), Pooling (2-D
 *   max / avg / sum, NCHW, valid and full conventions, global_pool), BatchNorm
 *   (block-parallel statistics; moving statistics updated in backward),
 *   Dropout (the mask drawn on the host from the executor's generator exactly
 *   as on the CPU, then copied; applied on the GPU).
 *   Every reduction (bias gradients, softmax rows, BatchNorm statistics) is a
 *   block-parallel tree reduction.
 *
 * NOT IMPLEMENTED (bind reports "operator X (op) has no GPU kernel"):
 *   broadcast_*, the scalar family, dot / batch_dot, softmax /
 *   log_softmax, LeakyReLU, the regression outputs, MakeLoss, Deconvolution,
 *   transpose, slicing, concat and the other tensor operators; float16.
 *   This version was compiled (nvcc 13, sm_80 + sm_90, no warnings) but has
 *   NEVER BEEN RUN ON A GPU: no GPU was available when it was written.
 */
#include "symgraph.h"
#include <cuda_runtime.h>
#include <cublas_v2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <float.h>
#include <limits.h>

#define SGC_NT 256

static char sgc_err[512];
static cublasHandle_t sgc_blas;
static int sgc_ready;

static int sgc_fail(const char *what, cudaError_t e) {
    snprintf(sgc_err, sizeof sgc_err, "CUDA: %s: %s", what, cudaGetErrorString(e));
    return e == cudaErrorMemoryAllocation ? SG_ERR_NOMEM : SG_ERR_UNSUPPORTED;
}
static int sgc_check(const char *what) {
    cudaError_t e = cudaGetLastError();
    return e == cudaSuccess ? SG_OK : sgc_fail(what, e);
}
static int sgc_blasck(const char *what, cublasStatus_t s) {
    if (s == CUBLAS_STATUS_SUCCESS) return SG_OK;
    snprintf(sgc_err, sizeof sgc_err, "cuBLAS: %s failed (status %d)", what, (int)s);
    return s == CUBLAS_STATUS_ALLOC_FAILED ? SG_ERR_NOMEM : SG_ERR_UNSUPPORTED;
}
/* A kernel-side failure: the message goes to the executor's error. */
static int sgc_kerr(sg__kctx *k, const sg__node *n, int st) {
    return st == SG_OK ? SG_OK : sg_kctx_error(k, n, st, sgc_err);
}
static unsigned sgc_blocks(int64_t n) {
    int64_t b = (n + SGC_NT - 1) / SGC_NT;
    if (b < 1) b = 1;
    if (b > 65535) b = 65535;
    return (unsigned)b;
}
#define SGC_LOOP(i, n) for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (int64_t)blockDim.x * gridDim.x)

static int sgc_param(const sg__node *n, const char *key, sg_kparam *p) {
    if (sg_knode_param(n, key, p) != SG_OK) { memset(p, 0, sizeof *p); return 0; }
    return 1;
}
static long long sgc_pi(const sg__node *n, const char *key) { sg_kparam p; sgc_param(n, key, &p); return p.i; }
static double sgc_pf(const sg__node *n, const char *key) { sg_kparam p; sgc_param(n, key, &p); return p.f; }
static const char *sgc_ps(const sg__node *n, const char *key) { sg_kparam p; sgc_param(n, key, &p); return p.s ? p.s : ""; }

static int sgc_dtype(sg__kctx *k, const sg__node *n, sg_ndarray *const *a, int cnt) {
    for (int i = 0; i < cnt; i++) {
        if (!a[i]) continue;
        if ((a[i]->dtype != SG_FLOAT32 && a[i]->dtype != SG_FLOAT64) || a[i]->dtype != a[0]->dtype)
            return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "the GPU kernels take float32 or float64 arrays of one dtype");
    }
    return SG_OK;
}

/* ---- block reductions (blockDim.x == SGC_NT) ---- */
template <typename A> __device__ A sgc_bsum(A v) {
    __shared__ A sh[SGC_NT];
    sh[threadIdx.x] = v;
    __syncthreads();
    for (int s = SGC_NT / 2; s > 0; s >>= 1) {
        if ((int)threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
        __syncthreads();
    }
    A r = sh[0];
    __syncthreads();
    return r;
}
template <typename A> __device__ A sgc_bmax(A v) {
    __shared__ A sh[SGC_NT];
    sh[threadIdx.x] = v;
    __syncthreads();
    for (int s = SGC_NT / 2; s > 0; s >>= 1) {
        if ((int)threadIdx.x < s && sh[threadIdx.x] < sh[threadIdx.x + s]) sh[threadIdx.x] = sh[threadIdx.x + s];
        __syncthreads();
    }
    A r = sh[0];
    __syncthreads();
    return r;
}

/* ---- generic elementwise helpers ---- */
template <typename T> __global__ void sgc_axpy_k(T *dst, const T *src, int64_t n, T a) { SGC_LOOP(i, n) dst[i] += a * src[i]; }
template <typename T> __global__ void sgc_put_k(T *dst, const T *src, int64_t n, int add) {
    SGC_LOOP(i, n) { if (add) dst[i] += src[i]; else dst[i] = src[i]; }
}
/* dst = src (or +=) on the device; same dtype. */
static int sgc_put(sg_ndarray *dst, const sg_ndarray *src, int add) {
    if (!dst->size) return SG_OK;
    if (!add) {
        if (dst->data == src->data) return SG_OK;
        cudaError_t e = cudaMemcpyAsync(dst->data, src->data, dst->nbytes, cudaMemcpyDeviceToDevice, 0);
        return e == cudaSuccess ? SG_OK : sgc_fail("copy", e);
    }
    if (dst->dtype == SG_FLOAT64) sgc_put_k<double><<<sgc_blocks(dst->size), SGC_NT>>>((double *)dst->data, (const double *)src->data, dst->size, 1);
    else sgc_put_k<float><<<sgc_blocks(dst->size), SGC_NT>>>((float *)dst->data, (const float *)src->data, dst->size, 1);
    return sgc_check("add");
}
static int sgc_zero_ig(sg_ndarray *const *ig, const int *req, int cnt) {
    for (int i = 0; i < cnt; i++)
        if (ig[i] && req[i] != SG_REQ_ADD && ig[i]->nbytes) {
            cudaError_t e = cudaMemsetAsync(ig[i]->data, 0, ig[i]->nbytes, 0);
            if (e != cudaSuccess) return sgc_fail("memset", e);
        }
    return SG_OK;
}

/* ---- GEMM: row-major C = alpha op(A) op(B) + beta C through column-major cuBLAS ---- */
static int sgc_gemm(int dtype, int ta, int tb, int64_t M, int64_t N, int64_t K, double alpha, const void *A, int64_t lda,
                    const void *B, int64_t ldb, double beta, void *C, int64_t ldc) {
    cublasOperation_t oa = ta ? CUBLAS_OP_T : CUBLAS_OP_N, ob = tb ? CUBLAS_OP_T : CUBLAS_OP_N;
    if (M <= 0 || N <= 0) return SG_OK;
    if (K <= 0) { /* C = beta C */
        if (beta != 0) return SG_OK; /* beta 1 only in our callers */
        cudaError_t e = cudaMemset2DAsync(C, (size_t)ldc * (dtype == SG_FLOAT64 ? 8 : 4), 0, (size_t)N * (dtype == SG_FLOAT64 ? 8 : 4), (size_t)M, 0);
        return e == cudaSuccess ? SG_OK : sgc_fail("memset", e);
    }
    if (dtype == SG_FLOAT64) {
        double a = alpha, b = beta;
        return sgc_blasck("cublasDgemm", cublasDgemm(sgc_blas, ob, oa, (int)N, (int)M, (int)K, &a, (const double *)B, (int)ldb,
                                                     (const double *)A, (int)lda, &b, (double *)C, (int)ldc));
    }
    float a = (float)alpha, b = (float)beta;
    return sgc_blasck("cublasSgemm", cublasSgemm(sgc_blas, ob, oa, (int)N, (int)M, (int)K, &a, (const float *)B, (int)ldb,
                                                 (const float *)A, (int)lda, &b, (float *)C, (int)ldc));
}

/* ======================================================= elementwise binary ==== */
enum { SGC_ADD, SGC_SUB, SGC_MUL, SGC_DIV };
static int sgc_binop(const sg__node *n) {
    const char *o = sg_knode_op(n);
    if (!strcmp(o, "elemwise_add")) return SGC_ADD;
    if (!strcmp(o, "elemwise_sub")) return SGC_SUB;
    if (!strcmp(o, "elemwise_mul")) return SGC_MUL;
    return SGC_DIV;
}
template <typename T> __global__ void sgc_ebin_k(int op, const T *a, const T *b, T *y, int64_t n) {
    SGC_LOOP(i, n) {
        T x = a[i], z = b[i];
        y[i] = op == SGC_ADD ? x + z : op == SGC_SUB ? x - z : op == SGC_MUL ? x * z : x / z;
    }
}
template <typename T> __global__ void sgc_ebin_bwd_k(int op, const T *g, const T *a, const T *b, T *ga, int adda, T *gb, int addb, int64_t n) {
    SGC_LOOP(i, n) {
        T gv = g[i], da, db;
        switch (op) {
        case SGC_ADD: da = gv; db = gv; break;
        case SGC_SUB: da = gv; db = -gv; break;
        case SGC_MUL: da = gv * b[i]; db = gv * a[i]; break;
        default: da = gv / b[i]; db = -gv * a[i] / (b[i] * b[i]); break;
        }
        if (ga) { if (adda) ga[i] += da; else ga[i] = da; }
        if (gb) { if (addb) gb[i] += db; else gb[i] = db; }
    }
}
static int sgc_ebin_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *a[3] = {in[0], in[1], out[0]};
    int st = sgc_dtype(k, n, a, 3), op = sgc_binop(n);
    if (st) return st;
    if (!out[0]->size) return SG_OK;
    if (out[0]->dtype == SG_FLOAT64)
        sgc_ebin_k<double><<<sgc_blocks(out[0]->size), SGC_NT>>>(op, (const double *)in[0]->data, (const double *)in[1]->data, (double *)out[0]->data, out[0]->size);
    else
        sgc_ebin_k<float><<<sgc_blocks(out[0]->size), SGC_NT>>>(op, (const float *)in[0]->data, (const float *)in[1]->data, (float *)out[0]->data, out[0]->size);
    return sgc_kerr(k, n, sgc_check("elemwise kernel"));
}
static int sgc_ebin_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                        sg_ndarray *const *ig, const int *req) {
    sg_ndarray *a[5] = {in[0], in[1], og[0], ig[0], ig[1]};
    int op = sgc_binop(n), st;
    (void)out;
    if (!ig[0] && !ig[1]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 2));
    if ((st = sgc_dtype(k, n, a, 5))) return st;
    if (!in[0]->size) return SG_OK;
    if (in[0]->dtype == SG_FLOAT64)
        sgc_ebin_bwd_k<double><<<sgc_blocks(in[0]->size), SGC_NT>>>(op, (const double *)og[0]->data, (const double *)in[0]->data,
            (const double *)in[1]->data, ig[0] ? (double *)ig[0]->data : NULL, req[0] == SG_REQ_ADD, ig[1] ? (double *)ig[1]->data : NULL,
            req[1] == SG_REQ_ADD, in[0]->size);
    else
        sgc_ebin_bwd_k<float><<<sgc_blocks(in[0]->size), SGC_NT>>>(op, (const float *)og[0]->data, (const float *)in[0]->data,
            (const float *)in[1]->data, ig[0] ? (float *)ig[0]->data : NULL, req[0] == SG_REQ_ADD, ig[1] ? (float *)ig[1]->data : NULL,
            req[1] == SG_REQ_ADD, in[0]->size);
    return sgc_kerr(k, n, sgc_check("elemwise backward kernel"));
}

/* ======================================================= copies (Flatten ...) ==== */
static int sgc_copy_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    if (out[0]->dtype != in[0]->dtype) return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype mismatch");
    return sgc_kerr(k, n, sgc_put(out[0], in[0], 0));
}
static int sgc_copy_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                        sg_ndarray *const *ig, const int *req) {
    (void)in; (void)out;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    if (og[0]->dtype != ig[0]->dtype || (ig[0]->dtype != SG_FLOAT32 && ig[0]->dtype != SG_FLOAT64 && req[0] == SG_REQ_ADD))
        return sg_kctx_error(k, n, SG_ERR_TYPE, "the GPU copy backward takes float32 or float64 gradients of one dtype");
    return sgc_kerr(k, n, sgc_put(ig[0], og[0], req[0] == SG_REQ_ADD));
}

/* ======================================================= FullyConnected ==== */
static void sgc_fc_dims(const sg__node *n, const sg_ndarray *x, int64_t *rows, int64_t *in) {
    if (sgc_pi(n, "flatten")) { *rows = x->shape.ndim ? x->shape.dims[0] : 1; *in = *rows ? x->size / *rows : 0; }
    else { *in = x->shape.dims[x->shape.ndim - 1]; *rows = *in ? x->size / *in : 0; }
}
template <typename T> __global__ void sgc_rowbias_k(T *y, const T *b, int64_t rows, int64_t H) {
    SGC_LOOP(i, rows * H) y[i] += b[i % H];
}
/* db[j] (+)= sum_i g[i*H + j]: one block per column. */
template <typename T> __global__ void sgc_colsum_k(const T *g, T *db, int64_t rows, int64_t H, int add) {
    for (int64_t j = blockIdx.x; j < H; j += gridDim.x) {
        double s = 0;
        for (int64_t i = threadIdx.x; i < rows; i += blockDim.x) s += (double)g[i * H + j];
        s = sgc_bsum<double>(s);
        if (threadIdx.x == 0) { if (add) db[j] += (T)s; else db[j] = (T)s; }
    }
}
static int sgc_fc_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t rows, nin, H = sgc_pi(n, "num_hidden");
    int bias = !sgc_pi(n, "no_bias") && sg_knode_num_inputs(n) > 2, st;
    sg_ndarray *a[4] = {in[0], in[1], out[0], bias ? in[2] : NULL};
    if ((st = sgc_dtype(k, n, a, 4))) return st;
    sgc_fc_dims(n, in[0], &rows, &nin);
    if ((st = sgc_gemm(out[0]->dtype, 0, 1, rows, H, nin, 1.0, in[0]->data, nin, in[1]->data, nin, 0.0, out[0]->data, H)))
        return sgc_kerr(k, n, st);
    if (bias && rows * H > 0) {
        if (out[0]->dtype == SG_FLOAT64) sgc_rowbias_k<double><<<sgc_blocks(rows * H), SGC_NT>>>((double *)out[0]->data, (const double *)in[2]->data, rows, H);
        else sgc_rowbias_k<float><<<sgc_blocks(rows * H), SGC_NT>>>((float *)out[0]->data, (const float *)in[2]->data, rows, H);
        return sgc_kerr(k, n, sgc_check("FullyConnected bias"));
    }
    return SG_OK;
}
static int sgc_fc_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                      sg_ndarray *const *ig, const int *req) {
    int64_t rows, nin, H = sgc_pi(n, "num_hidden");
    int nb = sg_knode_num_inputs(n), st, dt;
    (void)out;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, nb));
    sg_ndarray *a[6] = {og[0], in[0], in[1], ig[0], ig[1], nb > 2 ? ig[2] : NULL};
    if ((st = sgc_dtype(k, n, a, 6))) return st;
    dt = og[0]->dtype;
    sgc_fc_dims(n, in[0], &rows, &nin);
    if (ig[0] && (st = sgc_gemm(dt, 0, 0, rows, nin, H, 1.0, og[0]->data, H, in[1]->data, nin, req[0] == SG_REQ_ADD ? 1.0 : 0.0, ig[0]->data, nin)))
        return sgc_kerr(k, n, st);
    if (ig[1] && (st = sgc_gemm(dt, 1, 0, H, nin, rows, 1.0, og[0]->data, H, in[0]->data, nin, req[1] == SG_REQ_ADD ? 1.0 : 0.0, ig[1]->data, nin)))
        return sgc_kerr(k, n, st);
    if (nb > 2 && ig[2] && H > 0) {
        unsigned g = (unsigned)(H < 65535 ? H : 65535);
        if (dt == SG_FLOAT64) sgc_colsum_k<double><<<g, SGC_NT>>>((const double *)og[0]->data, (double *)ig[2]->data, rows, H, req[2] == SG_REQ_ADD);
        else sgc_colsum_k<float><<<g, SGC_NT>>>((const float *)og[0]->data, (float *)ig[2]->data, rows, H, req[2] == SG_REQ_ADD);
        return sgc_kerr(k, n, sgc_check("FullyConnected bias gradient"));
    }
    return SG_OK;
}

/* ======================================================= activations ==== */
enum { SGC_RELU, SGC_SIGMOID, SGC_TANH, SGC_SOFTRELU, SGC_SOFTSIGN, SGC_NONE };
static int sgc_act_type(const sg__node *n) {
    const char *o = sg_knode_op(n), *t;
    if (!strcmp(o, "relu")) return SGC_RELU;
    if (!strcmp(o, "sigmoid")) return SGC_SIGMOID;
    if (!strcmp(o, "tanh")) return SGC_TANH;
    t = sgc_ps(n, "act_type");
    if (!strcmp(t, "relu")) return SGC_RELU;
    if (!strcmp(t, "sigmoid")) return SGC_SIGMOID;
    if (!strcmp(t, "tanh")) return SGC_TANH;
    if (!strcmp(t, "softrelu")) return SGC_SOFTRELU;
    if (!strcmp(t, "softsign")) return SGC_SOFTSIGN;
    return SGC_NONE;
}
template <typename T> __global__ void sgc_act_k(int t, const T *x, T *y, int64_t n) {
    SGC_LOOP(i, n) {
        T v = x[i];
        switch (t) {
        case SGC_RELU: y[i] = v > (T)0 ? v : (T)0; break;
        case SGC_SIGMOID: y[i] = (T)1 / ((T)1 + exp(-v)); break;
        case SGC_TANH: y[i] = tanh(v); break;
        case SGC_SOFTRELU: y[i] = v > (T)20 ? v : log1p(exp(v)); break;
        default: y[i] = v / ((T)1 + (v < 0 ? -v : v)); break;
        }
    }
}
template <typename T> __global__ void sgc_act_bwd_k(int t, const T *g, const T *x, const T *y, T *dx, int64_t n, int add) {
    SGC_LOOP(i, n) {
        T d, a;
        switch (t) {
        case SGC_RELU: d = y[i] > (T)0 ? (T)1 : (T)0; break;
        case SGC_SIGMOID: d = y[i] * ((T)1 - y[i]); break;
        case SGC_TANH: d = (T)1 - y[i] * y[i]; break;
        case SGC_SOFTRELU: d = -expm1(-y[i]); break;
        default: a = (T)1 + (x[i] < 0 ? -x[i] : x[i]); d = (T)1 / (a * a); break;
        }
        if (add) dx[i] += g[i] * d; else dx[i] = g[i] * d;
    }
}
static int sgc_act_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int t = sgc_act_type(n), st;
    sg_ndarray *a[2] = {in[0], out[0]};
    if (t == SGC_NONE) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "this act_type has no GPU kernel");
    if ((st = sgc_dtype(k, n, a, 2))) return st;
    if (!out[0]->size) return SG_OK;
    if (in[0]->dtype == SG_FLOAT64) sgc_act_k<double><<<sgc_blocks(out[0]->size), SGC_NT>>>(t, (const double *)in[0]->data, (double *)out[0]->data, out[0]->size);
    else sgc_act_k<float><<<sgc_blocks(out[0]->size), SGC_NT>>>(t, (const float *)in[0]->data, (float *)out[0]->data, out[0]->size);
    return sgc_kerr(k, n, sgc_check("activation kernel"));
}
static int sgc_act_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                       sg_ndarray *const *ig, const int *req) {
    int t = sgc_act_type(n), st;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    sg_ndarray *a[4] = {in[0], out[0], og[0], ig[0]};
    if (t == SGC_NONE) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "this act_type has no GPU kernel");
    if ((st = sgc_dtype(k, n, a, 4))) return st;
    if (!ig[0]->size) return SG_OK;
    if (in[0]->dtype == SG_FLOAT64)
        sgc_act_bwd_k<double><<<sgc_blocks(ig[0]->size), SGC_NT>>>(t, (const double *)og[0]->data, (const double *)in[0]->data,
                                                                   (const double *)out[0]->data, (double *)ig[0]->data, ig[0]->size, req[0] == SG_REQ_ADD);
    else
        sgc_act_bwd_k<float><<<sgc_blocks(ig[0]->size), SGC_NT>>>(t, (const float *)og[0]->data, (const float *)in[0]->data,
                                                                 (const float *)out[0]->data, (float *)ig[0]->data, ig[0]->size, req[0] == SG_REQ_ADD);
    return sgc_kerr(k, n, sgc_check("activation backward kernel"));
}

/* ======================================================= SoftmaxOutput ==== */
static void sgc_smo_dims(const sg__node *n, const sg_shape *d, int64_t *rows, int64_t *C, int64_t *inner) {
    int64_t size = 1, r = d->ndim > 0 ? d->dims[0] : 1;
    for (int i = 0; i < d->ndim; i++) size *= d->dims[i];
    *inner = 1;
    if (sgc_pi(n, "multi_output")) {
        *rows = r;
        *C = d->ndim > 1 ? d->dims[1] : 1;
        *inner = (r > 0 && *C > 0) ? size / r / *C : 0;
    } else if (sgc_pi(n, "preserve_shape")) {
        *C = d->ndim > 0 ? d->dims[d->ndim - 1] : 1;
        *rows = *C > 0 ? size / *C : 0;
    } else {
        *rows = r;
        *C = r > 0 ? size / r : 0;
    }
}
/* One block per (row, inner position): max, exp, sum as block reductions. */
template <typename T> __global__ void sgc_smax_k(const T *x, T *y, int64_t rows, int64_t C, int64_t inner) {
    for (int64_t b = blockIdx.x; b < rows * inner; b += gridDim.x) {
        int64_t r = b / inner, j = b % inner;
        const T *xp = x + r * C * inner + j;
        T *yp = y + r * C * inner + j;
        T mx = xp[0];
        for (int64_t c = threadIdx.x; c < C; c += blockDim.x) if (mx < xp[c * inner]) mx = xp[c * inner];
        mx = sgc_bmax<T>(mx);
        T s = 0;
        for (int64_t c = threadIdx.x; c < C; c += blockDim.x) { T e = exp(xp[c * inner] - mx); yp[c * inner] = e; s += e; }
        s = sgc_bsum<T>(s);
        for (int64_t c = threadIdx.x; c < C; c += blockDim.x) yp[c * inner] /= s;
    }
}
__device__ int sgc_ilabel(double v) { return (v > -2147483649.0 && v < 2147483648.0) ? (int)v : INT_MIN; }
/* valid-label count (block reduction) into *cnt */
template <typename T> __global__ void sgc_count_valid_k(const T *lab, int64_t n, int il, double *cnt) {
    double s = 0;
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) s += sgc_ilabel((double)lab[i]) != il ? 1.0 : 0.0;
    s = sgc_bsum<double>(s);
    if (threadIdx.x == 0) *cnt = s;
}
struct sgc_smo_p { double gs, alpha; int use_ig, multi, norm, ograd, il, add; int64_t rows, C, inner; };
template <typename T> __global__ void sgc_smo_bwd_k(sgc_smo_p p, const T *y, const T *lab, T *dx, const double *cnt) {
    double valid = 1, scale;
    if (p.norm == 0) valid = (double)p.rows;
    else if (p.norm == 2) { valid = *cnt; if (valid == 0) valid = 1; }
    scale = p.gs / (p.multi && p.norm != 2 ? (double)p.inner : 1.0) / valid;
    SGC_LOOP(i, p.rows * p.C * p.inner) {
        int64_t r = i / (p.C * p.inner), c = (i / p.inner) % p.C, j = i % p.inner;
        int kl = sgc_ilabel((double)lab[r * p.inner + j]), ignore = p.use_ig && kl == p.il;
        T yv = y[i], v;
        if (ignore) v = 0;
        else if (!p.multi && p.alpha != 0) v = c == kl ? yv - (T)1 + (T)p.alpha : yv - (T)(float)(p.alpha / (double)(p.C - 1));
        else v = c == kl ? yv - (T)1 : yv;
        v *= (T)scale;
        if (p.ograd) v *= yv;
        if (p.add) dx[i] += v; else dx[i] = v;
    }
}
template <typename T> __global__ void sgc_smo_prob_k(const T *y, const T *lab, T *dx, int64_t n, T gs, int ograd, int add) {
    SGC_LOOP(i, n) {
        T v = (y[i] - lab[i]) * gs;
        if (ograd) v *= y[i];
        if (add) dx[i] += v; else dx[i] = v;
    }
}
static size_t sgc_smo_ws(const sg__node *n, const sg_shape *in, const sg_shape *out) { (void)n; (void)in; (void)out; return 64; }
static int sgc_smo_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t rows, C, inner;
    sg_ndarray *a[2] = {in[0], out[0]};
    int st;
    if ((st = sgc_dtype(k, n, a, 2))) return st;
    sgc_smo_dims(n, &in[0]->shape, &rows, &C, &inner);
    if (rows * inner <= 0 || C <= 0) return SG_OK;
    unsigned g = (unsigned)(rows * inner < 65535 ? rows * inner : 65535);
    if (in[0]->dtype == SG_FLOAT64) sgc_smax_k<double><<<g, SGC_NT>>>((const double *)in[0]->data, (double *)out[0]->data, rows, C, inner);
    else sgc_smax_k<float><<<g, SGC_NT>>>((const float *)in[0]->data, (float *)out[0]->data, rows, C, inner);
    return sgc_kerr(k, n, sgc_check("softmax kernel"));
}
static int sgc_smo_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                       sg_ndarray *const *ig, const int *req) {
    int64_t rows, C, inner;
    int st, prob, dt;
    size_t wsb = 0;
    double *cnt = (double *)sg_kctx_workspace(k, &wsb);
    (void)og;
    if (!ig[0]) return SG_OK;
    if ((st = sgc_dtype(k, n, in, 2))) return st;
    dt = in[0]->dtype;
    sgc_smo_dims(n, &in[0]->shape, &rows, &C, &inner);
    prob = in[1]->shape.ndim == out[0]->shape.ndim && in[1]->size == out[0]->size;
    for (int i = 0; prob && i < in[1]->shape.ndim; i++) if (in[1]->shape.dims[i] != out[0]->shape.dims[i]) prob = 0;
    if (!prob && in[1]->size < rows * inner) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the label has too few elements");
    if (!out[0]->size) return SG_OK;
    if (prob) {
        double gs = sgc_pf(n, "grad_scale");
        int og2 = (int)sgc_pi(n, "out_grad");
        if (dt == SG_FLOAT64) sgc_smo_prob_k<double><<<sgc_blocks(out[0]->size), SGC_NT>>>((const double *)out[0]->data, (const double *)in[1]->data, (double *)ig[0]->data, out[0]->size, gs, og2, req[0] == SG_REQ_ADD);
        else sgc_smo_prob_k<float><<<sgc_blocks(out[0]->size), SGC_NT>>>((const float *)out[0]->data, (const float *)in[1]->data, (float *)ig[0]->data, out[0]->size, (float)gs, og2, req[0] == SG_REQ_ADD);
        return sgc_kerr(k, n, sgc_check("SoftmaxOutput backward"));
    }
    sgc_smo_p p;
    const char *norm = sgc_ps(n, "normalization");
    double ilv = sgc_pf(n, "ignore_label");
    p.gs = sgc_pf(n, "grad_scale");
    p.alpha = sgc_pf(n, "smooth_alpha");
    p.use_ig = (int)sgc_pi(n, "use_ignore");
    p.multi = (int)sgc_pi(n, "multi_output");
    p.norm = !strcmp(norm, "batch") ? 0 : !strcmp(norm, "valid") ? 2 : 1;
    p.ograd = (int)sgc_pi(n, "out_grad");
    p.il = (ilv > -2147483649.0 && ilv < 2147483648.0) ? (int)ilv : INT_MIN;
    p.add = req[0] == SG_REQ_ADD;
    p.rows = rows; p.C = C; p.inner = inner;
    if (!cnt || wsb < sizeof(double)) return sg_kctx_error(k, n, SG_ERR_ARG, "no workspace");
    if (p.norm == 2) {
        if (dt == SG_FLOAT64) sgc_count_valid_k<double><<<1, SGC_NT>>>((const double *)in[1]->data, rows * inner, p.il, cnt);
        else sgc_count_valid_k<float><<<1, SGC_NT>>>((const float *)in[1]->data, rows * inner, p.il, cnt);
    }
    if (dt == SG_FLOAT64) sgc_smo_bwd_k<double><<<sgc_blocks(out[0]->size), SGC_NT>>>(p, (const double *)out[0]->data, (const double *)in[1]->data, (double *)ig[0]->data, cnt);
    else sgc_smo_bwd_k<float><<<sgc_blocks(out[0]->size), SGC_NT>>>(p, (const float *)out[0]->data, (const float *)in[1]->data, (float *)ig[0]->data, cnt);
    return sgc_kerr(k, n, sgc_check("SoftmaxOutput backward"));
}

/* ======================================================= BatchNorm ==== */
static void sgc_bn_dims(const sg__node *n, const sg_shape *d, int64_t *outer, int64_t *C, int64_t *inner) {
    int ax = (int)sgc_pi(n, "axis");
    if (ax < 0) ax += d->ndim;
    if (ax < 0 || ax >= d->ndim) ax = d->ndim > 1 ? 1 : 0;
    *outer = 1; *inner = 1;
    for (int i = 0; i < ax; i++) *outer *= d->dims[i];
    for (int i = ax + 1; i < d->ndim; i++) *inner *= d->dims[i];
    *C = d->ndim > 0 ? d->dims[ax] : 1;
}
/* One block per channel: mean and biased variance (two passes, double), then y. */
template <typename T> __global__ void sgc_bn_fwd_k(const T *x, T *gamma, const T *beta, const T *mm, const T *mv, T *y, T *mean, T *var,
                                                   int64_t outer, int64_t C, int64_t inner, int train, int fix, double eps) {
    int64_t m = outer * inner;
    for (int64_t c = blockIdx.x; c < C; c += gridDim.x) {
        double mu, inv, w, b = (double)beta[c];
        if (train) {
            double s = 0, vs = 0;
            for (int64_t t = threadIdx.x; t < m; t += blockDim.x) s += (double)x[((t / inner) * C + c) * inner + t % inner];
            s = sgc_bsum<double>(s);
            mu = m > 0 ? s / (double)m : 0;
            for (int64_t t = threadIdx.x; t < m; t += blockDim.x) {
                double d = (double)x[((t / inner) * C + c) * inner + t % inner] - mu;
                vs += d * d;
            }
            vs = sgc_bsum<double>(vs);
            inv = 1.0 / sqrt((m > 0 ? vs / (double)m : 0) + eps);
        } else {
            mu = (double)mm[c];
            inv = 1.0 / sqrt((double)mv[c] + eps);
        }
        w = fix ? 1.0 : (double)gamma[c];
        __syncthreads();
        if (threadIdx.x == 0) {
            if (fix) gamma[c] = (T)1;
            mean[c] = (T)mu;
            var[c] = (T)inv;
        }
        for (int64_t t = threadIdx.x; t < m; t += blockDim.x) {
            int64_t idx = ((t / inner) * C + c) * inner + t % inner;
            y[idx] = (T)(((double)x[idx] - mu) * inv * w + b);
        }
    }
}
template <typename T> __global__ void sgc_bn_bwd_k(const T *g, const T *x, const T *gamma, const T *mean, const T *var, T *mm, T *mv,
                                                   T *dx, int dxadd, T *dg, int dgadd, T *db, int dbadd, int64_t outer, int64_t C,
                                                   int64_t inner, int train, int fix, double eps, double mom) {
    int64_t m = outer * inner;
    for (int64_t c = blockIdx.x; c < C; c += gridDim.x) {
        double mu, inv, w = fix ? 1.0 : (double)gamma[c], sg = 0, dot = 0;
        if (train) {
            mu = (double)mean[c];
            inv = (double)var[c];
        } else {
            mu = (double)mm[c];
            inv = 1.0 / sqrt((double)mv[c] + eps);
        }
        if (g) {
            for (int64_t t = threadIdx.x; t < m; t += blockDim.x) {
                int64_t idx = ((t / inner) * C + c) * inner + t % inner;
                sg += (double)g[idx];
                dot += ((double)x[idx] - mu) * (double)g[idx];
            }
        }
        sg = sgc_bsum<double>(sg);
        dot = sgc_bsum<double>(dot);
        if (dx) {
            double kk = (train && m > 0) ? dot * inv * inv / (double)m : 0, gm = (train && m > 0) ? sg / (double)m : 0, iw = inv * w;
            for (int64_t t = threadIdx.x; t < m; t += blockDim.x) {
                int64_t idx = ((t / inner) * C + c) * inner + t % inner;
                double gv = g ? (double)g[idx] : 0.0;
                T v = (T)(train ? (gv - gm - ((double)x[idx] - mu) * kk) * iw : gv * iw);
                if (dxadd) dx[idx] += v; else dx[idx] = v;
            }
        }
        if (threadIdx.x == 0) {
            if (train) { /* the moving statistics, as the CPU: updated here, in training only */
                mm[c] = (T)((double)mm[c] * mom + mu * (1.0 - mom));
                mv[c] = (T)((double)mv[c] * mom + (1.0 / (inv * inv) - eps) * (1.0 - mom));
            }
            if (dg) { T v = (T)(fix ? 0.0 : dot * inv); if (dgadd) dg[c] += v; else dg[c] = v; }
            if (db) { if (dbadd) db[c] += (T)sg; else db[c] = (T)sg; }
        }
        __syncthreads();
    }
}
static int sgc_bn_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t outer, C, inner;
    int st, train = sg_kctx_is_train(k) && !sgc_pi(n, "use_global_stats"), fix = (int)sgc_pi(n, "fix_gamma");
    double eps = sgc_pf(n, "eps");
    if ((st = sgc_dtype(k, n, in, 5))) return st;
    sgc_bn_dims(n, &in[0]->shape, &outer, &C, &inner);
    if (C <= 0) return SG_OK;
    unsigned g = (unsigned)(C < 65535 ? C : 65535);
    if (in[0]->dtype == SG_FLOAT64)
        sgc_bn_fwd_k<double><<<g, SGC_NT>>>((const double *)in[0]->data, (double *)in[1]->data, (const double *)in[2]->data,
                                           (const double *)in[3]->data, (const double *)in[4]->data, (double *)out[0]->data,
                                           (double *)out[1]->data, (double *)out[2]->data, outer, C, inner, train, fix, eps);
    else
        sgc_bn_fwd_k<float><<<g, SGC_NT>>>((const float *)in[0]->data, (float *)in[1]->data, (const float *)in[2]->data,
                                          (const float *)in[3]->data, (const float *)in[4]->data, (float *)out[0]->data,
                                          (float *)out[1]->data, (float *)out[2]->data, outer, C, inner, train, fix, eps);
    return sgc_kerr(k, n, sgc_check("BatchNorm kernel"));
}
static int sgc_bn_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                      sg_ndarray *const *ig, const int *req) {
    int64_t outer, C, inner;
    int st, train = sg_kctx_is_train(k) && !sgc_pi(n, "use_global_stats"), fix = (int)sgc_pi(n, "fix_gamma");
    double eps = sgc_pf(n, "eps"), mom = sgc_pf(n, "momentum");
    if ((st = sgc_dtype(k, n, in, 5))) return st;
    sgc_bn_dims(n, &in[0]->shape, &outer, &C, &inner);
    if (C <= 0) return SG_OK;
    unsigned g = (unsigned)(C < 65535 ? C : 65535);
    if (in[0]->dtype == SG_FLOAT64)
        sgc_bn_bwd_k<double><<<g, SGC_NT>>>(og[0] ? (const double *)og[0]->data : NULL, (const double *)in[0]->data,
            (const double *)in[1]->data, (const double *)out[1]->data, (const double *)out[2]->data, (double *)in[3]->data,
            (double *)in[4]->data, ig[0] ? (double *)ig[0]->data : NULL, req[0] == SG_REQ_ADD, ig[1] ? (double *)ig[1]->data : NULL,
            req[1] == SG_REQ_ADD, ig[2] ? (double *)ig[2]->data : NULL, req[2] == SG_REQ_ADD, outer, C, inner, train, fix, eps, mom);
    else
        sgc_bn_bwd_k<float><<<g, SGC_NT>>>(og[0] ? (const float *)og[0]->data : NULL, (const float *)in[0]->data,
            (const float *)in[1]->data, (const float *)out[1]->data, (const float *)out[2]->data, (float *)in[3]->data,
            (float *)in[4]->data, ig[0] ? (float *)ig[0]->data : NULL, req[0] == SG_REQ_ADD, ig[1] ? (float *)ig[1]->data : NULL,
            req[1] == SG_REQ_ADD, ig[2] ? (float *)ig[2]->data : NULL, req[2] == SG_REQ_ADD, outer, C, inner, train, fix, eps, mom);
    return sgc_kerr(k, n, sgc_check("BatchNorm backward kernel"));
}

/* ======================================================= Convolution (2-D) ==== */
struct sgc_conv {
    int64_t N, C, H, W, F, OH, OW, kh, kw, sh, sw, ph, pw, dh, dw, G;
};
static int sgc_conv_geom(const sg__node *n, const sg_shape *x, const sg_shape *y, sgc_conv *c) {
    sg_kparam kp, sp, pp, dp;
    sgc_param(n, "kernel", &kp); sgc_param(n, "stride", &sp); sgc_param(n, "pad", &pp); sgc_param(n, "dilate", &dp);
    if (kp.ndim != 2 || x->ndim != 4 || y->ndim != 4) return 0;
    const char *lay = sgc_ps(n, "layout");
    if (lay[0] && strcmp(lay, "NCHW") && strcmp(lay, "None")) return 0;
    c->N = x->dims[0]; c->C = x->dims[1]; c->H = x->dims[2]; c->W = x->dims[3];
    c->F = y->dims[1]; c->OH = y->dims[2]; c->OW = y->dims[3];
    c->kh = kp.t[0]; c->kw = kp.t[1];
    c->sh = sp.ndim >= 2 ? sp.t[0] : 1; c->sw = sp.ndim >= 2 ? sp.t[1] : 1;
    c->ph = pp.ndim >= 2 ? pp.t[0] : 0; c->pw = pp.ndim >= 2 ? pp.t[1] : 0;
    c->dh = dp.ndim >= 2 ? dp.t[0] : 1; c->dw = dp.ndim >= 2 ? dp.t[1] : 1;
    c->G = sgc_pi(n, "num_group");
    if (c->G < 1) c->G = 1;
    return 1;
}
/* col[(ci*kh + i)*kw + j][oh*OW + ow] = x[ci][oh*sh - ph + i*dh][ow*sw - pw + j*dw] (0 outside) */
__global__ void sgc_im2col_k(const float *x, float *col, sgc_conv c, int64_t Cg) {
    int64_t ohw = c.OH * c.OW;
    SGC_LOOP(t, Cg * c.kh * c.kw * ohw) {
        int64_t p = t % ohw, r = t / ohw, j = r % c.kw, i = (r / c.kw) % c.kh, ci = r / (c.kw * c.kh);
        int64_t oh = p / c.OW, ow = p % c.OW, h = oh * c.sh - c.ph + i * c.dh, w = ow * c.sw - c.pw + j * c.dw;
        col[t] = (h >= 0 && h < c.H && w >= 0 && w < c.W) ? x[(ci * c.H + h) * c.W + w] : 0.0f;
    }
}
/* dx[ci][h][w] (+)= sum of the col entries that read it (one thread per input element: no atomics) */
__global__ void sgc_col2im_k(const float *col, float *dx, sgc_conv c, int64_t Cg, int add) {
    int64_t ohw = c.OH * c.OW;
    SGC_LOOP(t, Cg * c.H * c.W) {
        int64_t w = t % c.W, h = (t / c.W) % c.H, ci = t / (c.W * c.H);
        float s = 0;
        for (int64_t i = 0; i < c.kh; i++) {
            int64_t hh = h + c.ph - i * c.dh;
            if (hh < 0 || hh % c.sh) continue;
            int64_t oh = hh / c.sh;
            if (oh >= c.OH) continue;
            for (int64_t j = 0; j < c.kw; j++) {
                int64_t ww = w + c.pw - j * c.dw;
                if (ww < 0 || ww % c.sw) continue;
                int64_t ow = ww / c.sw;
                if (ow >= c.OW) continue;
                s += col[((ci * c.kh + i) * c.kw + j) * ohw + oh * c.OW + ow];
            }
        }
        if (add) dx[t] += s; else dx[t] = s;
    }
}
__global__ void sgc_chbias_k(float *y, const float *b, int64_t N, int64_t F, int64_t HW) {
    SGC_LOOP(i, N * F * HW) y[i] += b[(i / HW) % F];
}
/* db[f] (+)= sum over n, hw of g[n][f][hw]: one block per channel. */
__global__ void sgc_chsum_k(const float *g, float *db, int64_t N, int64_t F, int64_t HW, int add) {
    for (int64_t f = blockIdx.x; f < F; f += gridDim.x) {
        double s = 0;
        for (int64_t t = threadIdx.x; t < N * HW; t += blockDim.x) s += (double)g[((t / HW) * F + f) * HW + t % HW];
        s = sgc_bsum<double>(s);
        if (threadIdx.x == 0) { if (add) db[f] += (float)s; else db[f] = (float)s; }
    }
}
static size_t sgc_conv_ws(const sg__node *n, const sg_shape *in, const sg_shape *out) {
    sgc_conv c;
    if (!sgc_conv_geom(n, &in[0], &out[0], &c)) return 0;
    return (size_t)(c.C / c.G) * (size_t)(c.kh * c.kw) * (size_t)(c.OH * c.OW) * sizeof(float);
}
static int sgc_conv_prep(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, const sg_ndarray *y, sgc_conv *c, float **col) {
    size_t wsb = 0;
    if (!sgc_conv_geom(n, &in[0]->shape, &y->shape, c))
        return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "the GPU Convolution is 2-D NCHW only");
    if (in[0]->dtype != SG_FLOAT32 || in[1]->dtype != SG_FLOAT32)
        return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "the GPU Convolution is float32 only");
    *col = (float *)sg_kctx_workspace(k, &wsb);
    if (wsb < sgc_conv_ws(n, &in[0]->shape, &y->shape) || (!*col && wsb))
        return sg_kctx_error(k, n, SG_ERR_ARG, "the workspace is too small");
    return SG_OK;
}
static int sgc_conv_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sgc_conv c;
    float *col;
    int st, bias = !sgc_pi(n, "no_bias") && sg_knode_num_inputs(n) > 2;
    if ((st = sgc_conv_prep(k, n, in, out[0], &c, &col))) return st;
    int64_t Cg = c.C / c.G, Fg = c.F / c.G, K = Cg * c.kh * c.kw, P = c.OH * c.OW;
    const float *x = (const float *)in[0]->data, *w = (const float *)in[1]->data;
    float *y = (float *)out[0]->data;
    if (!out[0]->size) return SG_OK;
    for (int64_t b = 0; b < c.N; b++)
        for (int64_t g = 0; g < c.G; g++) {
            sgc_im2col_k<<<sgc_blocks(K * P), SGC_NT>>>(x + (b * c.C + g * Cg) * c.H * c.W, col, c, Cg);
            if ((st = sgc_check("im2col"))) return sgc_kerr(k, n, st);
            /* y[b][g*Fg ..][P] = W_g (Fg x K) * col (K x P) */
            if ((st = sgc_gemm(SG_FLOAT32, 0, 0, Fg, P, K, 1.0, w + g * Fg * K, K, col, P, 0.0, y + (b * c.F + g * Fg) * P, P)))
                return sgc_kerr(k, n, st);
        }
    if (bias) {
        sgc_chbias_k<<<sgc_blocks(out[0]->size), SGC_NT>>>(y, (const float *)in[2]->data, c.N, c.F, P);
        return sgc_kerr(k, n, sgc_check("Convolution bias"));
    }
    return SG_OK;
}
static int sgc_conv_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                        sg_ndarray *const *ig, const int *req) {
    sgc_conv c;
    float *col;
    int nb = sg_knode_num_inputs(n), st;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, nb));
    if ((st = sgc_conv_prep(k, n, in, out[0], &c, &col))) return st;
    int64_t Cg = c.C / c.G, Fg = c.F / c.G, K = Cg * c.kh * c.kw, P = c.OH * c.OW;
    const float *x = (const float *)in[0]->data, *w = (const float *)in[1]->data, *gy = (const float *)og[0]->data;
    /* dW: sum over the batch of gy_g (Fg x P) * col^T (P x K); beta 0 for the first image under write */
    if (ig[1]) {
        float *dw = (float *)ig[1]->data;
        if (c.N == 0 && req[1] != SG_REQ_ADD && (st = sgc_zero_ig(ig + 1, req + 1, 1))) return sgc_kerr(k, n, st);
        for (int64_t b = 0; b < c.N; b++)
            for (int64_t g = 0; g < c.G; g++) {
                sgc_im2col_k<<<sgc_blocks(K * P), SGC_NT>>>(x + (b * c.C + g * Cg) * c.H * c.W, col, c, Cg);
                if ((st = sgc_check("im2col"))) return sgc_kerr(k, n, st);
                double beta = (b == 0 && req[1] != SG_REQ_ADD) ? 0.0 : 1.0;
                if ((st = sgc_gemm(SG_FLOAT32, 0, 1, Fg, K, P, 1.0, gy + (b * c.F + g * Fg) * P, P, col, P, beta, dw + g * Fg * K, K)))
                    return sgc_kerr(k, n, st);
            }
    }
    /* dX: col = W_g^T (K x Fg) * gy_g (Fg x P), then col2im */
    if (ig[0]) {
        float *dx = (float *)ig[0]->data;
        for (int64_t b = 0; b < c.N; b++)
            for (int64_t g = 0; g < c.G; g++) {
                if ((st = sgc_gemm(SG_FLOAT32, 1, 0, K, P, Fg, 1.0, w + g * Fg * K, K, gy + (b * c.F + g * Fg) * P, P, 0.0, col, P)))
                    return sgc_kerr(k, n, st);
                sgc_col2im_k<<<sgc_blocks(Cg * c.H * c.W), SGC_NT>>>(col, dx + (b * c.C + g * Cg) * c.H * c.W, c, Cg, req[0] == SG_REQ_ADD);
                if ((st = sgc_check("col2im"))) return sgc_kerr(k, n, st);
            }
    }
    if (nb > 2 && ig[2] && c.F > 0) {
        unsigned g = (unsigned)(c.F < 65535 ? c.F : 65535);
        sgc_chsum_k<<<g, SGC_NT>>>(gy, (float *)ig[2]->data, c.N, c.F, P, req[2] == SG_REQ_ADD);
        return sgc_kerr(k, n, sgc_check("Convolution bias gradient"));
    }
    return SG_OK;
}

/* ======================================================= Pooling ==== */
/* As the CPU kernels (MXNet's pool.h): 1-, 2- or 3-D NC* data viewed as three
 * spatial dims; one thread per output; backward scatters with atomicAdd. */
enum { SGC_PMAX, SGC_PAVG, SGC_PSUM, SGC_PLP };
struct sgc_plg { int64_t im[3], co[3], k[3], s[3], p[3], imL, coL; int type, cip, pv; };
static int sgc_plg_make(sg__kctx *k, const sg__node *n, const sg_shape *in, const sg_shape *out, sgc_plg *v) {
    sg_kparam kp, sp, pp, cp, pv;
    int nsp = in->ndim - 2, glob = (int)sgc_pi(n, "global_pool");
    const char *lay = sgc_ps(n, "layout"), *t = sgc_ps(n, "pool_type");
    sgc_param(n, "kernel", &kp); sgc_param(n, "stride", &sp); sgc_param(n, "pad", &pp);
    sgc_param(n, "count_include_pad", &cp); sgc_param(n, "p_value", &pv);
    if (lay[0] && lay[strlen(lay) - 1] == 'C' && strcmp(lay, "None"))
        return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "the GPU Pooling takes NCW, NCHW and NCDHW");
    if (nsp < 1 || nsp > 3 || (!glob && kp.ndim != nsp)) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the kernel does not fit the data");
    int off = 3 - nsp;
    for (int i = 0; i < 3; i++) { v->im[i] = v->co[i] = v->k[i] = v->s[i] = 1; v->p[i] = 0; }
    for (int i = 0; i < nsp; i++) {
        int j = off + i;
        v->im[j] = in->dims[2 + i];
        v->co[j] = out->dims[2 + i];
        if (glob) { v->k[j] = v->im[j]; continue; }
        v->k[j] = kp.t[i];
        v->s[j] = sp.ndim ? sp.t[i] : 1;
        v->p[j] = pp.ndim ? pp.t[i] : 0;
    }
    v->imL = v->im[0] * v->im[1] * v->im[2];
    v->coL = v->co[0] * v->co[1] * v->co[2];
    v->type = !strcmp(t, "avg") ? SGC_PAVG : !strcmp(t, "sum") ? SGC_PSUM : !strcmp(t, "lp") ? SGC_PLP : SGC_PMAX;
    v->cip = cp.none ? 1 : (int)cp.i;
    v->pv = 1;
    if (v->type == SGC_PLP) {
        if (pv.none || pv.i < 1 || pv.i > 3) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "lp pooling needs p_value 1, 2 or 3");
        v->pv = (int)pv.i;
    }
    return SG_OK;
}
__device__ void sgc_pool_win(const sgc_plg &v, int j, int64_t o, int64_t *a, int64_t *b, int64_t *ext) {
    int64_t st = o * v.s[j] - v.p[j], en = st + v.k[j];
    if (v.type == SGC_PMAX) {
        if (en > v.im[j]) en = v.im[j];
        if (st < 0) st = 0;
        *ext = en - st;
    } else {
        if (en > v.im[j] + v.p[j]) en = v.im[j] + v.p[j];
        *ext = en - st;
        if (st < 0) st = 0;
        if (en > v.im[j]) en = v.im[j];
        if (!v.cip) *ext = en - st;
    }
    *a = st;
    *b = en;
}
template <typename T> __device__ T sgc_lowest();
template <> __device__ float sgc_lowest<float>() { return -FLT_MAX; }
template <> __device__ double sgc_lowest<double>() { return -DBL_MAX; }
template <typename T> __global__ void sgc_pool_fwd_k(sgc_plg v, const T *x, T *y, int64_t planes) {
    SGC_LOOP(t, planes * v.coL) {
        int64_t pl = t / v.coL, r = t % v.coL, o2 = r % v.co[2], o1 = (r / v.co[2]) % v.co[1], o0 = r / (v.co[2] * v.co[1]);
        int64_t a[3], b[3], e[3];
        const T *xp = x + pl * v.imL;
        sgc_pool_win(v, 0, o0, &a[0], &b[0], &e[0]);
        sgc_pool_win(v, 1, o1, &a[1], &b[1], &e[1]);
        sgc_pool_win(v, 2, o2, &a[2], &b[2], &e[2]);
        if (v.type == SGC_PMAX) {
            T m = sgc_lowest<T>();
            for (int64_t i0 = a[0]; i0 < b[0]; i0++)
                for (int64_t i1 = a[1]; i1 < b[1]; i1++)
                    for (int64_t i2 = a[2]; i2 < b[2]; i2++) { T z = xp[(i0 * v.im[1] + i1) * v.im[2] + i2]; if (z > m) m = z; }
            y[t] = m;
        } else {
            T acc = 0;
            int64_t cnt = v.type == SGC_PAVG ? e[0] * e[1] * e[2] : 1;
            for (int64_t i0 = a[0]; i0 < b[0]; i0++)
                for (int64_t i1 = a[1]; i1 < b[1]; i1++)
                    for (int64_t i2 = a[2]; i2 < b[2]; i2++) {
                        T z = xp[(i0 * v.im[1] + i1) * v.im[2] + i2];
                        acc += v.pv == 1 ? z : v.pv == 2 ? z * z : z * z * z;
                    }
            if (cnt > 1) acc /= (T)cnt;
            y[t] = v.pv == 1 ? acc : v.pv == 2 ? (T)sqrt((double)acc) : (T)cbrt((double)acc);
        }
    }
}
template <typename T> __global__ void sgc_pool_bwd_k(sgc_plg v, const T *g, const T *x, const T *y, T *dx, int64_t planes) {
    SGC_LOOP(t, planes * v.coL) {
        int64_t pl = t / v.coL, r = t % v.coL, o2 = r % v.co[2], o1 = (r / v.co[2]) % v.co[1], o0 = r / (v.co[2] * v.co[1]);
        int64_t a[3], b[3], e[3];
        const T *xp = x + pl * v.imL;
        T *dp = dx + pl * v.imL;
        sgc_pool_win(v, 0, o0, &a[0], &b[0], &e[0]);
        sgc_pool_win(v, 1, o1, &a[1], &b[1], &e[1]);
        sgc_pool_win(v, 2, o2, &a[2], &b[2], &e[2]);
        if (v.type == SGC_PMAX) {
            int64_t at = -1;
            for (int64_t i0 = a[0]; i0 < b[0] && at < 0; i0++)
                for (int64_t i1 = a[1]; i1 < b[1] && at < 0; i1++) {
                    int64_t base = (i0 * v.im[1] + i1) * v.im[2];
                    for (int64_t i2 = a[2]; i2 < b[2]; i2++) if (xp[base + i2] == y[t]) { at = base + i2; break; }
                }
            if (at >= 0) atomicAdd(dp + at, g[t]);
        } else {
            int64_t cnt = v.type == SGC_PAVG ? e[0] * e[1] * e[2] : 1;
            T gv = cnt > 1 ? g[t] / (T)cnt : g[t], yv = y[t];
            for (int64_t i0 = a[0]; i0 < b[0]; i0++)
                for (int64_t i1 = a[1]; i1 < b[1]; i1++) {
                    int64_t base = (i0 * v.im[1] + i1) * v.im[2];
                    for (int64_t i2 = a[2]; i2 < b[2]; i2++) {
                        T z = xp[base + i2];
                        atomicAdd(dp + base + i2, v.pv == 1 ? gv : v.pv == 2 ? gv * z / yv : gv * z * z / (yv * yv));
                    }
                }
        }
    }
}
static int sgc_pool_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sgc_plg v;
    sg_ndarray *a[2] = {in[0], out[0]};
    int st;
    if ((st = sgc_dtype(k, n, a, 2)) || (st = sgc_plg_make(k, n, &in[0]->shape, &out[0]->shape, &v))) return st;
    int64_t planes = in[0]->shape.dims[0] * in[0]->shape.dims[1];
    if (!out[0]->size) return SG_OK;
    if (in[0]->dtype == SG_FLOAT64) sgc_pool_fwd_k<double><<<sgc_blocks(planes * v.coL), SGC_NT>>>(v, (const double *)in[0]->data, (double *)out[0]->data, planes);
    else sgc_pool_fwd_k<float><<<sgc_blocks(planes * v.coL), SGC_NT>>>(v, (const float *)in[0]->data, (float *)out[0]->data, planes);
    return sgc_kerr(k, n, sgc_check("Pooling kernel"));
}
static int sgc_pool_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                        sg_ndarray *const *ig, const int *req) {
    sgc_plg v;
    int st;
    if (!ig[0]) return SG_OK;
    if ((st = sgc_zero_ig(ig, req, 1))) return sgc_kerr(k, n, st); /* write: zeros, then scatter */
    if (!og[0]) return SG_OK;
    sg_ndarray *a[4] = {in[0], out[0], og[0], ig[0]};
    if ((st = sgc_dtype(k, n, a, 4)) || (st = sgc_plg_make(k, n, &in[0]->shape, &out[0]->shape, &v))) return st;
    int64_t planes = in[0]->shape.dims[0] * in[0]->shape.dims[1];
    if (!out[0]->size) return SG_OK;
    if (in[0]->dtype == SG_FLOAT64)
        sgc_pool_bwd_k<double><<<sgc_blocks(planes * v.coL), SGC_NT>>>(v, (const double *)og[0]->data, (const double *)in[0]->data,
                                                                       (const double *)out[0]->data, (double *)ig[0]->data, planes);
    else
        sgc_pool_bwd_k<float><<<sgc_blocks(planes * v.coL), SGC_NT>>>(v, (const float *)og[0]->data, (const float *)in[0]->data,
                                                                     (const float *)out[0]->data, (float *)ig[0]->data, planes);
    return sgc_kerr(k, n, sgc_check("Pooling backward kernel"));
}

/* ======================================================= Dropout ==== */
/* The mask is drawn on the host from the executor's generator exactly as the
 * CPU kernel draws it (one float uniform per mask element), copied to the mask
 * output, and applied on the GPU: CPU and GPU executors seeded alike drop the
 * same units. The host staging buffer grows once and is kept (host memory). */
static void *sgc_stage;
static size_t sgc_stage_bytes;
struct sgc_bshape { int ndim; int64_t d[SG_MAX_NDIM], m[SG_MAX_NDIM]; };
__device__ int64_t sgc_bcast_index(const sgc_bshape &b, int64_t i) {
    int64_t mi = 0, stride = 1;
    for (int a = b.ndim - 1; a >= 0; a--) {
        int64_t idx = i % b.d[a];
        i /= b.d[a];
        if (b.m[a] != 1) mi += idx * stride;
        stride *= b.m[a];
    }
    return mi;
}
template <typename T> __global__ void sgc_drop_k(const T *x, T *y, const T *mask, sgc_bshape b, int64_t n, int64_t nm) {
    SGC_LOOP(i, n) y[i] = x[i] * mask[nm == n ? i : sgc_bcast_index(b, i)];
}
template <typename T> __global__ void sgc_drop_bwd_k(const T *g, const T *mask, T *dx, sgc_bshape b, int64_t n, int64_t nm, int active, int add) {
    SGC_LOOP(i, n) {
        T v = active ? g[i] * mask[nm == n ? i : sgc_bcast_index(b, i)] : g[i];
        if (add) dx[i] += v; else dx[i] = v;
    }
}
template <typename T> __global__ void sgc_fill_k(T *y, int64_t n, T v) { SGC_LOOP(i, n) y[i] = v; }
static sgc_bshape sgc_bshape_of(const sg_shape *d, const sg_shape *m) {
    sgc_bshape b;
    memset(&b, 0, sizeof b);
    b.ndim = d->ndim;
    for (int a = 0; a < d->ndim; a++) { b.d[a] = d->dims[a]; b.m[a] = a < m->ndim ? m->dims[a] : 1; }
    return b;
}
static int sgc_drop_active(sg__kctx *k, const sg__node *n) { return sg_kctx_is_train(k) || !strcmp(sgc_ps(n, "mode"), "always"); }
static int sgc_drop_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *a[3] = {in[0], out[0], out[1]};
    int st, act = sgc_drop_active(k, n), dbl;
    double pkeep = 1.0 - sgc_pf(n, "p");
    int64_t nn = in[0]->size, nm = out[1]->size;
    if ((st = sgc_dtype(k, n, a, 3))) return st;
    dbl = in[0]->dtype == SG_FLOAT64;
    if (!act) {
        if ((st = sgc_put(out[0], in[0], 0))) return sgc_kerr(k, n, st);
        if (nm <= 0) return SG_OK;
        if (dbl) sgc_fill_k<double><<<sgc_blocks(nm), SGC_NT>>>((double *)out[1]->data, nm, 1.0);
        else sgc_fill_k<float><<<sgc_blocks(nm), SGC_NT>>>((float *)out[1]->data, nm, 1.0f);
        return sgc_kerr(k, n, sgc_check("Dropout mask"));
    }
    if (nm <= 0) return SG_OK;
    if (out[1]->nbytes > sgc_stage_bytes) {
        void *p = realloc(sgc_stage, out[1]->nbytes);
        if (!p) return sg_kctx_error(k, n, SG_ERR_NOMEM, "cannot allocate the host mask buffer");
        sgc_stage = p;
        sgc_stage_bytes = out[1]->nbytes;
    }
    sg_rng *r = sg_kctx_rng(k);
    for (int64_t i = 0; i < nm; i++) {
        float u = (float)(sg_rng_next(r) >> 40) * (1.0f / 16777216.0f);
        if (dbl) ((double *)sgc_stage)[i] = (double)u < pkeep ? (double)(1.0 / pkeep) : 0.0;
        else ((float *)sgc_stage)[i] = (double)u < pkeep ? (float)(1.0 / pkeep) : 0.0f;
    }
    cudaError_t e = cudaMemcpy(out[1]->data, sgc_stage, out[1]->nbytes, cudaMemcpyHostToDevice);
    if (e != cudaSuccess) return sgc_kerr(k, n, sgc_fail("Dropout mask copy", e));
    if (nn <= 0) return SG_OK;
    sgc_bshape b = sgc_bshape_of(&in[0]->shape, &out[1]->shape);
    if (dbl) sgc_drop_k<double><<<sgc_blocks(nn), SGC_NT>>>((const double *)in[0]->data, (double *)out[0]->data, (const double *)out[1]->data, b, nn, nm);
    else sgc_drop_k<float><<<sgc_blocks(nn), SGC_NT>>>((const float *)in[0]->data, (float *)out[0]->data, (const float *)out[1]->data, b, nn, nm);
    return sgc_kerr(k, n, sgc_check("Dropout kernel"));
}
static int sgc_drop_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                        sg_ndarray *const *ig, const int *req) {
    int st, act = sgc_drop_active(k, n);
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    sg_ndarray *a[4] = {in[0], out[1], og[0], ig[0]};
    if ((st = sgc_dtype(k, n, a, 4))) return st;
    int64_t nn = in[0]->size, nm = out[1]->size;
    if (nn <= 0) return SG_OK;
    sgc_bshape b = sgc_bshape_of(&in[0]->shape, &out[1]->shape);
    if (in[0]->dtype == SG_FLOAT64)
        sgc_drop_bwd_k<double><<<sgc_blocks(nn), SGC_NT>>>((const double *)og[0]->data, (const double *)out[1]->data, (double *)ig[0]->data, b, nn, nm, act, req[0] == SG_REQ_ADD);
    else
        sgc_drop_bwd_k<float><<<sgc_blocks(nn), SGC_NT>>>((const float *)og[0]->data, (const float *)out[1]->data, (float *)ig[0]->data, b, nn, nm, act, req[0] == SG_REQ_ADD);
    return sgc_kerr(k, n, sgc_check("Dropout backward kernel"));
}

/* ======================================================= registration ==== */
struct sgc_kern { const char *op; sg_dev_fwd_fn f; sg_dev_bwd_fn b; sg_dev_ws_fn w; };
static const sgc_kern sgc_table[] = {
    {"elemwise_add", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"elemwise_sub", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"elemwise_mul", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"elemwise_div", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"Flatten", sgc_copy_fwd, sgc_copy_bwd, NULL},
    {"Reshape", sgc_copy_fwd, sgc_copy_bwd, NULL},
    {"expand_dims", sgc_copy_fwd, sgc_copy_bwd, NULL},
    {"FullyConnected", sgc_fc_fwd, sgc_fc_bwd, NULL},
    {"Activation", sgc_act_fwd, sgc_act_bwd, NULL},
    {"relu", sgc_act_fwd, sgc_act_bwd, NULL},
    {"sigmoid", sgc_act_fwd, sgc_act_bwd, NULL},
    {"tanh", sgc_act_fwd, sgc_act_bwd, NULL},
    {"SoftmaxOutput", sgc_smo_fwd, sgc_smo_bwd, sgc_smo_ws},
    {"BatchNorm", sgc_bn_fwd, sgc_bn_bwd, NULL},
    {"Convolution", sgc_conv_fwd, sgc_conv_bwd, sgc_conv_ws},
    {"Pooling", sgc_pool_fwd, sgc_pool_bwd, NULL},
    {"Dropout", sgc_drop_fwd, sgc_drop_bwd, NULL},
};

static int sgc_kernels(const char *op, sg_dev_fwd_fn *f, sg_dev_bwd_fn *b, sg_dev_ws_fn *w) {
    for (size_t i = 0; i < sizeof sgc_table / sizeof sgc_table[0]; i++)
        if (!strcmp(sgc_table[i].op, op)) {
            *f = sgc_table[i].f;
            *b = sgc_table[i].b;
            *w = sgc_table[i].w;
            return 0;
        }
    *f = NULL; *b = NULL; *w = NULL;
    return -1;
}

/* ---- memory ---- */
static int sgc_alloc(size_t bytes, void **p) {
    cudaError_t e = cudaMalloc(p, bytes ? bytes : 1);
    if (e != cudaSuccess) { *p = NULL; cudaGetLastError(); return sgc_fail("cudaMalloc", e); }
    return SG_OK;
}
static void sgc_free(void *p) { if (p) cudaFree(p); }
static int sgc_copy(void *dst, const void *src, size_t bytes, int kind) {
    cudaMemcpyKind k = kind == SG_COPY_H2D ? cudaMemcpyHostToDevice : kind == SG_COPY_D2H ? cudaMemcpyDeviceToHost : cudaMemcpyDeviceToDevice;
    cudaError_t e = cudaMemcpy(dst, src, bytes, k); /* synchronous: host buffers are free to reuse after it */
    return e == cudaSuccess ? SG_OK : sgc_fail("cudaMemcpy", e);
}
static int sgc_zero(void *dst, size_t bytes) {
    cudaError_t e = cudaMemsetAsync(dst, 0, bytes, 0);
    return e == cudaSuccess ? SG_OK : sgc_fail("cudaMemset", e);
}
static int sgc_sync(void) {
    cudaError_t e = cudaDeviceSynchronize();
    if (e == cudaSuccess) e = cudaGetLastError();
    return e == cudaSuccess ? SG_OK : sgc_fail("kernel", e);
}
static const char *sgc_error(void) { return sgc_err; }
static int sgc_add(sg_ndarray *dst, const sg_ndarray *src) {
    if (dst->dtype != src->dtype || dst->size != src->size || (dst->dtype != SG_FLOAT32 && dst->dtype != SG_FLOAT64)) {
        snprintf(sgc_err, sizeof sgc_err, "add: float32 or float64 arrays of one size and dtype are required");
        return SG_ERR_TYPE;
    }
    return sgc_put(dst, src, 1);
}

/* ---- optimizer updates (MXNet's optimizer_op-inl.h, as sg_sgd_update ...) ---- */
__device__ float sgc_clip(float g, float c) { return c >= 0.0f ? (g > c ? c : g < -c ? -c : g) : g; }
__global__ void sgc_sgd_k(float *w, const float *g, int64_t n, float lr, float wd, float rs, float clip) {
    SGC_LOOP(i, n) w[i] = (1.0f - lr * wd) * w[i] - lr * sgc_clip(rs * g[i], clip);
}
__global__ void sgc_sgd_mom_k(float *w, const float *g, float *mom, int64_t n, float lr, float momentum, float wd, float rs, float clip) {
    SGC_LOOP(i, n) {
        mom[i] = momentum * mom[i] - lr * wd * w[i] - lr * sgc_clip(rs * g[i], clip);
        w[i] += mom[i];
    }
}
__global__ void sgc_adam_k(float *w, const float *g, float *mean, float *var, int64_t n, float lr, float b1, float b2, float eps,
                           float wd, float rs, float clip) {
    SGC_LOOP(i, n) {
        float gr = sgc_clip(rs * g[i] + wd * w[i], clip);
        mean[i] = b1 * mean[i] + (1.0f - b1) * gr;
        var[i] = b2 * var[i] + (1.0f - b2) * gr * gr;
        w[i] -= lr * mean[i] / (sqrtf(var[i]) + eps);
    }
}
static int sgc_sgd(float *w, const float *g, int64_t n, float lr, float wd, float rs, float clip) {
    if (n <= 0) return SG_OK;
    sgc_sgd_k<<<sgc_blocks(n), SGC_NT>>>(w, g, n, lr, wd, rs, clip);
    return sgc_check("sgd_update");
}
static int sgc_sgd_mom(float *w, const float *g, float *mom, int64_t n, float lr, float momentum, float wd, float rs, float clip) {
    if (n <= 0) return SG_OK;
    sgc_sgd_mom_k<<<sgc_blocks(n), SGC_NT>>>(w, g, mom, n, lr, momentum, wd, rs, clip);
    return sgc_check("sgd_mom_update");
}
static int sgc_adam(float *w, const float *g, float *mean, float *var, int64_t n, float lr, float b1, float b2, float eps, float wd,
                    float rs, float clip) {
    if (n <= 0) return SG_OK;
    sgc_adam_k<<<sgc_blocks(n), SGC_NT>>>(w, g, mean, var, n, lr, b1, b2, eps, wd, rs, clip);
    return sgc_check("adam_update");
}

extern "C" {

const char *sg_cuda_error(void) { return sgc_err; }

/* Register the GPU (device 0) as SG_GPU. SG_ERR_UNSUPPORTED with CUDA's message
 * (also in sg_last_error's sense: sg_cuda_error()) when no device or driver. */
int sg_cuda_register(void) {
    int n = 0;
    sg_device_ops ops;
    if (sgc_ready) return SG_OK;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) { cudaGetLastError(); return sgc_fail("no CUDA device", e); }
    if (n < 1) { snprintf(sgc_err, sizeof sgc_err, "CUDA: no CUDA device"); return SG_ERR_UNSUPPORTED; }
    if ((e = cudaSetDevice(0)) != cudaSuccess) return sgc_fail("cudaSetDevice", e);
    if (cublasCreate(&sgc_blas) != CUBLAS_STATUS_SUCCESS) {
        snprintf(sgc_err, sizeof sgc_err, "cuBLAS: cublasCreate failed");
        return SG_ERR_UNSUPPORTED;
    }
    cublasSetMathMode(sgc_blas, CUBLAS_DEFAULT_MATH); /* no TF32: float32 results match the CPU to ~1e-6 */
    memset(&ops, 0, sizeof ops);
    ops.name = "cuda";
    ops.alloc = sgc_alloc;
    ops.free = sgc_free;
    ops.copy = sgc_copy;
    ops.zero = sgc_zero;
    ops.kernels = sgc_kernels;
    ops.sync = sgc_sync;
    ops.error = sgc_error;
    ops.add = sgc_add;
    ops.sgd_update = sgc_sgd;
    ops.sgd_mom_update = sgc_sgd_mom;
    ops.adam_update = sgc_adam;
    if (sg_register_device(SG_GPU, &ops) != SG_OK) {
        snprintf(sgc_err, sizeof sgc_err, "%s", sg_last_error());
        cublasDestroy(sgc_blas);
        return SG_ERR_ARG;
    }
    sgc_ready = 1;
    return SG_OK;
}

/* The number of CUDA devices (0 when none or no driver); CUDA's message in msg. */
int sg_cuda_init(char *msg, size_t msgsz) {
    int n = 0;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
        cudaGetLastError();
        if (msg && msgsz) snprintf(msg, msgsz, "CUDA: %s", cudaGetErrorString(e));
        return 0;
    }
    if (msg && msgsz) msg[0] = 0;
    return n;
}

}
