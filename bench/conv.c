/* bench/conv: Convolution forward and backward through symgraph's executor against
 * the same layer written here as im2col + OpenBLAS sgemm, on the LeNet conv layers
 * and a ResNet-18 3x3 layer (NCHW float32, MXNet Convolution with bias).
 *
 *   make bench/conv && bench/conv [--quick] [--threads LIST]
 *
 * symgraph: the layer built through the public API (sg_variable, sg_convolution),
 * sg_simple_bind with grad_req write; forward is sg_forward(is_train=1), backward
 * is sg_backward alone (head gradient random) after one forward, writing the
 * data, weight and bias gradients. OpenBLAS: per image, im2col then cblas_sgemm
 * (W x col) and a bias add; backward per image: im2col again, dW += dOut x col^T,
 * col = W^T x dOut then col2im for dX, and dB = the sums of dOut.
 * The output and the three gradients of symgraph are checked against OpenBLAS's
 * before timing, with every thread count (error relative to the sum of the
 * absolute values of the products behind each element). Timing interleaves the
 * four runs (symgraph fwd, OpenBLAS fwd, symgraph bwd, OpenBLAS bwd) sample by
 * sample; a sample is one warm-up call (30 ms of calls with threads) and then
 * enough calls to fill a minimum time; figures are medians of the per-call ms
 * over the samples.
 * ratio = OpenBLAS ms / symgraph ms: > 1 means symgraph is faster. Prints, last,
 * one line per layer and thread count:
 *   conv layer=lenet2 threads=1 fwd_ms=3.10 openblas_fwd_ms=2.95 bwd_ms=6.02 openblas_bwd_ms=5.80
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

/* batch N (quick run: Nq), input C x H x W, F filters k x k, stride, pad */
typedef struct { const char *name; int N, Nq, C, H, W, F, k, stride, pad; } layer;
static const layer layers[] = {
    {"lenet1", 64, 64, 1, 28, 28, 20, 5, 1, 0},   /* im2col GEMM 20x25x576 per image */
    {"lenet2", 64, 64, 20, 12, 12, 50, 5, 1, 0},  /* 50x500x64 */
    {"resnet3x3", 32, 8, 64, 56, 56, 64, 3, 1, 1}, /* 64x576x3136 */
};
enum { SG_FWD, OB_FWD, SG_BWD, OB_BWD, NRUN };

/* One layer's problem: sizes, the symgraph executor, the OpenBLAS side's arrays. */
typedef struct {
    const layer *l;
    int N, Ho, Wo, K, L; /* K = C k k (im2col rows), L = Ho Wo (columns) */
    size_t nx, nw, ny;
    float *x, *w, *b, *dy;     /* inputs (copied into the executor's arguments) */
    float *y, *dx, *dw, *db;   /* OpenBLAS side's results */
    float *col;                /* one image's column matrix */
    sg_graph *g;
    sg_executor *ex;
    sg_ndarray *dy_nd;         /* the head gradient, wrapping dy */
} prob;
static int run_failed;

static void fill(float *p, size_t n, unsigned long long *r) {
    size_t e;
    for (e = 0; e < n; e++) {
        *r ^= *r << 13; *r ^= *r >> 7; *r ^= *r << 17;
        p[e] = (float)((*r >> 40) * (1.0 / 16777216.0) * 2 - 1);
    }
}

