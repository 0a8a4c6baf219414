/* bench/gemm: float32 GEMM throughput of symgraph against OpenBLAS and the naive
 * loop, on square sizes and the shapes neural networks produce (MxKxN, row-major,
 * C = A B unless a row says NT: C = A B^T, FullyConnected's forward).
 *
 *   make bench && bench/gemm [--quick] [--threads LIST] [--no-naive]
 *
 * Every implementation's result is checked against a double-precision
 * reference before timing (every element for products up to 2^26 multiply-adds,
 * 4096 random elements above). Timing interleaves the implementations sample by
 * sample; a sample is one warm-up call and then enough calls to fill a minimum
 * time; figures are medians (GFLOP/s) over the samples. With 2 threads each
 * sample waits for the other library's idle threads to stop spinning first,
 * then warms up for 30 ms (a sleeping worker on an idle virtual CPU takes
 * milliseconds to come back; both libraries get the same). --quick takes 7
 * samples of >= 2 ms (full: 11 of >= 10 ms), times the naive loop on 3 of them
 * and not at all above 2 GFLOP (1024^3 and up), and prints,
 * last, one line per shape and thread count:
 *   gemm M=64 K=784 N=128 threads=1 symgraph=103.2 openblas=98.1 ratio=1.05
 * OpenBLAS is linked into this benchmark only (-lopenblas), never the library. */
#define _POSIX_C_SOURCE 199309L
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#include "bench_common.h"

typedef struct { int M, K, N, tb; const char *what; } shape;
static shape shapes[] = {
    {64, 64, 64, 0, "square"},      {128, 128, 128, 0, "square"},   {256, 256, 256, 0, "square"},
    {512, 512, 512, 0, "square"},   {1024, 1024, 1024, 0, "square"}, {2048, 2048, 2048, 0, "square"},
    {64, 784, 128, 0, "network"},   {64, 128, 10, 0, "skinny"},     {256, 784, 256, 0, "network"},
    {128, 800, 500, 0, "network"},  {4096, 500, 50, 0, "skinny"},   {50, 500, 4096, 0, "skinny"},
    /* FullyConnected forward (NT) on the same network shapes: full runs only */
    {64, 784, 128, 1, "fc-NT"},     {64, 128, 10, 1, "fc-NT"},      {256, 784, 256, 1, "fc-NT"},
    {1, 784, 128, 1, "fc-NT"},      {16, 784, 128, 1, "fc-NT"},
};
enum { IMPL_SG, IMPL_OB, IMPL_NAIVE, NIMPL };
static const char *impl_name[NIMPL] = {"symgraph", "openblas", "naive"};

