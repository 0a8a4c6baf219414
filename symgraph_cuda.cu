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
 *   elemwise_add/_sub/_mul/_div, _power, _maximum, _minimum and the comparisons
 *   (same shapes); the scalar family (_plus_scalar ... _rpower_scalar,
 *   _maximum/_minimum_scalar, the comparison scalars); broadcast_add/_sub/_mul/
 *   _div and broadcast_to (gradients summed over the broadcast axes, one block
 *   or one thread per gradient element, no atomics); sin, cos, exp, log, sqrt,
 *   square, abs, negative, clip; Flatten, Reshape, expand_dims, _copy,
 *   BlockGrad; FullyConnected (cuBLAS GEMM, CUBLAS_DEFAULT_MATH: TF32 off); dot
 *   and batch_dot (transpose_a/b; cuBLAS, strided batched); Activation (relu,
 *   sigmoid, tanh, softrelu, softsign, log_sigmoid, mish), relu, sigmoid, tanh;
 *   LeakyReLU (leaky, elu, selu, gelu, prelu, rrelu: the rrelu slopes drawn on
 *   the host from the executor's generator as on the CPU); softmax and
 *   log_softmax (axis, temperature, dtype, use_length; one block per row);
 *   SoftmaxOutput (one block per row); LinearRegressionOutput,
 *   LogisticRegressionOutput, MAERegressionOutput, MakeLoss; transpose; sum,
 *   mean, max, min (axis, keepdims, exclude; block reductions); Concat,
 *   SliceChannel, slice_axis, add_n; Embedding (indices of any numeric dtype;
 *   the weight gradient scattered with atomicAdd); Convolution and
 *   Deconvolution (1-3-D, NC* layouts, any stride, pad, dilation, num_group;
 *   Deconvolution's adj and target_shape; one dispatch for both as the CPU's
 *   sg__cvx_fwd/bwd: im2col / col2im (a gather, no atomics) + cuBLAS GEMM),
 *   Pooling (max / avg / sum / lp, 1-3-D, NC*, valid and full conventions,
 *   global_pool), BatchNorm (block-parallel statistics; moving statistics
 *   updated in backward), Dropout (the mask drawn on the host from the
 *   executor's generator exactly as on the CPU, then copied; applied on the GPU),
 *   L2Normalization (instance, channel, spatial; one block per group),
 *   smooth_l1; Cast, _zeros and _ones in every dtype (float16 and bfloat16
 *   converted bit for bit as the CPU); sgd_update, sgd_mom_update and
 *   adam_update as graph operators (float32, as the CPU).
 *   The copies (Flatten ... transpose, broadcast_to, Concat, SliceChannel,
 *   slice_axis) move any dtype forward; gradients are accumulated (grad_req
 *   add) in float32 and float64 only.
 *
 * NOT IMPLEMENTED: every operator the CPU executor runs has GPU kernels but the
 *   fused RNN (CPU only; a GPU bind of a graph with an RNN names it). The
 *   kernels report an error for int32 arithmetic
 *   (which the CPU's elementwise, scalar and dot kernels do) and for float16
 *   (but Cast, _zeros and _ones), and for channel-last convolution layouts
 *   (as the CPU).
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
/* cuBLAS's classic entry points take int sizes: a dimension or leading
 * dimension above INT_MAX is reported, not truncated. */
static int sgc_gemm_dims_ok(int64_t M, int64_t N, int64_t K, int64_t lda, int64_t ldb, int64_t ldc) {
    if (M <= INT_MAX && N <= INT_MAX && K <= INT_MAX && lda <= INT_MAX && ldb <= INT_MAX && ldc <= INT_MAX) return SG_OK;
    snprintf(sgc_err, sizeof sgc_err, "cuBLAS: GEMM of %lld x %lld x %lld (leading dimensions %lld, %lld, %lld) exceeds INT_MAX",
             (long long)M, (long long)K, (long long)N, (long long)lda, (long long)ldb, (long long)ldc);
    return SG_ERR_UNSUPPORTED;
}
static int sgc_gemm(int dtype, int ta, int tb, int64_t M, int64_t N, int64_t K, double alpha, const void *A, int64_t lda,
                    const void *B, int64_t ldb, double beta, void *C, int64_t ldc) {
    cublasOperation_t oa = ta ? CUBLAS_OP_T : CUBLAS_OP_N, ob = tb ? CUBLAS_OP_T : CUBLAS_OP_N;
    if (M <= 0 || N <= 0) return SG_OK;
    if (sgc_gemm_dims_ok(M, N, K, lda, ldb, ldc)) return SG_ERR_UNSUPPORTED;
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

/* ======================================================= math wrappers ==== */
/* float32 kernels call the float functions, as the CPU's expf, powf ... */
__device__ __forceinline__ float sgc_exp(float x) { return expf(x); }
__device__ __forceinline__ double sgc_exp(double x) { return exp(x); }
__device__ __forceinline__ float sgc_log(float x) { return logf(x); }
__device__ __forceinline__ double sgc_log(double x) { return log(x); }
__device__ __forceinline__ float sgc_pow(float x, float y) { return powf(x, y); }
__device__ __forceinline__ double sgc_pow(double x, double y) { return pow(x, y); }
__device__ __forceinline__ float sgc_sin(float x) { return sinf(x); }
__device__ __forceinline__ double sgc_sin(double x) { return sin(x); }
__device__ __forceinline__ float sgc_cos(float x) { return cosf(x); }
__device__ __forceinline__ double sgc_cos(double x) { return cos(x); }
__device__ __forceinline__ float sgc_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double sgc_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ float sgc_fabs(float x) { return fabsf(x); }
__device__ __forceinline__ double sgc_fabs(double x) { return fabs(x); }
__device__ __forceinline__ float sgc_tanh(float x) { return tanhf(x); }
__device__ __forceinline__ double sgc_tanh(double x) { return tanh(x); }
__device__ __forceinline__ float sgc_expm1(float x) { return expm1f(x); }
__device__ __forceinline__ double sgc_expm1(double x) { return expm1(x); }
__device__ __forceinline__ float sgc_log1p(float x) { return log1pf(x); }
__device__ __forceinline__ double sgc_log1p(double x) { return log1p(x); }
__device__ __forceinline__ float sgc_erf(float x) { return erff(x); }
__device__ __forceinline__ double sgc_erf(double x) { return erf(x); }
/* -infinity of T (reduction identities) */
template <typename T> __device__ T sgc_ninf();
template <> __device__ float sgc_ninf<float>() { return __int_as_float((int)0xff800000u); }
template <> __device__ double sgc_ninf<double>() { return __longlong_as_double((long long)0xfff0000000000000ull); }

/* ======================================================= binary operators ==== */
/* The operators of the elementwise, scalar and broadcast kernels, as the CPU's
 * sg__binops: a scalar op is op(x, s), or op(s, x) when rev. */
enum { SGC_B_ADD, SGC_B_SUB, SGC_B_MUL, SGC_B_DIV, SGC_B_POW, SGC_B_MAX, SGC_B_MIN, SGC_B_EQ, SGC_B_NE, SGC_B_GT,
       SGC_B_GE, SGC_B_LT, SGC_B_LE };
#define SGC_B_CMP(op) ((op) >= SGC_B_EQ)
struct sgc_binop_def { const char *name; int op, rev; };
static const sgc_binop_def sgc_binops[] = {
    {"elemwise_add", SGC_B_ADD, 0}, {"elemwise_sub", SGC_B_SUB, 0}, {"elemwise_mul", SGC_B_MUL, 0},
    {"elemwise_div", SGC_B_DIV, 0}, {"_power", SGC_B_POW, 0}, {"_maximum", SGC_B_MAX, 0},
    {"_minimum", SGC_B_MIN, 0}, {"_equal", SGC_B_EQ, 0}, {"_not_equal", SGC_B_NE, 0},
    {"_greater", SGC_B_GT, 0}, {"_greater_equal", SGC_B_GE, 0}, {"_lesser", SGC_B_LT, 0},
    {"_lesser_equal", SGC_B_LE, 0},
    {"broadcast_add", SGC_B_ADD, 0}, {"broadcast_sub", SGC_B_SUB, 0}, {"broadcast_mul", SGC_B_MUL, 0},
    {"broadcast_div", SGC_B_DIV, 0},
    {"_plus_scalar", SGC_B_ADD, 0}, {"_minus_scalar", SGC_B_SUB, 0}, {"_rminus_scalar", SGC_B_SUB, 1},
    {"_mul_scalar", SGC_B_MUL, 0}, {"_div_scalar", SGC_B_DIV, 0}, {"_rdiv_scalar", SGC_B_DIV, 1},
    {"_power_scalar", SGC_B_POW, 0}, {"_rpower_scalar", SGC_B_POW, 1}, {"_maximum_scalar", SGC_B_MAX, 0},
    {"_minimum_scalar", SGC_B_MIN, 0}, {"_equal_scalar", SGC_B_EQ, 0}, {"_not_equal_scalar", SGC_B_NE, 0},
    {"_greater_scalar", SGC_B_GT, 0}, {"_greater_equal_scalar", SGC_B_GE, 0}, {"_lesser_scalar", SGC_B_LT, 0},
    {"_lesser_equal_scalar", SGC_B_LE, 0},
};
/* The operator code of n (and whether it is reversed), or -1. */
static int sgc_binop(const sg__node *n, int *rev) {
    const char *o = sg_knode_op(n);
    for (size_t i = 0; o && i < sizeof sgc_binops / sizeof sgc_binops[0]; i++)
        if (!strcmp(sgc_binops[i].name, o)) {
            if (rev) *rev = sgc_binops[i].rev;
            return sgc_binops[i].op;
        }
    return -1;
}
static int sgc_nobin(sg__kctx *k, const sg__node *n) { return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "no binary GPU kernel"); }
template <typename T> __device__ __forceinline__ T sgc_bin(int op, T A, T B) {
    switch (op) {
    case SGC_B_ADD: return A + B;
    case SGC_B_SUB: return A - B;
    case SGC_B_MUL: return A * B;
    case SGC_B_DIV: return A / B;
    case SGC_B_POW: return sgc_pow(A, B);
    case SGC_B_MAX: return A != A || A > B ? A : B; /* NaN in either gives NaN, as MXNet */
    case SGC_B_MIN: return A != A || A < B ? A : B;
    case SGC_B_EQ: return (T)(A == B);
    case SGC_B_NE: return (T)(A != B);
    case SGC_B_GT: return (T)(A > B);
    case SGC_B_GE: return (T)(A >= B);
    case SGC_B_LT: return (T)(A < B);
    default: return (T)(A <= B);
    }
}
/* The gradient of side 0 (A) or 1 (B) times G, as the CPU's sg__bin_grad; 0 for comparisons. */
template <typename T> __device__ __forceinline__ T sgc_bgrad(int op, int side, T G, T A, T B) {
    switch (op * 2 + side) {
    case SGC_B_ADD * 2: case SGC_B_ADD * 2 + 1: case SGC_B_SUB * 2: return G;
    case SGC_B_SUB * 2 + 1: return -G;
    case SGC_B_MUL * 2: return G * B;
    case SGC_B_MUL * 2 + 1: return G * A;
    case SGC_B_DIV * 2: return G / B;
    case SGC_B_DIV * 2 + 1: return -G * A / (B * B);
    case SGC_B_POW * 2: return G * B * sgc_pow(A, B - (T)1);
    case SGC_B_POW * 2 + 1: return G * sgc_log(A) * sgc_pow(A, B);
    case SGC_B_MAX * 2: return A >= B ? G : (T)0;
    case SGC_B_MAX * 2 + 1: return A < B ? G : (T)0;
    case SGC_B_MIN * 2: return A <= B ? G : (T)0;
    case SGC_B_MIN * 2 + 1: return A > B ? G : (T)0;
    default: return (T)0;
    }
}

/* ======================================================= elementwise binary ==== */
/* elemwise_add/sub/mul/div, _power, _maximum, _minimum and the comparisons (same shapes). */
template <typename T> __global__ void sgc_ebin_k(int op, const T *a, const T *b, T *y, int64_t n) {
    SGC_LOOP(i, n) y[i] = sgc_bin<T>(op, a[i], b[i]);
}
/* lhs first, in the same thread: ga may be gb (a * a), written then accumulated. */
template <typename T> __global__ void sgc_ebin_bwd_k(int op, const T *g, const T *a, const T *b, T *ga, int adda, T *gb, int addb, int64_t n) {
    SGC_LOOP(i, n) {
        T gv = g[i], x = a[i], z = b[i];
        if (ga) { T v = sgc_bgrad<T>(op, 0, gv, x, z); if (adda) ga[i] += v; else ga[i] = v; }
        if (gb) { T v = sgc_bgrad<T>(op, 1, gv, x, z); if (addb) gb[i] += v; else gb[i] = v; }
    }
}
static int sgc_ebin_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *a[3] = {in[0], in[1], out[0]};
    int st, op = sgc_binop(n, NULL);
    if (op < 0) return sgc_nobin(k, n);
    if ((st = sgc_dtype(k, n, a, 3))) return st;
    if (in[0]->size != out[0]->size || in[1]->size != out[0]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the inputs differ in size");
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
    int op = sgc_binop(n, NULL), st;
    (void)out;
    if (op < 0) return sgc_nobin(k, n);
    if (!ig[0] && !ig[1]) return SG_OK;
    if (!og[0] || SGC_B_CMP(op)) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 2)); /* comparisons: zero gradients */
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

/* ======================================================= scalar family ==== */
/* y = op(x, s) or op(s, x); s is DType(scalar) (float for float32), as the CPU. */
template <typename T> __global__ void sgc_scalar_k(int op, int rev, const T *x, T s, T *y, int64_t n) {
    SGC_LOOP(i, n) { T v = x[i]; y[i] = rev ? sgc_bin<T>(op, s, v) : sgc_bin<T>(op, v, s); }
}
template <typename T> __global__ void sgc_scalar_bwd_k(int op, int rev, const T *g, const T *x, T s, T *d, int64_t n, int add) {
    SGC_LOOP(i, n) {
        T v = rev ? sgc_bgrad<T>(op, 1, g[i], s, x[i]) : sgc_bgrad<T>(op, 0, g[i], x[i], s);
        if (add) d[i] += v; else d[i] = v;
    }
}
static int sgc_scalar_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *a[2] = {in[0], out[0]};
    int rev = 0, op = sgc_binop(n, &rev), st;
    double s = sgc_pf(n, "scalar");
    if (op < 0) return sgc_nobin(k, n);
    if ((st = sgc_dtype(k, n, a, 2))) return st;
    if (in[0]->size != out[0]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the output differs in size");
    if (!out[0]->size) return SG_OK;
    if (out[0]->dtype == SG_FLOAT64)
        sgc_scalar_k<double><<<sgc_blocks(out[0]->size), SGC_NT>>>(op, rev, (const double *)in[0]->data, s, (double *)out[0]->data, out[0]->size);
    else
        sgc_scalar_k<float><<<sgc_blocks(out[0]->size), SGC_NT>>>(op, rev, (const float *)in[0]->data, (float)s, (float *)out[0]->data, out[0]->size);
    return sgc_kerr(k, n, sgc_check("scalar kernel"));
}
static int sgc_scalar_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                          sg_ndarray *const *ig, const int *req) {
    sg_ndarray *a[3] = {in[0], og[0], ig[0]};
    int rev = 0, op = sgc_binop(n, &rev), st;
    double s = sgc_pf(n, "scalar");
    (void)out;
    if (op < 0) return sgc_nobin(k, n);
    if (!ig[0]) return SG_OK;
    if (!og[0] || SGC_B_CMP(op)) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    if ((st = sgc_dtype(k, n, a, 3))) return st;
    if (!in[0]->size) return SG_OK;
    if (in[0]->dtype == SG_FLOAT64)
        sgc_scalar_bwd_k<double><<<sgc_blocks(in[0]->size), SGC_NT>>>(op, rev, (const double *)og[0]->data, (const double *)in[0]->data,
                                                                      s, (double *)ig[0]->data, in[0]->size, req[0] == SG_REQ_ADD);
    else
        sgc_scalar_bwd_k<float><<<sgc_blocks(in[0]->size), SGC_NT>>>(op, rev, (const float *)og[0]->data, (const float *)in[0]->data,
                                                                    (float)s, (float *)ig[0]->data, in[0]->size, req[0] == SG_REQ_ADD);
    return sgc_kerr(k, n, sgc_check("scalar backward kernel"));
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
/* SGC_RELUN: the standalone relu operator, which keeps NaN (MXNet's
 * mshadow_op::relu); Activation's relu gives 0 for NaN, as MXNet's MKLDNN
 * build and the CPU kernels */
enum { SGC_RELU, SGC_SIGMOID, SGC_TANH, SGC_SOFTRELU, SGC_SOFTSIGN, SGC_LOGSIG, SGC_MISH, SGC_NONE, SGC_RELUN };
static int sgc_act_type(const sg__node *n) {
    const char *o = sg_knode_op(n), *t;
    if (!strcmp(o, "relu")) return SGC_RELUN;
    if (!strcmp(o, "sigmoid")) return SGC_SIGMOID;
    if (!strcmp(o, "tanh")) return SGC_TANH;
    t = sgc_ps(n, "act_type");
    if (!strcmp(t, "relu")) return SGC_RELU;
    if (!strcmp(t, "sigmoid")) return SGC_SIGMOID;
    if (!strcmp(t, "tanh")) return SGC_TANH;
    if (!strcmp(t, "softrelu")) return SGC_SOFTRELU;
    if (!strcmp(t, "softsign")) return SGC_SOFTSIGN;
    if (!strcmp(t, "log_sigmoid")) return SGC_LOGSIG;
    if (!strcmp(t, "mish")) return SGC_MISH;
    return SGC_NONE;
}
template <typename T> __global__ void sgc_act_k(int t, const T *x, T *y, int64_t n) {
    SGC_LOOP(i, n) {
        T v = x[i];
        switch (t) {
        case SGC_RELU: y[i] = v > (T)0 ? v : (T)0; break;
        case SGC_RELUN: y[i] = v != v || v > (T)0 ? v : (T)0; break;
        case SGC_SIGMOID: y[i] = (T)1 / ((T)1 + exp(-v)); break;
        case SGC_TANH: y[i] = tanh(v); break;
        case SGC_SOFTRELU: y[i] = v > (T)20 ? v : log1p(exp(v)); break;
        case SGC_LOGSIG: y[i] = v >= (T)0 ? -sgc_log1p(sgc_exp(-v)) : v - sgc_log1p(sgc_exp(v)); break;
        case SGC_MISH: y[i] = v * sgc_tanh(v > (T)20 ? v : sgc_log1p(sgc_exp(v))); break;
        default: y[i] = v / ((T)1 + (v < 0 ? -v : v)); break;
        }
    }
}
template <typename T> __global__ void sgc_act_bwd_k(int t, const T *g, const T *x, const T *y, T *dx, int64_t n, int add) {
    SGC_LOOP(i, n) {
        T d, a;
        switch (t) {
        case SGC_RELU: d = y[i] > (T)0 ? (T)1 : (T)0; break;
        case SGC_RELUN: d = y[i] != y[i] ? y[i] : y[i] > (T)0 ? (T)1 : (T)0; break;
        case SGC_SIGMOID: d = y[i] * ((T)1 - y[i]); break;
        case SGC_TANH: d = (T)1 - y[i] * y[i]; break;
        case SGC_SOFTRELU: d = -expm1(-y[i]); break;
        case SGC_LOGSIG: d = -sgc_expm1(y[i]); break;
        case SGC_MISH:
            a = sgc_tanh(x[i] > (T)20 ? x[i] : sgc_log1p(sgc_exp(x[i])));
            d = a + x[i] * ((T)1 / ((T)1 + sgc_exp(-x[i]))) * ((T)1 - a * a);
            break;
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
    /* in float, as MXNet 1.9.1 (float grad_scale over integer counts): sg__grad_scale_f */
    float fs = (float)p.gs;
    fs = fs / (float)(p.multi && p.norm != 2 ? p.inner : 1);
    fs = fs / (float)valid;
    scale = (double)fs;
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

/* ======================================================= Convolution / Deconvolution ==== */
/* As the CPU (sg__cvg, sg__cvx_fwd/bwd): 1-, 2- or 3-D NC* data, the geometry
 * padded to 3 spatial dims with leading 1s, float32 and float64. For
 * Convolution the "image" side is the data and the "column" side the output;
 * Deconvolution is the transpose of Convolution's data gradient, so there the
 * image is its output and the column side its input (pad from target_shape
 * when given, as sg__deconv_shape). Per image and group: im2col into the
 * workspace, then one cuBLAS GEMM (CUBLAS_DEFAULT_MATH: no TF32); 1x1 kernels
 * with stride 1, no pad use the image directly ("direct", no workspace). */
struct sgc_cvg {
    int64_t im[3], co[3], k[3], s[3], p[3], d[3];
    int64_t imL, coL, K; /* products of im, co, k */
    int direct;          /* the column matrix is the image itself */
};
/* The geometry from the image shape im and the column shape co; 0 when the
 * node is not NC* with 1 to 3 spatial dims matching both shapes. */
static int sgc_cvg_make(const sg__node *n, const sg_shape *im, const sg_shape *co, int deconv, sgc_cvg *v) {
    sg_kparam kp, sp, pp, dp, tp;
    const char *lay = sgc_ps(n, "layout");
    int nsp, off, bcal = 0;
    sgc_param(n, "kernel", &kp); sgc_param(n, "stride", &sp); sgc_param(n, "pad", &pp); sgc_param(n, "dilate", &dp);
    if (!deconv || !sgc_param(n, "target_shape", &tp)) tp.ndim = 0;
    nsp = kp.ndim;
    if (nsp < 1 || nsp > 3 || im->ndim != nsp + 2 || co->ndim != nsp + 2) return 0;
    if (lay[0] && strcmp(lay, "None") && lay[strlen(lay) - 1] == 'C') return 0;
    off = 3 - nsp;
    for (int i = 0; i < 3; i++) { v->im[i] = v->co[i] = v->k[i] = v->s[i] = v->d[i] = 1; v->p[i] = 0; }
    for (int i = 0; i < tp.ndim; i++) if (tp.t[i] != 0) bcal = 1;
    for (int i = 0; i < nsp; i++) {
        int j = off + i;
        v->k[j] = kp.t[i];
        v->s[j] = sp.ndim > i ? sp.t[i] : 1;
        v->d[j] = dp.ndim > i ? dp.t[i] : 1;
        v->p[j] = pp.ndim > i ? pp.t[i] : 0;
        v->im[j] = im->dims[2 + i];
        v->co[j] = co->dims[2 + i];
        if (bcal) { /* pad from target_shape, as sg__deconv_shape */
            int64_t dk = v->d[j] * (v->k[j] - 1) + 1, t = i < tp.ndim ? tp.t[i] : 0;
            v->p[j] = (v->s[j] * (v->co[j] - 1) + dk - t + 1) / 2;
        }
    }
    v->imL = v->im[0] * v->im[1] * v->im[2];
    v->coL = v->co[0] * v->co[1] * v->co[2];
    v->K = v->k[0] * v->k[1] * v->k[2];
    v->direct = v->K == 1;
    for (int i = 0; i < 3; i++) if (v->s[i] != 1 || v->p[i] != 0 || v->im[i] != v->co[i]) v->direct = 0;
    return 1;
}
/* im2col over ch channels of one image: col is (ch*K) x coL, row (c, k0, k1, k2),
 * col[r][(o0*co1 + o1)*co2 + o2] = im[c][o0*s0 - p0 + k0*d0][..][..] (0 outside);
 * one thread per col element. */
template <typename T> __global__ void sgc_im2col_k(const T *im, T *col, sgc_cvg v, int64_t ch) {
    SGC_LOOP(t, ch * v.K * v.coL) {
        int64_t q = t % v.coL, r = t / v.coL, kk = r % v.K, c = r / v.K;
        int64_t k2 = kk % v.k[2], k1 = (kk / v.k[2]) % v.k[1], k0 = kk / (v.k[2] * v.k[1]);
        int64_t o2 = q % v.co[2], o1 = (q / v.co[2]) % v.co[1], o0 = q / (v.co[2] * v.co[1]);
        int64_t i0 = o0 * v.s[0] - v.p[0] + k0 * v.d[0], i1 = o1 * v.s[1] - v.p[1] + k1 * v.d[1], i2 = o2 * v.s[2] - v.p[2] + k2 * v.d[2];
        col[t] = (i0 >= 0 && i0 < v.im[0] && i1 >= 0 && i1 < v.im[1] && i2 >= 0 && i2 < v.im[2])
                     ? im[((c * v.im[0] + i0) * v.im[1] + i1) * v.im[2] + i2] : (T)0;
    }
}
/* col2im: im[c][i] (+)= the col entries that im2col reads from it, gathered by
 * one thread per image element (no atomics, no races), added in the CPU's
 * order (k0, k1, k2) onto 0 (write) or the old value (add). */
template <typename T> __global__ void sgc_col2im_k(const T *col, T *im, sgc_cvg v, int64_t ch, int add) {
    SGC_LOOP(t, ch * v.imL) {
        int64_t i2 = t % v.im[2], i1 = (t / v.im[2]) % v.im[1], i0 = (t / (v.im[2] * v.im[1])) % v.im[0], c = t / v.imL;
        T s = add ? im[t] : (T)0;
        for (int64_t k0 = 0; k0 < v.k[0]; k0++) {
            int64_t h0 = i0 + v.p[0] - k0 * v.d[0];
            if (h0 < 0 || h0 % v.s[0] || h0 / v.s[0] >= v.co[0]) continue;
            for (int64_t k1 = 0; k1 < v.k[1]; k1++) {
                int64_t h1 = i1 + v.p[1] - k1 * v.d[1];
                if (h1 < 0 || h1 % v.s[1] || h1 / v.s[1] >= v.co[1]) continue;
                for (int64_t k2 = 0; k2 < v.k[2]; k2++) {
                    int64_t h2 = i2 + v.p[2] - k2 * v.d[2];
                    if (h2 < 0 || h2 % v.s[2] || h2 / v.s[2] >= v.co[2]) continue;
                    s += col[(((c * v.k[0] + k0) * v.k[1] + k1) * v.k[2] + k2) * v.coL +
                             ((h0 / v.s[0]) * v.co[1] + h1 / v.s[1]) * v.co[2] + h2 / v.s[2]];
                }
            }
        }
        im[t] = s;
    }
}
/* y[n][f][l] += b[f] (N images, F channels, L positions) */
template <typename T> __global__ void sgc_chbias_k(T *y, const T *b, int64_t N, int64_t F, int64_t L) {
    SGC_LOOP(i, N * F * L) y[i] += b[(i / L) % F];
}
/* db[f] (+)= sum over n, l of g[n][f][l]: one block per channel, double sums. */
template <typename T> __global__ void sgc_chsum_k(const T *g, T *db, int64_t N, int64_t F, int64_t L, int add) {
    for (int64_t f = blockIdx.x; f < F; f += gridDim.x) {
        double s = 0;
        for (int64_t t = threadIdx.x; t < N * L; t += blockDim.x) s += (double)g[((t / L) * F + f) * L + t % L];
        s = sgc_bsum<double>(s);
        if (threadIdx.x == 0) { if (add) db[f] += (T)s; else db[f] = (T)s; }
    }
}
/* Workspace: one image's column matrix for one group, sized for float64 (as the CPU). */
static size_t sgc_cvx_ws(const sg__node *n, const sg_shape *in, const sg_shape *out, int deconv) {
    sgc_cvg v;
    int64_t G = sgc_pi(n, "num_group"), ch;
    if (G < 1) G = 1;
    if (!(deconv ? sgc_cvg_make(n, &out[0], &in[0], 1, &v) : sgc_cvg_make(n, &in[0], &out[0], 0, &v)) || v.direct) return 0;
    ch = deconv ? sgc_pi(n, "num_filter") / G : in[0].dims[1] / G;
    return (size_t)(ch * v.K * v.coL) * sizeof(double);
}
static size_t sgc_conv_ws(const sg__node *n, const sg_shape *in, const sg_shape *out) { return sgc_cvx_ws(n, in, out, 0); }
static size_t sgc_deconv_ws(const sg__node *n, const sg_shape *in, const sg_shape *out) { return sgc_cvx_ws(n, in, out, 1); }
/* Shared checks of both operators: layout, dtypes (float32 or float64, one
 * dtype: a[0..cnt)), geometry (y is the output or its gradient) and workspace. */
static int sgc_cvx_prep(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, const sg_ndarray *y, sg_ndarray *const *a, int cnt,
                        int deconv, sgc_cvg *v, void **col) {
    size_t wsb = 0;
    const char *lay = sgc_ps(n, "layout");
    int st;
    if (lay[0] && strcmp(lay, "None") && lay[strlen(lay) - 1] == 'C')
        return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "unsupported layout (the GPU kernels take NCW, NCHW and NCDHW)");
    if ((st = sgc_dtype(k, n, a, cnt))) return st;
    if (!(deconv ? sgc_cvg_make(n, &y->shape, &in[0]->shape, 1, v) : sgc_cvg_make(n, &in[0]->shape, &y->shape, 0, v)))
        return sg_kctx_error(k, n, SG_ERR_SHAPE, "the kernel does not fit the data");
    *col = sg_kctx_workspace(k, &wsb);
    if (!v->direct) {
        int64_t G = sgc_pi(n, "num_group"), ch;
        if (G < 1) G = 1;
        ch = deconv ? sgc_pi(n, "num_filter") / G : in[0]->shape.dims[1] / G;
        if (!*col || wsb < (size_t)(ch * v->K * v->coL) * sg_dtype_size(in[0]->dtype))
            return sg_kctx_error(k, n, SG_ERR_ARG, "no workspace");
    }
    return SG_OK;
}
template <typename T> static int sgc_im2col(const sgc_cvg &v, const T *im, int64_t ch, T *col) {
    if (ch * v.K * v.coL <= 0) return SG_OK;
    sgc_im2col_k<T><<<sgc_blocks(ch * v.K * v.coL), SGC_NT>>>(im, col, v, ch);
    return sgc_check("im2col");
}
template <typename T> static int sgc_col2im(const sgc_cvg &v, const T *col, int64_t ch, T *im, int add) {
    if (ch * v.imL <= 0) return SG_OK;
    sgc_col2im_k<T><<<sgc_blocks(ch * v.imL), SGC_NT>>>(col, im, v, ch, add);
    return sgc_check("col2im");
}
/* Convolution: x (N, C, im), w (F, C/G, k), y (N, F, co). Deconvolution: x (N,
 * C, co), w (C, F/G, k), y (N, F, im): y_g = col2im(W_g^T x_g). */
template <typename T> static int sgc_cvx_fwd_t(const sgc_cvg &v, int deconv, int64_t N, int64_t C, int64_t F, int64_t G, const T *x,
                                               const T *w, const T *b, T *y, T *col) {
    int dt = sizeof(T) == 8 ? SG_FLOAT64 : SG_FLOAT32, st;
    int64_t Cg = C / G, Fg = F / G, L = deconv ? v.imL : v.coL;
    for (int64_t i = 0; i < N; i++)
        for (int64_t g = 0; g < G; g++) {
            if (!deconv) {
                const T *xg = x + (i * C + g * Cg) * v.imL, *cb = xg;
                int64_t R = Cg * v.K;
                if (!v.direct) { if ((st = sgc_im2col<T>(v, xg, Cg, col))) return st; cb = col; }
                /* y_g (Fg x coL) = W_g (Fg x R) * col (R x coL) */
                if ((st = sgc_gemm(dt, 0, 0, Fg, v.coL, R, 1.0, w + g * Fg * R, R, cb, v.coL, 0.0, y + (i * F + g * Fg) * v.coL, v.coL)))
                    return st;
            } else {
                const T *xg = x + (i * C + g * Cg) * v.coL;
                int64_t R = Fg * v.K;
                const T *wg = w + g * Cg * R;
                T *yg = y + (i * F + g * Fg) * v.imL;
                /* col (R x coL) = W_g^T (R x Cg) * x_g (Cg x coL), then scattered (gathered) into y_g */
                if (v.direct) {
                    if ((st = sgc_gemm(dt, 1, 0, R, v.coL, Cg, 1.0, wg, R, xg, v.coL, 0.0, yg, v.imL))) return st;
                } else {
                    if ((st = sgc_gemm(dt, 1, 0, R, v.coL, Cg, 1.0, wg, R, xg, v.coL, 0.0, col, v.coL))) return st;
                    if ((st = sgc_col2im<T>(v, col, Fg, yg, 0))) return st;
                }
            }
        }
    if (b && N * F * L > 0) {
        sgc_chbias_k<T><<<sgc_blocks(N * F * L), SGC_NT>>>(y, b, N, F, L);
        return sgc_check("bias");
    }
    return SG_OK;
}
template <typename T> static int sgc_cvx_bwd_t(const sgc_cvg &v, int deconv, int64_t N, int64_t C, int64_t F, int64_t G, const T *gy,
                                               const T *x, const T *w, T *dx, int dxadd, T *dw, int dwadd, T *db, int dbadd, T *col) {
    int dt = sizeof(T) == 8 ? SG_FLOAT64 : SG_FLOAT32, st;
    int64_t Cg = C / G, Fg = F / G, R = deconv ? Fg * v.K : Cg * v.K, L = deconv ? v.imL : v.coL;
    if (dw && !dwadd && N == 0) {
        cudaError_t e = cudaMemsetAsync(dw, 0, (size_t)((deconv ? C : F) * R) * sizeof(T), 0);
        if (e != cudaSuccess) return sgc_fail("memset", e);
    }
    for (int64_t i = 0; i < N; i++)
        for (int64_t g = 0; g < G; g++) {
            double wb = (i > 0 || dwadd) ? 1.0 : 0.0; /* dW accumulates over the batch */
            if (!deconv) {
                const T *gyg = gy + (i * F + g * Fg) * v.coL, *xg = x + (i * C + g * Cg) * v.imL, *wg = w + g * Fg * R;
                if (dw) { /* dW_g (Fg x R) += gy_g (Fg x coL) * col^T (coL x R) */
                    const T *cb = xg;
                    if (!v.direct) { if ((st = sgc_im2col<T>(v, xg, Cg, col))) return st; cb = col; }
                    if ((st = sgc_gemm(dt, 0, 1, Fg, R, v.coL, 1.0, gyg, v.coL, cb, v.coL, wb, dw + g * Fg * R, R))) return st;
                }
                if (dx) { /* col (R x coL) = W_g^T (R x Fg) * gy_g (Fg x coL), then col2im into dx_g */
                    T *dxg = dx + (i * C + g * Cg) * v.imL;
                    if (v.direct) {
                        if ((st = sgc_gemm(dt, 1, 0, R, v.coL, Fg, 1.0, wg, R, gyg, v.coL, dxadd ? 1.0 : 0.0, dxg, v.imL))) return st;
                    } else {
                        if ((st = sgc_gemm(dt, 1, 0, R, v.coL, Fg, 1.0, wg, R, gyg, v.coL, 0.0, col, v.coL))) return st;
                        if ((st = sgc_col2im<T>(v, col, Cg, dxg, dxadd))) return st;
                    }
                }
            } else {
                const T *gyg = gy + (i * F + g * Fg) * v.imL, *cb = gyg, *wg = w + g * Cg * R;
                if (!v.direct) { if ((st = sgc_im2col<T>(v, gyg, Fg, col))) return st; cb = col; }
                /* dx_g (Cg x coL) = W_g (Cg x R) * col (R x coL) */
                if (dx && (st = sgc_gemm(dt, 0, 0, Cg, v.coL, R, 1.0, wg, R, cb, v.coL, dxadd ? 1.0 : 0.0, dx + (i * C + g * Cg) * v.coL, v.coL)))
                    return st;
                /* dW_g (Cg x R) += x_g (Cg x coL) * col^T (coL x R) */
                if (dw && (st = sgc_gemm(dt, 0, 1, Cg, R, v.coL, 1.0, x + (i * C + g * Cg) * v.coL, v.coL, cb, v.coL, wb, dw + g * Cg * R, R)))
                    return st;
            }
        }
    if (db && F > 0) {
        unsigned gr = (unsigned)(F < 65535 ? F : 65535);
        sgc_chsum_k<T><<<gr, SGC_NT>>>(gy, db, N, F, L, dbadd);
        return sgc_check("bias gradient");
    }
    return SG_OK;
}
/* Convolution (deconv 0) and Deconvolution (deconv 1) share their dispatch, as
 * the CPU's sg__cvx_fwd / sg__cvx_bwd. */
static int sgc_cvx_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out, int deconv) {
    sgc_cvg v;
    void *col;
    int nin = sg_knode_num_inputs(n), st;
    sg_ndarray *a[4] = {in[0], in[1], nin > 2 ? in[2] : NULL, out[0]};
    int64_t N = in[0]->shape.ndim > 1 ? in[0]->shape.dims[0] : 0, C = in[0]->shape.ndim > 1 ? in[0]->shape.dims[1] : 0;
    int64_t F = sgc_pi(n, "num_filter"), G = sgc_pi(n, "num_group");
    if (G < 1) G = 1;
    if ((st = sgc_cvx_prep(k, n, in, out[0], a, 4, deconv, &v, &col))) return st;
    if (in[0]->dtype == SG_FLOAT64)
        st = sgc_cvx_fwd_t<double>(v, deconv, N, C, F, G, (const double *)in[0]->data, (const double *)in[1]->data,
                                   nin > 2 ? (const double *)in[2]->data : NULL, (double *)out[0]->data, (double *)col);
    else
        st = sgc_cvx_fwd_t<float>(v, deconv, N, C, F, G, (const float *)in[0]->data, (const float *)in[1]->data,
                                  nin > 2 ? (const float *)in[2]->data : NULL, (float *)out[0]->data, (float *)col);
    return sgc_kerr(k, n, st);
}
static int sgc_cvx_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *ig,
                       const int *req, int deconv) {
    sgc_cvg v;
    void *col;
    int nin = sg_knode_num_inputs(n), st, dbias = nin > 2 && ig[2];
    int64_t N = in[0]->shape.ndim > 1 ? in[0]->shape.dims[0] : 0, C = in[0]->shape.ndim > 1 ? in[0]->shape.dims[1] : 0;
    int64_t F = sgc_pi(n, "num_filter"), G = sgc_pi(n, "num_group");
    if (G < 1) G = 1;
    if (!ig[0] && !ig[1] && !dbias) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, nin));
    sg_ndarray *a[7] = {in[0], in[1], nin > 2 ? in[2] : NULL, og[0], ig[0], ig[1], dbias ? ig[2] : NULL};
    if ((st = sgc_cvx_prep(k, n, in, og[0], a, 7, deconv, &v, &col))) return st;
    if (in[0]->dtype == SG_FLOAT64)
        st = sgc_cvx_bwd_t<double>(v, deconv, N, C, F, G, (const double *)og[0]->data, (const double *)in[0]->data,
                                   (const double *)in[1]->data, ig[0] ? (double *)ig[0]->data : NULL, req[0] == SG_REQ_ADD,
                                   ig[1] ? (double *)ig[1]->data : NULL, req[1] == SG_REQ_ADD,
                                   dbias ? (double *)ig[2]->data : NULL, dbias && req[2] == SG_REQ_ADD, (double *)col);
    else
        st = sgc_cvx_bwd_t<float>(v, deconv, N, C, F, G, (const float *)og[0]->data, (const float *)in[0]->data,
                                  (const float *)in[1]->data, ig[0] ? (float *)ig[0]->data : NULL, req[0] == SG_REQ_ADD,
                                  ig[1] ? (float *)ig[1]->data : NULL, req[1] == SG_REQ_ADD,
                                  dbias ? (float *)ig[2]->data : NULL, dbias && req[2] == SG_REQ_ADD, (float *)col);
    return sgc_kerr(k, n, st);
}
static int sgc_conv_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    return sgc_cvx_fwd(k, n, in, out, 0);
}
static int sgc_conv_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                        sg_ndarray *const *ig, const int *req) {
    (void)out;
    return sgc_cvx_bwd(k, n, og, in, ig, req, 0);
}
static int sgc_deconv_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    return sgc_cvx_fwd(k, n, in, out, 1);
}
static int sgc_deconv_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                          sg_ndarray *const *ig, const int *req) {
    (void)out;
    return sgc_cvx_bwd(k, n, og, in, ig, req, 1);
}