/* ---- the OpenBLAS side: im2col / col2im, rows (c, ki, kj) x columns (oi, oj) ---- */
static void im2col(const prob *p, const float *im, float *col) {
    const layer *l = p->l;
    int c, ki, kj, oi, oj;
    for (c = 0; c < l->C; c++)
        for (ki = 0; ki < l->k; ki++)
            for (kj = 0; kj < l->k; kj++, col += p->L)
                for (oi = 0; oi < p->Ho; oi++) {
                    int ii = oi * l->stride - l->pad + ki;
                    float *row = col + oi * p->Wo;
                    if (ii < 0 || ii >= l->H) { memset(row, 0, (size_t)p->Wo * sizeof(float)); continue; }
                    for (oj = 0; oj < p->Wo; oj++) {
                        int ij = oj * l->stride - l->pad + kj;
                        row[oj] = ij < 0 || ij >= l->W ? 0.0f : im[((size_t)c * l->H + ii) * l->W + ij];
                    }
                }
}
static void col2im(const prob *p, const float *col, float *im) { /* im += */
    const layer *l = p->l;
    int c, ki, kj, oi, oj;
    for (c = 0; c < l->C; c++)
        for (ki = 0; ki < l->k; ki++)
            for (kj = 0; kj < l->k; kj++, col += p->L)
                for (oi = 0; oi < p->Ho; oi++) {
                    int ii = oi * l->stride - l->pad + ki;
                    const float *row = col + oi * p->Wo;
                    if (ii < 0 || ii >= l->H) continue;
                    for (oj = 0; oj < p->Wo; oj++) {
                        int ij = oj * l->stride - l->pad + kj;
                        if (ij >= 0 && ij < l->W) im[((size_t)c * l->H + ii) * l->W + ij] += row[oj];
                    }
                }
}
static void ob_fwd(const prob *p, const float *x, const float *w, const float *b, float *y) {
    const layer *l = p->l;
    int n, f, i;
    for (n = 0; n < p->N; n++) {
        float *yn = y + (size_t)n * l->F * p->L;
        im2col(p, x + (size_t)n * l->C * l->H * l->W, p->col);
        cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, l->F, p->L, p->K, 1.0f, w, p->K, p->col, p->L, 0.0f, yn, p->L);
        for (f = 0; f < l->F; f++)
            for (i = 0; i < p->L; i++) yn[(size_t)f * p->L + i] += b[f];
    }
}
static void ob_bwd(const prob *p, const float *dy, const float *x, const float *w, float *dx, float *dw, float *db) {
    const layer *l = p->l;
    int n, f, i;
    memset(dx, 0, p->nx * sizeof(float));
    for (f = 0; f < l->F; f++) db[f] = 0;
    for (n = 0; n < p->N; n++) {
        const float *dyn = dy + (size_t)n * l->F * p->L;
        im2col(p, x + (size_t)n * l->C * l->H * l->W, p->col);
        cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, l->F, p->K, p->L, 1.0f, dyn, p->L, p->col, p->L, n ? 1.0f : 0.0f, dw, p->K);
        cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, p->K, p->L, l->F, 1.0f, w, p->K, dyn, p->L, 0.0f, p->col, p->L);
        col2im(p, p->col, dx + (size_t)n * l->C * l->H * l->W);
        for (f = 0; f < l->F; f++) {
            float acc = 0;
            for (i = 0; i < p->L; i++) acc += dyn[(size_t)f * p->L + i];
            db[f] += acc;
        }
    }
}

static sg_ndarray *sg_arr(prob *p, const char *name, int grad) {
    return grad ? sg_executor_grad(p->ex, name) : sg_executor_arg(p->ex, name);
}
static float *sg_out(prob *p) {
    sg_ndarray *const *outs;
    int n;
    return sg_executor_outputs(p->ex, &outs, &n) == SG_OK && n == 1 ? (float *)outs[0]->data : NULL;
}
static void run(int what, prob *p) {
    switch (what) {
    case SG_FWD: if (sg_forward(p->ex, 1) != SG_OK) run_failed = 1; break;
    case OB_FWD: ob_fwd(p, p->x, p->w, p->b, p->y); break;
    case SG_BWD: if (sg_backward(p->ex, 1, &p->dy_nd) != SG_OK) run_failed = 1; break;
    default: ob_bwd(p, p->dy, p->x, p->w, p->dx, p->dw, p->db); break;
    }
}

