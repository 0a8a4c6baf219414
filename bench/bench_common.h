/* bench_common.h - what bench/gemm.c and bench/conv.c share: OpenBLAS's CBLAS
 * entry points (declared here, so that no cblas.h is needed; the benchmarks
 * link -lopenblas, the library never does), a monotonic clock and a sleep. */
#ifndef SG_BENCH_COMMON_H
#define SG_BENCH_COMMON_H
#include <time.h>

void cblas_sgemm(int order, int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda, const float *B,
                 int ldb, float beta, float *C, int ldc);
void openblas_set_num_threads(int n);
char *openblas_get_corename(void);
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

/* seconds on the monotonic clock */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}
/* sleep ms milliseconds: lets another library's spinning worker threads park */
static void pause_ms(int ms) {
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}
/* how the library's GEMM threads in this build */
static const char *bench_threading(void) {
#ifdef _OPENMP
    return "OpenMP threads";
#elif defined(SYMGRAPH_PTHREADS)
    return "internal pthread pool";
#else
    return "single-thread";
#endif
}
#endif
