/* GEMM: the naive and the blocked implementation against a double-precision
 * reference on random shapes with edge sizes (1, odd, primes, non-multiples of
 * every block size), all transposes, alpha/beta and padded leading dims; on
 * every micro-kernel family this CPU runs (forced with sg_gemm_set_kernel) and
 * with 1 and 2 threads (2 only does something under -fopenmp or
 * SYMGRAPH_PTHREADS). Every path of the blocked driver is reached: the
 * outer-product path with A read in place and packed, B packed and read in
 * place, partial panels and rebalanced tiles, the dot path (N <= W/2, NT with
 * few rows, the tail columns of N), k blocks of both paths, and the thread
 * splits along M and N. Built with -DSYMGRAPH_USE_CBLAS (and a CBLAS), the
 * AUTO cases check the routing to it. */
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include "sg_test.h"
#include <stdlib.h>

static void ref_gemm(int ta, int tb, int M, int N, int K, double alpha, const float *A, int lda, const float *B,
                     int ldb, double beta, const float *C0, double *C, int ldc) {
    int i, j, k;
    double *row = (double *)malloc(((size_t)N + 1) * sizeof(double));
    for (i = 0; i < M; i++) {
        for (j = 0; j < N; j++) row[j] = 0;
        for (k = 0; k < K; k++) {
            double a = ta ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
            if (tb) for (j = 0; j < N; j++) row[j] += a * B[(size_t)j * ldb + k];
            else for (j = 0; j < N; j++) row[j] += a * B[(size_t)k * ldb + j];
        }
        for (j = 0; j < N; j++)
            C[(size_t)i * ldc + j] = alpha * row[j] + (beta == 0 ? 0 : beta * C0[(size_t)i * ldc + j]);
    }
    free(row);
}

static int check_one(int impl, int ta, int tb, int M, int N, int K, float alpha, float beta, int pad, sg_rng *r) {
    int lda = (ta ? M : K) + pad, ldb = (tb ? K : N) + pad, ldc = N + pad, ok = 1;
    size_t na = (size_t)(ta ? K : M) * lda + 1, nb = (size_t)(tb ? N : K) * ldb + 1, nc = (size_t)M * ldc + 1, i;
    float *A = (float *)malloc(na * sizeof(float)), *B = (float *)malloc(nb * sizeof(float));
    float *C = (float *)malloc(nc * sizeof(float)), *C0 = (float *)malloc(nc * sizeof(float));
    double *R = (double *)malloc(nc * sizeof(double));
    for (i = 0; i < na; i++) A[i] = (float)(sg_rng_uniform(r) * 2 - 1);
    for (i = 0; i < nb; i++) B[i] = (float)(sg_rng_uniform(r) * 2 - 1);
    for (i = 0; i < nc; i++) C0[i] = C[i] = beta == 0 ? (float)NAN : (float)(sg_rng_uniform(r) * 2 - 1);
    sg_sgemm_impl(impl, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    ref_gemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C0, R, ldc);
    for (i = 0; i < (size_t)M && ok; i++) {
        size_t j;
        for (j = 0; j < (size_t)N; j++) {
            double want = R[i * ldc + j], got = C[i * ldc + j];
            if (!(fabs(got - want) <= 1e-5 * (K + 1) * (fabs(alpha) + 1) + 1e-6)) {
                printf("  impl %d kernel %s threads %d ta %d tb %d M %d N %d K %d alpha %g beta %g pad %d: C[%lu,%lu] %.7g vs %.7g\n",
                       impl, sg_gemm_kernel_name(), sg_get_num_threads(), ta, tb, M, N, K, alpha, beta, pad, (unsigned long)i,
                       (unsigned long)j, got, want);
                ok = 0;
                break;
            }
        }
        /* padding columns are untouched */
        for (j = (size_t)N; j < (size_t)ldc && ok && i < (size_t)M; j++)
            if (!(C[i * ldc + j] == C0[i * ldc + j] || (C[i * ldc + j] != C[i * ldc + j] && C0[i * ldc + j] != C0[i * ldc + j]))) {
                printf("  padding column written (ta %d tb %d M %d N %d K %d)\n", ta, tb, M, N, K);
                ok = 0;
            }
    }
    free(A); free(B); free(C); free(C0); free(R);
    return ok;
}