static void run(int impl, const shape *s, const float *A, const float *B, float *C) {
    int ldb = s->tb ? s->K : s->N;
    if (impl == IMPL_SG) sg_sgemm(0, s->tb, s->M, s->N, s->K, 1.0f, A, s->K, B, ldb, 0.0f, C, s->N);
    else if (impl == IMPL_OB)
        cblas_sgemm(ROW_MAJOR, NO_TRANS, s->tb ? TRANS : NO_TRANS, s->M, s->N, s->K, 1.0f, A, s->K, B, ldb, 0.0f, C, s->N);
    else sg_sgemm_impl(SG_GEMM_NAIVE, 0, s->tb, s->M, s->N, s->K, 1.0f, A, s->K, B, ldb, 0.0f, C, s->N);
}
static double ref(const shape *s, const float *A, const float *B, int i, int j) {
    double acc = 0;
    int k;
    for (k = 0; k < s->K; k++)
        acc += (double)A[(size_t)i * s->K + k] * (s->tb ? B[(size_t)j * s->K + k] : B[(size_t)k * s->N + j]);
    return acc;
}
/* Max error relative to sum |a||b| over the checked elements; -1 on NaN. */
static double check(const shape *s, const float *A, const float *B, const float *C) {
    double worst = 0;
    long n = (double)s->M * s->N * s->K <= 67108864.0 ? (long)s->M * s->N : 4096, t;
    unsigned long long r = 12345;
    for (t = 0; t < n; t++) {
        int i, j, k;
        double want, mag = 0, e;
        if (n == (long)s->M * s->N) { i = (int)(t / s->N); j = (int)(t % s->N); }
        else {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            i = (int)((r >> 33) % (unsigned)s->M);
            j = (int)((r >> 13) % (unsigned)s->N);
        }
        want = ref(s, A, B, i, j);
        for (k = 0; k < s->K; k++)
            mag += fabs((double)A[(size_t)i * s->K + k] * (s->tb ? B[(size_t)j * s->K + k] : B[(size_t)k * s->N + j]));
        e = fabs(C[(size_t)i * s->N + j] - want) / (mag > 0 ? mag : 1);
        if (e != e) return -1;
        if (e > worst) worst = e;
    }
    return worst;
}
static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    int quick = 0, naive = 1, nthr = 2, thr[4] = {1, 2, 0, 0}, i, ti, si, bad = 0;
    int nshapes = (int)(sizeof shapes / sizeof shapes[0]), nuser = 0;
    static shape user[16];
    const shape *list = shapes;
    char lines[64][160];
    int nlines = 0;
    double t_start = now();
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) quick = 1;
        else if (!strcmp(argv[i], "--no-naive")) naive = 0;
        else if (!strcmp(argv[i], "--shape") && i + 1 < argc && nuser < 16) {
            shape *s = &user[nuser++];
            char t = 0;
            if (sscanf(argv[++i], "%dx%dx%d%c", &s->M, &s->K, &s->N, &t) < 3 || s->M < 1 || s->K < 1 || s->N < 1) {
                fprintf(stderr, "--shape MxKxN[t]\n");
                return 2;
            }
            s->tb = t == 't';
            s->what = "user";
        }
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            char *p = argv[++i];
            nthr = 0;
            while (*p && nthr < 4) { thr[nthr++] = (int)strtol(p, &p, 10); if (*p == ',') p++; }
        } else {
            fprintf(stderr, "usage: %s [--quick] [--threads 1,2] [--no-naive] [--shape MxKxN[t]]...\n", argv[0]);
            return 2;
        }
    }
    if (nuser) { list = user; nshapes = nuser; }
    printf("# symgraph GEMM benchmark: kernel %s, OpenBLAS core %s, %s build\n", sg_gemm_kernel_name(),
           openblas_get_corename(), bench_threading());
    printf("# %s mode: GFLOP/s medians of %d samples (>= %.0f ms each), interleaved\n", quick ? "quick" : "full",
           quick ? 7 : 11, quick ? 2.0 : 10.0);
    printf("| shape MxKxN | threads | symgraph | OpenBLAS | naive | ratio sg/OB | sg min..max |\n");
    printf("|---|---|---|---|---|---|---|\n");
    fflush(stdout);
    for (si = 0; si < nshapes; si++) {
        const shape *s = &list[si];
        size_t na = (size_t)s->M * s->K, nb = (size_t)s->K * s->N, nc = (size_t)s->M * s->N, e;
        float *A, *B, *C;
        double flop = 2.0 * s->M * s->N * s->K;
        unsigned long long r = 88172645463325252ULL + (unsigned)si;
        int impl;
        if (quick && s->tb && !nuser) continue;
        A = (float *)malloc(na * sizeof(float));
        B = (float *)malloc(nb * sizeof(float));
        C = (float *)malloc(nc * sizeof(float));
        for (e = 0; e < na; e++) { r ^= r << 13; r ^= r >> 7; r ^= r << 17; A[e] = (float)((r >> 40) * (1.0 / 16777216.0) * 2 - 1); }
        for (e = 0; e < nb; e++) { r ^= r << 13; r ^= r >> 7; r ^= r << 17; B[e] = (float)((r >> 40) * (1.0 / 16777216.0) * 2 - 1); }
        /* correctness first, with every thread count */
        for (ti = 0; ti < nthr; ti++) {
            sg_set_num_threads(thr[ti]);
            openblas_set_num_threads(thr[ti]);
            for (impl = 0; impl < NIMPL; impl++) {
                double err;
                if (impl == IMPL_NAIVE && (!naive || ti > 0 || (quick && flop > 2e9))) continue;
                for (e = 0; e < nc; e++) C[e] = NAN;
                run(impl, s, A, B, C);
                err = check(s, A, B, C);
                if (err < 0 || err > 1e-5) {
                    printf("CHECK FAILED: %s %dx%dx%d threads=%d relative error %g\n", impl_name[impl], s->M, s->K, s->N,
                           thr[ti], err);
                    bad++;
                }
            }
        }
        for (ti = 0; ti < nthr; ti++) {
            int nsamp = quick ? 7 : 11, k, iters[NIMPL];
            double min_t = quick ? 0.002 : 0.010, g[NIMPL][16], med[NIMPL];
            sg_set_num_threads(thr[ti]);
            openblas_set_num_threads(thr[ti]);
            /* calls per sample: enough to fill min_t */
            for (impl = 0; impl < NIMPL; impl++) {
                double t0 = now();
                iters[impl] = 1;
                if (impl == IMPL_NAIVE && (!naive || ti > 0 || (quick && flop > 2e9))) continue;
                run(impl, s, A, B, C);
                run(impl, s, A, B, C);
                iters[impl] = (int)(min_t / ((now() - t0) / 2 + 1e-9)) + 1;
            }
            for (k = 0; k < nsamp; k++) {
                for (impl = 0; impl < NIMPL; impl++) {
                    double t0;
                    int it;
                    g[impl][k] = 0;
                    if (impl == IMPL_NAIVE && (!naive || ti > 0 || (quick && (flop > 2e9 || k >= 3)))) continue;
                    /* With threads, let the other library's idle workers stop spinning
                     * first: OpenBLAS's spin about 0.1 s after each call (2^28 TSC
                     * ticks) and would hold the core our worker needs; ours ~1 ms. */
                    if (thr[ti] > 1) pause_ms(impl == IMPL_SG ? 150 : 20);
                    /* warm-up: caches; with threads, >= 30 ms of calls, so that the
                     * sleeping workers (and, on a VM, their idle virtual CPUs) are
                     * awake and spinning when the clock starts */
                    t0 = now();
                    do run(impl, s, A, B, C);
                    while (thr[ti] > 1 && now() - t0 < 0.030);
                    t0 = now();
                    for (it = 0; it < iters[impl]; it++) run(impl, s, A, B, C);
                    g[impl][k] = flop * iters[impl] / (now() - t0) * 1e-9;
                }
            }
            for (impl = 0; impl < NIMPL; impl++) {
                int n = 0;
                double v[16];
                for (k = 0; k < nsamp; k++) if (g[impl][k] > 0) v[n++] = g[impl][k];
                qsort(v, (size_t)n, sizeof v[0], cmpd);
                med[impl] = n ? (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) : 0;
                if (impl == IMPL_SG) g[IMPL_SG][14] = v[0], g[IMPL_SG][15] = v[n - 1];
            }
            {
                char nv[32];
                if (med[IMPL_NAIVE] > 0) snprintf(nv, sizeof nv, "%.1f", med[IMPL_NAIVE]);
                else snprintf(nv, sizeof nv, "%s", ti > 0 && naive ? "(1 thread)" : "-");
                printf("| %dx%dx%d%s | %d | %.1f | %.1f | %s | %.2f | %.1f..%.1f |\n", s->M, s->K, s->N, s->tb ? " NT" : "",
                       thr[ti], med[IMPL_SG], med[IMPL_OB], nv, med[IMPL_SG] / med[IMPL_OB], g[IMPL_SG][14], g[IMPL_SG][15]);
                fflush(stdout);
            }
            if (nlines < 64)
                snprintf(lines[nlines++], sizeof lines[0], "gemm M=%d K=%d N=%d%s threads=%d symgraph=%.1f openblas=%.1f ratio=%.2f",
                         s->M, s->K, s->N, s->tb ? " NT" : "", thr[ti], med[IMPL_SG], med[IMPL_OB], med[IMPL_SG] / med[IMPL_OB]);
        }
        free(A);
        free(B);
        free(C);
    }
    printf("# %.1f s, %s\n", now() - t_start, bad ? "CHECKS FAILED" : "all results checked");
    for (i = 0; i < nlines; i++) printf("%s\n", lines[i]);
    return bad ? 1 : 0;
}
