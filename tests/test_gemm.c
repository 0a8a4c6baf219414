/* GEMM: the naive and the blocked implementation against a double-precision
 * reference on random shapes with edge sizes (1, odd, primes, non-multiples of
 * every block size), all transposes, alpha/beta and padded leading dims. */
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include "sg_test.h"
#include <stdlib.h>

static void ref_gemm(int ta, int tb, int M, int N, int K, double alpha, const float *A, int lda, const float *B,
                     int ldb, double beta, const float *C0, double *C, int ldc) {
    int i, j, k;
    for (i = 0; i < M; i++)
        for (j = 0; j < N; j++) {
            double s = 0;
            for (k = 0; k < K; k++)
                s += (double)(ta ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k]) *
                     (double)(tb ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j]);
            C[(size_t)i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * C0[(size_t)i * ldc + j]);
        }
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
            if (!(fabs(got - want) <= 1e-4 * (K + 1))) {
                printf("  impl %d ta %d tb %d M %d N %d K %d alpha %g beta %g pad %d: C[%lu,%lu] %.7g vs %.7g\n", impl, ta, tb,
                       M, N, K, alpha, beta, pad, (unsigned long)i, (unsigned long)j, got, want);
                ok = 0;
                break;
            }
        }
        /* padding columns are untouched */
        for (j = (size_t)N; j < (size_t)ldc && ok && i < (size_t)M; j++)
            if (!(C[i * ldc + j] == C0[i * ldc + j] || (C[i * ldc + j] != C[i * ldc + j] && C0[i * ldc + j] != C0[i * ldc + j]))) {
                printf("  padding column written\n");
                ok = 0;
            }
    }
    free(A); free(B); free(C); free(C0); free(R);
    return ok;
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

SG_TEST(large_blocks_cross_boundaries) {
    sg_rng r;
    sg_rng_seed(&r, 3);
    /* past MC (96), KC (256) and NC (1024) */
    CHECK(check_one(SG_GEMM_BLOCKED, 0, 0, 200, 1100, 600, 1.0f, 1.0f, 1, &r));
    CHECK(check_one(SG_GEMM_BLOCKED, 1, 1, 97, 1030, 513, 2.0f, 0.0f, 0, &r));
    CHECK(check_one(SG_GEMM_AUTO, 0, 1, 64, 10, 128, 1.0f, 0.0f, 0, &r));
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
    SG_RUN(large_blocks_cross_boundaries);
    SG_RUN(naive_equals_blocked_exactly_shaped);
    SG_RUN(dgemm_matches_reference);
    return SG_DONE("test_gemm");
}