/* The kernel families this CPU runs. */
static int kernels[4], nkernels;
static void find_kernels(void) {
    int k;
    nkernels = 0;
    for (k = SG_GEMM_KERNEL_GENERIC; k <= SG_GEMM_KERNEL_AVX512; k++)
        if (sg_gemm_set_kernel(k) == SG_OK) kernels[nkernels++] = k;
    sg_gemm_set_kernel(SG_GEMM_KERNEL_AUTO);
}

SG_TEST(edge_sizes_all_transposes) {
    static const int sizes[] = {1, 2, 3, 5, 6, 7, 13, 16, 17, 31, 97, 100, 257};
    sg_rng r;
    int impl, ta, tb, bad = 0, n = 0, s;
    sg_rng_seed(&r, 1);
    for (impl = SG_GEMM_NAIVE; impl <= SG_GEMM_BLOCKED; impl++)
        for (ta = 0; ta < 2; ta++)
            for (tb = 0; tb < 2; tb++)
                for (s = 0; s < 13; s++) {
                    int M = sizes[s], N = sizes[(s * 7 + 3) % 13], K = sizes[(s * 5 + 1) % 13];
                    n++;
                    if (!check_one(impl, ta, tb, M, N, K, 1.0f, 0.0f, s % 3, &r)) bad++;
                }
    CHECK_INT(bad, 0);
    CHECK(n == 104);
}

SG_TEST(alpha_beta_and_random_shapes) {
    sg_rng r;
    int t, bad = 0;
    sg_rng_seed(&r, 2);
    for (t = 0; t < 60; t++) {
        int M = 1 + (int)(sg_rng_next(&r) % 130), N = 1 + (int)(sg_rng_next(&r) % 140), K = 1 + (int)(sg_rng_next(&r) % 300);
        int ta = (int)(sg_rng_next(&r) & 1), tb = (int)(sg_rng_next(&r) & 1);
        float alpha = (t % 3 == 0) ? 1.0f : 0.5f - (float)(t % 4), beta = (t % 4 == 0) ? 0.0f : (t % 4 == 1) ? 1.0f : -0.75f;
        if (!check_one(SG_GEMM_BLOCKED, ta, tb, M, N, K, alpha, beta, t % 5, &r)) bad++;
        if (!check_one(SG_GEMM_NAIVE, ta, tb, M, N, K, alpha, beta, t % 5, &r)) bad++;
    }
    CHECK_INT(bad, 0);
}

/* Every kernel family x 1 and 2 threads x shapes aimed at each path. */
SG_TEST(every_kernel_every_path) {
    /* edge sizes: 1, primes, W/2 and around every vector width, MR, and the
     * block sizes (MC 144, KC 256, dot KC 2048) */
    static const int ms[] = {1, 2, 3, 4, 5, 7, 11, 12, 13, 16, 17, 23, 50, 64, 145, 150};
    static const int ns[] = {1, 2, 3, 4, 5, 8, 9, 10, 15, 16, 17, 31, 33, 50, 61, 100};
    static const int ks[] = {1, 2, 3, 7, 8, 9, 16, 17, 50, 129, 256, 257, 300};
    /* targeted: MC/KC/NC crossings, pack-A (N >= 128; tiles of 5 and 6 rows, k % 8 != 0), direct B (M <= 12), dot
     * tail (N % W <= W/2), NT with few rows, dot k blocks, thread splits */
    static const int big[][5] = {
        /* M, N, K, ta, tb */
        {150, 300, 260, 0, 0}, {145, 1100, 40, 0, 0}, {13, 1030, 70, 0, 1}, {200, 301, 513, 1, 0},
        {12, 300, 100, 0, 0},  {9, 50, 300, 0, 0},    {290, 10, 130, 0, 0}, {300, 4, 40, 0, 1},
        {16, 200, 300, 0, 1},  {3, 5, 2100, 0, 1},    {5, 3, 2100, 0, 0},   {70, 18, 2050, 0, 0},
        {1, 500, 200, 0, 1},   {2, 333, 64, 0, 0},    {100, 100, 40, 1, 1}, {64, 100, 784, 0, 0},
        {50, 200, 203, 0, 0},  {23, 129, 9, 0, 0},
        /* M >= N, split along M on 2 threads with packed B: k blocks, the dot tail, every transpose */
        {300, 100, 300, 0, 0}, {257, 129, 600, 0, 1}, {400, 50, 513, 0, 0}, {1000, 70, 100, 1, 1},
        {40, 33, 700, 1, 0},   {97, 96, 260, 0, 0},
        /* fewer than 128 outer columns: row-major A read in place, k blocks up to SG__KCA deep (2 x 1050 here),
         * the dot tail's B^T after the deep B block */
        {150, 100, 2100, 0, 1}, {160, 61, 1500, 0, 0}, {40, 18, 4500, 0, 0},
    };
    sg_rng r;
    int ki, th, t, bad = 0, runs = 0;
    find_kernels();
    CHECK(nkernels >= 1 && kernels[0] == SG_GEMM_KERNEL_GENERIC);
    sg_rng_seed(&r, 5);
    for (ki = 0; ki < nkernels; ki++) {
        CHECK_INT(sg_gemm_set_kernel(kernels[ki]), SG_OK);
        for (th = 1; th <= 2; th++) {
            sg_set_num_threads(th);
            for (t = 0; t < 40; t++) {
                int M = ms[sg_rng_next(&r) % 16], N = ns[sg_rng_next(&r) % 16], K = ks[sg_rng_next(&r) % 13];
                int ta = (int)(sg_rng_next(&r) & 1), tb = (int)(sg_rng_next(&r) & 1), pad = (int)(sg_rng_next(&r) % 3);
                float alpha = t % 5 == 0 ? -1.5f : 1.0f, beta = t % 3 == 0 ? 0.0f : t % 3 == 1 ? 1.0f : 0.25f;
                if (!check_one(SG_GEMM_BLOCKED, ta, tb, M, N, K, alpha, beta, pad, &r)) bad++;
                runs++;
            }
            for (t = 0; t < (int)(sizeof big / sizeof big[0]); t++) {
                if (!check_one(SG_GEMM_BLOCKED, big[t][3], big[t][4], big[t][0], big[t][1], big[t][2], t % 2 ? 0.5f : 1.0f,
                               t % 3 ? 0.0f : -1.0f, t % 4 == 3, &r))
                    bad++;
                runs++;
            }
        }
    }
    sg_set_num_threads(0);
    sg_gemm_set_kernel(SG_GEMM_KERNEL_AUTO);
    CHECK_INT(bad, 0);
    CHECK(runs > 100);
}