/* ======================================================= Pooling ==== */
/* As the CPU kernels (MXNet's pool.h): 1-, 2- or 3-D NC* data viewed as three
 * spatial dims; one thread per output; backward scatters with atomicAdd. */
enum { SGC_PMAX, SGC_PAVG, SGC_PSUM, SGC_PLP };
struct sgc_plg { int64_t im[3], co[3], k[3], s[3], p[3], imL, coL; int type, cip, pv, nsp; };
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
    v->nsp = nsp;
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
            else if (cnt == 0 && v.nsp == 3 && v.type == SGC_PAVG) acc = (T)NAN; /* MXNet's 3-D 0/0 */
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

/* ======================================================= shared helpers (2) ==== */
/* The host staging buffer (Dropout, rrelu masks): grows once and is kept. */
static void *sgc_stage_reserve(size_t bytes) {
    if (bytes > sgc_stage_bytes) {
        void *p = realloc(sgc_stage, bytes);
        if (!p) return NULL;
        sgc_stage = p;
        sgc_stage_bytes = bytes;
    }
    return sgc_stage;
}
/* An array's shape as the CPU kernels see it: a 0-d array is (1,). */
static sg_shape sgc_kshape(const sg_ndarray *a) {
    sg_shape s = a->shape;
    if (s.ndim == 0) { s.ndim = 1; s.dims[0] = 1; }
    return s;
}
static int sgc_axis(long long a, int ndim) {
    if (a < 0) a += ndim;
    return (a < 0 || a >= ndim) ? -1 : (int)a;
}
static int sgc_isfloat(int dt) { return dt == SG_FLOAT32 || dt == SG_FLOAT64; }
/* Arrays whose values the kernels read as numbers of any dtype (indices, lengths). */
static int sgc_ld_ok(int dt) {
    return dt == SG_FLOAT32 || dt == SG_FLOAT64 || dt == SG_UINT8 || dt == SG_INT8 || dt == SG_INT32 || dt == SG_INT64 || dt == SG_BOOL;
}
__device__ __forceinline__ double sgc_ld(const void *p, int dt, int64_t i) {
    switch (dt) {
    case SG_FLOAT32: return (double)((const float *)p)[i];
    case SG_FLOAT64: return ((const double *)p)[i];
    case SG_UINT8: return (double)((const unsigned char *)p)[i];
    case SG_INT8: return (double)((const signed char *)p)[i];
    case SG_INT32: return (double)((const int *)p)[i];
    case SG_INT64: return (double)((const long long *)p)[i];
    case SG_BOOL: return ((const unsigned char *)p)[i] != 0 ? 1.0 : 0.0;
    }
    return 0;
}
static int sgc_typeerr(const char *what) {
    snprintf(sgc_err, sizeof sgc_err, "%s", what);
    return SG_ERR_UNSUPPORTED;
}