/* Build, bind and fill one layer; 0 on success. */
static int setup(prob *p, const layer *l, int quick, unsigned long long seed) {
    sg_symbol *data, *conv;
    const char *names[1] = {"data"};
    sg_shape shp;
    int64_t dyd[4];
    memset(p, 0, sizeof *p);
    p->l = l;
    p->N = quick ? l->Nq : l->N;
    p->Ho = (l->H + 2 * l->pad - l->k) / l->stride + 1;
    p->Wo = (l->W + 2 * l->pad - l->k) / l->stride + 1;
    p->K = l->C * l->k * l->k;
    p->L = p->Ho * p->Wo;
    p->nx = (size_t)p->N * l->C * l->H * l->W;
    p->nw = (size_t)l->F * p->K;
    p->ny = (size_t)p->N * l->F * p->L;
    p->x = (float *)malloc(p->nx * sizeof(float));
    p->dx = (float *)malloc(p->nx * sizeof(float));
    p->w = (float *)malloc(p->nw * sizeof(float));
    p->dw = (float *)malloc(p->nw * sizeof(float));
    p->b = (float *)malloc((size_t)l->F * sizeof(float));
    p->db = (float *)malloc((size_t)l->F * sizeof(float));
    p->y = (float *)malloc(p->ny * sizeof(float));
    p->dy = (float *)malloc(p->ny * sizeof(float));
    p->col = (float *)malloc((size_t)p->K * p->L * sizeof(float));
    if (!p->x || !p->dx || !p->w || !p->dw || !p->b || !p->db || !p->y || !p->dy || !p->col) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    fill(p->x, p->nx, &seed);
    fill(p->w, p->nw, &seed);
    fill(p->b, (size_t)l->F, &seed);
    fill(p->dy, p->ny, &seed);
    /* symgraph: data -> Convolution(kernel, num_filter, stride, pad), with bias */
    p->g = sg_graph_create();
    data = sg_variable(p->g, "data");
    conv = sg_convolution(p->g, "conv", data, l->k, l->k, l->F, l->stride, l->pad);
    shp.ndim = 4;
    shp.dims[0] = p->N;
    shp.dims[1] = l->C;
    shp.dims[2] = l->H;
    shp.dims[3] = l->W;
    if (!conv || sg_simple_bind(p->g, conv, SG_CPU, 1, names, &shp, NULL, SG_REQ_WRITE, &p->ex) != SG_OK) {
        fprintf(stderr, "%s: bind failed: %s\n", l->name, sg_graph_error(p->g));
        return 1;
    }
    if (!sg_arr(p, "data", 0) || !sg_arr(p, "conv_weight", 0) || !sg_arr(p, "conv_bias", 0) ||
        sg_arr(p, "data", 0)->size != (int64_t)p->nx || sg_arr(p, "conv_weight", 0)->size != (int64_t)p->nw ||
        sg_arr(p, "conv_bias", 0)->size != l->F) {
        fprintf(stderr, "%s: unexpected arguments after simple_bind\n", l->name);
        return 1;
    }
    memcpy(sg_arr(p, "data", 0)->data, p->x, p->nx * sizeof(float));
    memcpy(sg_arr(p, "conv_weight", 0)->data, p->w, p->nw * sizeof(float));
    memcpy(sg_arr(p, "conv_bias", 0)->data, p->b, (size_t)l->F * sizeof(float));
    dyd[0] = p->N;
    dyd[1] = l->F;
    dyd[2] = p->Ho;
    dyd[3] = p->Wo;
    p->dy_nd = sg_nd_from_data(4, dyd, SG_FLOAT32, p->dy);
    return p->dy_nd ? 0 : 1;
}
static void teardown(prob *p) {
    sg_nd_free(p->dy_nd);
    sg_executor_free(p->ex);
    sg_graph_free(p->g);
    free(p->x); free(p->dx); free(p->w); free(p->dw); free(p->b); free(p->db);
    free(p->y); free(p->dy); free(p->col);
}

/* Max over elements of |got - want| / mag; -1 on NaN. */
static double rel_err(const float *got, const float *want, const float *mag, size_t n) {
    double worst = 0, e;
    size_t i;
    if (!got) return -1;
    for (i = 0; i < n; i++) {
        e = fabs((double)got[i] - want[i]) / (mag[i] > 0 ? mag[i] : 1);
        if (e != e) return -1;
        if (e > worst) worst = e;
    }
    return worst;
}
/* Check symgraph's output and gradients against the OpenBLAS side's (which is
 * also run on absolute values for the magnitudes). Returns the number of
 * mismatches; *worst gets the largest relative error. */