SG_TEST(large_blocks_cross_boundaries) {
    sg_rng r;
    sg_rng_seed(&r, 3);
    CHECK(check_one(SG_GEMM_BLOCKED, 0, 0, 200, 1100, 600, 1.0f, 1.0f, 1, &r));
    CHECK(check_one(SG_GEMM_BLOCKED, 1, 1, 97, 1030, 513, 2.0f, 0.0f, 0, &r));
    CHECK(check_one(SG_GEMM_AUTO, 0, 1, 64, 10, 128, 1.0f, 0.0f, 0, &r));
    CHECK(check_one(SG_GEMM_AUTO, 0, 0, 64, 10, 128, 1.0f, 0.0f, 0, &r));
}

SG_TEST(degenerate_alpha_k) {
    float A[6] = {1, 2, 3, 4, 5, 6}, B[6] = {1, 1, 1, 1, 1, 1}, C[4] = {NAN, NAN, NAN, NAN}, D[4] = {1, 2, 3, 4};
    int impl;
    for (impl = SG_GEMM_AUTO; impl <= SG_GEMM_BLOCKED; impl++) {
        C[0] = C[1] = C[2] = C[3] = NAN;
        sg_sgemm_impl(impl, 0, 0, 2, 2, 0, 1.0f, A, 3, B, 2, 0.0f, C, 2); /* K = 0, beta 0: zeros */
        CHECK(C[0] == 0 && C[1] == 0 && C[2] == 0 && C[3] == 0);
        D[0] = 1; D[1] = 2; D[2] = 3; D[3] = 4;
        sg_sgemm_impl(impl, 0, 0, 2, 2, 3, 0.0f, A, 3, B, 2, 2.0f, D, 2); /* alpha 0: beta C */
        CHECK(D[0] == 2 && D[1] == 4 && D[2] == 6 && D[3] == 8);
        sg_sgemm_impl(impl, 0, 0, 0, 2, 3, 1.0f, A, 3, B, 2, 0.0f, C, 2); /* M = 0: nothing */
        CHECK(C[0] == 0);
    }
}