/* Index geometry of the gathers and reductions. Element j of an iteration space
 * (row-major over the kept dims kd) is at offset sum(coord * ks[q]) in operand q
 * (q < 3); a reduction adds over the reduced dims rd (offsets rs[q] added), cnt
 * elements per output. Dims of size 1 are left out. */
struct sgc_geo {
    int nk, nr;
    int64_t cnt;
    int64_t kd[SG_MAX_NDIM], rd[SG_MAX_NDIM], ks[3][SG_MAX_NDIM], rs[3][SG_MAX_NDIM];
};
static void sgc_geo_init(sgc_geo *g) { memset(g, 0, sizeof *g); g->cnt = 1; }
static void sgc_geo_keep(sgc_geo *g, int64_t d, int64_t s0, int64_t s1, int64_t s2) {
    if (d == 1 || g->nk >= SG_MAX_NDIM) return;
    g->kd[g->nk] = d; g->ks[0][g->nk] = s0; g->ks[1][g->nk] = s1; g->ks[2][g->nk] = s2;
    g->nk++;
}
static void sgc_geo_red(sgc_geo *g, int64_t d, int64_t s0, int64_t s1, int64_t s2) {
    g->cnt *= d;
    if (d == 1 || g->nr >= SG_MAX_NDIM) return;
    g->rd[g->nr] = d; g->rs[0][g->nr] = s0; g->rs[1][g->nr] = s1; g->rs[2][g->nr] = s2;
    g->nr++;
}
__device__ __forceinline__ void sgc_geo_at(const sgc_geo &g, int64_t j, int64_t *o) {
    o[0] = o[1] = o[2] = 0;
    for (int a = g.nk - 1; a >= 0; a--) {
        int64_t c = j % g.kd[a];
        j /= g.kd[a];
        o[0] += c * g.ks[0][a]; o[1] += c * g.ks[1][a]; o[2] += c * g.ks[2][a];
    }
}
__device__ __forceinline__ void sgc_geo_red_at(const sgc_geo &g, int64_t r, const int64_t *b, int64_t *o) {
    o[0] = b[0]; o[1] = b[1]; o[2] = b[2];
    for (int a = g.nr - 1; a >= 0; a--) {
        int64_t c = r % g.rd[a];
        r /= g.rd[a];
        o[0] += c * g.rs[0][a]; o[1] += c * g.rs[1][a]; o[2] += c * g.rs[2][a];
    }
}

/* dst[i] = src[offset of i in operand 0] (any dtype by element size), or += (float32 / float64). */
template <typename U> __global__ void sgc_gather_k(sgc_geo g, const U *src, U *dst, int64_t n) {
    SGC_LOOP(i, n) { int64_t o[3]; sgc_geo_at(g, i, o); dst[i] = src[o[0]]; }
}
template <typename T> __global__ void sgc_gather_add_k(sgc_geo g, const T *src, T *dst, int64_t n) {
    SGC_LOOP(i, n) { int64_t o[3]; sgc_geo_at(g, i, o); dst[i] += src[o[0]]; }
}
static int sgc_gather(const sgc_geo &g, int dtype, const void *src, void *dst, int64_t n, int add) {
    unsigned b = sgc_blocks(n);
    if (n <= 0) return SG_OK;
    if (add) {
        if (dtype == SG_FLOAT64) sgc_gather_add_k<double><<<b, SGC_NT>>>(g, (const double *)src, (double *)dst, n);
        else if (dtype == SG_FLOAT32) sgc_gather_add_k<float><<<b, SGC_NT>>>(g, (const float *)src, (float *)dst, n);
        else return sgc_typeerr("the GPU kernels accumulate float32 or float64 gradients only");
    } else {
        switch (sg_dtype_size(dtype)) {
        case 1: sgc_gather_k<unsigned char><<<b, SGC_NT>>>(g, (const unsigned char *)src, (unsigned char *)dst, n); break;
        case 2: sgc_gather_k<unsigned short><<<b, SGC_NT>>>(g, (const unsigned short *)src, (unsigned short *)dst, n); break;
        case 4: sgc_gather_k<unsigned int><<<b, SGC_NT>>>(g, (const unsigned int *)src, (unsigned int *)dst, n); break;
        case 8: sgc_gather_k<unsigned long long><<<b, SGC_NT>>>(g, (const unsigned long long *)src, (unsigned long long *)dst, n); break;
        default: return sgc_typeerr("unsupported dtype");
        }
    }
    return sgc_check("gather kernel");
}
/* Row blocks: dst[o*ds + t] = src[o*ss + t] (or +=) for o < outer, t < w (offsets in elements). */
template <typename U> __global__ void sgc_blk_k(U *dst, int64_t ds, const U *src, int64_t ss, int64_t outer, int64_t w) {
    SGC_LOOP(i, outer * w) { int64_t o = i / w, t = i - o * w; dst[o * ds + t] = src[o * ss + t]; }
}
template <typename T> __global__ void sgc_blk_add_k(T *dst, int64_t ds, const T *src, int64_t ss, int64_t outer, int64_t w) {
    SGC_LOOP(i, outer * w) { int64_t o = i / w, t = i - o * w; dst[o * ds + t] += src[o * ss + t]; }
}
static int sgc_blk(int dtype, void *dst, int64_t ds, int64_t doff, const void *src, int64_t ss, int64_t soff, int64_t outer,
                   int64_t w, int add) {
    size_t es = sg_dtype_size(dtype);
    if (outer <= 0 || w <= 0) return SG_OK;
    unsigned b = sgc_blocks(outer * w);
    char *d = (char *)dst + (size_t)doff * es;
    const char *s = (const char *)src + (size_t)soff * es;
    if (add) {
        if (dtype == SG_FLOAT64) sgc_blk_add_k<double><<<b, SGC_NT>>>((double *)d, ds, (const double *)s, ss, outer, w);
        else if (dtype == SG_FLOAT32) sgc_blk_add_k<float><<<b, SGC_NT>>>((float *)d, ds, (const float *)s, ss, outer, w);
        else return sgc_typeerr("the GPU kernels accumulate float32 or float64 gradients only");
    } else {
        switch (es) {
        case 1: sgc_blk_k<unsigned char><<<b, SGC_NT>>>((unsigned char *)d, ds, (const unsigned char *)s, ss, outer, w); break;
        case 2: sgc_blk_k<unsigned short><<<b, SGC_NT>>>((unsigned short *)d, ds, (const unsigned short *)s, ss, outer, w); break;
        case 4: sgc_blk_k<unsigned int><<<b, SGC_NT>>>((unsigned int *)d, ds, (const unsigned int *)s, ss, outer, w); break;
        case 8: sgc_blk_k<unsigned long long><<<b, SGC_NT>>>((unsigned long long *)d, ds, (const unsigned long long *)s, ss, outer, w); break;
        default: return sgc_typeerr("unsupported dtype");
        }
    }
    return sgc_check("copy kernel");
}

/* Sum reductions: d[j] (+)= sum over the reduced set of j of v, v = operand 0
 * (op < 0) or the binary gradient sgc_bgrad(op, side, p0, p1, p2); the sum in
 * double; mean divides by cnt in T. One block per output (block reduction), or
 * one thread per output when the sets are small and the outputs many. */
template <typename T> __device__ __forceinline__ T sgc_rv(int op, int side, const T *p0, const T *p1, const T *p2, const int64_t *o) {
    return op < 0 ? p0[o[0]] : sgc_bgrad<T>(op, side, p0[o[0]], p1[o[1]], p2[o[2]]);
}
template <typename T> __device__ __forceinline__ void sgc_rput(T *d, int64_t j, double s, int64_t cnt, int add, int mean) {
    T v = mean ? (T)s / (T)cnt : (T)s;
    if (add) d[j] += v; else d[j] = v;
}
template <typename T> __global__ void sgc_rsum_blk_k(sgc_geo g, int op, int side, const T *p0, const T *p1, const T *p2, T *d,
                                                     int64_t n, int add, int mean) {
    for (int64_t j = blockIdx.x; j < n; j += gridDim.x) {
        int64_t b[3], o[3];
        double s = 0;
        sgc_geo_at(g, j, b);
        for (int64_t r = threadIdx.x; r < g.cnt; r += blockDim.x) {
            sgc_geo_red_at(g, r, b, o);
            s += (double)sgc_rv<T>(op, side, p0, p1, p2, o);
        }
        s = sgc_bsum<double>(s);
        if (threadIdx.x == 0) sgc_rput<T>(d, j, s, g.cnt, add, mean);
    }
}
template <typename T> __global__ void sgc_rsum_thr_k(sgc_geo g, int op, int side, const T *p0, const T *p1, const T *p2, T *d,
                                                     int64_t n, int add, int mean) {
    SGC_LOOP(j, n) {
        int64_t b[3], o[3];
        double s = 0;
        sgc_geo_at(g, j, b);
        for (int64_t r = 0; r < g.cnt; r++) {
            sgc_geo_red_at(g, r, b, o);
            s += (double)sgc_rv<T>(op, side, p0, p1, p2, o);
        }
        sgc_rput<T>(d, j, s, g.cnt, add, mean);
    }
}
template <typename T> static int sgc_rsum(const sgc_geo &g, int op, int side, const T *p0, const T *p1, const T *p2, T *d, int64_t n,
                                          int add, int mean) {
    if (n <= 0) return SG_OK;
    if (g.cnt >= 64 || n < 1024) sgc_rsum_blk_k<T><<<(unsigned)(n < 65535 ? n : 65535), SGC_NT>>>(g, op, side, p0, p1, p2, d, n, add, mean);
    else sgc_rsum_thr_k<T><<<sgc_blocks(n), SGC_NT>>>(g, op, side, p0, p1, p2, d, n, add, mean);
    return sgc_check("reduction kernel");
}

/* ======================================================= broadcast_* ==== */
/* Strides of x in the output's index space, x left-padded with 1s (0 on its
 * broadcast axes), as the CPU's sg__bcast_walk; 0 when x does not broadcast. */
static int sgc_bstrides(const sg_ndarray *x, const sg_shape *os, int64_t *st) {
    sg_shape s = sgc_kshape(x);
    int pad = os->ndim - s.ndim;
    int64_t m = 1;
    if (pad < 0) return 0;
    for (int i = os->ndim - 1; i >= 0; i--) {
        int64_t d = i >= pad ? s.dims[i - pad] : 1;
        if (d != os->dims[i] && d != 1) return 0;
        st[i] = (d == 1 && os->dims[i] != 1) ? 0 : m;
        m *= d;
    }
    return 1;
}
/* lhs, rhs and output (og) strides over the output shape *os. */
static int sgc_bcast_prep(sg__kctx *k, const sg__node *n, const sg_ndarray *l, const sg_ndarray *r, const sg_ndarray *o, sg_shape *os,
                          int64_t (*st)[SG_MAX_NDIM]) {
    *os = sgc_kshape(o);
    if (!sgc_bstrides(l, os, st[0]) || !sgc_bstrides(r, os, st[1]))
        return sg_kctx_error(k, n, SG_ERR_SHAPE, "the inputs do not broadcast to the output");
    int64_t m = 1;
    for (int i = os->ndim - 1; i >= 0; i--) { st[2][i] = m; m *= os->dims[i]; }
    return SG_OK;
}
template <typename T> __global__ void sgc_bcast_k(int op, sgc_geo g, const T *a, const T *b, T *y, int64_t n) {
    SGC_LOOP(i, n) { int64_t o[3]; sgc_geo_at(g, i, o); y[i] = sgc_bin<T>(op, a[o[0]], b[o[1]]); }
}
/* A side whose gradient has the output's size: one thread per element. */
template <typename T> __global__ void sgc_bcast_bwd_k(int op, int side, sgc_geo g, const T *gr, const T *a, const T *b, T *d, int64_t n, int add) {
    SGC_LOOP(i, n) {
        int64_t o[3];
        sgc_geo_at(g, i, o);
        T v = sgc_bgrad<T>(op, side, gr[i], a[o[0]], b[o[1]]);
        if (add) d[i] += v; else d[i] = v;
    }
}
static int sgc_bcast_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *a[3] = {in[0], in[1], out[0]};
    int64_t st[3][SG_MAX_NDIM];
    sg_shape os;
    sgc_geo g;
    int op = sgc_binop(n, NULL), s;
    if (op < 0) return sgc_nobin(k, n);
    if ((s = sgc_dtype(k, n, a, 3)) || (s = sgc_bcast_prep(k, n, in[0], in[1], out[0], &os, st))) return s;
    if (!out[0]->size) return SG_OK;
    sgc_geo_init(&g);
    for (int i = 0; i < os.ndim; i++) sgc_geo_keep(&g, os.dims[i], st[0][i], st[1][i], 0);
    if (out[0]->dtype == SG_FLOAT64)
        sgc_bcast_k<double><<<sgc_blocks(out[0]->size), SGC_NT>>>(op, g, (const double *)in[0]->data, (const double *)in[1]->data, (double *)out[0]->data, out[0]->size);
    else
        sgc_bcast_k<float><<<sgc_blocks(out[0]->size), SGC_NT>>>(op, g, (const float *)in[0]->data, (const float *)in[1]->data, (float *)out[0]->data, out[0]->size);
    return sgc_kerr(k, n, sgc_check("broadcast kernel"));
}
/* Each input's gradient is the elementwise one summed over its broadcast axes
 * (one block, or one thread, per gradient element: no atomics). lhs first: ig[0]
 * may be ig[1] (then both have the output's shape). */
template <typename T> static int sgc_bcast_side(int op, int side, const sg_shape &os, int64_t (*st)[SG_MAX_NDIM], const sg_ndarray *gr,
                                                const sg_ndarray *l, const sg_ndarray *r, sg_ndarray *d, int add) {
    sgc_geo g;
    sgc_geo_init(&g);
    if (!d->size) return SG_OK;
    if (d->size == gr->size) {
        for (int i = 0; i < os.ndim; i++) sgc_geo_keep(&g, os.dims[i], st[0][i], st[1][i], 0);
        sgc_bcast_bwd_k<T><<<sgc_blocks(d->size), SGC_NT>>>(op, side, g, (const T *)gr->data, (const T *)l->data, (const T *)r->data,
                                                           (T *)d->data, d->size, add);
        return sgc_check("broadcast backward kernel");
    }
    /* operand 0 the output gradient, 1 lhs, 2 rhs */
    for (int i = 0; i < os.ndim; i++) {
        if (st[side][i] == 0 && os.dims[i] != 1) sgc_geo_red(&g, os.dims[i], st[2][i], st[0][i], st[1][i]);
        else sgc_geo_keep(&g, os.dims[i], st[2][i], st[0][i], st[1][i]);
    }
    return sgc_rsum<T>(g, op, side, (const T *)gr->data, (const T *)l->data, (const T *)r->data, (T *)d->data, d->size, add, 0);
}
static int sgc_bcast_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                         sg_ndarray *const *ig, const int *req) {
    sg_ndarray *a[5] = {og[0], in[0], in[1], ig[0], ig[1]};
    int64_t st[3][SG_MAX_NDIM];
    sg_shape os;
    int op = sgc_binop(n, NULL), s;
    (void)out;
    if (op < 0) return sgc_nobin(k, n);
    if (!ig[0] && !ig[1]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 2));
    if ((s = sgc_dtype(k, n, a, 5)) || (s = sgc_bcast_prep(k, n, in[0], in[1], og[0], &os, st))) return s;
    for (int side = 0; side < 2; side++) {
        if (!ig[side]) continue;
        if (ig[side]->size != in[side]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "a gradient differs from its input in size");
        if (og[0]->dtype == SG_FLOAT64) s = sgc_bcast_side<double>(op, side, os, st, og[0], in[0], in[1], ig[side], req[side] == SG_REQ_ADD);
        else s = sgc_bcast_side<float>(op, side, os, st, og[0], in[0], in[1], ig[side], req[side] == SG_REQ_ADD);
        if (s) return sgc_kerr(k, n, s);
    }
    return SG_OK;
}