static int check(prob *p, int threads, double *worst) {
    static const char *what[4] = {"output", "data gradient", "weight gradient", "bias gradient"};
    const layer *l = p->l;
    size_t n[4], i;
    float *ax = (float *)malloc(p->nx * sizeof(float)), *aw = (float *)malloc(p->nw * sizeof(float));
    float *ab = (float *)malloc((size_t)l->F * sizeof(float)), *ady = (float *)malloc(p->ny * sizeof(float));
    float *my = (float *)malloc(p->ny * sizeof(float)), *mdx = (float *)malloc(p->nx * sizeof(float));
    float *mdw = (float *)malloc(p->nw * sizeof(float)), *mdb = (float *)malloc((size_t)l->F * sizeof(float));
    const float *got[4], *want[4], *mag[4];
    sg_ndarray *ga[3];
    int k, bad = 0;
    if (!ax || !aw || !ab || !ady || !my || !mdx || !mdw || !mdb) { fprintf(stderr, "out of memory\n"); exit(2); }
    for (i = 0; i < p->nx; i++) ax[i] = fabsf(p->x[i]);
    for (i = 0; i < p->nw; i++) aw[i] = fabsf(p->w[i]);
    for (i = 0; i < (size_t)l->F; i++) ab[i] = fabsf(p->b[i]);
    for (i = 0; i < p->ny; i++) ady[i] = fabsf(p->dy[i]);
    ob_fwd(p, ax, aw, ab, my);
    ob_bwd(p, ady, ax, aw, mdx, mdw, mdb);
    for (i = 0; i < p->ny; i++) p->y[i] = NAN;
    for (i = 0; i < p->nx; i++) p->dx[i] = NAN;
    run(OB_FWD, p);
    run(OB_BWD, p);
    /* symgraph: NaN in the results first, so that anything not written shows */
    ga[0] = sg_arr(p, "data", 1);
    ga[1] = sg_arr(p, "conv_weight", 1);
    ga[2] = sg_arr(p, "conv_bias", 1);
    for (k = 0; k < 3; k++) if (ga[k]) sg_nd_fill(ga[k], NAN);
    run_failed = 0;
    run(SG_FWD, p);
    run(SG_BWD, p);
    if (run_failed) {
        printf("CHECK FAILED: %s threads=%d: symgraph forward/backward: %s\n", l->name, threads, sg_executor_error(p->ex));
        bad++;
    }
    got[0] = sg_out(p);
    for (k = 0; k < 3; k++) got[k + 1] = ga[k] ? (const float *)ga[k]->data : NULL;
    want[0] = p->y; want[1] = p->dx; want[2] = p->dw; want[3] = p->db;
    mag[0] = my; mag[1] = mdx; mag[2] = mdw; mag[3] = mdb;
    n[0] = p->ny; n[1] = p->nx; n[2] = p->nw; n[3] = (size_t)l->F;
    for (k = 0; k < 4; k++) {
        double e = rel_err(got[k], want[k], mag[k], n[k]);
        if (e < 0 || e > 1e-5) {
            printf("CHECK FAILED: %s threads=%d %s: relative error %g\n", l->name, threads, what[k], e);
            bad++;
        }
        if (e > *worst) *worst = e;
    }
    free(ax); free(aw); free(ab); free(ady); free(my); free(mdx); free(mdw); free(mdb);
    return bad;
}
static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    int quick = 0, nthr = 2, thr[4] = {1, 2, 0, 0}, i, ti, li, bad = 0;
    int nlayers = (int)(sizeof layers / sizeof layers[0]);
    char lines[32][200];
    int nlines = 0;
    double t_start = now(), worst = 0;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) quick = 1;
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            char *s = argv[++i];
            nthr = 0;
            while (*s && nthr < 4) { thr[nthr++] = (int)strtol(s, &s, 10); if (*s == ',') s++; }
        } else {
            fprintf(stderr, "usage: %s [--quick] [--threads 1,2]\n", argv[0]);
            return 2;
        }
    }
    printf("# symgraph Convolution benchmark: kernel %s, OpenBLAS core %s, %s build\n", sg_gemm_kernel_name(),
           openblas_get_corename(), bench_threading());
    printf("# %s mode: ms per call, medians of %d samples (>= %.0f ms each), interleaved; bwd = backward alone\n",
           quick ? "quick" : "full", quick ? 7 : 11, quick ? 2.0 : 20.0);
    printf("# ratio = OpenBLAS ms / symgraph ms (> 1: symgraph faster)\n");
    printf("| layer | input NxCxHxW, filters | threads | symgraph fwd | OpenBLAS fwd | ratio | symgraph bwd | OpenBLAS bwd | ratio |\n");
    printf("|---|---|---|---|---|---|---|---|---|\n");
    fflush(stdout);
    for (li = 0; li < nlayers; li++) {
        const layer *l = &layers[li];
        prob p;
        if (setup(&p, l, quick, 88172645463325252ULL + (unsigned)li)) return 2;
        /* correctness first, with every thread count */
        for (ti = 0; ti < nthr; ti++) {
            sg_set_num_threads(thr[ti]);
            openblas_set_num_threads(thr[ti]);
            bad += check(&p, thr[ti], &worst);
        }
        for (ti = 0; ti < nthr; ti++) {
            int nsamp = quick ? 7 : 11, k, what, iters[NRUN];
            double min_t = quick ? 0.002 : 0.020, ms[NRUN][16], med[NRUN];
            sg_set_num_threads(thr[ti]);
            openblas_set_num_threads(thr[ti]);
            run_failed = 0;
            /* calls per sample: enough to fill min_t */
            for (what = 0; what < NRUN; what++) {
                double t0 = now();
                run(what, &p);
                iters[what] = (int)(min_t / (now() - t0 + 1e-9)) + 1;
            }
            for (k = 0; k < nsamp; k++) {
                for (what = 0; what < NRUN; what++) {
                    double t0;
                    int it;
                    /* With threads, let the other library's idle workers stop spinning
                     * first (OpenBLAS's spin about 0.1 s after a call; ours ~1 ms). */
                    if (thr[ti] > 1) pause_ms(what == SG_FWD || what == SG_BWD ? 150 : 20);
                    /* warm-up: caches; with threads, >= 30 ms of calls, so that the
                     * sleeping workers (and, on a VM, their idle virtual CPUs) are
                     * awake when the clock starts (as bench/gemm) */
                    t0 = now();
                    do run(what, &p);
                    while (thr[ti] > 1 && now() - t0 < 0.030);
                    t0 = now();
                    for (it = 0; it < iters[what]; it++) run(what, &p);
                    ms[what][k] = (now() - t0) / iters[what] * 1e3;
                }
            }
            if (run_failed) {
                printf("CHECK FAILED: %s threads=%d: symgraph call failed while timing: %s\n", l->name, thr[ti],
                       sg_executor_error(p.ex));
                bad++;
            }
            for (what = 0; what < NRUN; what++) {
                qsort(ms[what], (size_t)nsamp, sizeof ms[what][0], cmpd);
                med[what] = nsamp % 2 ? ms[what][nsamp / 2] : (ms[what][nsamp / 2 - 1] + ms[what][nsamp / 2]) / 2;
            }
            printf("| %s | %dx%dx%dx%d, %d %dx%d /%d pad %d | %d | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f |\n", l->name,
                   p.N, l->C, l->H, l->W, l->F, l->k, l->k, l->stride, l->pad, thr[ti], med[SG_FWD], med[OB_FWD],
                   med[OB_FWD] / med[SG_FWD], med[SG_BWD], med[OB_BWD], med[OB_BWD] / med[SG_BWD]);
            fflush(stdout);
            if (nlines < 32)
                snprintf(lines[nlines++], sizeof lines[0],
                         "conv layer=%s batch=%d threads=%d fwd_ms=%.3f openblas_fwd_ms=%.3f bwd_ms=%.3f openblas_bwd_ms=%.3f "
                         "fwd_ratio=%.2f bwd_ratio=%.2f",
                         l->name, p.N, thr[ti], med[SG_FWD], med[OB_FWD], med[SG_BWD], med[OB_BWD], med[OB_FWD] / med[SG_FWD],
                         med[OB_BWD] / med[SG_BWD]);
        }
        teardown(&p);
    }
    printf("# %.1f s, %s (largest relative error %.2g)\n", now() - t_start, bad ? "CHECKS FAILED" : "all results checked",
           worst);
    for (i = 0; i < nlines; i++) printf("%s\n", lines[i]);
    return bad ? 1 : 0;
}