SG_TEST(workspace_bound_and_executor_path) {
    /* the plan of every shape and thread count fits SG__GEMM_WS_FLOATS, and the
     * internal entry point with exactly that much workspace is right (ASan
     * catches any overrun) */
    static const int shp[][3] = {{2048, 2048, 2048}, {1, 100000, 5}, {100000, 1, 5}, {4096, 50, 500},
                                 {50, 4096, 500},    {7, 7, 7},      {16, 4000, 300}, {4096, 120, 2048},
                                 {20000, 20, 9000}};
    sg_rng r;
    float *ws = (float *)malloc(SG__GEMM_WS_FLOATS * sizeof(float));
    int s, th, ki, ta;
    sg_rng_seed(&r, 9);
    find_kernels();
    for (ki = 0; ki < nkernels; ki++) {
        sg_gemm_set_kernel(kernels[ki]);
        for (th = 1; th <= SYMGRAPH_MAX_THREADS; th++) {
            sg_set_num_threads(th);
            for (s = 0; s < 9; s++)
                for (ta = 0; ta < 4; ta++) {
                    sg__gemm_job x;
                    size_t need = sg__gemm_plan(&x, ta & 1, ta >> 1, shp[s][0], shp[s][1], shp[s][2]);
                    CHECK_MSG(need <= SG__GEMM_WS_FLOATS, "plan %dx%dx%d needs %lu floats", shp[s][0], shp[s][1], shp[s][2],
                              (unsigned long)need);
                    /* th products at once, each in its 1 / th of the workspace (sg__sgemm_share) */
                    sg__gemm_plan_share(&x, ta & 1, ta >> 1, shp[s][0], shp[s][1], shp[s][2], th);
                    CHECK_MSG((size_t)th * x.slice + 16 <= SG__GEMM_WS_FLOATS, "share %d of %dx%dx%d", th, shp[s][0],
                              shp[s][1], shp[s][2]);
                }
        }
    }
    sg_set_num_threads(2);
    for (s = 0; s < 2; s++) {
        /* packed A; then A read in place in deep k blocks with a dot tail (N = 50 = 48 + 2), run as the last of
         * SYMGRAPH_MAX_THREADS shared products too, in the last slice of the workspace */
        int M = 150, N = s ? 50 : 300, K = s ? 1500 : 270, i, bad = 0, part;
        float *A = (float *)malloc((size_t)M * K * sizeof(float)), *B = (float *)malloc((size_t)K * N * sizeof(float));
        float *C = (float *)malloc((size_t)M * N * sizeof(float));
        double *R = (double *)malloc((size_t)M * N * sizeof(double));
        for (i = 0; i < M * K; i++) A[i] = (float)sg_rng_uniform(&r) - 0.5f;
        for (i = 0; i < K * N; i++) B[i] = (float)sg_rng_uniform(&r) - 0.5f;
        ref_gemm(0, 0, M, N, K, 1.0, A, K, B, N, 0.0, C, R, N);
        for (ki = 0; ki < nkernels; ki++) {
            sg_gemm_set_kernel(kernels[ki]);
            for (part = -1; part < 1; part++) {
                for (i = 0; i < M * N; i++) C[i] = NAN;
                if (part < 0) sg__sgemm_ws(SG_GEMM_AUTO, 0, 0, M, N, K, 1.0f, A, K, B, N, 0.0f, C, N, ws);
                else
                    sg__sgemm_share(SG_GEMM_AUTO, SYMGRAPH_MAX_THREADS - 1, SYMGRAPH_MAX_THREADS, 0, 0, M, N, K, 1.0f, A, K,
                                    B, N, 0.0f, C, N, ws);
                for (i = 0; i < M * N; i++) if (!(fabs(C[i] - R[i]) < 1e-4)) bad++;
            }
        }
        CHECK_INT(bad, 0);
        free(A); free(B); free(C); free(R);
    }
    sg_set_num_threads(0);
    sg_gemm_set_kernel(SG_GEMM_KERNEL_AUTO);
    free(ws);
}