/* ======================================================= broadcast_to ==== */
/* The input's strides in the output's index space (0 on the broadcast axes), as sg__broadcast_to_walk. */
static int sgc_bto_prep(sg__kctx *k, const sg__node *n, const sg_ndarray *x, const sg_ndarray *y, sg_shape *os, int64_t *ist, int64_t *ost) {
    sg_shape is = sgc_kshape(x);
    int64_t mi = 1, mo = 1;
    *os = sgc_kshape(y);
    if (is.ndim > os->ndim) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the input has more dims than the output");
    for (int i = os->ndim - 1; i >= 0; i--) {
        int64_t d = i < is.ndim ? is.dims[i] : 1;
        if (d != os->dims[i] && d != 1) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the input does not broadcast to the output");
        ist[i] = (d == 1 && os->dims[i] != 1) ? 0 : mi;
        ost[i] = mo;
        mi *= d;
        mo *= os->dims[i];
    }
    return SG_OK;
}
static int sgc_bto_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t ist[SG_MAX_NDIM], ost[SG_MAX_NDIM];
    sg_shape os;
    sgc_geo g;
    int st;
    if (in[0]->dtype != out[0]->dtype) return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype mismatch");
    if ((st = sgc_bto_prep(k, n, in[0], out[0], &os, ist, ost))) return st;
    sgc_geo_init(&g);
    for (int i = 0; i < os.ndim; i++) sgc_geo_keep(&g, os.dims[i], ist[i], 0, 0);
    return sgc_kerr(k, n, sgc_gather(g, out[0]->dtype, in[0]->data, out[0]->data, out[0]->size, 0));
}
/* dx sums g over the broadcast axes. */
static int sgc_bto_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                       sg_ndarray *const *ig, const int *req) {
    int64_t ist[SG_MAX_NDIM], ost[SG_MAX_NDIM];
    sg_shape os;
    sgc_geo g;
    int st, add = req[0] == SG_REQ_ADD;
    (void)out;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    if (og[0]->dtype != ig[0]->dtype) return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype mismatch");
    if (ig[0]->size == og[0]->size) { /* nothing broadcast */
        if (add && !sgc_isfloat(ig[0]->dtype)) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "the GPU kernels accumulate float32 or float64 gradients only");
        return sgc_kerr(k, n, sgc_put(ig[0], og[0], add));
    }
    if (!sgc_isfloat(ig[0]->dtype)) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "the GPU broadcast_to gradient takes float32 or float64");
    if ((st = sgc_bto_prep(k, n, in[0], og[0], &os, ist, ost))) return st;
    sgc_geo_init(&g);
    for (int i = 0; i < os.ndim; i++) {
        if (ist[i] == 0 && os.dims[i] != 1) sgc_geo_red(&g, os.dims[i], ost[i], 0, 0);
        else sgc_geo_keep(&g, os.dims[i], ost[i], 0, 0);
    }
    if (ig[0]->dtype == SG_FLOAT64) st = sgc_rsum<double>(g, -1, 0, (const double *)og[0]->data, NULL, NULL, (double *)ig[0]->data, ig[0]->size, add, 0);
    else st = sgc_rsum<float>(g, -1, 0, (const float *)og[0]->data, NULL, NULL, (float *)ig[0]->data, ig[0]->size, add, 0);
    return sgc_kerr(k, n, st);
}

/* ======================================================= unary math, clip, BlockGrad ==== */
enum { SGC_U_SIN, SGC_U_COS, SGC_U_EXP, SGC_U_LOG, SGC_U_SQRT, SGC_U_SQUARE, SGC_U_ABS, SGC_U_NEG };
static int sgc_unary_code(const sg__node *n) {
    static const char *const names[] = {"sin", "cos", "exp", "log", "sqrt", "square", "abs", "negative"};
    const char *o = sg_knode_op(n);
    for (int i = 0; o && i < (int)(sizeof names / sizeof names[0]); i++)
        if (!strcmp(names[i], o)) return i;
    return -1;
}
/* as the CPU's sg__unary_row / sg__unary_grad; y may be x (in place) */
template <typename T> __global__ void sgc_unary_k(int op, const T *x, T *y, int64_t n) {
    SGC_LOOP(i, n) {
        T X = x[i], v;
        switch (op) {
        case SGC_U_SIN: v = sgc_sin(X); break;
        case SGC_U_COS: v = sgc_cos(X); break;
        case SGC_U_EXP: v = sgc_exp(X); break;
        case SGC_U_LOG: v = sgc_log(X); break;
        case SGC_U_SQRT: v = sgc_sqrt(X); break;
        case SGC_U_SQUARE: v = X * X; break;
        case SGC_U_ABS: v = sgc_fabs(X); break;
        default: v = -X; break;
        }
        y[i] = v;
    }
}
template <typename T> __global__ void sgc_unary_bwd_k(int op, const T *g, const T *x, const T *y, T *d, int64_t n, int add) {
    SGC_LOOP(i, n) {
        T G = g[i], X = x[i], Y = y[i], v;
        switch (op) {
        case SGC_U_SIN: v = G * sgc_cos(X); break;
        case SGC_U_COS: v = -G * sgc_sin(X); break;
        case SGC_U_EXP: v = G * Y; break;
        case SGC_U_LOG: v = G / X; break;
        case SGC_U_SQRT: v = G * ((T)0.5 / Y); break;
        case SGC_U_SQUARE: v = (T)2 * X * G; break;
        case SGC_U_ABS: v = X > (T)0 ? G : X < (T)0 ? -G : (T)0; break;
        default: v = -G; break;
        }
        if (add) d[i] += v; else d[i] = v;
    }
}
static int sgc_unary_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *a[2] = {in[0], out[0]};
    int op = sgc_unary_code(n), st;
    if (op < 0) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "no unary GPU kernel");
    if ((st = sgc_dtype(k, n, a, 2))) return st;
    if (in[0]->size != out[0]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the output differs in size");
    if (!out[0]->size) return SG_OK;
    if (out[0]->dtype == SG_FLOAT64) sgc_unary_k<double><<<sgc_blocks(out[0]->size), SGC_NT>>>(op, (const double *)in[0]->data, (double *)out[0]->data, out[0]->size);
    else sgc_unary_k<float><<<sgc_blocks(out[0]->size), SGC_NT>>>(op, (const float *)in[0]->data, (float *)out[0]->data, out[0]->size);
    return sgc_kerr(k, n, sgc_check("unary kernel"));
}
static int sgc_unary_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                         sg_ndarray *const *ig, const int *req) {
    int op = sgc_unary_code(n), st;
    if (op < 0) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "no unary GPU kernel");
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    sg_ndarray *a[4] = {og[0], in[0], out[0], ig[0]};
    if ((st = sgc_dtype(k, n, a, 4))) return st;
    if (!ig[0]->size) return SG_OK;
    if (ig[0]->dtype == SG_FLOAT64)
        sgc_unary_bwd_k<double><<<sgc_blocks(ig[0]->size), SGC_NT>>>(op, (const double *)og[0]->data, (const double *)in[0]->data,
                                                                    (const double *)out[0]->data, (double *)ig[0]->data, ig[0]->size, req[0] == SG_REQ_ADD);
    else
        sgc_unary_bwd_k<float><<<sgc_blocks(ig[0]->size), SGC_NT>>>(op, (const float *)og[0]->data, (const float *)in[0]->data,
                                                                  (const float *)out[0]->data, (float *)ig[0]->data, ig[0]->size, req[0] == SG_REQ_ADD);
    return sgc_kerr(k, n, sgc_check("unary backward kernel"));
}
/* y = x > a_max ? a_max : x < a_min ? a_min : x; dx = g except where x < a_min
 * or x > a_max (NaN passes g, as MXNet; bounds in T). */
template <typename T> __global__ void sgc_clip_k(const T *x, T *y, int64_t n, T lo, T hi) {
    SGC_LOOP(i, n) { T v = x[i]; y[i] = v > hi ? hi : v < lo ? lo : v; }
}
template <typename T> __global__ void sgc_clip_bwd_k(const T *g, const T *x, T *d, int64_t n, T lo, T hi, int add) {
    SGC_LOOP(i, n) {
        T v = (x[i] < lo || x[i] > hi) ? (T)0 : g[i];
        if (add) d[i] += v; else d[i] = v;
    }
}
static int sgc_clip_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *a[2] = {in[0], out[0]};
    double lo = sgc_pf(n, "a_min"), hi = sgc_pf(n, "a_max");
    int st;
    if ((st = sgc_dtype(k, n, a, 2))) return st;
    if (in[0]->size != out[0]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the output differs in size");
    if (!out[0]->size) return SG_OK;
    if (out[0]->dtype == SG_FLOAT64) sgc_clip_k<double><<<sgc_blocks(out[0]->size), SGC_NT>>>((const double *)in[0]->data, (double *)out[0]->data, out[0]->size, lo, hi);
    else sgc_clip_k<float><<<sgc_blocks(out[0]->size), SGC_NT>>>((const float *)in[0]->data, (float *)out[0]->data, out[0]->size, (float)lo, (float)hi);
    return sgc_kerr(k, n, sgc_check("clip kernel"));
}
static int sgc_clip_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                        sg_ndarray *const *ig, const int *req) {
    double lo = sgc_pf(n, "a_min"), hi = sgc_pf(n, "a_max");
    int st;
    (void)out;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    sg_ndarray *a[3] = {og[0], in[0], ig[0]};
    if ((st = sgc_dtype(k, n, a, 3))) return st;
    if (!in[0]->size) return SG_OK;
    if (ig[0]->dtype == SG_FLOAT64)
        sgc_clip_bwd_k<double><<<sgc_blocks(in[0]->size), SGC_NT>>>((const double *)og[0]->data, (const double *)in[0]->data,
                                                                   (double *)ig[0]->data, in[0]->size, lo, hi, req[0] == SG_REQ_ADD);
    else
        sgc_clip_bwd_k<float><<<sgc_blocks(in[0]->size), SGC_NT>>>((const float *)og[0]->data, (const float *)in[0]->data,
                                                                 (float *)ig[0]->data, in[0]->size, (float)lo, (float)hi, req[0] == SG_REQ_ADD);
    return sgc_kerr(k, n, sgc_check("clip backward kernel"));
}
/* BlockGrad: y = x (sgc_copy_fwd); the gradient is zero. */
static int sgc_blockgrad_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                             sg_ndarray *const *ig, const int *req) {
    (void)og; (void)in; (void)out;
    return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
}

/* ======================================================= regression outputs, MakeLoss ==== */
enum { SGC_REG_LINEAR, SGC_REG_LOGISTIC, SGC_REG_MAE };
static int sgc_reg_kind(const sg__node *n) {
    const char *o = sg_knode_op(n);
    if (!strcmp(o, "LogisticRegressionOutput")) return SGC_REG_LOGISTIC;
    return !strcmp(o, "MAERegressionOutput") ? SGC_REG_MAE : SGC_REG_LINEAR;
}
template <typename T> __global__ void sgc_sigm_k(const T *x, T *y, int64_t n) { SGC_LOOP(i, n) y[i] = (T)1 / ((T)1 + sgc_exp(-x[i])); }
/* dx = f(y, label) * s, f = y - label, or sign(y - label) with 0 giving -1 (MAE); the head gradient is ignored. */
template <typename T> __global__ void sgc_reg_bwd_k(int kind, const T *y, const T *l, T *dx, int64_t n, T s, int add) {
    SGC_LOOP(i, n) {
        T v = kind == SGC_REG_MAE ? (y[i] - l[i] > (T)0 ? s : -s) : (y[i] - l[i]) * s;
        if (add) dx[i] += v; else dx[i] = v;
    }
}
static int sgc_reg_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *a[2] = {in[0], out[0]};
    int st;
    if ((st = sgc_dtype(k, n, a, 2))) return st;
    if (in[0]->size != out[0]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the output differs in size");
    if (sgc_reg_kind(n) != SGC_REG_LOGISTIC) return sgc_kerr(k, n, sgc_put(out[0], in[0], 0));
    if (!out[0]->size) return SG_OK;
    if (out[0]->dtype == SG_FLOAT64) sgc_sigm_k<double><<<sgc_blocks(out[0]->size), SGC_NT>>>((const double *)in[0]->data, (double *)out[0]->data, out[0]->size);
    else sgc_sigm_k<float><<<sgc_blocks(out[0]->size), SGC_NT>>>((const float *)in[0]->data, (float *)out[0]->data, out[0]->size);
    return sgc_kerr(k, n, sgc_check("regression output kernel"));
}
static int sgc_reg_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                       sg_ndarray *const *ig, const int *req) {
    int64_t d0 = in[1]->shape.ndim > 0 ? in[1]->shape.dims[0] : 1;
    int st;
    (void)og;
    if (!ig[0]) return SG_OK;
    sg_ndarray *a[4] = {in[0], in[1], out[0], ig[0]};
    if ((st = sgc_dtype(k, n, a, 4))) return st;
    if (in[1]->size != out[0]->size || ig[0]->size != out[0]->size)
        return sg_kctx_error(k, n, SG_ERR_SHAPE, "the label and the data differ in size");
    if (d0 <= 0) return SG_OK;
    /* grad_scale / num_output in float, as MXNet 1.9.1 (also for float64 data) */
    double s = (double)((float)sgc_pf(n, "grad_scale") / (float)(in[1]->size / d0));
    if (!out[0]->size) return SG_OK;
    if (out[0]->dtype == SG_FLOAT64)
        sgc_reg_bwd_k<double><<<sgc_blocks(out[0]->size), SGC_NT>>>(sgc_reg_kind(n), (const double *)out[0]->data, (const double *)in[1]->data,
                                                                    (double *)ig[0]->data, out[0]->size, s, req[0] == SG_REQ_ADD);
    else
        sgc_reg_bwd_k<float><<<sgc_blocks(out[0]->size), SGC_NT>>>(sgc_reg_kind(n), (const float *)out[0]->data, (const float *)in[1]->data,
                                                                  (float *)ig[0]->data, out[0]->size, (float)s, req[0] == SG_REQ_ADD);
    return sgc_kerr(k, n, sgc_check("regression output backward"));
}
/* MakeLoss: y = x; dx = grad_scale / v, v = 1 (null), size / last dim (batch) or
 * max(1, count(x > valid_thresh)) (valid: counted on the GPU into the workspace). */
static size_t sgc_makeloss_ws(const sg__node *n, const sg_shape *in, const sg_shape *out) { (void)n; (void)in; (void)out; return 64; }
template <typename T> __global__ void sgc_count_gt_k(const T *x, int64_t n, T th, unsigned long long *cnt) {
    unsigned long long c = 0;
    SGC_LOOP(i, n) c += x[i] > th ? 1ull : 0ull;
    c = sgc_bsum<unsigned long long>(c);
    if (threadIdx.x == 0 && c) atomicAdd(cnt, c);
}
template <typename T> __global__ void sgc_makeloss_k(T *dx, int64_t n, double v, double den, const unsigned long long *cnt, int add) {
    if (cnt) { unsigned long long c = *cnt; den = c > 1 ? (double)c : 1.0; }
    T g = (T)(v / den);
    SGC_LOOP(i, n) { if (add) dx[i] += g; else dx[i] = g; }
}
static int sgc_makeloss_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *a[2] = {in[0], out[0]};
    int st;
    if ((st = sgc_dtype(k, n, a, 2))) return st;
    return sgc_kerr(k, n, sgc_put(out[0], in[0], 0));
}
static int sgc_makeloss_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                            sg_ndarray *const *ig, const int *req) {
    const char *norm = sgc_ps(n, "normalization");
    const sg_shape *sh = &in[0]->shape;
    double v = sgc_pf(n, "grad_scale"), den = 1, th = sgc_pf(n, "valid_thresh");
    int64_t sz = in[0]->size;
    unsigned long long *cnt = NULL;
    int st, dbl = in[0]->dtype == SG_FLOAT64, add = req[0] == SG_REQ_ADD;
    (void)og; (void)out;
    if (!ig[0]) return SG_OK;
    sg_ndarray *a[2] = {in[0], ig[0]};
    if ((st = sgc_dtype(k, n, a, 2))) return st;
    if (!sz) return SG_OK;
    if (!strcmp(norm, "batch")) {
        int64_t last = sh->ndim > 0 ? sh->dims[sh->ndim - 1] : 1;
        den = last > 0 ? (double)(sz / last) : 1;
        v = (double)((float)v / (float)den); /* in float, as the CPU (sg__makeloss_bwd) */
        den = 1;
    } else if (!strcmp(norm, "valid")) {
        size_t wsb = 0;
        cnt = (unsigned long long *)sg_kctx_workspace(k, &wsb);
        if (!cnt || wsb < sizeof(unsigned long long)) return sg_kctx_error(k, n, SG_ERR_ARG, "no workspace");
        cudaError_t e = cudaMemsetAsync(cnt, 0, sizeof(unsigned long long), 0);
        if (e != cudaSuccess) return sgc_kerr(k, n, sgc_fail("memset", e));
        if (dbl) sgc_count_gt_k<double><<<sgc_blocks(sz), SGC_NT>>>((const double *)in[0]->data, sz, th, cnt);
        else sgc_count_gt_k<float><<<sgc_blocks(sz), SGC_NT>>>((const float *)in[0]->data, sz, (float)th, cnt);
        if ((st = sgc_check("MakeLoss count"))) return sgc_kerr(k, n, st);
    }
    if (dbl) sgc_makeloss_k<double><<<sgc_blocks(sz), SGC_NT>>>((double *)ig[0]->data, sz, v, den, cnt, add);
    else sgc_makeloss_k<float><<<sgc_blocks(sz), SGC_NT>>>((float *)ig[0]->data, sz, v, den, cnt, add);
    return sgc_kerr(k, n, sgc_check("MakeLoss backward"));
}

/* ======================================================= LeakyReLU ==== */
/* As the CPU: leaky, elu, selu and rrelu take the gradient from the output
 * (MXNet's selu gradient lambda*(y + alpha) for y <= 0 included), gelu and prelu
 * from the input; prelu's gamma broadcasts as MXNet's expand_shape (dims 0, 1);
 * rrelu's training slopes are drawn on the host from the executor's generator as
 * the CPU draws them, then copied to the mask output. */
enum { SGC_LK_ELU, SGC_LK_GELU, SGC_LK_LEAKY, SGC_LK_PRELU, SGC_LK_RRELU, SGC_LK_SELU, SGC_LK_NONE };
#define SGC_SELU_L 1.0507009873554804934193349852946
#define SGC_SELU_A 1.6732632423543772848170429916717
static int sgc_leaky_type(const sg__node *n) {
    const char *t = sgc_ps(n, "act_type");
    if (!t[0] || !strcmp(t, "leaky")) return SGC_LK_LEAKY;
    if (!strcmp(t, "elu")) return SGC_LK_ELU;
    if (!strcmp(t, "gelu")) return SGC_LK_GELU;
    if (!strcmp(t, "prelu")) return SGC_LK_PRELU;
    if (!strcmp(t, "rrelu")) return SGC_LK_RRELU;
    if (!strcmp(t, "selu")) return SGC_LK_SELU;
    return SGC_LK_NONE;
}
template <typename T> __global__ void sgc_leaky_k(int t, T slope, const T *x, T *y, int64_t n) {
    SGC_LOOP(i, n) {
        T v = x[i];
        switch (t) {
        case SGC_LK_LEAKY: y[i] = v > (T)0 ? v : slope * v; break;
        case SGC_LK_ELU: y[i] = v > (T)0 ? v : slope * sgc_expm1(v); break;
        case SGC_LK_SELU: y[i] = (T)SGC_SELU_L * (v > (T)0 ? v : (T)SGC_SELU_A * sgc_expm1(v)); break;
        default: y[i] = (T)0.5 * v * ((T)1 + sgc_erf(v * (T)0.70710678118654752440)); break; /* gelu */
        }
    }
}
template <typename T> __global__ void sgc_leaky_bwd_k(int t, T slope, const T *g, const T *x, const T *y, T *dx, int64_t n, int add) {
    SGC_LOOP(i, n) {
        T m;
        switch (t) {
        case SGC_LK_LEAKY: m = y[i] > (T)0 ? (T)1 : slope; break;
        case SGC_LK_ELU: m = y[i] > (T)0 ? (T)1 : y[i] + slope; break;
        case SGC_LK_SELU: m = y[i] > (T)0 ? (T)SGC_SELU_L : (T)SGC_SELU_L * (y[i] + (T)SGC_SELU_A); break;
        default: /* gelu */
            m = (T)0.5 * ((T)1 + sgc_erf(x[i] * (T)0.70710678118654752440)) +
                x[i] * sgc_exp((T)-0.5 * x[i] * x[i]) * (T)0.39894228040143267794;
            break;
        }
        if (add) dx[i] += g[i] * m; else dx[i] = g[i] * m;
    }
}
/* prelu: data (n0, n1, inner); gamma index (g0 ? a*g1 : 0) + (g1 > 1 ? b : 0). */
struct sgc_prelu { int64_t n0, n1, inner, g1; int g0; };
static int sgc_prelu_geo(const sg_shape *d, const sg_shape *gm, sgc_prelu *p) {
    int64_t res[SG_MAX_NDIM];
    int s = gm->ndim - 1;
    for (int i = d->ndim - 1; i >= 0; i--) {
        if (s >= 0 && i <= 1 && (d->dims[i] == gm->dims[s] || gm->dims[s] == 1)) res[i] = gm->dims[s--];
        else res[i] = 1;
    }
    if (s != -1 || d->ndim < 1) return 0;
    p->n0 = d->dims[0];
    p->n1 = d->ndim > 1 ? d->dims[1] : 1;
    p->inner = 1;
    for (int i = 2; i < d->ndim; i++) p->inner *= d->dims[i];
    p->g0 = res[0] != 1;
    p->g1 = d->ndim > 1 ? res[1] : 1;
    return 1;
}
__device__ __forceinline__ int64_t sgc_prelu_gi(const sgc_prelu &p, int64_t i) {
    int64_t ab = i / p.inner, a = ab / p.n1, b = ab - a * p.n1;
    return (p.g0 ? a * p.g1 : 0) + (p.g1 > 1 ? b : 0);
}
template <typename T> __global__ void sgc_prelu_k(sgc_prelu p, const T *x, const T *gm, T *y, int64_t n) {
    SGC_LOOP(i, n) { T v = x[i], s = gm[sgc_prelu_gi(p, i)]; y[i] = v > (T)0 ? v : s * v; }
}
template <typename T> __global__ void sgc_prelu_bwd_k(sgc_prelu p, const T *g, const T *x, const T *gm, T *dx, int64_t n, int add) {
    SGC_LOOP(i, n) {
        T m = x[i] > (T)0 ? (T)1 : gm[sgc_prelu_gi(p, i)];
        if (add) dx[i] += g[i] * m; else dx[i] = g[i] * m;
    }
}
/* dgamma[gi] (+)= sum of g*x over x <= 0 of the (a, b) rows that read gamma[gi]: one block per gamma element. */
template <typename T> __global__ void sgc_prelu_dg_k(sgc_prelu p, const T *g, const T *x, T *dg, int64_t ng, int add) {
    for (int64_t gi = blockIdx.x; gi < ng; gi += gridDim.x) {
        int64_t a0 = p.g0 ? gi / p.g1 : 0, na = p.g0 ? 1 : p.n0, b0 = p.g1 > 1 ? gi % p.g1 : 0, nb = p.g1 > 1 ? 1 : p.n1;
        int64_t m = na * nb * p.inner;
        double s = 0;
        for (int64_t t = threadIdx.x; t < m; t += blockDim.x) {
            int64_t a = a0 + t / (nb * p.inner), b = b0 + (t / p.inner) % nb, o = (a * p.n1 + b) * p.inner + t % p.inner;
            if (!(x[o] > (T)0)) s += (double)g[o] * (double)x[o];
        }
        s = sgc_bsum<double>(s);
        if (threadIdx.x == 0) { if (add) dg[gi] += (T)s; else dg[gi] = (T)s; }
    }
}
template <typename T> __global__ void sgc_rrelu_k(const T *x, const T *mask, T *y, int64_t n) {
    SGC_LOOP(i, n) { T v = x[i]; y[i] = v > (T)0 ? v : mask[i] * v; }
}
template <typename T> __global__ void sgc_rrelu_bwd_k(const T *g, const T *y, const T *mask, T *dx, int64_t n, int add) {
    SGC_LOOP(i, n) {
        T m = y[i] > (T)0 ? (T)1 : mask[i];
        if (add) dx[i] += g[i] * m; else dx[i] = g[i] * m;
    }
}
static int sgc_leaky_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int t = sgc_leaky_type(n), st, dbl, nin = sg_knode_num_inputs(n);
    double slope = sgc_pf(n, "slope");
    int64_t sz = in[0]->size;
    sg_ndarray *a[4] = {in[0], out[0], nin > 1 ? in[1] : NULL, t == SGC_LK_RRELU ? out[1] : NULL};
    if (t == SGC_LK_NONE) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "this act_type has no GPU kernel");
    if ((st = sgc_dtype(k, n, a, 4))) return st;
    if (out[0]->size != sz || (a[3] && a[3]->size != sz)) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the outputs differ from the data in size");
    dbl = in[0]->dtype == SG_FLOAT64;
    if (t == SGC_LK_PRELU) {
        sgc_prelu p;
        if (nin < 2 || !sgc_prelu_geo(&in[0]->shape, &in[1]->shape, &p))
            return sg_kctx_error(k, n, SG_ERR_SHAPE, "Cannot broadcast gamma to data");
        if (!sz) return SG_OK;
        if (dbl) sgc_prelu_k<double><<<sgc_blocks(sz), SGC_NT>>>(p, (const double *)in[0]->data, (const double *)in[1]->data, (double *)out[0]->data, sz);
        else sgc_prelu_k<float><<<sgc_blocks(sz), SGC_NT>>>(p, (const float *)in[0]->data, (const float *)in[1]->data, (float *)out[0]->data, sz);
        return sgc_kerr(k, n, sgc_check("prelu kernel"));
    }
    if (t == SGC_LK_RRELU) {
        double lo = sgc_pf(n, "lower_bound"), hi = sgc_pf(n, "upper_bound");
        if (!sz) return SG_OK;
        if (sg_kctx_is_train(k)) { /* the slopes as the CPU draws them: one double uniform per element */
            sg_rng *r = sg_kctx_rng(k);
            void *h = sgc_stage_reserve(out[1]->nbytes);
            if (!h) return sg_kctx_error(k, n, SG_ERR_NOMEM, "cannot allocate the host mask buffer");
            for (int64_t i = 0; i < sz; i++) {
                double u = sg_rng_uniform(r);
                if (dbl) ((double *)h)[i] = (double)(lo + (hi - lo) * u);
                else ((float *)h)[i] = (float)(lo + (hi - lo) * u);
            }
            cudaError_t e = cudaMemcpy(out[1]->data, h, out[1]->nbytes, cudaMemcpyHostToDevice);
            if (e != cudaSuccess) return sgc_kerr(k, n, sgc_fail("rrelu mask copy", e));
        } else {
            float mean = (float)((lo + hi) / 2.0);
            if (dbl) sgc_fill_k<double><<<sgc_blocks(sz), SGC_NT>>>((double *)out[1]->data, sz, (double)mean);
            else sgc_fill_k<float><<<sgc_blocks(sz), SGC_NT>>>((float *)out[1]->data, sz, mean);
            if ((st = sgc_check("rrelu mask"))) return sgc_kerr(k, n, st);
        }
        if (dbl) sgc_rrelu_k<double><<<sgc_blocks(sz), SGC_NT>>>((const double *)in[0]->data, (const double *)out[1]->data, (double *)out[0]->data, sz);
        else sgc_rrelu_k<float><<<sgc_blocks(sz), SGC_NT>>>((const float *)in[0]->data, (const float *)out[1]->data, (float *)out[0]->data, sz);
        return sgc_kerr(k, n, sgc_check("rrelu kernel"));
    }
    if (!sz) return SG_OK;
    if (dbl) sgc_leaky_k<double><<<sgc_blocks(sz), SGC_NT>>>(t, slope, (const double *)in[0]->data, (double *)out[0]->data, sz);
    else sgc_leaky_k<float><<<sgc_blocks(sz), SGC_NT>>>(t, (float)slope, (const float *)in[0]->data, (float *)out[0]->data, sz);
    return sgc_kerr(k, n, sgc_check("LeakyReLU kernel"));
}
static int sgc_leaky_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                         sg_ndarray *const *ig, const int *req) {
    int t = sgc_leaky_type(n), st, dbl, nin = sg_knode_num_inputs(n), add = req[0] == SG_REQ_ADD;
    double slope = sgc_pf(n, "slope");
    int64_t sz = in[0]->size;
    if (t == SGC_LK_NONE) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "this act_type has no GPU kernel");
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, nin));
    sg_ndarray *a[7] = {in[0], og[0], ig[0], nin > 1 ? in[1] : NULL, nin > 1 ? ig[1] : NULL, out[0], t == SGC_LK_RRELU ? out[1] : NULL};
    if ((st = sgc_dtype(k, n, a, 7))) return st;
    dbl = in[0]->dtype == SG_FLOAT64;
    if (t == SGC_LK_PRELU) {
        sg_ndarray *dg = nin > 1 ? ig[1] : NULL;
        sgc_prelu p;
        if (!ig[0] && !dg) return SG_OK;
        if (nin < 2 || !sgc_prelu_geo(&in[0]->shape, &in[1]->shape, &p))
            return sg_kctx_error(k, n, SG_ERR_SHAPE, "Cannot broadcast gamma to data");
        if (ig[0] && sz) {
            if (dbl) sgc_prelu_bwd_k<double><<<sgc_blocks(sz), SGC_NT>>>(p, (const double *)og[0]->data, (const double *)in[0]->data,
                                                                        (const double *)in[1]->data, (double *)ig[0]->data, sz, add);
            else sgc_prelu_bwd_k<float><<<sgc_blocks(sz), SGC_NT>>>(p, (const float *)og[0]->data, (const float *)in[0]->data,
                                                                      (const float *)in[1]->data, (float *)ig[0]->data, sz, add);
            if ((st = sgc_check("prelu backward kernel"))) return sgc_kerr(k, n, st);
        }
        if (dg) {
            int64_t ng = (p.g0 ? p.n0 : 1) * p.g1;
            if (ng != dg->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "gamma's gradient does not fit gamma");
            if (ng <= 0) return SG_OK;
            unsigned b = (unsigned)(ng < 65535 ? ng : 65535);
            if (dbl) sgc_prelu_dg_k<double><<<b, SGC_NT>>>(p, (const double *)og[0]->data, (const double *)in[0]->data, (double *)dg->data, ng, req[1] == SG_REQ_ADD);
            else sgc_prelu_dg_k<float><<<b, SGC_NT>>>(p, (const float *)og[0]->data, (const float *)in[0]->data, (float *)dg->data, ng, req[1] == SG_REQ_ADD);
            return sgc_kerr(k, n, sgc_check("prelu gamma gradient"));
        }
        return SG_OK;
    }
    if (!ig[0] || !sz) return SG_OK;
    if (t == SGC_LK_RRELU) {
        if (dbl) sgc_rrelu_bwd_k<double><<<sgc_blocks(sz), SGC_NT>>>((const double *)og[0]->data, (const double *)out[0]->data,
                                                                     (const double *)out[1]->data, (double *)ig[0]->data, sz, add);
        else sgc_rrelu_bwd_k<float><<<sgc_blocks(sz), SGC_NT>>>((const float *)og[0]->data, (const float *)out[0]->data,
                                                                  (const float *)out[1]->data, (float *)ig[0]->data, sz, add);
        return sgc_kerr(k, n, sgc_check("rrelu backward kernel"));
    }
    if (dbl) sgc_leaky_bwd_k<double><<<sgc_blocks(sz), SGC_NT>>>(t, slope, (const double *)og[0]->data, (const double *)in[0]->data,
                                                                (const double *)out[0]->data, (double *)ig[0]->data, sz, add);
    else sgc_leaky_bwd_k<float><<<sgc_blocks(sz), SGC_NT>>>(t, (float)slope, (const float *)og[0]->data, (const float *)in[0]->data,
                                                              (const float *)out[0]->data, (float *)ig[0]->data, sz, add);
    return sgc_kerr(k, n, sgc_check("LeakyReLU backward kernel"));
}

/* ======================================================= softmax / log_softmax ==== */
/* y = softmax(x/T) or log_softmax(x/T) along the axis, the data viewed as outer x
 * A x inner; one block per row (o, j), in double as the CPU; the dtype parameter
 * may make the output's type differ from the input's. With use_length (softmax)
 * positions at or past length[o*inner + j] (clipped to [0, A]) get 0. */
__device__ __forceinline__ int64_t sgc_smlen(const void *len, int ldt, int64_t row, int64_t A) {
    if (!len) return A;
    double v = sgc_ld(len, ldt, row);
    return !(v > 0) ? 0 : v >= (double)A ? A : (int64_t)v;
}
template <typename TI, typename TO> __global__ void sgc_softmax_k(const TI *x, TO *y, int64_t outer, int64_t A, int64_t inner, double t,
                                                                  int logm, const void *len, int ldt) {
    for (int64_t row = blockIdx.x; row < outer * inner; row += gridDim.x) {
        int64_t o = row / inner, j = row - o * inner, base = o * A * inner + j, L = sgc_smlen(len, ldt, row, A), c;
        double mx = sgc_ninf<double>(), s = 0;
        for (c = threadIdx.x; c < L; c += blockDim.x) { double v = (double)x[base + c * inner]; if (mx < v) mx = v; }
        mx = sgc_bmax<double>(mx);
        for (c = threadIdx.x; c < L; c += blockDim.x) { /* softmax keeps e^a in y until the sum is known (same thread) */
            double e = exp(((double)x[base + c * inner] - mx) / t);
            s += e;
            if (!logm) y[base + c * inner] = (TO)e;
        }
        s = sgc_bsum<double>(s);
        if (logm) s = log(s);
        for (c = threadIdx.x; c < A; c += blockDim.x) {
            TO *q = y + base + c * inner;
            if (c >= L) *q = (TO)0;
            else if (logm) *q = (TO)(((double)x[base + c * inner] - mx) / t - s);
            else *q = (TO)((double)*q / s);
        }
    }
}
template <typename TI, typename TO> __global__ void sgc_softmax_bwd_k(const TO *g, const TO *y, TI *dx, int add, int64_t outer, int64_t A,
                                                                      int64_t inner, double t, int logm, const void *len, int ldt) {
    for (int64_t row = blockIdx.x; row < outer * inner; row += gridDim.x) {
        int64_t o = row / inner, j = row - o * inner, base = o * A * inner + j, L = sgc_smlen(len, ldt, row, A), c;
        double s = 0;
        for (c = threadIdx.x; c < L; c += blockDim.x) {
            int64_t q = base + c * inner;
            s += logm ? (double)g[q] : (double)g[q] * (double)y[q];
        }
        s = sgc_bsum<double>(s);
        for (c = threadIdx.x; c < A; c += blockDim.x) {
            int64_t q = base + c * inner;
            double gv = (double)g[q], yv = (double)y[q];
            TI v = (TI)(c >= L ? 0.0 : logm ? (gv - exp(yv) * s) / t : yv * (gv - s) / t);
            if (add) dx[q] += v; else dx[q] = v;
        }
    }
}
struct sgc_smd { int64_t outer, A, inner; double t; int logm; const void *len; int ldt; };
static int sgc_softmax_prep(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, const sg_ndarray *o, sgc_smd *d) {
    sg_kparam tp;
    const sg_shape *s = &in[0]->shape;
    if (!sgc_isfloat(in[0]->dtype) || !sgc_isfloat(o->dtype))
        return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "the GPU softmax takes float32 or float64");
    if (o->size != in[0]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the output differs in size");
    d->logm = !strcmp(sg_knode_op(n), "log_softmax");
    d->len = NULL;
    d->ldt = 0;
    if (sg_knode_num_inputs(n) > 1) {
        if (d->logm) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "use_length is not supported");
        if (!sgc_ld_ok(in[1]->dtype)) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "unsupported length dtype");
        d->len = in[1]->data;
        d->ldt = in[1]->dtype;
    }
    d->t = (sgc_param(n, "temperature", &tp) && !tp.none) ? tp.f : 1.0;
    int ax = sgc_axis(sgc_pi(n, "axis"), s->ndim);
    if (ax < 0) return sg_kctx_error(k, n, SG_ERR_SHAPE, "axis is out of range");
    d->outer = 1;
    d->inner = 1;
    for (int i = 0; i < ax; i++) d->outer *= s->dims[i];
    for (int i = ax + 1; i < s->ndim; i++) d->inner *= s->dims[i];
    d->A = s->dims[ax];
    if (d->len && in[1]->size < d->outer * d->inner) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the length has too few elements");
    return SG_OK;
}
static int sgc_softmax_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sgc_smd d;
    int st;
    if ((st = sgc_softmax_prep(k, n, in, out[0], &d))) return st;
    int64_t rows = d.outer * d.inner;
    if (rows <= 0 || d.A <= 0) return SG_OK;
    unsigned g = (unsigned)(rows < 65535 ? rows : 65535);
    int di = in[0]->dtype == SG_FLOAT64, dout = out[0]->dtype == SG_FLOAT64;
#define SGC_SMF(TI, TO) sgc_softmax_k<TI, TO><<<g, SGC_NT>>>((const TI *)in[0]->data, (TO *)out[0]->data, d.outer, d.A, d.inner, d.t, d.logm, d.len, d.ldt)
    if (di && dout) SGC_SMF(double, double);
    else if (di) SGC_SMF(double, float);
    else if (dout) SGC_SMF(float, double);
    else SGC_SMF(float, float);
#undef SGC_SMF
    return sgc_kerr(k, n, sgc_check("softmax kernel"));
}
static int sgc_softmax_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                           sg_ndarray *const *ig, const int *req) {
    sgc_smd d;
    int st, add = req[0] == SG_REQ_ADD;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    if ((st = sgc_softmax_prep(k, n, in, out[0], &d))) return st;
    if (og[0]->dtype != out[0]->dtype || ig[0]->dtype != in[0]->dtype || og[0]->size != out[0]->size || ig[0]->size != in[0]->size)
        return sg_kctx_error(k, n, SG_ERR_TYPE, "the gradients differ from the arrays in dtype or size");
    int64_t rows = d.outer * d.inner;
    if (rows <= 0 || d.A <= 0) return SG_OK;
    unsigned g = (unsigned)(rows < 65535 ? rows : 65535);
    int di = in[0]->dtype == SG_FLOAT64, dout = out[0]->dtype == SG_FLOAT64;
#define SGC_SMB(TI, TO) sgc_softmax_bwd_k<TI, TO><<<g, SGC_NT>>>((const TO *)og[0]->data, (const TO *)out[0]->data, (TI *)ig[0]->data, add, \
                                                                 d.outer, d.A, d.inner, d.t, d.logm, d.len, d.ldt)
    if (di && dout) SGC_SMB(double, double);
    else if (di) SGC_SMB(double, float);
    else if (dout) SGC_SMB(float, double);
    else SGC_SMB(float, float);