SG_TEST(kernel_and_thread_api) {
    int n;
    CHECK_INT(sg_gemm_set_kernel(99), SG_ERR_ARG);
    CHECK_INT(sg_gemm_set_kernel(-1), SG_ERR_ARG);
    CHECK_INT(sg_gemm_set_kernel(SG_GEMM_KERNEL_GENERIC), SG_OK);
#ifdef SYMGRAPH_USE_CBLAS
    CHECK_STR(sg_gemm_kernel_name(), "cblas"); /* AUTO goes to the external CBLAS */
#else
    CHECK_STR(sg_gemm_kernel_name(), "generic");
    if (sg_gemm_set_kernel(SG_GEMM_KERNEL_AVX2) == SG_OK) CHECK_STR(sg_gemm_kernel_name(), "avx2");
    else CHECK_STR(sg_gemm_kernel_name(), "generic"); /* unchanged on failure */
    if (sg_gemm_set_kernel(SG_GEMM_KERNEL_AVX512) == SG_OK) CHECK_STR(sg_gemm_kernel_name(), "avx512");
    else CHECK(sg_last_error() != NULL);
#endif
    CHECK_INT(sg_gemm_set_kernel(SG_GEMM_KERNEL_AUTO), SG_OK);
    printf("  GEMM kernel on this machine: %s; kernels run:", sg_gemm_kernel_name());
    for (n = 0; n < nkernels; n++) printf(" %d", kernels[n]);
    printf("; threads: %s\n",
#ifdef _OPENMP
           "OpenMP"
#elif defined(SYMGRAPH_PTHREADS)
           "internal pool"
#else
           "none (single-threaded build)"
#endif
    );
    n = sg_set_num_threads(2);
#if defined(_OPENMP) || defined(SYMGRAPH_PTHREADS)
    CHECK_INT(n, 2);
    CHECK_INT(sg_set_num_threads(1000), SYMGRAPH_MAX_THREADS);
#else
    CHECK_INT(n, 1);
#endif
    CHECK(sg_set_num_threads(0) >= 1);
    CHECK(sg_get_num_threads() >= 1);
}

SG_TEST(naive_equals_blocked_exactly_shaped) {
    /* both implementations agree with each other to rounding on a network shape */
    sg_rng r;
    int i;
    float *A = (float *)malloc(64 * 784 * sizeof(float)), *B = (float *)malloc(784 * 128 * sizeof(float));
    float *C1 = (float *)malloc(64 * 128 * sizeof(float)), *C2 = (float *)malloc(64 * 128 * sizeof(float));
    double worst = 0;
    sg_rng_seed(&r, 4);
    for (i = 0; i < 64 * 784; i++) A[i] = (float)sg_rng_uniform(&r);
    for (i = 0; i < 784 * 128; i++) B[i] = (float)sg_rng_uniform(&r) - 0.5f;
    sg_sgemm_impl(SG_GEMM_NAIVE, 0, 0, 64, 128, 784, 1.0f, A, 784, B, 128, 0.0f, C1, 128);
    sg_sgemm_impl(SG_GEMM_BLOCKED, 0, 0, 64, 128, 784, 1.0f, A, 784, B, 128, 0.0f, C2, 128);
    for (i = 0; i < 64 * 128; i++) { double d = fabs(C1[i] - C2[i]); if (d > worst) worst = d; }
    CHECK(worst < 1e-3);
    free(A); free(B); free(C1); free(C2);
}

SG_TEST(dgemm_matches_reference) {
    double A[6] = {1, 2, 3, 4, 5, 6}, B[6] = {7, 8, 9, 10, 11, 12}, C[4] = {1, 1, 1, 1};
    /* [[1,2,3],[4,5,6]] x [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]; beta 1 adds 1 */
    sg_dgemm(0, 0, 2, 2, 3, 1.0, A, 3, B, 2, 1.0, C, 2);
    CHECK(C[0] == 59 && C[1] == 65 && C[2] == 140 && C[3] == 155);
    /* transposed: A^T (3x2 of [[1,4],[2,5],[3,6]]) times B^T's first 2 columns */
    {
        double D[9];
        sg_dgemm(1, 1, 3, 3, 2, 1.0, A, 3, B, 2, 0.0, D, 3);
        /* B^T is 2x3: [[7,9,11],[8,10,12]]; row 0 of A^T = [1,4]: [1*7+4*8, 1*9+4*10, 1*11+4*12] */
        CHECK(D[0] == 39 && D[1] == 49 && D[2] == 59);
    }
}

int main(void) {
    SG_RUN(edge_sizes_all_transposes);
    SG_RUN(alpha_beta_and_random_shapes);
    SG_RUN(every_kernel_every_path);
    SG_RUN(large_blocks_cross_boundaries);
    SG_RUN(degenerate_alpha_k);
    SG_RUN(workspace_bound_and_executor_path);
    SG_RUN(kernel_and_thread_api);
    SG_RUN(naive_equals_blocked_exactly_shaped);
    SG_RUN(dgemm_matches_reference);
    return SG_DONE("test_gemm");
}