#undef SGC_SMB
    return sgc_kerr(k, n, sgc_check("softmax backward kernel"));
}

/* ======================================================= dot / batch_dot ==== */
/* batch products C_b = op(A_b) op(B_b) + beta C_b (row-major, dense, strides in
 * elements) through cuBLAS's strided batched GEMM. */
static int sgc_gemm_b(int dtype, int ta, int tb, int64_t batch, int64_t M, int64_t N, int64_t K, const void *A, int64_t lda, int64_t sA,
                      const void *B, int64_t ldb, int64_t sB, double beta, void *C, int64_t ldc, int64_t sC) {
    size_t es = dtype == SG_FLOAT64 ? 8 : 4;
    cublasOperation_t oa = ta ? CUBLAS_OP_T : CUBLAS_OP_N, ob = tb ? CUBLAS_OP_T : CUBLAS_OP_N;
    if (M <= 0 || N <= 0 || batch <= 0) return SG_OK;
    if (sgc_gemm_dims_ok(M, N, K, lda, ldb, ldc)) return SG_ERR_UNSUPPORTED;
    if (batch == 1 || K <= 0) {
        for (int64_t b = 0; b < batch; b++) {
            int st = sgc_gemm(dtype, ta, tb, M, N, K, 1.0, (const char *)A + (size_t)(b * sA) * es, lda, (const char *)B + (size_t)(b * sB) * es,
                              ldb, beta, (char *)C + (size_t)(b * sC) * es, ldc);
            if (st) return st;
        }
        return SG_OK;
    }
    for (int64_t b0 = 0; b0 < batch; b0 += 65535) {
        int nb = (int)(batch - b0 < 65535 ? batch - b0 : 65535);
        const char *a = (const char *)A + (size_t)(b0 * sA) * es, *bb = (const char *)B + (size_t)(b0 * sB) * es;
        char *c = (char *)C + (size_t)(b0 * sC) * es;
        int st;
        if (dtype == SG_FLOAT64) {
            double al = 1.0, be = beta;
            st = sgc_blasck("cublasDgemmStridedBatched",
                            cublasDgemmStridedBatched(sgc_blas, ob, oa, (int)N, (int)M, (int)K, &al, (const double *)bb, (int)ldb, (long long)sB,
                                                      (const double *)a, (int)lda, (long long)sA, &be, (double *)c, (int)ldc, (long long)sC, nb));
        } else {
            float al = 1.0f, be = (float)beta;
            st = sgc_blasck("cublasSgemmStridedBatched",
                            cublasSgemmStridedBatched(sgc_blas, ob, oa, (int)N, (int)M, (int)K, &al, (const float *)bb, (int)ldb, (long long)sB,
                                                      (const float *)a, (int)lda, (long long)sA, &be, (float *)c, (int)ldc, (long long)sC, nb));
        }
        if (st) return st;
    }
    return SG_OK;
}
/* dot's 2-D view (sg__dot_dims): lhs (M, K) (stored (K, M) when ta), rhs (K, N) (stored (N, K) when tb). */
static void sgc_dot_dims(const sg__node *n, const sg_ndarray *l, const sg_ndarray *r, int64_t *M, int64_t *N, int64_t *K) {
    int ta = (int)sgc_pi(n, "transpose_a"), tb = (int)sgc_pi(n, "transpose_b");
    sg_shape ls = sgc_kshape(l), rs = sgc_kshape(r);
    *K = ta ? ls.dims[0] : ls.dims[ls.ndim - 1];
    *M = 1;
    *N = 1;
    for (int i = ta ? 1 : 0; i < (ta ? ls.ndim : ls.ndim - 1); i++) *M *= ls.dims[i];
    for (int i = tb ? 0 : 1; i < (tb ? rs.ndim - 1 : rs.ndim); i++) *N *= rs.dims[i];
}
static int sgc_batch_dot_dims(sg__kctx *k, const sg__node *n, const sg_ndarray *l, const sg_ndarray *r, int64_t *B, int64_t *M, int64_t *N,
                              int64_t *K) {
    int ta = (int)sgc_pi(n, "transpose_a"), tb = (int)sgc_pi(n, "transpose_b"), nd = l->shape.ndim;
    if (nd < 3 || r->shape.ndim != nd) return sg_kctx_error(k, n, SG_ERR_SHAPE, "inputs must be N-D with N >= 3");
    *B = 1;
    for (int i = 0; i < nd - 2; i++) *B *= l->shape.dims[i];
    *M = ta ? l->shape.dims[nd - 1] : l->shape.dims[nd - 2];
    *K = ta ? l->shape.dims[nd - 2] : l->shape.dims[nd - 1];
    *N = tb ? r->shape.dims[nd - 2] : r->shape.dims[nd - 1];
    return SG_OK;
}
static int sgc_dot_any_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out, int batched) {
    sg_ndarray *a[3] = {in[0], in[1], out[0]};
    int64_t B = 1, M, N, K;
    int st, ta = (int)sgc_pi(n, "transpose_a"), tb = (int)sgc_pi(n, "transpose_b");
    if ((st = sgc_dtype(k, n, a, 3))) return st;
    if (batched) { if ((st = sgc_batch_dot_dims(k, n, in[0], in[1], &B, &M, &N, &K))) return st; }
    else sgc_dot_dims(n, in[0], in[1], &M, &N, &K);
    if (in[0]->size != B * M * K || in[1]->size != B * K * N || out[0]->size != B * M * N)
        return sg_kctx_error(k, n, SG_ERR_SHAPE, "the shapes do not fit the product");
    return sgc_kerr(k, n, sgc_gemm_b(out[0]->dtype, ta, tb, B, M, N, K, in[0]->data, ta ? M : K, M * K, in[1]->data, tb ? K : N, K * N, 0.0,
                                     out[0]->data, N, M * N));
}
/* Gradients of C = op(A) op(B), G = dC, as sg__dot_back: dA = G op(B)^T (transposed back
 * when ta), dB = op(A)^T G (transposed back when tb). dA first: it may be dB (dot(a, a)). */
static int sgc_dot_any_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *ig,
                           const int *req, int batched) {
    int64_t B = 1, M, N, K;
    int st, ta = (int)sgc_pi(n, "transpose_a"), tb = (int)sgc_pi(n, "transpose_b"), dt;
    if (!ig[0] && !ig[1]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 2));
    sg_ndarray *a[5] = {og[0], in[0], in[1], ig[0], ig[1]};
    if ((st = sgc_dtype(k, n, a, 5))) return st;
    if (batched) { if ((st = sgc_batch_dot_dims(k, n, in[0], in[1], &B, &M, &N, &K))) return st; }
    else sgc_dot_dims(n, in[0], in[1], &M, &N, &K);
    if (in[0]->size != B * M * K || in[1]->size != B * K * N || og[0]->size != B * M * N || (ig[0] && ig[0]->size != in[0]->size) ||
        (ig[1] && ig[1]->size != in[1]->size))
        return sg_kctx_error(k, n, SG_ERR_SHAPE, "the shapes do not fit the product");
    dt = og[0]->dtype;
    int64_t lda = ta ? M : K, ldb = tb ? K : N;
    if (ig[0]) {
        double beta = req[0] == SG_REQ_ADD ? 1.0 : 0.0;
        if (!ta) st = sgc_gemm_b(dt, 0, !tb, B, M, K, N, og[0]->data, N, M * N, in[1]->data, ldb, K * N, beta, ig[0]->data, K, M * K);
        else st = sgc_gemm_b(dt, tb, 1, B, K, M, N, in[1]->data, ldb, K * N, og[0]->data, N, M * N, beta, ig[0]->data, M, M * K);
        if (st) return sgc_kerr(k, n, st);
    }
    if (ig[1]) {
        double beta = req[1] == SG_REQ_ADD ? 1.0 : 0.0;
        if (!tb) st = sgc_gemm_b(dt, !ta, 0, B, K, N, M, in[0]->data, lda, M * K, og[0]->data, N, M * N, beta, ig[1]->data, N, K * N);
        else st = sgc_gemm_b(dt, 1, ta, B, N, K, M, og[0]->data, N, M * N, in[0]->data, lda, M * K, beta, ig[1]->data, K, K * N);
        if (st) return sgc_kerr(k, n, st);
    }
    return SG_OK;
}
static int sgc_dot_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) { return sgc_dot_any_fwd(k, n, in, out, 0); }
static int sgc_bdot_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) { return sgc_dot_any_fwd(k, n, in, out, 1); }
static int sgc_dot_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                       sg_ndarray *const *ig, const int *req) {
    (void)out;
    return sgc_dot_any_bwd(k, n, og, in, ig, req, 0);
}
static int sgc_bdot_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                        sg_ndarray *const *ig, const int *req) {
    (void)out;
    return sgc_dot_any_bwd(k, n, og, in, ig, req, 1);
}

/* ======================================================= transpose ==== */
/* Output dim i is input dim axes[i] (reversed by default). fwd: gather over the
 * output (operand 0 the input's stride); bwd: gather over the input (operand 0
 * the output's stride): each input element gets exactly one output element. */
static int sgc_transpose_geo(sg__kctx *k, const sg__node *n, const sg_ndarray *x, int inverse, sgc_geo *g) {
    sg_kparam ax;
    sg_shape s = sgc_kshape(x);
    int64_t ist[SG_MAX_NDIM], ost[SG_MAX_NDIM], od[SG_MAX_NDIM], m;
    int perm[SG_MAX_NDIM], inv[SG_MAX_NDIM], seen[SG_MAX_NDIM], i;
    sgc_param(n, "axes", &ax);
    if (ax.ndim && ax.ndim != s.ndim) return sg_kctx_error(k, n, SG_ERR_SHAPE, "axes do not match the input");
    memset(seen, 0, sizeof seen);
    for (i = 0; i < s.ndim; i++) {
        long long a = ax.ndim ? ax.t[i] : s.ndim - 1 - i;
        if (a < 0 || a >= s.ndim || seen[a]) return sg_kctx_error(k, n, SG_ERR_SHAPE, "invalid axes");
        seen[a] = 1;
        perm[i] = (int)a;
        inv[a] = i;
        od[i] = s.dims[a];
    }
    for (i = s.ndim - 1, m = 1; i >= 0; i--) { ist[i] = m; m *= s.dims[i]; }
    for (i = s.ndim - 1, m = 1; i >= 0; i--) { ost[i] = m; m *= od[i]; }
    sgc_geo_init(g);
    for (i = 0; i < s.ndim; i++) {
        if (!inverse) sgc_geo_keep(g, od[i], ist[perm[i]], 0, 0);
        else sgc_geo_keep(g, s.dims[i], ost[inv[i]], 0, 0);
    }
    return SG_OK;
}
static int sgc_transpose_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sgc_geo g;
    int st;
    if (in[0]->dtype != out[0]->dtype || in[0]->size != out[0]->size) return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype or size mismatch");
    if ((st = sgc_transpose_geo(k, n, in[0], 0, &g))) return st;
    return sgc_kerr(k, n, sgc_gather(g, out[0]->dtype, in[0]->data, out[0]->data, out[0]->size, 0));
}
static int sgc_transpose_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                             sg_ndarray *const *ig, const int *req) {
    sgc_geo g;
    int st;
    (void)out;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    if (og[0]->dtype != ig[0]->dtype || og[0]->size != ig[0]->size || ig[0]->size != in[0]->size)
        return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype or size mismatch");
    if ((st = sgc_transpose_geo(k, n, in[0], 1, &g))) return st;
    return sgc_kerr(k, n, sgc_gather(g, ig[0]->dtype, og[0]->data, ig[0]->data, ig[0]->size, req[0] == SG_REQ_ADD));
}

/* ======================================================= sum / mean / max / min ==== */
enum { SGC_R_SUM, SGC_R_MEAN, SGC_R_MAX, SGC_R_MIN };
static int sgc_reduce_kind(const sg__node *n) {
    const char *o = sg_knode_op(n);
    return !strcmp(o, "mean") ? SGC_R_MEAN : !strcmp(o, "max") ? SGC_R_MAX : !strcmp(o, "min") ? SGC_R_MIN : SGC_R_SUM;
}
/* Which axes of s are reduced (sg__reduce_out: axis None or () reduces all; exclude). */
static int sgc_reduce_mask(sg__kctx *k, const sg__node *n, const sg_shape *s, int *mask) {
    sg_kparam ap;
    long long ax[SG_MAX_NDIM];
    int excl = (int)sgc_pi(n, "exclude"), na, i, j;
    sgc_param(n, "axis", &ap);
    if (ap.none || ap.ndim == 0) {
        for (i = 0; i < s->ndim; i++) mask[i] = 1;
        return SG_OK;
    }
    na = ap.ndim < SG_MAX_NDIM ? ap.ndim : SG_MAX_NDIM;
    for (i = 0; i < na; i++) ax[i] = ap.t[i] < 0 ? ap.t[i] + s->ndim : ap.t[i];
    for (i = 1; i < na; i++)
        for (j = i; j > 0 && ax[j - 1] > ax[j]; j--) { long long t = ax[j]; ax[j] = ax[j - 1]; ax[j - 1] = t; }
    for (i = 1; i < na; i++)
        if (ax[i - 1] >= ax[i]) return sg_kctx_error(k, n, SG_ERR_SHAPE, "reduction axes have duplicates");
    if (ax[na - 1] >= s->ndim || ax[0] < 0) return sg_kctx_error(k, n, SG_ERR_SHAPE, "a reduction axis exceeds the input dimensions");
    for (i = 0; i < s->ndim; i++) mask[i] = excl;
    for (i = 0; i < na; i++) mask[ax[i]] = !excl;
    return SG_OK;
}
/* fwd (inverse 0): over the outputs, the reduced axes summed, operand 0 the input;
 * bwd (inverse 1): over the input, operand 0 the output's offset. */
static int sgc_reduce_geo(sg__kctx *k, const sg__node *n, const sg_ndarray *x, int inverse, sgc_geo *g) {
    sg_shape s = sgc_kshape(x);
    int mask[SG_MAX_NDIM], st, i;
    int64_t ist[SG_MAX_NDIM], ost[SG_MAX_NDIM], m = 1, mo = 1;
    if ((st = sgc_reduce_mask(k, n, &s, mask))) return st;
    for (i = s.ndim - 1; i >= 0; i--) {
        ist[i] = m;
        m *= s.dims[i];
        if (mask[i]) ost[i] = 0;
        else { ost[i] = mo; mo *= s.dims[i]; }
    }
    sgc_geo_init(g);
    for (i = 0; i < s.ndim; i++) {
        if (inverse) sgc_geo_keep(g, s.dims[i], ost[i], 0, 0);
        else if (mask[i]) sgc_geo_red(g, s.dims[i], ist[i], 0, 0);
        else sgc_geo_keep(g, s.dims[i], ist[i], 0, 0);
    }
    return SG_OK;
}
/* max / min keep a NaN once seen, as mshadow's red::maximum / red::minimum. */
template <typename T> __device__ __forceinline__ T sgc_mm(T a, T b, int mx) {
    if (a != a) return a;
    if (b != b) return b;
    return mx ? (a >= b ? a : b) : (a <= b ? a : b);
}
template <typename T> __device__ T sgc_bmm(T v, int mx) {
    __shared__ T sh[SGC_NT];
    sh[threadIdx.x] = v;
    __syncthreads();
    for (int s = SGC_NT / 2; s > 0; s >>= 1) {
        if ((int)threadIdx.x < s) sh[threadIdx.x] = sgc_mm<T>(sh[threadIdx.x], sh[threadIdx.x + s], mx);
        __syncthreads();
    }
    T r = sh[0];
    __syncthreads();
    return r;
}
template <typename T> __global__ void sgc_rmm_k(sgc_geo g, const T *x, T *y, int64_t n, int mx) {
    for (int64_t j = blockIdx.x; j < n; j += gridDim.x) {
        int64_t b[3], o[3];
        T m = mx ? sgc_ninf<T>() : -sgc_ninf<T>();
        sgc_geo_at(g, j, b);
        for (int64_t r = threadIdx.x; r < g.cnt; r += blockDim.x) {
            sgc_geo_red_at(g, r, b, o);
            m = sgc_mm<T>(m, x[o[0]], mx);
        }
        m = sgc_bmm<T>(m, mx);
        if (threadIdx.x == 0) y[j] = m;
    }
}
/* sum: g broadcast; mean: g / cnt; max / min: g to every element equal to the result. */
template <typename T> __global__ void sgc_rgrad_k(sgc_geo g, int kind, const T *x, const T *y, const T *gr, T *d, int64_t n, T cnt, int add) {
    SGC_LOOP(i, n) {
        int64_t o[3];
        sgc_geo_at(g, i, o);
        T gv = gr[o[0]], v;
        if (kind == SGC_R_SUM) v = gv;
        else if (kind == SGC_R_MEAN) v = gv / cnt;
        else v = x[i] == y[o[0]] ? gv : (T)0;
        if (add) d[i] += v; else d[i] = v;
    }
}
static int sgc_reduce_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *a[2] = {in[0], out[0]};
    int kind = sgc_reduce_kind(n), st;
    sgc_geo g;
    if ((st = sgc_dtype(k, n, a, 2)) || (st = sgc_reduce_geo(k, n, in[0], 0, &g))) return st;
    int64_t ny = out[0]->size;
    if (ny * g.cnt != in[0]->size && in[0]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the output does not fit the reduction");
    if (ny <= 0) return SG_OK;
    if (kind == SGC_R_SUM || kind == SGC_R_MEAN) {
        int mean = kind == SGC_R_MEAN;
        if (out[0]->dtype == SG_FLOAT64) st = sgc_rsum<double>(g, -1, 0, (const double *)in[0]->data, NULL, NULL, (double *)out[0]->data, ny, 0, mean);
        else st = sgc_rsum<float>(g, -1, 0, (const float *)in[0]->data, NULL, NULL, (float *)out[0]->data, ny, 0, mean);
        return sgc_kerr(k, n, st);
    }
    unsigned b = (unsigned)(ny < 65535 ? ny : 65535);
    if (out[0]->dtype == SG_FLOAT64) sgc_rmm_k<double><<<b, SGC_NT>>>(g, (const double *)in[0]->data, (double *)out[0]->data, ny, kind == SGC_R_MAX);
    else sgc_rmm_k<float><<<b, SGC_NT>>>(g, (const float *)in[0]->data, (float *)out[0]->data, ny, kind == SGC_R_MAX);
    return sgc_kerr(k, n, sgc_check("reduction kernel"));
}
static int sgc_reduce_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                          sg_ndarray *const *ig, const int *req) {
    int kind = sgc_reduce_kind(n), st;
    sgc_geo g, gf;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    sg_ndarray *a[4] = {og[0], in[0], out[0], ig[0]};
    if ((st = sgc_dtype(k, n, a, 4)) || (st = sgc_reduce_geo(k, n, in[0], 1, &g)) || (st = sgc_reduce_geo(k, n, in[0], 0, &gf))) return st;
    if (ig[0]->size != in[0]->size || og[0]->size != out[0]->size || (in[0]->size && out[0]->size * gf.cnt != in[0]->size))
        return sg_kctx_error(k, n, SG_ERR_SHAPE, "the gradients do not fit the reduction");
    int64_t nx = in[0]->size;
    if (nx <= 0) return SG_OK;
    if (ig[0]->dtype == SG_FLOAT64)
        sgc_rgrad_k<double><<<sgc_blocks(nx), SGC_NT>>>(g, kind, (const double *)in[0]->data, (const double *)out[0]->data, (const double *)og[0]->data,
                                                        (double *)ig[0]->data, nx, (double)gf.cnt, req[0] == SG_REQ_ADD);
    else
        sgc_rgrad_k<float><<<sgc_blocks(nx), SGC_NT>>>(g, kind, (const float *)in[0]->data, (const float *)out[0]->data, (const float *)og[0]->data,
                                                       (float *)ig[0]->data, nx, (float)gf.cnt, req[0] == SG_REQ_ADD);
    return sgc_kerr(k, n, sgc_check("reduction backward kernel"));
}

/* ======================================================= Concat, SliceChannel, slice_axis ==== */
/* Concat: viewed as (outer, row); input i is a column block of width size_i/outer. */
static int sgc_concat_dims(sg__kctx *k, const sg__node *n, const sg_ndarray *o, int64_t *outer, int64_t *row) {
    sg_shape s = sgc_kshape(o);
    int axis = sgc_axis(sgc_pi(n, "dim"), s.ndim);
    if (axis < 0) return sg_kctx_error(k, n, SG_ERR_SHAPE, "dim out of range");
    *outer = 1;
    *row = 1;
    for (int i = 0; i < axis; i++) *outer *= s.dims[i];
    for (int i = axis; i < s.ndim; i++) *row *= s.dims[i];
    return SG_OK;
}
static int sgc_concat_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t outer, row, off = 0;
    int nin = sg_knode_num_inputs(n), st;
    if ((st = sgc_concat_dims(k, n, out[0], &outer, &row))) return st;
    for (int i = 0; i < nin; i++) {
        int64_t w = outer ? in[i]->size / outer : 0;
        if (in[i]->dtype != out[0]->dtype) return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype mismatch");
        if (off + w > row) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the inputs do not fit the output");
        if ((st = sgc_blk(out[0]->dtype, out[0]->data, row, off, in[i]->data, w, 0, outer, w, 0))) return sgc_kerr(k, n, st);
        off += w;
    }
    return SG_OK;
}
/* Each input gets its block of g (in order: a repeated input accumulates). */
static int sgc_concat_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                          sg_ndarray *const *ig, const int *req) {
    int64_t outer, row, off = 0;
    int nin = sg_knode_num_inputs(n), st;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, nin));
    if ((st = sgc_concat_dims(k, n, out[0], &outer, &row))) return st;
    for (int i = 0; i < nin; i++) {
        int64_t w = outer ? in[i]->size / outer : 0;
        if (off + w > row) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the inputs do not fit the output");
        if (ig[i]) {
            if (ig[i]->dtype != og[0]->dtype) return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype mismatch");
            if ((st = sgc_blk(og[0]->dtype, ig[i]->data, w, 0, og[0]->data, row, off, outer, w, req[i] == SG_REQ_ADD))) return sgc_kerr(k, n, st);
        }
        off += w;
    }
    return SG_OK;
}
/* SliceChannel: the input viewed as (outer, D, inner); output j is rows [j*D/num, (j+1)*D/num). */
static int sgc_split_dims(sg__kctx *k, const sg__node *n, const sg_ndarray *x, int64_t *outer, int64_t *D, int64_t *inner, int64_t *num) {
    sg_shape s = sgc_kshape(x);
    int axis = sgc_axis(sgc_pi(n, "axis"), s.ndim);
    *num = sgc_pi(n, "num_outputs");
    if (axis < 0 || *num < 1) return sg_kctx_error(k, n, SG_ERR_SHAPE, "axis out of range");
    *outer = 1;
    *inner = 1;
    for (int i = 0; i < axis; i++) *outer *= s.dims[i];
    for (int i = axis + 1; i < s.ndim; i++) *inner *= s.dims[i];
    *D = s.dims[axis];
    return SG_OK;
}
static int sgc_split_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t outer, D, inner, num, c;
    int st;
    if ((st = sgc_split_dims(k, n, in[0], &outer, &D, &inner, &num))) return st;
    c = D / num;
    for (int64_t j = 0; j < num; j++) {
        if (out[j]->dtype != in[0]->dtype) return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype mismatch");
        if (out[j]->size != outer * c * inner) return sg_kctx_error(k, n, SG_ERR_SHAPE, "an output does not fit its part");
        if ((st = sgc_blk(in[0]->dtype, out[j]->data, c * inner, 0, in[0]->data, D * inner, j * c * inner, outer, c * inner, 0)))
            return sgc_kerr(k, n, st);
    }
    return SG_OK;
}
/* dx concatenates the output gradients; a missing one (NULL) counts as zeros. Reads no outputs. */
static int sgc_split_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                         sg_ndarray *const *ig, const int *req) {
    int64_t outer, D, inner, num, c;
    sg_ndarray *d = ig[0];
    int st, add = req[0] == SG_REQ_ADD, missing = 0;
    (void)out;
    if (!d) return SG_OK;
    if ((st = sgc_split_dims(k, n, in[0], &outer, &D, &inner, &num))) return st;
    if (d->size != in[0]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the gradient differs from the input in size");
    c = D / num;
    for (int64_t j = 0; j < num; j++) {
        if (!og[j]) { missing = 1; continue; }
        if (og[j]->dtype != d->dtype) return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype mismatch");
        if (og[j]->size != outer * c * inner) return sg_kctx_error(k, n, SG_ERR_SHAPE, "an output gradient does not fit its part");
    }
    if (missing && !add && (st = sgc_zero_ig(ig, req, 1))) return sgc_kerr(k, n, st);
    for (int64_t j = 0; j < num; j++)
        if (og[j] && (st = sgc_blk(d->dtype, d->data, D * inner, j * c * inner, og[j]->data, c * inner, 0, outer, c * inner, add)))
            return sgc_kerr(k, n, st);
    return SG_OK;
}
/* slice_axis: GetSliceAxisParams; the input viewed as (outer, D, inner), the output rows [b, e). */
static int sgc_slice_dims(sg__kctx *k, const sg__node *n, const sg_ndarray *x, int64_t *outer, int64_t *D, int64_t *inner, int64_t *b, int64_t *e) {
    sg_shape s = sgc_kshape(x);
    sg_kparam ep;
    int axis = (int)sgc_pi(n, "axis");
    if (axis < 0) axis += s.ndim;
    if (axis < 0 || axis >= s.ndim) return sg_kctx_error(k, n, SG_ERR_SHAPE, "axis out of range");
    int64_t size = s.dims[axis];
    *b = sgc_pi(n, "begin");
    *e = -1;
    if (*b < 0) *b += size;
    if (size > 0) {
        if (!sgc_param(n, "end", &ep) || ep.none) *e = size;
        else { *e = ep.i; if (*e < 0) *e += size; }
        if (*e > size || !(*b < *e)) return sg_kctx_error(k, n, SG_ERR_SHAPE, "invalid begin or end");
    } else {
        *b = 0;
        *e = 0;
    }
    if (*e < 0 || *b < 0) return sg_kctx_error(k, n, SG_ERR_SHAPE, "invalid begin or end");
    *outer = 1;
    *inner = 1;
    for (int i = 0; i < axis; i++) *outer *= s.dims[i];
    for (int i = axis + 1; i < s.ndim; i++) *inner *= s.dims[i];
    *D = size;
    return SG_OK;
}
static int sgc_slice_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t outer, D, inner, b, e, len;
    int st;
    if ((st = sgc_slice_dims(k, n, in[0], &outer, &D, &inner, &b, &e))) return st;
    if (out[0]->dtype != in[0]->dtype) return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype mismatch");
    len = (e - b) * inner;
    if (out[0]->size != outer * len) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the output does not fit the slice");
    return sgc_kerr(k, n, sgc_blk(in[0]->dtype, out[0]->data, len, 0, in[0]->data, D * inner, b * inner, outer, len, 0));
}
/* dx = g inside the slice, 0 outside. */
static int sgc_slice_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                         sg_ndarray *const *ig, const int *req) {
    int64_t outer, D, inner, b, e, len;
    int st;
    (void)out;
    if (!ig[0]) return SG_OK;
    if ((st = sgc_zero_ig(ig, req, 1))) return sgc_kerr(k, n, st); /* write: zeros outside the slice */
    if (!og[0]) return SG_OK;
    if (og[0]->dtype != ig[0]->dtype) return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype mismatch");
    if ((st = sgc_slice_dims(k, n, in[0], &outer, &D, &inner, &b, &e))) return st;
    len = (e - b) * inner;
    if (og[0]->size != outer * len || ig[0]->size != in[0]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the gradients do not fit the slice");
    return sgc_kerr(k, n, sgc_blk(ig[0]->dtype, ig[0]->data, D * inner, b * inner, og[0]->data, len, 0, outer, len, req[0] == SG_REQ_ADD));
}

/* ======================================================= add_n ==== */
/* y = ((in0 + in1) + in2) + ..., as the CPU; each input's gradient is g (in order: a repeated input accumulates). */
static int sgc_add_n_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int nin = sg_knode_num_inputs(n), st;
    sg_ndarray *y = out[0];
    if ((st = sgc_dtype(k, n, in, nin)) || (st = sgc_dtype(k, n, out, 1))) return st;
    if (nin < 1 || in[0]->dtype != y->dtype) return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype mismatch");
    for (int i = 0; i < nin; i++)
        if (in[i]->size != y->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the inputs differ in size");
    if (!y->size) return SG_OK;
    int i = 1;
    if (nin >= 2) {
        if (y->dtype == SG_FLOAT64) sgc_ebin_k<double><<<sgc_blocks(y->size), SGC_NT>>>(SGC_B_ADD, (const double *)in[0]->data, (const double *)in[1]->data, (double *)y->data, y->size);
        else sgc_ebin_k<float><<<sgc_blocks(y->size), SGC_NT>>>(SGC_B_ADD, (const float *)in[0]->data, (const float *)in[1]->data, (float *)y->data, y->size);
        if ((st = sgc_check("add_n kernel"))) return sgc_kerr(k, n, st);
        i = 2;
    } else if ((st = sgc_put(y, in[0], 0))) return sgc_kerr(k, n, st);
    for (; i < nin; i++)
        if ((st = sgc_put(y, in[i], 1))) return sgc_kerr(k, n, st);
    return SG_OK;
}
static int sgc_add_n_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                         sg_ndarray *const *ig, const int *req) {
    int nin = sg_knode_num_inputs(n), st;
    (void)in; (void)out;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, nin));
    for (int i = 0; i < nin; i++) {
        if (!ig[i]) continue;
        if (ig[i]->dtype != og[0]->dtype || ig[i]->size != og[0]->size) return sg_kctx_error(k, n, SG_ERR_TYPE, "dtype or size mismatch");
        if (req[i] == SG_REQ_ADD && !sgc_isfloat(ig[i]->dtype))
            return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "the GPU kernels accumulate float32 or float64 gradients only");
        if ((st = sgc_put(ig[i], og[0], req[i] == SG_REQ_ADD))) return sgc_kerr(k, n, st);
    }
    return SG_OK;
}

/* ======================================================= Embedding ==== */
/* Indices (any numeric dtype) cast to int and clipped to [0, input_dim-1]; dW
 * accumulates the rows of the head gradient (atomicAdd); a data gradient is an error. */
__device__ __forceinline__ int64_t sgc_emb_row(const void *idx, int dt, int64_t i, int64_t K) {
    double v = sgc_ld(idx, dt, i);
    if (!(v > 0)) return 0;
    return v >= (double)K ? K - 1 : (int64_t)v;
}
template <typename T> __global__ void sgc_emb_k(const void *idx, int dt, const T *w, T *y, int64_t n, int64_t D, int64_t K) {
    SGC_LOOP(t, n * D) { int64_t i = t / D, j = t - i * D; y[t] = w[sgc_emb_row(idx, dt, i, K) * D + j]; }
}
template <typename T> __global__ void sgc_emb_bwd_k(const void *idx, int dt, const T *g, T *dw, int64_t n, int64_t D, int64_t K) {
    SGC_LOOP(t, n * D) { int64_t i = t / D, j = t - i * D; atomicAdd(dw + sgc_emb_row(idx, dt, i, K) * D + j, g[t]); }
}
static int sgc_emb_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t K = in[1]->shape.ndim > 0 ? in[1]->shape.dims[0] : 0, D = in[1]->shape.ndim > 1 ? in[1]->shape.dims[1] : 1, cnt = in[0]->size;
    sg_ndarray *a[2] = {in[1], out[0]};
    int st;
    if ((st = sgc_dtype(k, n, a, 2))) return st;
    if (!sgc_ld_ok(in[0]->dtype)) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "unsupported index dtype");
    if (K <= 0 && cnt > 0) return sg_kctx_error(k, n, SG_ERR_SHAPE, "input_dim is 0");
    if (out[0]->size != cnt * D) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the output does not fit the indices");
    if (cnt * D <= 0) return SG_OK;
    if (out[0]->dtype == SG_FLOAT64)
        sgc_emb_k<double><<<sgc_blocks(cnt * D), SGC_NT>>>(in[0]->data, in[0]->dtype, (const double *)in[1]->data, (double *)out[0]->data, cnt, D, K);
    else
        sgc_emb_k<float><<<sgc_blocks(cnt * D), SGC_NT>>>(in[0]->data, in[0]->dtype, (const float *)in[1]->data, (float *)out[0]->data, cnt, D, K);
    return sgc_kerr(k, n, sgc_check("Embedding kernel"));
}
static int sgc_emb_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                       sg_ndarray *const *ig, const int *req) {
    int64_t K = in[1]->shape.ndim > 0 ? in[1]->shape.dims[0] : 0, D = in[1]->shape.ndim > 1 ? in[1]->shape.dims[1] : 1, cnt = in[0]->size;
    int st;
    (void)out;
    if (ig[0]) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "Embedding layer doesn't support calculate data gradient");
    if (!ig[1]) return SG_OK;
    sg_ndarray *a[3] = {in[1], ig[1], og[0]};
    if ((st = sgc_dtype(k, n, a, 3))) return st;
    if (!sgc_ld_ok(in[0]->dtype)) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "unsupported index dtype");
    if ((st = sgc_zero_ig(ig + 1, req + 1, 1))) return sgc_kerr(k, n, st);
    if (K <= 0 || !og[0] || cnt * D <= 0) return SG_OK;
    if (og[0]->size != cnt * D || ig[1]->size != in[1]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the gradients do not fit the indices");
    if (ig[1]->dtype == SG_FLOAT64)
        sgc_emb_bwd_k<double><<<sgc_blocks(cnt * D), SGC_NT>>>(in[0]->data, in[0]->dtype, (const double *)og[0]->data, (double *)ig[1]->data, cnt, D, K);
    else
        sgc_emb_bwd_k<float><<<sgc_blocks(cnt * D), SGC_NT>>>(in[0]->data, in[0]->dtype, (const float *)og[0]->data, (float *)ig[1]->data, cnt, D, K);
    return sgc_kerr(k, n, sgc_check("Embedding backward kernel"));
}

/* ======================================================= Cast, _zeros, _ones ==== */
/* Every dtype, as the CPU's sg__load / sg__store: float16 and bfloat16 through
 * float (round to nearest even, sg__float_to_half / sg__float_to_bf16 bit for
 * bit), floats to ints truncated toward zero (NaN 0, saturated to int64, then
 * wrapped to the narrower type), bool v != 0. */
__device__ float sgc_h2f(unsigned h) {
    unsigned sign = (h >> 15) << 31, ex = (h >> 10) & 0x1fu, man = h & 0x3ffu, bits;
    if (ex == 0) {
        if (man == 0) bits = sign;
        else { float v = (float)man / 1024.0f / 16384.0f; return sign ? -v : v; } /* subnormal */
    } else if (ex == 31) bits = sign | 0x7f800000u | (man << 13);
    else bits = sign | ((ex + 112) << 23) | (man << 13);
    return __uint_as_float(bits);
}
__device__ unsigned short sgc_f2h(float f) {
    unsigned x = __float_as_uint(f), sign = (x >> 16) & 0x8000u, man = x & 0x7fffffu;
    int ex = (int)((x >> 23) & 0xffu) - 127 + 15;
    if (((x >> 23) & 0xffu) == 0xffu) return (unsigned short)(sign | 0x7c00u | (man ? 0x200u : 0u));
    if (ex >= 31) return (unsigned short)(sign | 0x7c00u);
    if (ex <= 0) {
        if (ex < -10) return (unsigned short)sign;
        unsigned m = man | 0x800000u, r;
        int shift = 14 - ex;
        r = m >> shift;
        if ((m >> (shift - 1)) & 1u) { if (((m & ((1u << (shift - 1)) - 1u)) != 0) || (r & 1u)) r++; }
        return (unsigned short)(sign | r);
    }
    unsigned r = sign | ((unsigned)ex << 10) | (man >> 13);
    if ((man & 0x1000u) && ((man & 0x2fffu) != 0)) r++;
    return (unsigned short)r;
}
__device__ float sgc_bf2f(unsigned h) { return __uint_as_float(h << 16); }
__device__ unsigned short sgc_f2bf(float f) {
    unsigned x = __float_as_uint(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) return (unsigned short)((x >> 16) | 0x40u);
    x += 0x7fffu + ((x >> 16) & 1u);
    return (unsigned short)(x >> 16);
}
/* element i of an array of any dtype as a double (sg__load) */
__device__ double sgc_ldx(const void *p, int dt, int64_t i) {
    switch (dt) {
    case SG_FLOAT16: return (double)sgc_h2f(((const unsigned short *)p)[i]);
    case SG_BFLOAT16: return (double)sgc_bf2f(((const unsigned short *)p)[i]);
    default: return sgc_ld(p, dt, i);
    }
}
/* store v into element i of an array of any dtype (sg__store) */
__device__ void sgc_stx(void *p, int dt, int64_t i, double v) {
    switch (dt) {
    case SG_FLOAT32: ((float *)p)[i] = (float)v; break;
    case SG_FLOAT64: ((double *)p)[i] = v; break;
    case SG_FLOAT16: ((unsigned short *)p)[i] = sgc_f2h((float)v); break;
    case SG_BFLOAT16: ((unsigned short *)p)[i] = sgc_f2bf((float)v); break;
    case SG_BOOL: ((unsigned char *)p)[i] = v != 0; break;
    default: {
        long long t = (v != v) ? 0 : (v >= 9.2e18 ? LLONG_MAX : v <= -9.2e18 ? LLONG_MIN : (long long)v);
        switch (dt) {
        case SG_UINT8: ((unsigned char *)p)[i] = (unsigned char)(unsigned long long)t; break;
        case SG_INT8: ((signed char *)p)[i] = (signed char)(unsigned char)(unsigned long long)t; break;
        case SG_INT32: ((int *)p)[i] = (int)(unsigned)(unsigned long long)t; break;
        case SG_INT64: ((long long *)p)[i] = t; break;
        }
    }
    }
}
static int sgc_anytype(int dt) { return sgc_ld_ok(dt) || dt == SG_FLOAT16 || dt == SG_BFLOAT16; }
/* y[i] = x[i] converted (x of dtype xt, y of yt), or y[i] = y[i] + x[i] through
 * double (add; the CPU's Cast gradient and sg__put_n for non-float dtypes). */
__global__ void sgc_cast_k(const void *x, int xt, void *y, int yt, int64_t n, int add) {
    SGC_LOOP(i, n) {
        double v = sgc_ldx(x, xt, i);
        if (add) v += sgc_ldx(y, yt, i);
        sgc_stx(y, yt, i, v);
    }
}
template <typename A, typename B> __global__ void sgc_conv_k(const A *x, B *y, int64_t n) { SGC_LOOP(i, n) y[i] = (B)x[i]; }
static int sgc_cast_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    const sg_ndarray *x = in[0];
    sg_ndarray *y = out[0];
    if (!sgc_anytype(x->dtype) || !sgc_anytype(y->dtype)) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "unsupported dtype");
    if (x->size != y->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the output differs in size");
    if (!y->size) return SG_OK;
    if (x->dtype == y->dtype) return sgc_kerr(k, n, sgc_put(y, x, 0));
    if (x->dtype == SG_FLOAT32 && y->dtype == SG_FLOAT64)
        sgc_conv_k<float, double><<<sgc_blocks(y->size), SGC_NT>>>((const float *)x->data, (double *)y->data, y->size);
    else if (x->dtype == SG_FLOAT64 && y->dtype == SG_FLOAT32)
        sgc_conv_k<double, float><<<sgc_blocks(y->size), SGC_NT>>>((const double *)x->data, (float *)y->data, y->size);
    else
        sgc_cast_k<<<sgc_blocks(y->size), SGC_NT>>>(x->data, x->dtype, y->data, y->dtype, y->size, 0);
    return sgc_kerr(k, n, sgc_check("Cast kernel"));
}
/* The gradient casts back: dx (+)= dtype_of_x(g). */
static int sgc_cast_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                        sg_ndarray *const *ig, const int *req) {
    sg_ndarray *d = ig[0];
    const sg_ndarray *g = og[0];
    int add = req[0] == SG_REQ_ADD;
    (void)in; (void)out;
    if (!d) return SG_OK;
    if (!g) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    if (!sgc_anytype(d->dtype) || !sgc_anytype(g->dtype)) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "unsupported dtype");
    if (d->size != g->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the gradients differ in size");
    if (!d->size) return SG_OK;
    if (d->dtype == g->dtype && (!add || sgc_isfloat(d->dtype))) return sgc_kerr(k, n, sgc_put(d, g, add));
    sgc_cast_k<<<sgc_blocks(d->size), SGC_NT>>>(g->data, g->dtype, d->data, d->dtype, d->size, add);
    return sgc_kerr(k, n, sgc_check("Cast backward kernel"));
}
__global__ void sgc_ones_k(void *y, int dt, int64_t n) { SGC_LOOP(i, n) sgc_stx(y, dt, i, 1.0); }
/* _zeros / _ones: the output filled with 0 or 1 in its dtype (any dtype); no inputs, no backward. */
static int sgc_init_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *y = out[0];
    (void)in;
    if (!sgc_anytype(y->dtype)) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "unsupported dtype");
    if (!y->size) return SG_OK;
    if (strcmp(sg_knode_op(n), "_ones")) {
        cudaError_t e = cudaMemsetAsync(y->data, 0, y->nbytes, 0);
        return sgc_kerr(k, n, e == cudaSuccess ? SG_OK : sgc_fail("memset", e));
    }
    sgc_ones_k<<<sgc_blocks(y->size), SGC_NT>>>(y->data, y->dtype, y->size);
    return sgc_kerr(k, n, sgc_check("_ones kernel"));
}

/* ======================================================= L2Normalization ==== */
/* norm = sqrt(sum x^2 + eps) over each group (instance: a sample; channel: dim
 * 1 at each position; spatial: dims 2.. of each channel), y = x / norm; dx =
 * (g - y * sum(g * y)) / norm over the group. A group is len elements with
 * stride es starting at o*os + i*is (o < no, i < ni), its norm at o*ni + i, as
 * the CPU's sg__l2g. One block per group, the sums as block reductions in double. */
struct sgc_l2g { int64_t no, ni, os, is, es, len; };
static int sgc_l2_groups(sg__kctx *k, const sg__node *n, const sg_shape *d, sgc_l2g *q) {
    const char *mode = sgc_ps(n, "mode");
    int64_t N, C, S = 1;
    if (d->ndim < 2) return sg_kctx_error(k, n, SG_ERR_SHAPE, "L2Normalization needs data of at least 2 dims");
    N = d->dims[0]; C = d->dims[1];
    for (int i = 2; i < d->ndim; i++) S *= d->dims[i];
    if (!strcmp(mode, "channel")) { q->no = N; q->ni = S; q->os = C * S; q->is = 1; q->es = S; q->len = C; }
    else if (!strcmp(mode, "spatial")) { q->no = N * C; q->ni = 1; q->os = S; q->is = 0; q->es = 1; q->len = S; }
    else { q->no = N; q->ni = 1; q->os = C * S; q->is = 0; q->es = 1; q->len = C * S; } /* instance (the default) */
    return SG_OK;
}
template <typename T> __global__ void sgc_l2_fwd_k(sgc_l2g q, const T *x, T *y, T *nrm, double eps) {
    for (int64_t gi = blockIdx.x; gi < q.no * q.ni; gi += gridDim.x) {
        int64_t b = (gi / q.ni) * q.os + (gi % q.ni) * q.is;
        double s = 0;
        for (int64_t t = threadIdx.x; t < q.len; t += blockDim.x) { double v = (double)x[b + t * q.es]; s += v * v; }
        s = sgc_bsum<double>(s);
        T nv = (T)sgc_sqrt((double)((T)s + (T)eps));
        if (threadIdx.x == 0) nrm[gi] = nv;
        for (int64_t t = threadIdx.x; t < q.len; t += blockDim.x) y[b + t * q.es] = x[b + t * q.es] / nv;
    }
}
template <typename T> __global__ void sgc_l2_bwd_k(sgc_l2g q, const T *g, const T *y, const T *nrm, T *dx, int add) {
    for (int64_t gi = blockIdx.x; gi < q.no * q.ni; gi += gridDim.x) {
        int64_t b = (gi / q.ni) * q.os + (gi % q.ni) * q.is;
        double s = 0;
        for (int64_t t = threadIdx.x; t < q.len; t += blockDim.x) s += (double)g[b + t * q.es] * (double)y[b + t * q.es];
        s = sgc_bsum<double>(s);
        T sv = (T)s, nv = nrm[gi];
        for (int64_t t = threadIdx.x; t < q.len; t += blockDim.x) {
            int64_t idx = b + t * q.es;
            T v = (g[idx] - y[idx] * sv) / nv;
            if (add) dx[idx] += v; else dx[idx] = v;
        }
    }
}
static int sgc_l2norm_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sgc_l2g q;
    sg_ndarray *a[3] = {in[0], out[0], out[1]};
    double eps = sgc_pf(n, "eps");
    int st;
    if ((st = sgc_dtype(k, n, a, 3))) return st;
    if ((st = sgc_l2_groups(k, n, &in[0]->shape, &q))) return st;
    if (q.no * q.ni <= 0) return SG_OK;
    unsigned gr = (unsigned)(q.no * q.ni < 65535 ? q.no * q.ni : 65535);
    if (in[0]->dtype == SG_FLOAT64)
        sgc_l2_fwd_k<double><<<gr, SGC_NT>>>(q, (const double *)in[0]->data, (double *)out[0]->data, (double *)out[1]->data, eps);
    else
        sgc_l2_fwd_k<float><<<gr, SGC_NT>>>(q, (const float *)in[0]->data, (float *)out[0]->data, (float *)out[1]->data, eps);
    return sgc_kerr(k, n, sgc_check("L2Normalization kernel"));
}
static int sgc_l2norm_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                          sg_ndarray *const *ig, const int *req) {
    sgc_l2g q;
    int st;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    sg_ndarray *a[5] = {in[0], out[0], out[1], og[0], ig[0]};
    if ((st = sgc_dtype(k, n, a, 5))) return st;
    if ((st = sgc_l2_groups(k, n, &in[0]->shape, &q))) return st;
    if (q.no * q.ni <= 0) return SG_OK;
    unsigned gr = (unsigned)(q.no * q.ni < 65535 ? q.no * q.ni : 65535);
    if (in[0]->dtype == SG_FLOAT64)
        sgc_l2_bwd_k<double><<<gr, SGC_NT>>>(q, (const double *)og[0]->data, (const double *)out[0]->data, (const double *)out[1]->data,
                                            (double *)ig[0]->data, req[0] == SG_REQ_ADD);
    else
        sgc_l2_bwd_k<float><<<gr, SGC_NT>>>(q, (const float *)og[0]->data, (const float *)out[0]->data, (const float *)out[1]->data,
                                           (float *)ig[0]->data, req[0] == SG_REQ_ADD);
    return sgc_kerr(k, n, sgc_check("L2Normalization backward kernel"));
}

/* ======================================================= smooth_l1 ==== */
/* MXNet's smooth_l1 with sigma = scalar (DType(scalar)): 0.5 (sigma x)^2 when
 * |x| <= 1/sigma^2, else |x| - 0.5/sigma^2; with g: g * (sigma^2 x, else sign(x)). */
template <typename T> __global__ void sgc_smooth_l1_k(const T *x, const T *g, T *y, int64_t n, T sigma, int add) {
    T bsq = sigma * sigma, ibsq = (T)1 / bsq;
    SGC_LOOP(i, n) {
        T a = x[i], v;
        if (!g) v = a > ibsq ? a - (T)0.5 * ibsq : a < -ibsq ? -a - (T)0.5 * ibsq : (T)0.5 * a * a * bsq;
        else v = g[i] * (a > ibsq ? (T)1 : a < -ibsq ? (T)-1 : bsq * a);
        if (add) y[i] += v; else y[i] = v;
    }
}
static int sgc_smooth_l1_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *a[2] = {in[0], out[0]};
    double s = sgc_pf(n, "scalar");
    int st;
    if ((st = sgc_dtype(k, n, a, 2))) return st;
    if (in[0]->size != out[0]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the output differs in size");
    if (!out[0]->size) return SG_OK;
    if (out[0]->dtype == SG_FLOAT64)
        sgc_smooth_l1_k<double><<<sgc_blocks(out[0]->size), SGC_NT>>>((const double *)in[0]->data, NULL, (double *)out[0]->data, out[0]->size, s, 0);
    else
        sgc_smooth_l1_k<float><<<sgc_blocks(out[0]->size), SGC_NT>>>((const float *)in[0]->data, NULL, (float *)out[0]->data, out[0]->size, (float)s, 0);
    return sgc_kerr(k, n, sgc_check("smooth_l1 kernel"));
}
static int sgc_smooth_l1_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in, sg_ndarray *const *out,
                             sg_ndarray *const *ig, const int *req) {
    double s = sgc_pf(n, "scalar");
    int st;
    (void)out;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sgc_kerr(k, n, sgc_zero_ig(ig, req, 1));
    sg_ndarray *a[3] = {og[0], in[0], ig[0]};
    if ((st = sgc_dtype(k, n, a, 3))) return st;
    if (in[0]->size != ig[0]->size || og[0]->size != ig[0]->size) return sg_kctx_error(k, n, SG_ERR_SHAPE, "the gradients differ in size");
    if (!ig[0]->size) return SG_OK;
    if (ig[0]->dtype == SG_FLOAT64)
        sgc_smooth_l1_k<double><<<sgc_blocks(ig[0]->size), SGC_NT>>>((const double *)in[0]->data, (const double *)og[0]->data,
                                                                     (double *)ig[0]->data, ig[0]->size, s, req[0] == SG_REQ_ADD);
    else
        sgc_smooth_l1_k<float><<<sgc_blocks(ig[0]->size), SGC_NT>>>((const float *)in[0]->data, (const float *)og[0]->data,
                                                                   (float *)ig[0]->data, ig[0]->size, (float)s, req[0] == SG_REQ_ADD);
    return sgc_kerr(k, n, sgc_check("smooth_l1 backward kernel"));
}

/* ======================================================= optimizer operators ==== */
/* sgd_update, sgd_mom_update, adam_update as graph operators (float32; the
 * output is the updated weight, possibly the weight itself; mom, mean, var are
 * auxiliary states updated in place), the formulas of the CPU's sg__sgd_run ...
 * to the operation (sgd without clipping: w (1 - lr wd) - (lr rescale) g). */
__device__ float sgc_clip(float g, float c) { return c >= 0.0f ? (g > c ? c : g < -c ? -c : g) : g; }
__global__ void sgc_sgd_op_k(float *out, const float *w, const float *g, int64_t n, float lr, float wd, float rs, float clip) {
    SGC_LOOP(i, n) {
        if (clip >= 0) out[i] = (1.f - lr * wd) * w[i] - lr * sgc_clip(rs * g[i], clip);
        else out[i] = (1.f - lr * wd) * w[i] - (lr * rs) * g[i];
    }
}
__global__ void sgc_sgd_mom_op_k(float *out, const float *w, const float *g, float *mom, int64_t n, float lr, float m, float wd, float rs,
                                 float clip) {
    SGC_LOOP(i, n) {
        mom[i] = m * mom[i] - lr * wd * w[i] - lr * sgc_clip(rs * g[i], clip);
        out[i] = w[i] + mom[i];
    }
}
__global__ void sgc_adam_op_k(float *out, const float *w, const float *g, float *mean, float *var, int64_t n, float lr, float b1, float b2,
                              float eps, float wd, float rs, float clip) {
    SGC_LOOP(i, n) {
        float gr = sgc_clip(rs * g[i] + wd * w[i], clip);
        mean[i] = b1 * mean[i] + (1.f - b1) * gr;
        var[i] = b2 * var[i] + (1.f - b2) * gr * gr;
        out[i] = w[i] - lr * mean[i] / (sqrtf(var[i]) + eps);
    }
}
static int sgc_opt_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    const char *op = sg_knode_op(n);
    int nin = sg_knode_num_inputs(n);
    int64_t cnt = in[0]->size;
    float lr = (float)sgc_pf(n, "lr"), wd = (float)sgc_pf(n, "wd"), rs = (float)sgc_pf(n, "rescale_grad"), clip = (float)sgc_pf(n, "clip_gradient");
    for (int i = 0; i < nin; i++)
        if (in[i]->dtype != SG_FLOAT32 || in[i]->size != cnt) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "the GPU update takes float32 arrays of one size");
    if (out[0]->dtype != SG_FLOAT32 || out[0]->size != cnt) return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "the GPU update takes float32 arrays of one size");
    if (cnt <= 0) return SG_OK;
    if (!strcmp(op, "sgd_update"))
        sgc_sgd_op_k<<<sgc_blocks(cnt), SGC_NT>>>((float *)out[0]->data, (const float *)in[0]->data, (const float *)in[1]->data, cnt, lr, wd, rs, clip);
    else if (!strcmp(op, "sgd_mom_update") && nin > 2)
        sgc_sgd_mom_op_k<<<sgc_blocks(cnt), SGC_NT>>>((float *)out[0]->data, (const float *)in[0]->data, (const float *)in[1]->data,
                                                       (float *)in[2]->data, cnt, lr, (float)sgc_pf(n, "momentum"), wd, rs, clip);
    else if (!strcmp(op, "adam_update") && nin > 3)
        sgc_adam_op_k<<<sgc_blocks(cnt), SGC_NT>>>((float *)out[0]->data, (const float *)in[0]->data, (const float *)in[1]->data,
                                                    (float *)in[2]->data, (float *)in[3]->data, cnt, lr, (float)sgc_pf(n, "beta1"),
                                                    (float)sgc_pf(n, "beta2"), (float)sgc_pf(n, "epsilon"), wd, rs, clip);
    else return sg_kctx_error(k, n, SG_ERR_UNSUPPORTED, "no GPU update kernel");
    return sgc_kerr(k, n, sgc_check("update kernel"));
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
    {"Deconvolution", sgc_deconv_fwd, sgc_deconv_bwd, sgc_deconv_ws},
    {"Pooling", sgc_pool_fwd, sgc_pool_bwd, NULL},
    {"Dropout", sgc_drop_fwd, sgc_drop_bwd, NULL},
    {"_power", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"_maximum", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"_minimum", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"_equal", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"_not_equal", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"_greater", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"_greater_equal", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"_lesser", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"_lesser_equal", sgc_ebin_fwd, sgc_ebin_bwd, NULL},
    {"_plus_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_minus_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_rminus_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_mul_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_div_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_rdiv_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_power_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_rpower_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_maximum_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_minimum_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_equal_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_not_equal_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_greater_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_greater_equal_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_lesser_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"_lesser_equal_scalar", sgc_scalar_fwd, sgc_scalar_bwd, NULL},
    {"broadcast_add", sgc_bcast_fwd, sgc_bcast_bwd, NULL},
    {"broadcast_sub", sgc_bcast_fwd, sgc_bcast_bwd, NULL},
    {"broadcast_mul", sgc_bcast_fwd, sgc_bcast_bwd, NULL},
    {"broadcast_div", sgc_bcast_fwd, sgc_bcast_bwd, NULL},
    {"broadcast_to", sgc_bto_fwd, sgc_bto_bwd, NULL},
    {"sin", sgc_unary_fwd, sgc_unary_bwd, NULL},
    {"cos", sgc_unary_fwd, sgc_unary_bwd, NULL},
    {"exp", sgc_unary_fwd, sgc_unary_bwd, NULL},
    {"log", sgc_unary_fwd, sgc_unary_bwd, NULL},
    {"sqrt", sgc_unary_fwd, sgc_unary_bwd, NULL},
    {"square", sgc_unary_fwd, sgc_unary_bwd, NULL},
    {"abs", sgc_unary_fwd, sgc_unary_bwd, NULL},
    {"negative", sgc_unary_fwd, sgc_unary_bwd, NULL},
    {"clip", sgc_clip_fwd, sgc_clip_bwd, NULL},
    {"_copy", sgc_copy_fwd, sgc_copy_bwd, NULL},
    {"BlockGrad", sgc_copy_fwd, sgc_blockgrad_bwd, NULL},
    {"softmax", sgc_softmax_fwd, sgc_softmax_bwd, NULL},
    {"log_softmax", sgc_softmax_fwd, sgc_softmax_bwd, NULL},
    {"LeakyReLU", sgc_leaky_fwd, sgc_leaky_bwd, NULL},
    {"LinearRegressionOutput", sgc_reg_fwd, sgc_reg_bwd, NULL},
    {"LogisticRegressionOutput", sgc_reg_fwd, sgc_reg_bwd, NULL},
    {"MAERegressionOutput", sgc_reg_fwd, sgc_reg_bwd, NULL},
    {"MakeLoss", sgc_makeloss_fwd, sgc_makeloss_bwd, sgc_makeloss_ws},
    {"dot", sgc_dot_fwd, sgc_dot_bwd, NULL},
    {"batch_dot", sgc_bdot_fwd, sgc_bdot_bwd, NULL},
    {"transpose", sgc_transpose_fwd, sgc_transpose_bwd, NULL},
    {"sum", sgc_reduce_fwd, sgc_reduce_bwd, NULL},
    {"mean", sgc_reduce_fwd, sgc_reduce_bwd, NULL},
    {"max", sgc_reduce_fwd, sgc_reduce_bwd, NULL},
    {"min", sgc_reduce_fwd, sgc_reduce_bwd, NULL},
    {"Concat", sgc_concat_fwd, sgc_concat_bwd, NULL},
    {"SliceChannel", sgc_split_fwd, sgc_split_bwd, NULL},
    {"slice_axis", sgc_slice_fwd, sgc_slice_bwd, NULL},
    {"add_n", sgc_add_n_fwd, sgc_add_n_bwd, NULL},
    {"Embedding", sgc_emb_fwd, sgc_emb_bwd, NULL},
    {"Cast", sgc_cast_fwd, sgc_cast_bwd, NULL},
    {"_zeros", sgc_init_fwd, NULL, NULL},
    {"_ones", sgc_init_fwd, NULL, NULL},
    {"L2Normalization", sgc_l2norm_fwd, sgc_l2norm_bwd, NULL},
    {"smooth_l1", sgc_smooth_l1_fwd, sgc_smooth_l1_bwd, NULL},
    {"sgd_update", sgc_opt_fwd, NULL, NULL},
    {"sgd_mom_update", sgc_opt_fwd, NULL, NULL},
    {"adam_update", sgc_opt_fwd, NULL, NULL},
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
