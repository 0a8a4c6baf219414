/* Group T tensor kernels: elementwise binary, scalar, broadcast, dot,
 * batch_dot, unary math, clip, Cast, the copy-likes, transpose, broadcast_to,
 * Concat, SliceChannel, slice_axis, reductions, _zeros/_ones, add_n, smooth_l1.
 *  - known answers: forward values (and, for many, gradients) produced by real
 *    MXNet 1.9.1 (tools/mxnet_ref/gen_ops_tensor_cases.py), pasted below;
 *  - gradient checks (gradcheck.h: float64 central differences against the
 *    float32 backward) for every operator and parameter variant;
 *  - the int32 seed example, duplicate inputs, in-place runs, dtype errors,
 *    no allocation inside forward/backward. */
#include <stdlib.h>
#include <stddef.h>
static long t_allocs; /* counts allocations made through the library's allocator */
static void *t_malloc(size_t n) { t_allocs++; return malloc(n); }
static void *t_realloc(void *p, size_t n) { t_allocs++; return realloc(p, n); }
#define SYMGRAPH_MALLOC(sz) t_malloc(sz)
#define SYMGRAPH_REALLOC(p, sz) t_realloc(p, sz)
#define SYMGRAPH_FREE(p) free(p)
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include "sg_test.h"
#include "gradcheck.h"

/* ------------------------------------------------------------------ helpers */

/* Run `op` on inputs x0..x{nin-1} (dtype, given dims and values), check output
 * oi's dtype, shape and values; with og, also run backward with og as that
 * output's gradient (zeros for the others) and check every input gradient. */
static int ka_cmp(const char *op, const char *what, const sg_ndarray *a, const double *want, int64_t n) {
    double tol = a->dtype == SG_FLOAT64 ? 1e-12 : (a->dtype == SG_FLOAT32 || a->dtype == SG_FLOAT16) ? 1e-6 : 0;
    int64_t i;
    for (i = 0; i < n; i++) {
        double got = sg_nd_get(a, i), w = want[i];
        int bad = isnan(w) ? !isnan(got) : !(fabs(got - w) <= tol * (fabs(w) > 1 ? fabs(w) : 1));
        if (bad) {
            printf("  %s: %s[%lld] = %.9g, MXNet %.9g\n", op, what, (long long)i, got, w);
            return 0;
        }
    }
    return 1;
}
static int ka_run(const char *op, const char *const *params, int nin, const int *nds, const int64_t *const *dims,
                  const double *const *vals, int dtype, int oi, int wdt, int wnd, const int64_t *wdims,
                  const double *want, const double *og, const double *const *wg) {
    sg_graph *g = sg_graph_create();
    sg_symbol *v[8], *y;
    sg_ndarray *args[8], *grads[8], *ogs[8];
    sg_ndarray *const *outs;
    const char *names[8];
    char nb[8][16];
    int i, ok = 1, nout = 0;
    int64_t q;
    sg_executor *ex = NULL;
    sg_bind_desc d;
    memset(ogs, 0, sizeof ogs);
    for (i = 0; i < nin; i++) {
        snprintf(nb[i], sizeof nb[i], "x%d", i);
        names[i] = nb[i];
        v[i] = sg_variable(g, nb[i]);
        args[i] = sg_nd_zeros(nds[i], dims[i], dtype);
        grads[i] = sg_nd_zeros(nds[i], dims[i], dtype);
        for (q = 0; q < args[i]->size; q++) sg_nd_set(args[i], q, vals[i][q]);
    }
    y = sg_op(g, op, NULL, params, nin, v, NULL);
    memset(&d, 0, sizeof d);
    d.nargs = nin; d.arg_names = names; d.args = args;
    if (og) { d.ngrads = nin; d.grad_names = names; d.grads = grads; }
    if (!y || sg_bind(g, y, SG_CPU, &d, &ex) != SG_OK) { printf("  %s: %s\n", op, sg_graph_error(g)); ok = 0; goto done; }
    if (sg_forward(ex, og != NULL) != SG_OK) { printf("  %s: forward: %s\n", op, sg_executor_error(ex)); ok = 0; goto done; }
    sg_executor_outputs(ex, &outs, &nout);
    if (oi >= nout || outs[oi]->dtype != wdt || outs[oi]->shape.ndim != wnd) {
        printf("  %s: output %d: dtype %d ndim %d, MXNet %d %d\n", op, oi, oi < nout ? outs[oi]->dtype : -1,
               oi < nout ? outs[oi]->shape.ndim : -1, wdt, wnd);
        ok = 0;
        goto done;
    }
    for (i = 0; i < wnd; i++)
        if (outs[oi]->shape.dims[i] != wdims[i]) { printf("  %s: output dim %d differs\n", op, i); ok = 0; goto done; }
    if (!ka_cmp(op, "output", outs[oi], want, outs[oi]->size)) ok = 0;
    if (og && ok) {
        for (i = 0; i < nout; i++) ogs[i] = sg_nd_zeros(outs[i]->shape.ndim, outs[i]->shape.dims, outs[i]->dtype);
        for (q = 0; q < ogs[oi]->size; q++) sg_nd_set(ogs[oi], q, og[q]);
        if (sg_backward(ex, nout, ogs) != SG_OK) { printf("  %s: backward: %s\n", op, sg_executor_error(ex)); ok = 0; goto done; }
        for (i = 0; i < nin; i++) {
            char what[32];
            snprintf(what, sizeof what, "grad of x%d", i);
            if (!ka_cmp(op, what, grads[i], wg[i], grads[i]->size)) ok = 0;
        }
    }
done:
    sg_executor_free(ex);
    for (i = 0; i < nin; i++) { sg_nd_free(args[i]); sg_nd_free(grads[i]); }
    for (i = 0; i < 8; i++) sg_nd_free(ogs[i]);
    sg_graph_free(g);
    return ok;
}

/* Inputs of the gradient checks: argument "a" takes range 0, "b" range 1, ...;
 * values closer than `gap` to a point of avoid[] are drawn again (kinks). */
typedef struct gc_ranges {
    double lo[4], hi[4];
    double gap, avoid[4];
    int navoid;
} gc_ranges;
static int gc_init(const char *name, sg_ndarray *a, sg_rng *r, void *user) {
    const gc_ranges *R = (const gc_ranges *)user;
    int k = name[0] - 'a', j;
    int64_t i;
    if (name[1] || k < 0 || k > 3) return 0;
    for (i = 0; i < a->size; i++) {
        double v;
        int again;
        do {
            v = R->lo[k] + (R->hi[k] - R->lo[k]) * sg_rng_uniform(r);
            again = 0;
            for (j = 0; j < R->navoid; j++) if (fabs(v - R->avoid[j]) < R->gap) again = 1;
        } while (again);
        sg_nd_set(a, i, v);
    }
    return 1;
}
static gc_ranges rg(double lo0, double hi0, double lo1, double hi1) {
    gc_ranges R;
    int i;
    memset(&R, 0, sizeof R);
    for (i = 0; i < 4; i++) { R.lo[i] = lo0; R.hi[i] = hi0; }
    R.lo[1] = lo1; R.hi[1] = hi1;
    return R;
}
static gc_ranges rg_avoid(double lo, double hi, double gap, int n, const double *pts) {
    gc_ranges R = rg(lo, hi, lo, hi);
    int i;
    R.gap = gap;
    R.navoid = n;
    for (i = 0; i < n; i++) R.avoid[i] = pts[i];
    return R;
}
/* gc_run on s with inputs a, b, c (shapes sa, sb, sc; unused ones ndim 0). */
static int gck(const char *what, sg_graph *g, sg_symbol *s, sg_shape sa, sg_shape sb, sg_shape sc, const gc_ranges *R) {
    static const char *const names[] = {"a", "b", "c"};
    sg_shape shapes[3];
    gc_spec sp;
    int n = 0;
    shapes[0] = sa; shapes[1] = sb; shapes[2] = sc;
    while (n < 3 && shapes[n].ndim > 0) n++;
    memset(&sp, 0, sizeof sp);
    sp.name = what;
    sp.g = g;
    sp.sym = s;
    sp.nshapes = n;
    sp.names = names;
    sp.shapes = shapes;
    sp.lo = -1;
    sp.hi = 1;
    sp.init = gc_init;
    sp.user = (void *)R;
    return gc_run(&sp);
}
/* The node of symbol s's head, to call its kernels directly. */
static sg__node *head_node(sg_symbol *s) { return s->heads[0].node; }
static sg_shape none(void) { sg_shape s; memset(&s, 0, sizeof s); return s; }
static sg_symbol *op1(sg_graph *g, const char *op, const char *const *kv, sg_symbol *a) {
    return sg_op(g, op, NULL, kv, 1, &a, NULL);
}
static sg_symbol *op2(sg_graph *g, const char *op, const char *const *kv, sg_symbol *a, sg_symbol *b) {
    sg_symbol *in[2];
    in[0] = a;
    in[1] = b;
    return sg_op(g, op, NULL, kv, 2, in, NULL);
}
#define GCK(what, sym, sa, sb, R)                                                    \
    do {                                                                             \
        gc_ranges R_ = (R);                                                          \
        CHECK_MSG(gck(what, g, sym, sa, sb, none(), &R_), "gradient check %s", what); \
    } while (0)

/* ---- known answers: 128 cases generated by tools/mxnet_ref/gen_ops_tensor_cases.py with MXNet 1.9.1 ---- */
/* elementwise binary operators, float32 / int32 / float64, and gradients */
SG_TEST(ka_binary) {
    {   /* MXNet 1.9.1: mx.nd.elemwise_add(x0, x1) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {-1.23, 0.49, -0.25, 1.14, 1.12, -0.91};
        static const double v1[] = {0.91, 1.7, 1.94, 1.81, 1.04, 1.25};
        static const double w[] = {-0.3199999928474426, 2.190000057220459, 1.690000057220459, 2.9499998092651367, 2.1599998474121094, 0.3399999737739563};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("elemwise_add", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.elemwise_sub(x0, x1) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {-1.23, 0.49, -0.25, 1.14, 1.12, -0.91};
        static const double v1[] = {0.91, 1.7, 1.94, 1.81, 1.04, 1.25};
        static const double w[] = {-2.140000104904175, -1.2100000381469727, -2.190000057220459, -0.6699999570846558, 0.08000004291534424, -2.1600000858306885};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("elemwise_sub", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.elemwise_mul(x0, x1) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {-1.23, 0.49, -0.25, 1.14, 1.12, -0.91};
        static const double v1[] = {0.91, 1.7, 1.94, 1.81, 1.04, 1.25};
        static const double w[] = {-1.1193000078201294, 0.8330000638961792, -0.48500001430511475, 2.0633997917175293, 1.1647999286651611, -1.1375000476837158};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("elemwise_mul", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.elemwise_div(x0, x1) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {-1.23, 0.49, -0.25, 1.14, 1.12, -0.91};
        static const double v1[] = {0.91, 1.7, 1.94, 1.81, 1.04, 1.25};
        static const double w[] = {-1.3516483306884766, 0.28823527693748474, -0.12886597216129303, 0.6298342943191528, 1.076923131942749, -0.7280000448226929};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("elemwise_div", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._power(x0, x1) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.53, 1.57, 1.06, 1.34, 1.25, 0.52};
        static const double v1[] = {1.32, 1.65, 0.09, 0.85, -0.77, 0.11};
        static const double w[] = {1.753043532371521, 2.104914426803589, 1.0052579641342163, 1.282446026802063, 0.8421303033828735, 0.930594265460968};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("_power", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._maximum(x0, x1) (ties included) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.0, -0.5, 2.0, 0.25, 3.0, -1.5};
        static const double v1[] = {1.0, 0.5, -2.0, 0.25, 2.0, -1.0};
        static const double w[] = {1.0, 0.5, 2.0, 0.25, 3.0, -1.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("_maximum", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._minimum(x0, x1) (ties included) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.0, -0.5, 2.0, 0.25, 3.0, -1.5};
        static const double v1[] = {1.0, 0.5, -2.0, 0.25, 2.0, -1.0};
        static const double w[] = {1.0, -0.5, -2.0, 0.25, 2.0, -1.5};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("_minimum", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._equal(x0, x1) (ties included) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.0, -0.5, 2.0, 0.25, 3.0, -1.5};
        static const double v1[] = {1.0, 0.5, -2.0, 0.25, 2.0, -1.0};
        static const double w[] = {1.0, 0.0, 0.0, 1.0, 0.0, 0.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("_equal", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._not_equal(x0, x1) (ties included) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.0, -0.5, 2.0, 0.25, 3.0, -1.5};
        static const double v1[] = {1.0, 0.5, -2.0, 0.25, 2.0, -1.0};
        static const double w[] = {0.0, 1.0, 1.0, 0.0, 1.0, 1.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("_not_equal", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._greater(x0, x1) (ties included) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.0, -0.5, 2.0, 0.25, 3.0, -1.5};
        static const double v1[] = {1.0, 0.5, -2.0, 0.25, 2.0, -1.0};
        static const double w[] = {0.0, 0.0, 1.0, 0.0, 1.0, 0.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("_greater", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._greater_equal(x0, x1) (ties included) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.0, -0.5, 2.0, 0.25, 3.0, -1.5};
        static const double v1[] = {1.0, 0.5, -2.0, 0.25, 2.0, -1.0};
        static const double w[] = {1.0, 0.0, 1.0, 1.0, 1.0, 0.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("_greater_equal", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._lesser(x0, x1) (ties included) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.0, -0.5, 2.0, 0.25, 3.0, -1.5};
        static const double v1[] = {1.0, 0.5, -2.0, 0.25, 2.0, -1.0};
        static const double w[] = {0.0, 1.0, 0.0, 0.0, 0.0, 1.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("_lesser", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._lesser_equal(x0, x1) (ties included) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.0, -0.5, 2.0, 0.25, 3.0, -1.5};
        static const double v1[] = {1.0, 0.5, -2.0, 0.25, 2.0, -1.0};
        static const double w[] = {1.0, 1.0, 0.0, 1.0, 0.0, 1.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("_lesser_equal", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.elemwise_add(x0, x1), int32 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double v1[] = {2.0, 2.0, -2.0, 3.0, -4.0, 4.0};
        static const double w[] = {9.0, -5.0, 1.0, 4.0, 1.0, -5.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("elemwise_add", p, 2, nds, dd, vv, SG_INT32, 0, SG_INT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.elemwise_mul(x0, x1), int32 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double v1[] = {2.0, 2.0, -2.0, 3.0, -4.0, 4.0};
        static const double w[] = {14.0, -14.0, -6.0, 3.0, -20.0, -36.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("elemwise_mul", p, 2, nds, dd, vv, SG_INT32, 0, SG_INT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.elemwise_div(x0, x1), int32 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double v1[] = {2.0, 2.0, -2.0, 3.0, -4.0, 4.0};
        static const double w[] = {3.0, -3.0, -1.0, 0.0, -1.0, -2.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("elemwise_div", p, 2, nds, dd, vv, SG_INT32, 0, SG_INT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: _power, int32 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {4}, d1[] = {4}, dw[] = {4};
        static const double v0[] = {2.0, 3.0, -2.0, 5.0};
        static const double v1[] = {3.0, -1.0, 3.0, 2.0};
        static const double w[] = {8.0, 0.0, -8.0, 25.0};
        static const int nds[] = {1, 1};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("_power", p, 2, nds, dd, vv, SG_INT32, 0, SG_INT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: _maximum, int32 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double v1[] = {2.0, 2.0, -2.0, 3.0, -4.0, 4.0};
        static const double w[] = {7.0, 2.0, 3.0, 3.0, 5.0, 4.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("_maximum", p, 2, nds, dd, vv, SG_INT32, 0, SG_INT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: _lesser, int32 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double v1[] = {2.0, 2.0, -2.0, 3.0, -4.0, 4.0};
        static const double w[] = {0.0, 1.0, 0.0, 1.0, 0.0, 1.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("_lesser", p, 2, nds, dd, vv, SG_INT32, 0, SG_INT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.elemwise_mul, float64 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {-1.23, 0.49, -0.25, 1.14, 1.12, -0.91};
        static const double v1[] = {0.91, 1.7, 1.94, 1.81, 1.04, 1.25};
        static const double w[] = {-1.1193, 0.833, -0.485, 2.0633999999999997, 1.1648, -1.1375};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("elemwise_mul", p, 2, nds, dd, vv, SG_FLOAT64, 0, SG_FLOAT64, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.elemwise_div, float64 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {-1.23, 0.49, -0.25, 1.14, 1.12, -0.91};
        static const double v1[] = {0.91, 1.7, 1.94, 1.81, 1.04, 1.25};
        static const double w[] = {-1.3516483516483515, 0.28823529411764703, -0.1288659793814433, 0.6298342541436464, 1.076923076923077, -0.728};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("elemwise_div", p, 2, nds, dd, vv, SG_FLOAT64, 0, SG_FLOAT64, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: elemwise_div and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {-1.23, 0.49, -0.25, 1.14, 1.12, -0.91};
        static const double v1[] = {0.91, 1.7, 1.94, 1.81, 1.04, 1.25};
        static const double w[] = {-1.3516483306884766, 0.28823527693748474, -0.12886597216129303, 0.6298342943191528, 1.076923131942749, -0.7280000448226929};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {1.73, 0.61, -0.41, 1.15, -0.73, 0.27};
        static const double g0[] = {1.9010988473892212, 0.3588235080242157, -0.21134018898010254, 0.6353591084480286, -0.701923131942749, 0.2160000056028366};
        static const double g1[] = {2.56961727142334, -0.10342560708522797, -0.02723456174135208, -0.4001709520816803, 0.7559172511100769, 0.15724800527095795};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("elemwise_div", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: _power and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.8, 1.15, 1.7, 0.72, 1.56, 1.56};
        static const double v1[] = {-0.34, 1.77, 0.33, 1.73, -0.82, -0.45};
        static const double w[] = {0.8188556432723999, 1.2806638479232788, 1.1913740634918213, 0.5664808750152588, 0.6944449543952942, 0.8186418414115906};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {-1.81, 0.7, 0.38, 0.13, -1.83, 0.25};
        static const double g0[] = {0.27995765209198, 1.3797760009765625, 0.08788135647773743, 0.17694658041000366, 0.668002724647522, -0.05903667211532593};
        static const double g1[] = {-0.8711754083633423, 0.1252916306257248, 0.24022716283798218, -0.024191860109567642, -0.5651219487190247, 0.09100959450006485};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("_power", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: _maximum gradient at ties (lhs wins) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.0, -0.5, 2.0, 0.25, 3.0, -1.5};
        static const double v1[] = {1.0, 0.5, -2.0, 0.25, 2.0, -1.0};
        static const double w[] = {1.0, 0.5, 2.0, 0.25, 3.0, -1.0};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
        static const double g0[] = {1.0, 0.0, 1.0, 1.0, 1.0, 0.0};
        static const double g1[] = {0.0, 1.0, 0.0, 0.0, 0.0, 1.0};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("_maximum", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: _minimum gradient at ties (lhs wins) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.0, -0.5, 2.0, 0.25, 3.0, -1.5};
        static const double v1[] = {1.0, 0.5, -2.0, 0.25, 2.0, -1.0};
        static const double w[] = {1.0, -0.5, -2.0, 0.25, 2.0, -1.5};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
        static const double g0[] = {1.0, 1.0, 0.0, 1.0, 0.0, 1.0};
        static const double g1[] = {0.0, 0.0, 1.0, 0.0, 1.0, 0.0};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("_minimum", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, og, gg));
    }
}
/* the scalar family, int32 and is_int=False included */
SG_TEST(ka_scalar) {
    {   /* MXNet 1.9.1: mx.nd._internal._plus_scalar(x0, scalar=2.5) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {1.0, 2.25, 3.0, 3.5, 4.5, 5.75};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_plus_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._minus_scalar(x0, scalar=2.5) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {-4.0, -2.75, -2.0, -1.5, -0.5, 0.75};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_minus_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._rminus_scalar(x0, scalar=2.5) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {4.0, 2.75, 2.0, 1.5, 0.5, -0.75};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_rminus_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._mul_scalar(x0, scalar=2.5) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {-3.75, -0.625, 1.25, 2.5, 5.0, 8.125};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_mul_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._div_scalar(x0, scalar=2.5) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {-0.6000000238418579, -0.10000000149011612, 0.20000000298023224, 0.4000000059604645, 0.800000011920929, 1.2999999523162842};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_div_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._rdiv_scalar(x0, scalar=2.5) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {0.25, 0.5, 1.0, 1.5, 2.0, 3.0};
        static const double w[] = {10.0, 5.0, 2.5, 1.6666666269302368, 1.25, 0.8333333134651184};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_rdiv_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._power_scalar(x0, scalar=2.5) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {0.25, 0.5, 1.0, 1.5, 2.0, 3.0};
        static const double w[] = {0.03125, 0.1767766922712326, 1.0, 2.755676031112671, 5.656854152679443, 15.588457107543945};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_power_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._rpower_scalar(x0, scalar=1.5) */
        static const char *const p[] = {"scalar", "1.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {0.5443310737609863, 0.9036020040512085, 1.2247449159622192, 1.5, 2.25, 3.735051393508911};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_rpower_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._maximum_scalar(x0, scalar=0.5) */
        static const char *const p[] = {"scalar", "0.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {0.5, 0.5, 0.5, 1.0, 2.0, 3.25};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_maximum_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._minimum_scalar(x0, scalar=0.5) */
        static const char *const p[] = {"scalar", "0.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {-1.5, -0.25, 0.5, 0.5, 0.5, 0.5};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_minimum_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._equal_scalar(x0, scalar=0.5) */
        static const char *const p[] = {"scalar", "0.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {0.0, 0.0, 1.0, 0.0, 0.0, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_equal_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._not_equal_scalar(x0, scalar=0.5) */
        static const char *const p[] = {"scalar", "0.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {1.0, 1.0, 0.0, 1.0, 1.0, 1.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_not_equal_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._greater_scalar(x0, scalar=0.5) */
        static const char *const p[] = {"scalar", "0.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {0.0, 0.0, 0.0, 1.0, 1.0, 1.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_greater_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._greater_equal_scalar(x0, scalar=0.5) */
        static const char *const p[] = {"scalar", "0.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {0.0, 0.0, 1.0, 1.0, 1.0, 1.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_greater_equal_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._lesser_scalar(x0, scalar=0.5) */
        static const char *const p[] = {"scalar", "0.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {1.0, 1.0, 0.0, 0.0, 0.0, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_lesser_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._lesser_equal_scalar(x0, scalar=0.5) */
        static const char *const p[] = {"scalar", "0.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {1.0, 1.0, 1.0, 0.0, 0.0, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_lesser_equal_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._div_scalar(x0, scalar=2.5), int32 (is_int True: the scalar is truncated) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double w[] = {3.0, -3.0, 1.0, 0.0, 2.0, -4.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_div_scalar", p, 1, nds, dd, vv, SG_INT32, 0, SG_INT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._rdiv_scalar(x0, scalar=2.5), int32 (is_int True: the scalar is truncated) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double w[] = {0.0, 0.0, 0.0, 2.0, 0.0, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_rdiv_scalar", p, 1, nds, dd, vv, SG_INT32, 0, SG_INT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._mul_scalar(x0, scalar=2.5), int32 (is_int True: the scalar is truncated) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double w[] = {14.0, -14.0, 6.0, 2.0, 10.0, -18.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_mul_scalar", p, 1, nds, dd, vv, SG_INT32, 0, SG_INT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._power_scalar(x0, scalar=2.5), int32 (is_int True: the scalar is truncated) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double w[] = {49.0, 49.0, 9.0, 1.0, 25.0, 81.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_power_scalar", p, 1, nds, dd, vv, SG_INT32, 0, SG_INT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._rminus_scalar(x0, scalar=2.5), int32 (is_int True: the scalar is truncated) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double w[] = {-5.0, 9.0, -1.0, 1.0, -3.0, 11.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_rminus_scalar", p, 1, nds, dd, vv, SG_INT32, 0, SG_INT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd._internal._maximum_scalar(x0, scalar=2.5), int32 (is_int True: the scalar is truncated) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double w[] = {7.0, 2.0, 3.0, 2.0, 5.0, 2.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_maximum_scalar", p, 1, nds, dd, vv, SG_INT32, 0, SG_INT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: _div_scalar(int32 x0, scalar=2.5, is_int=False): float64 output */
        static const char *const p[] = {"scalar", "2.5", "is_int", "False", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double w[] = {2.8, -2.8, 1.2, 0.4, 2.0, -3.6};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_div_scalar", p, 1, nds, dd, vv, SG_INT32, 0, SG_FLOAT64, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: _rpower_scalar(int32 x0, scalar=2.5, is_int=False): float64 output */
        static const char *const p[] = {"scalar", "2.5", "is_int", "False", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {7.0, -7.0, 3.0, 1.0, 5.0, -9.0};
        static const double w[] = {610.3515625, 0.0016384, 15.625, 2.5, 97.65625, 0.000262144};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_rpower_scalar", p, 1, nds, dd, vv, SG_INT32, 0, SG_FLOAT64, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: _rdiv_scalar, float64 */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {0.25, 0.5, 1.0, 1.5, 2.0, 3.0};
        static const double w[] = {10.0, 5.0, 2.5, 1.6666666666666667, 1.25, 0.8333333333333334};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_rdiv_scalar", p, 1, nds, dd, vv, SG_FLOAT64, 0, SG_FLOAT64, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: _rpower_scalar and its gradient (autograd) */
        static const char *const p[] = {"scalar", "1.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {0.5443310737609863, 0.9036020040512085, 1.2247449159622192, 1.5, 2.25, 3.735051393508911};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {0.055176813155412674, 0.1831895411014557, 0.3724434971809387, 0.6081976294517517, 1.1403706073760986, 2.2716495990753174};
        const double *gg[] = {g0};
        CHECK(ka_run("_rpower_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: _power_scalar and its gradient (autograd) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {0.25, 0.5, 1.0, 1.5, 2.0, 3.0};
        static const double w[] = {0.03125, 0.1767766922712326, 1.0, 2.755676031112671, 5.656854152679443, 15.588457107543945};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {0.078125, 0.4419417381286621, 1.875, 4.5927934646606445, 8.838834762573242, 19.485570907592773};
        const double *gg[] = {g0};
        CHECK(ka_run("_power_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: _rdiv_scalar and its gradient (autograd) */
        static const char *const p[] = {"scalar", "2.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {0.25, 0.5, 1.0, 1.5, 2.0, 3.0};
        static const double w[] = {10.0, 5.0, 2.5, 1.6666666269302368, 1.25, 0.8333333134651184};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {-10.0, -5.0, -1.875, -1.1111111640930176, -0.78125, -0.4166666865348816};
        const double *gg[] = {g0};
        CHECK(ka_run("_rdiv_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: _maximum_scalar gradient (x >= s gets it) */
        static const char *const p[] = {"scalar", "0.5", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.25, 0.5, 1.0, 2.0, 3.25};
        static const double w[] = {0.5, 0.5, 0.5, 1.0, 2.0, 3.25};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
        static const double g0[] = {0.0, 0.0, 1.0, 1.0, 1.0, 1.0};
        const double *gg[] = {g0};
        CHECK(ka_run("_maximum_scalar", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
}
/* broadcast_add / sub / mul / div */
SG_TEST(ka_broadcast) {
    {   /* MXNet 1.9.1: mx.nd.broadcast_add((2,3), (1,3)) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {1, 3}, dw[] = {2, 3};
        static const double v0[] = {-0.68, 0.01, -1.55, 0.43, 0.26, -1.97};
        static const double v1[] = {0.47, 1.65, 1.16};
        static const double w[] = {-0.21000000834465027, 1.659999966621399, -0.38999998569488525, 0.8999999761581421, 1.909999966621399, -0.8100000619888306};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("broadcast_add", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.broadcast_sub((2,1,3), (4,1)) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 1, 3}, d1[] = {4, 1}, dw[] = {2, 4, 3};
        static const double v0[] = {1.97, 1.84, 1.17, -0.86, 0.5, -0.09};
        static const double v1[] = {-1.22, -0.47, -1.78, -0.19};
        static const double w[] = {3.190000057220459, 3.059999942779541, 2.3899998664855957, 2.440000057220459, 2.309999942779541, 1.6399999856948853, 3.75, 3.619999885559082, 2.9499998092651367, 2.1600000858306885, 2.0299999713897705, 1.3599998950958252, 0.36000001430511475, 1.7200000286102295, 1.1299999952316284, -0.39000001549720764, 0.9700000286102295, 0.3799999952316284, 0.9199999570846558, 2.2799999713897705, 1.6899999380111694, -0.6700000166893005, 0.6899999976158142, 0.09999999403953552};
        static const int nds[] = {3, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("broadcast_sub", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 3, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.broadcast_mul((3,1), (1,4)) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {3, 1}, d1[] = {1, 4}, dw[] = {3, 4};
        static const double v0[] = {1.93, -1.5, -1.52};
        static const double v1[] = {0.95, 0.35, -0.11, -1.57};
        static const double w[] = {1.8334999084472656, 0.6754999756813049, -0.21229998767375946, -3.030100107192993, -1.4249999523162842, -0.5249999761581421, 0.16499999165534973, 2.3550000190734863, -1.444000005722046, -0.5320000052452087, 0.1671999990940094, 2.386399984359741};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("broadcast_mul", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.broadcast_div((2,3), (3,)) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {3}, dw[] = {2, 3};
        static const double v0[] = {-1.08, 1.6, -0.33, 0.14, -1.98, -0.8};
        static const double v1[] = {1.16, 1.42, 1.88};
        static const double w[] = {-0.9310345649719238, 1.1267606019973755, -0.17553192377090454, 0.12068966031074524, -1.3943662643432617, -0.42553192377090454};
        static const int nds[] = {2, 1};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("broadcast_div", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: broadcast_mul and its gradients (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {1, 3}, dw[] = {2, 3};
        static const double v0[] = {0.5, 0.82, -1.4, 0.98, 1.32, 0.53};
        static const double v1[] = {-0.25, -1.39, 0.27};
        static const double w[] = {-0.125, -1.139799952507019, -0.37800002098083496, -0.24500000476837158, -1.8348000049591064, 0.14309999346733093};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {0.11, 1.81, -0.08, 0.01, 0.15, 1.28};
        static const double g0[] = {-0.027499999850988388, -2.515899896621704, -0.02160000056028366, -0.0024999999441206455, -0.20850001275539398, 0.3456000089645386};
        static const double g1[] = {0.06480000168085098, 1.6821999549865723, 0.7903999090194702};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("broadcast_mul", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: broadcast_div (2,1,3)/(4,1) and its gradients (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 1, 3}, d1[] = {4, 1}, dw[] = {2, 4, 3};
        static const double v0[] = {-1.77, 0.68, 1.07, 0.83, 1.19, 0.23};
        static const double v1[] = {1.95, 0.72, 0.54, 1.39};
        static const double w[] = {-0.9076922535896301, 0.34871795773506165, 0.5487179756164551, -2.4583332538604736, 0.9444444179534912, 1.4861111640930176, -3.277777671813965, 1.2592592239379883, 1.9814815521240234, -1.2733813524246216, 0.4892086386680603, 0.7697842121124268, 0.4256410002708435, 0.6102564334869385, 0.11794871836900711, 1.1527776718139648, 1.6527777910232544, 0.3194444477558136, 1.5370368957519531, 2.2037036418914795, 0.4259259104728699, 0.597122311592102, 0.8561151623725891, 0.16546763479709625};
        static const int nds[] = {3, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {-1.54, 1.8, -0.7, -1.23, -0.17, 1.68, 1.52, -0.99, -0.61, -1.27, 1.61, 0.83, 0.91, 1.6, 1.12, 0.4, -0.84, -1.39, -0.66, 0.63, -1.71, -1.78, -0.71, 0.36};
        static const double g0[] = {-0.596930980682373, 0.011905789375305176, 1.4418516159057617, -1.4805755615234375, 0.3097214102745056, -4.2638702392578125};
        static const double g1[] = {-1.6088625192642212, -5.539737701416016, 14.429697036743164, -1.0306404829025269};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("broadcast_div", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 3, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: broadcast_add, float64 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.42, -0.85, -1.31, -1.46, 1.98, -1.28};
        static const double v1[] = {-0.73, 0.27, -1.96, 1.6, 1.91, 0.23};
        static const double w[] = {0.69, -0.58, -3.27, 0.14000000000000012, 3.8899999999999997, -1.05};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("broadcast_add", p, 2, nds, dd, vv, SG_FLOAT64, 0, SG_FLOAT64, 2, dw, w, NULL, NULL));
    }
}
/* dot and batch_dot, every transpose combination */
SG_TEST(ka_dot) {
    {   /* MXNet 1.9.1: mx.nd.dot(transpose_a=False, transpose_b=False) and its gradients (autograd) */
        static const char *const p[] = {"transpose_a", "False", "transpose_b", "False", NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {3, 4}, dw[] = {2, 4};
        static const double v0[] = {-1.66, -0.67, 0.91, -1.43, 0.21, -0.91};
        static const double v1[] = {1.9, 0.67, -0.98, -1.57, 1.1, 1.13, 1.05, 1.66, 0.63, 0.27, -1.19, 0.79};
        static const double w[] = {-3.317699670791626, -1.6236000061035156, -0.15960010886192322, 2.212899923324585, -3.059299945831299, -0.9664999842643738, 2.7048001289367676, 1.8747998476028442};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {1.81, 1.56, 1.97, 1.27, 0.18, -0.19, 1.56, 1.89};
        static const double g0[] = {0.5596997737884521, 7.930500030517578, 0.22049981355667114, -4.281400203704834, 4.758699893951416, -0.30119994282722473};
        static const double g1[] = {-3.2619998455047607, -2.3178999423980713, -5.500999927520752, -4.81089973449707, -1.1749000549316406, -1.0850999355316162, -0.9923000335693359, -0.45399999618530273, 1.483299970626831, 1.5924999713897705, 0.37310007214546204, -0.5642000436782837};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("dot", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.dot(transpose_a=True, transpose_b=False) and its gradients (autograd) */
        static const char *const p[] = {"transpose_a", "True", "transpose_b", "False", NULL};
        static const int64_t d0[] = {3, 2}, d1[] = {3, 4}, dw[] = {2, 4};
        static const double v0[] = {0.37, -0.54, -0.71, 1.49, -1.14, 0.94};
        static const double v1[] = {-0.54, 1.21, 1.13, 0.81, 0.49, -0.03, 1.36, 0.85, -0.22, -1.88, -0.55, 0.92};
        static const double w[] = {-0.2969000041484833, 2.6122000217437744, 0.07950004935264587, -1.3525999784469604, 0.8149000406265259, -2.4653000831604004, 0.8992000222206116, 1.6938999891281128};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {-0.1, -0.62, 0.56, -1.5, -1.31, 0.95, -1.49, -0.52};
        static const double g0[] = {-1.2784000635147095, -0.247999906539917, -0.5438000559806824, -3.1387999057769775, -0.5004000663757324, -1.1566998958587646};
        static const double g1[] = {0.6704000234603882, -0.742400050163269, 1.0118000507354736, -0.2741999924182892, -1.8808999061584473, 1.8557000160217285, -2.6177000999450684, 0.29019996523857117, -1.1173999309539795, 1.5997999906539917, -2.0390000343322754, 1.2212001085281372};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("dot", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.dot(transpose_a=False, transpose_b=True) and its gradients (autograd) */
        static const char *const p[] = {"transpose_a", "False", "transpose_b", "True", NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {4, 3}, dw[] = {2, 4};
        static const double v0[] = {0.42, -1.59, 1.21, 1.78, 1.92, 1.52};
        static const double v1[] = {0.51, 1.72, 0.9, 0.87, -1.84, -0.24, -0.87, -0.66, -1.67, 1.04, 0.04, 0.64};
        static const double w[] = {-1.4316000938415527, 3.0006000995635986, -1.3366999626159668, 1.1475999355316162, 5.578199863433838, -2.3489999771118164, -5.3541998863220215, 2.9007997512817383};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {0.52, -0.52, -0.21, -0.34, -0.08, 1.93, -0.51, -1.95};
        static const double g0[] = {-0.3580999970436096, 1.976199984550476, 0.7258999347686768, 0.054000042378902435, -3.4301998615264893, -0.9315000772476196};
        static const double g1[] = {0.07599999010562897, -0.9803999662399292, 0.5076000094413757, 3.2169997692108154, 4.532399654388428, 2.3043999671936035, -0.9959999918937683, -0.6452999711036682, -1.0292999744415283, -3.613800048828125, -3.203399896621704, -3.3754000663757324};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("dot", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.dot(transpose_a=True, transpose_b=True) and its gradients (autograd) */
        static const char *const p[] = {"transpose_a", "True", "transpose_b", "True", NULL};
        static const int64_t d0[] = {3, 2}, d1[] = {4, 3}, dw[] = {2, 4};
        static const double v0[] = {1.69, 1.49, -0.59, 0.52, -0.57, -1.15};
        static const double v1[] = {-1.11, -0.32, -1.71, 0.6, 1.02, 1.73, -0.49, -0.81, -0.51, 1.31, 1.6, -0.29};
        static const double w[] = {-0.7124000191688538, -0.5738999247550964, -0.059500064700841904, 1.4352000951766968, 0.1462000161409378, -0.5651000142097473, -0.5648000836372375, 3.1173996925354004};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {-1.99, -1.83, -1.43, 0.39, -1.57, -0.81, -1.77, 0.49};
        static const double g0[] = {2.322499990463257, 2.765900135040283, 0.5524999499320984, 1.8939000368118286, 0.85319983959198, 2.0440001487731934};
        static const double g1[] = {-5.702400207519531, 0.3576999306678772, 2.9398000240325928, -4.299600124359131, 0.6585000157356262, 1.9745999574661255, -5.053999900817871, -0.07670002430677414, 2.850600004196167, 1.38919997215271, 0.024700019508600235, -0.7857999801635742};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("dot", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.dot, N-D (2,2,3)x(3,2,2) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 2, 3}, d1[] = {3, 2, 2}, dw[] = {2, 2, 2, 2};
        static const double v0[] = {-1.91, 1.42, -0.77, 1.04, 0.25, -1.85, 0.26, 0.64, -1.27, 1.19, 0.45, 0.22};
        static const double v1[] = {0.52, 0.74, -1.04, 1.15, 1.43, 0.91, 0.77, -0.11, 1.43, 0.66, -0.67, 0.07};
        static const double w[] = {-0.06370004266500473, -0.6293999552726746, 3.5956997871398926, -2.406599760055542, -1.7472000122070312, -0.22390006482601166, 0.35040009021759033, 1.0389999151229858, -0.7656999826431274, -0.0634000152349472, 1.0733000040054321, 0.1396999955177307, 1.5768998861312866, 1.4352999925613403, -1.0384999513626099, 1.3344000577926636};
        static const int nds[] = {3, 3};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("dot", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 4, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.dot, 1-D x 1-D and its gradients */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {4}, d1[] = {4}, dw[] = {1};
        static const double v0[] = {-0.42, -1.88, 0.31, 1.4};
        static const double v1[] = {1.81, 0.73, -1.7, -0.36};
        static const double w[] = {-3.163599967956543};
        static const int nds[] = {1, 1};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {1.5};
        static const double g0[] = {2.7149999141693115, 1.0950000286102295, -2.5500001907348633, -0.5400000214576721};
        static const double g1[] = {-0.6299999952316284, -2.819999933242798, 0.4650000035762787, 2.0999999046325684};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("dot", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.dot, float64 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {3, 4}, dw[] = {2, 4};
        static const double v0[] = {-1.83, -1.3, 0.26, -1.31, 0.27, 0.06};
        static const double v1[] = {1.48, 0.88, 1.61, -0.89, -0.97, 0.8, 1.61, 1.93, 0.56, -0.68, 0.43, 1.29};
        static const double w[] = {-1.3018000000000003, -2.8272000000000004, -4.927500000000001, -0.5448999999999999, -2.1671, -0.9775999999999999, -1.6486, 1.7644000000000002};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("dot", p, 2, nds, dd, vv, SG_FLOAT64, 0, SG_FLOAT64, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.batch_dot(transpose_a=False, transpose_b=False) and its gradients (autograd) */
        static const char *const p[] = {"transpose_a", "False", "transpose_b", "False", NULL};
        static const int64_t d0[] = {2, 2, 3}, d1[] = {2, 3, 4}, dw[] = {2, 2, 4};
        static const double v0[] = {0.51, -1.53, -0.86, 1.95, -0.27, 0.3, 0.11, -1.21, -1.34, 0.0, 1.96, -0.42};
        static const double v1[] = {0.86, -1.3, -1.72, -1.37, -1.35, -0.87, 0.15, 1.09, 1.52, 0.55, 1.41, 0.39, 0.78, 0.15, 1.56, -1.79, 1.13, -1.42, -1.77, -1.76, -1.79, 0.06, -0.38, 2.0};
        static const double w[] = {1.1969001293182373, 0.19509997963905334, -2.3192999362945557, -2.7018001079559326, 2.49750018119812, -2.1351001262664795, -2.9714999198913574, -2.84879994392395, 1.1171000003814697, 1.6542999744415283, 2.822500228881836, -0.7473000288009644, 2.966600179672241, -2.8083999156951904, -3.3096001148223877, -4.289599895477295};
        static const int nds[] = {3, 3};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {-1.57, -0.69, 1.99, -0.4, 1.53, 0.28, 1.81, 1.54, 1.12, -1.87, 1.85, 0.08, -1.17, 1.5, -1.1, -1.45};
        static const double g0[] = {-3.328000068664551, 2.5823001861572266, -0.11599994450807571, -4.271200180053711, -0.3589997887611389, 5.632299423217773, 3.335900068283081, 0.5056999921798706, -2.6600000858306885, 0.19190005958080292, 1.0469002723693848, -0.2977004051208496};
        static const double g1[] = {2.182800054550171, 0.1941000372171402, 4.544399738311768, 2.7990000247955322, 1.9890000820159912, 0.9800999164581299, -3.533399820327759, 0.19619998335838318, 1.8092000484466553, 0.6773999929428101, -1.1684000492095947, 0.8059999942779541, 0.12319999933242798, -0.20569999516010284, 0.20350000262260437, 0.008799999952316284, -3.648400068283081, 5.202700138092041, -4.394500255584717, -2.938800096511841, -1.0094000101089478, 1.8758000135421753, -2.017000198364258, 0.501800000667572};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("batch_dot", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 3, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.batch_dot(transpose_a=True, transpose_b=False) and its gradients (autograd) */
        static const char *const p[] = {"transpose_a", "True", "transpose_b", "False", NULL};
        static const int64_t d0[] = {2, 3, 2}, d1[] = {2, 3, 4}, dw[] = {2, 2, 4};
        static const double v0[] = {0.9, 1.9, 0.14, -0.22, -1.91, 0.42, 1.86, 1.87, 1.72, -1.26, 0.49, -0.35};
        static const double v1[] = {-0.55, -1.85, 1.47, 0.69, -1.65, 1.55, 1.13, -0.73, 1.27, 0.03, -1.92, -0.27, -0.21, -1.04, 1.32, 0.98, 0.35, -0.03, -0.05, -0.93, 0.42, 1.01, -0.92, 0.09};
        static const double w[] = {-3.151700019836426, -1.5052999258041382, 5.148399829864502, 1.034500002861023, -0.1486000120639801, -3.843400239944458, 1.7380000352859497, 1.358199954032898, 0.4171999990940094, -1.4910999536514282, 1.9184001684188843, 0.267300009727478, -0.9807000160217285, -2.260499954223633, 2.8533999919891357, 2.972899913787842};
        static const int nds[] = {3, 3};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {-1.61, 0.85, 1.54, 0.27, 1.98, -1.29, -1.95, -0.17, 1.73, 1.38, -0.11, 1.61, -1.1, -0.78, 0.86, 0.9};
        static const double g0[] = {1.763100028038025, -1.6863001585006714, 5.517099857330322, -7.345900058746338, -5.0488996505737305, 6.2657999992370605, -0.365899920463562, 3.0594000816345215, -0.9277000427246094, -1.2416000366210938, 2.36650013923645, -1.959999918937683};
        static const double g1[] = {2.312999963760376, -1.685999870300293, -2.319000244140625, -0.07999999821186066, -0.6610000133514404, 0.4027999937534332, 0.6446000337600708, 0.07520000636577606, 3.9066998958587646, -2.165299892425537, -3.76039981842041, -0.5870999693870544, 1.1608000993728638, 1.108200192451477, 1.4035999774932861, 4.677599906921387, 4.361599922180176, 3.3564000129699707, -1.2727999687194824, 1.6352001428604126, 1.232699990272522, 0.9492000341415405, -0.3549000024795532, 0.4739000201225281};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("batch_dot", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 3, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.batch_dot(transpose_a=False, transpose_b=True) and its gradients (autograd) */
        static const char *const p[] = {"transpose_a", "False", "transpose_b", "True", NULL};
        static const int64_t d0[] = {2, 2, 3}, d1[] = {2, 4, 3}, dw[] = {2, 2, 4};
        static const double v0[] = {-1.93, -0.86, 0.32, 1.72, -0.64, -1.52, 0.07, 0.8, -0.81, 1.45, 1.62, 1.07};
        static const double v1[] = {-0.96, 1.75, 1.75, 0.98, 1.64, -1.05, -0.02, 1.24, 1.82, 0.55, 1.64, 0.77, -1.83, 1.33, -0.52, 1.75, -0.07, -1.5, 1.86, -1.93, 0.71, -1.44, -1.38, 0.6};
        static const double w[] = {0.9077998399734497, -3.6377999782562256, -0.44540008902549744, -2.2255001068115234, -5.43120002746582, 2.2320001125335693, -3.59440016746521, -1.2739999294281006, 1.357100009918213, 1.281499981880188, -1.9888999462127686, -1.6908000707626343, -1.055299997329712, 0.8191000819206238, 0.33010008931159973, -3.681600332260132};
        static const int nds[] = {3, 3};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {1.93, 0.78, 1.05, -0.3, -1.44, -1.14, 1.06, -1.78, -0.04, -1.28, 0.52, 0.2, 0.27, 1.27, 1.76, -1.23};
        static const double g0[] = {-1.2743998765945435, 5.466699600219727, 4.238499641418457, -0.7350000143051147, -5.994399547576904, -0.764400064945221, -1.4876000881195068, -1.2431999444961548, 2.430000066757202, 6.773200035095215, -1.4291998147964478, -1.5338000059127808};
        static const double g1[] = {-6.201699733734131, -0.7381998896598816, 2.8064000606536865, -3.4661998748779297, 0.05880000442266464, 1.9823999404907227, -0.20329982042312622, -1.581399917602539, -1.2751998901367188, -2.482599973678589, 1.3971999883651733, 2.6095998287200928, 0.38870003819465637, 0.40540000796318054, 0.32130002975463867, 1.75190007686615, 1.0333999395370483, 2.395699977874756, 2.58840012550354, 3.267199993133545, 1.4620001316070557, -1.7695001363754272, -1.8325999975204468, -1.478100061416626};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("batch_dot", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 3, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.batch_dot(transpose_a=True, transpose_b=True) and its gradients (autograd) */
        static const char *const p[] = {"transpose_a", "True", "transpose_b", "True", NULL};
        static const int64_t d0[] = {2, 3, 2}, d1[] = {2, 4, 3}, dw[] = {2, 2, 4};
        static const double v0[] = {0.85, 0.79, -0.97, 1.66, 0.13, 0.23, -0.71, -0.65, -0.67, 1.92, -1.19, 0.67};
        static const double v1[] = {0.3, -1.79, 0.17, -1.17, -1.64, 1.48, -1.89, 1.87, -0.69, -0.36, -1.46, -1.49, -0.34, 0.47, -1.47, 1.9, -1.28, 1.04, -0.07, 1.07, -0.79, -1.94, -0.15, 0.81};
        static const double w[] = {2.013400077819824, 0.7887000441551208, -3.5101001262664795, 0.9165000319480896, -2.6952998638153076, -3.306299924850464, 1.4523998498916626, -3.0506999492645264, 1.675800085067749, -1.7289999723434448, 0.2729000449180603, 0.5139999985694885, 0.1384999305009842, -2.9957997798919678, 1.5706000328063965, 1.515700101852417};
        static const int nds[] = {3, 3};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        static const double og[] = {-1.74, 0.68, -0.62, 0.37, -1.08, -0.93, 1.73, 1.3, -1.42, 0.59, 1.54, 0.97, 0.06, -1.46, -1.84, 1.34};
        static const double g0[] = {-0.27900001406669617, -2.973599910736084, 0.2997998893260956, 4.7955002784729, 0.587100088596344, -4.690700054168701, -0.38580018281936646, -5.265200138092041, 0.07970011979341507, -0.2728002071380615, 2.2700998783111572, 0.9324000477790833};
        static const double g1[] = {-2.332200050354004, -0.10499998182058334, -0.47460001707077026, -0.1567000150680542, -2.203399896621704, -0.12550000846385956, 0.8397000432014465, 3.4732000827789307, 0.317300021648407, 1.3415000438690186, 1.7990999221801758, 0.34709998965263367, 0.9691999554634094, 1.06659996509552, 1.7300000190734863, 0.5300999879837036, -3.198499917984009, -1.680299997329712, 0.10260009765625, -4.564599990844727, -3.0654001235961914, -1.5597000122070312, 1.9228999614715576, -0.2565000355243683};
        const double *gg[] = {g0, g1};
        CHECK(ka_run("batch_dot", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 3, dw, w, og, gg));
    }
}
/* unary math */
SG_TEST(ka_unary) {
    {   /* MXNet 1.9.1: mx.nd.relu and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.3, 0.2, 0.7, 1.1, 2.5};
        static const double w[] = {0.0, 0.0, 0.20000000298023224, 0.699999988079071, 1.100000023841858, 2.5};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {0.0, 0.0, 0.75, 1.0, 1.25, 1.5};
        const double *gg[] = {g0};
        CHECK(ka_run("relu", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.sigmoid and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.3, 0.2, 0.7, 1.1, 2.5};
        static const double w[] = {0.18242552876472473, 0.4255574941635132, 0.5498339533805847, 0.6681877374649048, 0.7502601146697998, 0.9241418242454529};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {0.03728661686182022, 0.12222915887832642, 0.185637429356575, 0.2217128872871399, 0.23421233892440796, 0.1051555722951889};
        const double *gg[] = {g0};
        CHECK(ka_run("sigmoid", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.tanh and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.3, 0.2, 0.7, 1.1, 2.5};
        static const double w[] = {-0.9051482677459717, -0.2913126051425934, 0.1973753273487091, 0.604367733001709, 0.8004990220069885, 0.9866142868995667};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {0.04517665505409241, 0.4575684666633606, 0.7207822799682617, 0.6347396373748779, 0.44900164008140564, 0.03988838195800781};
        const double *gg[] = {g0};
        CHECK(ka_run("tanh", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.sin and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.3, 0.2, 0.7, 1.1, 2.5};
        static const double w[] = {-0.9974949955940247, -0.29552021622657776, 0.19866932928562164, 0.6442176699638367, 0.8912073969841003, 0.5984721183776855};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {0.017684299498796463, 0.47766825556755066, 0.7350499629974365, 0.7648422122001648, 0.5669950842857361, -1.201715350151062};
        const double *gg[] = {g0};
        CHECK(ka_run("sin", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.cos and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.3, 0.2, 0.7, 1.1, 2.5};
        static const double w[] = {0.07073719799518585, 0.9553365111351013, 0.9800665974617004, 0.7648422122001648, 0.4535960853099823, -0.8011435866355896};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {0.24937374889850616, 0.14776010811328888, -0.14900200068950653, -0.6442176699638367, -1.1140092611312866, -0.8977081775665283};
        const double *gg[] = {g0};
        CHECK(ka_run("cos", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.exp and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.3, 0.2, 0.7, 1.1, 2.5};
        static const double w[] = {0.22313016653060913, 0.740818202495575, 1.2214027643203735, 2.0137526988983154, 3.0041661262512207, 12.182494163513184};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {0.05578254163265228, 0.3704091012477875, 0.9160521030426025, 2.0137526988983154, 3.7552075386047363, 18.273740768432617};
        const double *gg[] = {g0};
        CHECK(ka_run("exp", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.log and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {0.2, 0.5, 1.0, 1.7, 2.5, 4.0};
        static const double w[] = {-1.6094379425048828, -0.6931471824645996, 0.0, 0.5306282639503479, 0.9162907600402832, 1.3862943649291992};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {1.25, 1.0, 0.75, 0.5882352590560913, 0.5, 0.375};
        const double *gg[] = {g0};
        CHECK(ka_run("log", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.sqrt and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {0.2, 0.5, 1.0, 1.7, 2.5, 4.0};
        static const double w[] = {0.4472135901451111, 0.7071067690849304, 1.0, 1.3038405179977417, 1.5811388492584229, 2.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {0.279508501291275, 0.3535533845424652, 0.375, 0.3834824860095978, 0.3952847123146057, 0.375};
        const double *gg[] = {g0};
        CHECK(ka_run("sqrt", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.square and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.3, 0.2, 0.7, 1.1, 2.5};
        static const double w[] = {2.25, 0.09000000357627869, 0.04000000283122063, 0.4899999797344208, 1.2100000381469727, 6.25};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {-0.75, -0.30000001192092896, 0.30000001192092896, 1.399999976158142, 2.75, 7.5};
        const double *gg[] = {g0};
        CHECK(ka_run("square", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.abs and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.3, 0.2, 0.7, 1.1, 2.5};
        static const double w[] = {1.5, 0.30000001192092896, 0.20000000298023224, 0.699999988079071, 1.100000023841858, 2.5};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {-0.25, -0.5, 0.75, 1.0, 1.25, 1.5};
        const double *gg[] = {g0};
        CHECK(ka_run("abs", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.negative and its gradient (autograd) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.3, 0.2, 0.7, 1.1, 2.5};
        static const double w[] = {1.5, 0.30000001192092896, -0.20000000298023224, -0.699999988079071, -1.100000023841858, -2.5};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {-0.25, -0.5, -0.75, -1.0, -1.25, -1.5};
        const double *gg[] = {g0};
        CHECK(ka_run("negative", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.exp, float64 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-1.5, -0.3, 0.2, 0.7, 1.1, 2.5};
        static const double w[] = {0.22313016014842982, 0.7408182206817179, 1.2214027581601699, 2.0137527074704766, 3.0041660239464334, 12.182493960703473};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("exp", p, 1, nds, dd, vv, SG_FLOAT64, 0, SG_FLOAT64, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: abs gradient: 0 at 0 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {3}, dw[] = {3};
        static const double v0[] = {-2.0, 0.0, 2.0};
        static const double w[] = {2.0, 0.0, 2.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {1.0, 1.0, 1.0};
        static const double g0[] = {-1.0, 0.0, 1.0};
        const double *gg[] = {g0};
        CHECK(ka_run("abs", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: relu gradient: 0 at 0 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {3}, dw[] = {3};
        static const double v0[] = {-2.0, 0.0, 2.0};
        static const double w[] = {0.0, 0.0, 2.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {1.0, 1.0, 1.0};
        static const double g0[] = {0.0, 0.0, 1.0};
        const double *gg[] = {g0};
        CHECK(ka_run("relu", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
}
/* clip and Cast */
/* NaN propagation, MXNet 1.9.1 (pip): relu, _maximum/_minimum and their scalar
 * forms give NaN when either input is NaN; clip passes the gradient at NaN. */
SG_TEST(ka_nan) {
    static const int64_t d3[] = {3};
    static const int nds1[] = {1}, nds2[] = {1, 1};
    static const double og[] = {1.0, 2.0, 3.0};
    const int64_t *dd[] = {d3, d3};
    {   /* mx.sym.relu: [nan, -1, 1] -> [nan, 0, 1]; grad of og [1, 2, 3]: [nan, 0, 3] */
        static const double v0[] = {NAN, -1.0, 1.0}, w[] = {NAN, 0.0, 1.0}, g0[] = {NAN, 0.0, 3.0};
        const double *vv[] = {v0}, *gg[] = {g0};
        CHECK(ka_run("relu", NULL, 1, nds1, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, d3, w, og, gg));
    }
    {   /* _maximum([nan, 1, 2], [0, nan, 1]) = [nan, nan, 2]; grads [0, 0, 3], [0, 0, 0] */
        static const double v0[] = {NAN, 1.0, 2.0}, v1[] = {0.0, NAN, 1.0}, w[] = {NAN, NAN, 2.0};
        static const double g0[] = {0.0, 0.0, 3.0}, g1[] = {0.0, 0.0, 0.0};
        const double *vv[] = {v0, v1}, *gg[] = {g0, g1};
        CHECK(ka_run("_maximum", NULL, 2, nds2, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, d3, w, og, gg));
    }
    {   /* _minimum: [nan, nan, 1]; grads [0, 0, 0], [0, 0, 3] */
        static const double v0[] = {NAN, 1.0, 2.0}, v1[] = {0.0, NAN, 1.0}, w[] = {NAN, NAN, 1.0};
        static const double g0[] = {0.0, 0.0, 0.0}, g1[] = {0.0, 0.0, 3.0};
        const double *vv[] = {v0, v1}, *gg[] = {g0, g1};
        CHECK(ka_run("_minimum", NULL, 2, nds2, dd, vv, SG_FLOAT64, 0, SG_FLOAT64, 1, d3, w, og, gg));
    }
    {   /* _maximum_scalar(0.5): [nan, 1, 0.5]; grad [0, 2, 0] */
        static const char *const p[] = {"scalar", "0.5", NULL};
        static const double v0[] = {NAN, 1.0, 0.2}, w[] = {NAN, 1.0, 0.5}, g0[] = {0.0, 2.0, 0.0};
        const double *vv[] = {v0}, *gg[] = {g0};
        CHECK(ka_run("_maximum_scalar", p, 1, nds1, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, d3, w, og, gg));
    }
    {   /* _minimum_scalar(0.5): [nan, 0.5, 0.2]; grad [0, 0, 3] */
        static const char *const p[] = {"scalar", "0.5", NULL};
        static const double v0[] = {NAN, 1.0, 0.2}, w[] = {NAN, 0.5, 0.2}, g0[] = {0.0, 0.0, 3.0};
        const double *vv[] = {v0}, *gg[] = {g0};
        CHECK(ka_run("_minimum_scalar", p, 1, nds1, dd, vv, SG_FLOAT64, 0, SG_FLOAT64, 1, d3, w, og, gg));
    }
    {   /* clip(-0.5, 0.5): [nan, 0.5, 0.1]; grad of [3, 4, 5]: [3, 0, 5] */
        static const char *const p[] = {"a_min", "-0.5", "a_max", "0.5", NULL};
        static const double v0[] = {NAN, 2.0, 0.1}, w[] = {NAN, 0.5, 0.10000000149011612}, o[] = {3.0, 4.0, 5.0};
        static const double g0[] = {3.0, 0.0, 5.0};
        const double *vv[] = {v0}, *gg[] = {g0};
        CHECK(ka_run("clip", p, 1, nds1, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, d3, w, o, gg));
    }
}

SG_TEST(ka_clip_cast) {
    {   /* MXNet 1.9.1: mx.nd.clip(-0.5, 0.7): the bounds get the gradient */
        static const char *const p[] = {"a_min", "-0.5", "a_max", "0.7", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {-2.0, -0.5, 0.0, 0.7, 0.9, 0.3};
        static const double w[] = {-0.5, -0.5, 0.0, 0.699999988079071, 0.699999988079071, 0.30000001192092896};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        static const double g0[] = {0.0, 0.5, 0.75, 1.0, 0.0, 1.5};
        const double *gg[] = {g0};
        CHECK(ka_run("clip", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.clip with a_min > a_max */
        static const char *const p[] = {"a_min", "1", "a_max", "-1", NULL};
        static const int64_t d0[] = {3}, dw[] = {3};
        static const double v0[] = {-2.0, 0.0, 2.0};
        static const double w[] = {1.0, -1.0, -1.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("clip", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.Cast(dtype=int32) */
        static const char *const p[] = {"dtype", "int32", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {1.5, -2.7, 3.99, 260.0, -1.0, 0.0};
        static const double w[] = {1.0, -2.0, 3.0, 260.0, -1.0, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("Cast", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_INT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.Cast(dtype=uint8) */
        static const char *const p[] = {"dtype", "uint8", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {1.5, -2.7, 3.99, 260.0, -1.0, 0.0};
        static const double w[] = {1.0, 254.0, 3.0, 4.0, 255.0, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("Cast", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_UINT8, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.Cast(dtype=int8) */
        static const char *const p[] = {"dtype", "int8", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {1.5, -2.7, 3.99, 260.0, -1.0, 0.0};
        static const double w[] = {1.0, -2.0, 3.0, 4.0, -1.0, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("Cast", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_INT8, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.Cast(dtype=float16) */
        static const char *const p[] = {"dtype", "float16", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {1.5, -2.7, 3.99, 260.0, -1.0, 0.0};
        static const double w[] = {1.5, -2.69921875, 3.990234375, 260.0, -1.0, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("Cast", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT16, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.Cast(dtype=bool) */
        static const char *const p[] = {"dtype", "bool", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {1.5, -2.7, 3.99, 260.0, -1.0, 0.0};
        static const double w[] = {1.0, 1.0, 1.0, 1.0, 1.0, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("Cast", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_BOOL, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.Cast(dtype=float64) */
        static const char *const p[] = {"dtype", "float64", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {1.5, -2.7, 3.99, 260.0, -1.0, 0.0};
        static const double w[] = {1.5, -2.700000047683716, 3.990000009536743, 260.0, -1.0, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("Cast", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT64, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.Cast(int32 -> float32) */
        static const char *const p[] = {"dtype", "float32", NULL};
        static const int64_t d0[] = {3}, dw[] = {3};
        static const double v0[] = {3.0, -4.0, 100000.0};
        static const double w[] = {3.0, -4.0, 100000.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("Cast", p, 1, nds, dd, vv, SG_INT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: Cast(float64) and its gradient back in float32 */
        static const char *const p[] = {"dtype", "float64", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {1.5, -2.7, 3.99, 260.0, -1.0, 0.0};
        static const double w[] = {1.5, -2.700000047683716, 3.990000009536743, 260.0, -1.0, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.3333333333333333, 0.6666666666666666, 1.0, 1.3333333333333333, 1.6666666666666667, 2.0};
        static const double g0[] = {0.3333333432674408, 0.6666666865348816, 1.0, 1.3333333730697632, 1.6666666269302368, 2.0};
        const double *gg[] = {g0};
        CHECK(ka_run("Cast", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT64, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: Cast(float64 -> float32) and its gradient back in float64 */
        static const char *const p[] = {"dtype", "float32", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {0.5, -0.9, 1.33, 86.66666666666667, -0.3333333333333333, 0.0};
        static const double w[] = {0.5, -0.8999999761581421, 1.3300000429153442, 86.66666412353516, -0.3333333432674408, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.3333333333333333, 0.6666666666666666, 1.0, 1.3333333333333333, 1.6666666666666667, 2.0};
        static const double g0[] = {0.3333333432674408, 0.6666666865348816, 1.0, 1.3333333730697632, 1.6666666269302368, 2.0};
        const double *gg[] = {g0};
        CHECK(ka_run("Cast", p, 1, nds, dd, vv, SG_FLOAT64, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: Cast(float32 -> int32) and its gradient back in float32 */
        static const char *const p[] = {"dtype", "int32", NULL};
        static const int64_t d0[] = {6}, dw[] = {6};
        static const double v0[] = {1.5, -2.7, 3.99, 260.0, -1.0, 0.0};
        static const double w[] = {1.0, -2.0, 3.0, 260.0, -1.0, 0.0};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
        static const double g0[] = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
        const double *gg[] = {g0};
        CHECK(ka_run("Cast", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_INT32, 1, dw, w, og, gg));
    }
}
/* Flatten, Reshape, expand_dims, _copy, BlockGrad, transpose, broadcast_to, Concat, SliceChannel, slice_axis */
/* int32 forward of the ops MXNet 1.9.1's CPU build runs on int32 (values from
 * mx.nd.<op> on int32 arrays; generated by hand in the session that added them):
 * relu / abs / negative in integers, the other unary ops in float converted as
 * x86 does (INT32_MIN for NaN and out of range), clip compared in float,
 * broadcast arithmetic in integers (division truncates), sum wrapping around,
 * mean the wrapped sum divided in integers, max / min. */
SG_TEST(ka_int32) {
    static const double x[12] = {-7, 3, 5, 2, -1, 9, 16777217, -16777219, 46341, -2147483648, 2147483647, 4097};
    static const int64_t d12[] = {12}, d34[] = {3, 4}, d31[] = {3, 1}, d3[] = {3}, d4[] = {4}, d1[] = {1};
    static const double r[3] = {2, -4, 3};
    static const char *const un[] = {"relu", "sigmoid", "tanh", "sin", "cos", "exp", "log", "sqrt", "square", "abs", "negative"};
    static const double uw[11][12] = {
        {0, 3, 5, 2, 0, 9, 16777217, 0, 46341, 0, 2147483647, 4097}, /* relu */
        {0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1}, /* sigmoid */
        {0, 0, 0, 0, 0, 0, 1, -1, 1, -1, 1, 1}, /* tanh */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, /* sin */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, /* cos */
        {0, 20, 148, 7, 0, 8103, -2147483648, 0, -2147483648, 0, -2147483648, -2147483648}, /* exp */
        {-2147483648, 1, 1, 0, -2147483648, 2, 16, -2147483648, 10, -2147483648, 21, 8}, /* log */
        {-2147483648, 1, 2, 1, -2147483648, 3, 4096, -2147483648, 215, -2147483648, 46340, 64}, /* sqrt */
        {49, 9, 25, 4, 1, 81, -2147483648, -2147483648, -2147483648, -2147483648, -2147483648, 16785408}, /* square */
        {7, 3, 5, 2, 1, 9, 16777217, 16777219, 46341, -2147483648, 2147483647, 4097}, /* abs */
        {7, -3, -5, -2, 1, -9, -16777217, 16777219, -46341, -2147483648, -2147483647, -4097}, /* negative */
    };
    static const double bw[4][12] = {
        {-5, 5, 7, 4, -5, 5, 16777213, -16777223, 46344, -2147483645, -2147483646, 4100},
        {-9, 1, 3, 0, 3, 13, 16777221, -16777215, 46338, 2147483645, 2147483644, 4094},
        {-14, 6, 10, 4, 4, -36, -67108868, 67108876, 139023, -2147483648, 2147483645, 12291},
        {-3, 1, 2, 1, 0, -2, -4194304, 4194304, 15447, -715827882, 715827882, 1365},
    };
    static const char *const bn[] = {"broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div"};
    static const char *const rn[] = {"sum", "mean", "max", "min"};
    static const double rw[4][3][4] = {
        {{46333, -2147483636, -2130706427, -16773120}, {3, 6, 50437}, {50446}},
        {{15444, -715827878, -710235475, -5591040}, {0, 1, 12609}, {4203}},
        {{46341, 9, 2147483647, 4097}, {5, 16777217, 2147483647}, {2147483647}},
        {{-7, -2147483648, 5, -16777219}, {-7, -16777219, -2147483648}, {-2147483648}},
    };
    static const double cw[2][12] = {{-7, 3, 5, 2, -1, 9, 16777217, -16777219, 46341, -16777220, 16777216, 4097}, {-1, 3, 4, 2, -1, 4, 4, -1, 4, -1, 4, 4}};
    static const char *const ax0[] = {"axis", "0", NULL}, *const ax1[] = {"axis", "1", NULL}, *const nop[] = {NULL};
    static const char *const c1[] = {"a_min", "-16777219.0", "a_max", "16777217.0", NULL};
    static const char *const c2[] = {"a_min", "-1.5", "a_max", "4.7", NULL};
    static const int n1[] = {1}, m2[] = {2}, n2[] = {2, 2};
    const int64_t *dx[] = {d12}, *dm[] = {d34}, *db[] = {d34, d31};
    const double *vx[] = {x}, *vb[] = {x, r};
    int i;
    for (i = 0; i < 11; i++) CHECK_MSG(ka_run(un[i], nop, 1, n1, dx, vx, SG_INT32, 0, SG_INT32, 1, d12, uw[i], NULL, NULL), "%s", un[i]);
    for (i = 0; i < 4; i++) CHECK_MSG(ka_run(bn[i], nop, 2, n2, db, vb, SG_INT32, 0, SG_INT32, 2, d34, bw[i], NULL, NULL), "%s", bn[i]);
    for (i = 0; i < 4; i++) {
        CHECK_MSG(ka_run(rn[i], ax0, 1, m2, dm, vx, SG_INT32, 0, SG_INT32, 1, d4, rw[i][0], NULL, NULL), "%s axis 0", rn[i]);
        CHECK_MSG(ka_run(rn[i], ax1, 1, m2, dm, vx, SG_INT32, 0, SG_INT32, 1, d3, rw[i][1], NULL, NULL), "%s axis 1", rn[i]);
        CHECK_MSG(ka_run(rn[i], nop, 1, m2, dm, vx, SG_INT32, 0, SG_INT32, 1, d1, rw[i][2], NULL, NULL), "%s", rn[i]);
    }
    CHECK(ka_run("clip", c1, 1, n1, dx, vx, SG_INT32, 0, SG_INT32, 1, d12, cw[0], NULL, NULL));
    CHECK(ka_run("clip", c2, 1, n1, dx, vx, SG_INT32, 0, SG_INT32, 1, d12, cw[1], NULL, NULL));
}

SG_TEST(ka_shape) {
    {   /* MXNet 1.9.1: mx.nd.Flatten */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3, 4}, dw[] = {2, 12};
        static const double v0[] = {-1.53, 0.09, 1.49, -1.85, 0.77, -0.09, -1.32, -1.75, -1.87, -1.03, -1.55, -0.38, -1.83, 1.71, 1.74, 1.24, -1.25, 0.35, 1.61, 1.87, -1.73, -0.73, 0.79, 0.56};
        static const double w[] = {-1.5299999713897705, 0.09000000357627869, 1.4900000095367432, -1.850000023841858, 0.7699999809265137, -0.09000000357627869, -1.3200000524520874, -1.75, -1.8700000047683716, -1.0299999713897705, -1.5499999523162842, -0.3799999952316284, -1.8300000429153442, 1.7100000381469727, 1.7400000095367432, 1.2400000095367432, -1.25, 0.3499999940395355, 1.6100000143051147, 1.8700000047683716, -1.7300000190734863, -0.7300000190734863, 0.7900000214576721, 0.5600000023841858};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("Flatten", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.Reshape(shape=(0, -1)) */
        static const char *const p[] = {"shape", "(0, -1)", NULL};
        static const int64_t d0[] = {2, 3, 4}, dw[] = {2, 12};
        static const double v0[] = {-1.53, 0.09, 1.49, -1.85, 0.77, -0.09, -1.32, -1.75, -1.87, -1.03, -1.55, -0.38, -1.83, 1.71, 1.74, 1.24, -1.25, 0.35, 1.61, 1.87, -1.73, -0.73, 0.79, 0.56};
        static const double w[] = {-1.5299999713897705, 0.09000000357627869, 1.4900000095367432, -1.850000023841858, 0.7699999809265137, -0.09000000357627869, -1.3200000524520874, -1.75, -1.8700000047683716, -1.0299999713897705, -1.5499999523162842, -0.3799999952316284, -1.8300000429153442, 1.7100000381469727, 1.7400000095367432, 1.2400000095367432, -1.25, 0.3499999940395355, 1.6100000143051147, 1.8700000047683716, -1.7300000190734863, -0.7300000190734863, 0.7900000214576721, 0.5600000023841858};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("Reshape", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.Reshape(shape=(-1, 0), reverse=True) */
        static const char *const p[] = {"shape", "(-1, 0)", "reverse", "True", NULL};
        static const int64_t d0[] = {2, 3, 4}, dw[] = {6, 4};
        static const double v0[] = {-1.53, 0.09, 1.49, -1.85, 0.77, -0.09, -1.32, -1.75, -1.87, -1.03, -1.55, -0.38, -1.83, 1.71, 1.74, 1.24, -1.25, 0.35, 1.61, 1.87, -1.73, -0.73, 0.79, 0.56};
        static const double w[] = {-1.5299999713897705, 0.09000000357627869, 1.4900000095367432, -1.850000023841858, 0.7699999809265137, -0.09000000357627869, -1.3200000524520874, -1.75, -1.8700000047683716, -1.0299999713897705, -1.5499999523162842, -0.3799999952316284, -1.8300000429153442, 1.7100000381469727, 1.7400000095367432, 1.2400000095367432, -1.25, 0.3499999940395355, 1.6100000143051147, 1.8700000047683716, -1.7300000190734863, -0.7300000190734863, 0.7900000214576721, 0.5600000023841858};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("Reshape", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.expand_dims(axis=-1) */
        static const char *const p[] = {"axis", "-1", NULL};
        static const int64_t d0[] = {2, 3}, dw[] = {2, 3, 1};
        static const double v0[] = {0.53, 1.32, 0.85, -0.66, -1.33, 1.06};
        static const double w[] = {0.5299999713897705, 1.3200000524520874, 0.8500000238418579, -0.6600000262260437, -1.3300000429153442, 1.059999942779541};
        static const int nds[] = {2};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("expand_dims", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 3, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.identity (_copy) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {-0.56, -1.65, 0.92, 1.52, -1.83, -1.3};
        static const double w[] = {-0.5600000023841858, -1.649999976158142, 0.9200000166893005, 1.5199999809265137, -1.8300000429153442, -1.2999999523162842};
        static const int nds[] = {2};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("_copy", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.BlockGrad (forward) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {-0.32, -0.64, -1.82, -1.55, -0.25, -1.72};
        static const double w[] = {-0.3199999928474426, -0.6399999856948853, -1.8200000524520874, -1.5499999523162842, -0.25, -1.7200000286102295};
        static const int nds[] = {2};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("BlockGrad", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.transpose (reversed axes) */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3, 4}, dw[] = {4, 3, 2};
        static const double v0[] = {-1.53, 0.09, 1.49, -1.85, 0.77, -0.09, -1.32, -1.75, -1.87, -1.03, -1.55, -0.38, -1.83, 1.71, 1.74, 1.24, -1.25, 0.35, 1.61, 1.87, -1.73, -0.73, 0.79, 0.56};
        static const double w[] = {-1.5299999713897705, -1.8300000429153442, 0.7699999809265137, -1.25, -1.8700000047683716, -1.7300000190734863, 0.09000000357627869, 1.7100000381469727, -0.09000000357627869, 0.3499999940395355, -1.0299999713897705, -0.7300000190734863, 1.4900000095367432, 1.7400000095367432, -1.3200000524520874, 1.6100000143051147, -1.5499999523162842, 0.7900000214576721, -1.850000023841858, 1.2400000095367432, -1.75, 1.8700000047683716, -0.3799999952316284, 0.5600000023841858};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("transpose", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 3, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.transpose(axes=(1, 0, 2)) and its gradient */
        static const char *const p[] = {"axes", "(1, 0, 2)", NULL};
        static const int64_t d0[] = {2, 3, 4}, dw[] = {3, 2, 4};
        static const double v0[] = {-1.53, 0.09, 1.49, -1.85, 0.77, -0.09, -1.32, -1.75, -1.87, -1.03, -1.55, -0.38, -1.83, 1.71, 1.74, 1.24, -1.25, 0.35, 1.61, 1.87, -1.73, -0.73, 0.79, 0.56};
        static const double w[] = {-1.5299999713897705, 0.09000000357627869, 1.4900000095367432, -1.850000023841858, -1.8300000429153442, 1.7100000381469727, 1.7400000095367432, 1.2400000095367432, 0.7699999809265137, -0.09000000357627869, -1.3200000524520874, -1.75, -1.25, 0.3499999940395355, 1.6100000143051147, 1.8700000047683716, -1.8700000047683716, -1.0299999713897705, -1.5499999523162842, -0.3799999952316284, -1.7300000190734863, -0.7300000190734863, 0.7900000214576721, 0.5600000023841858};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {1.26, 1.46, -1.48, -1.23, -0.25, 1.88, 1.1, -1.47, 1.71, 1.31, -0.43, -1.44, -1.79, -1.63, 1.55, -1.33, -0.55, 0.62, 0.42, -0.42, -0.5, -1.75, -0.28, 0.88};
        static const double g0[] = {1.2599999904632568, 1.4600000381469727, -1.4800000190734863, -1.2300000190734863, 1.7100000381469727, 1.309999942779541, -0.4300000071525574, -1.440000057220459, -0.550000011920929, 0.6200000047683716, 0.41999998688697815, -0.41999998688697815, -0.25, 1.8799999952316284, 1.100000023841858, -1.4700000286102295, -1.7899999618530273, -1.6299999952316284, 1.5499999523162842, -1.3300000429153442, -0.5, -1.75, -0.2800000011920929, 0.8799999952316284};
        const double *gg[] = {g0};
        CHECK(ka_run("transpose", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 3, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.transpose(axes=(2, 0, 1)), int32 */
        static const char *const p[] = {"axes", "(2, 0, 1)", NULL};
        static const int64_t d0[] = {2, 3, 4}, dw[] = {4, 2, 3};
        static const double v0[] = {0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0};
        static const double w[] = {0.0, 4.0, 8.0, 12.0, 16.0, 20.0, 1.0, 5.0, 9.0, 13.0, 17.0, 21.0, 2.0, 6.0, 10.0, 14.0, 18.0, 22.0, 3.0, 7.0, 11.0, 15.0, 19.0, 23.0};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("transpose", p, 1, nds, dd, vv, SG_INT32, 0, SG_INT32, 3, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.broadcast_to(shape=(2, 0)) and its gradient */
        static const char *const p[] = {"shape", "(2, 0)", NULL};
        static const int64_t d0[] = {1, 3}, dw[] = {2, 3};
        static const double v0[] = {1.07, -1.22, 1.45};
        static const double w[] = {1.0700000524520874, -1.2200000286102295, 1.4500000476837158, 1.0700000524520874, -1.2200000286102295, 1.4500000476837158};
        static const int nds[] = {2};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {-1.89, 1.61, -1.05, -1.49, -0.73, 1.4};
        static const double g0[] = {-3.380000114440918, 0.8799999952316284, 0.3500000238418579};
        const double *gg[] = {g0};
        CHECK(ka_run("broadcast_to", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.broadcast_to((2,1,1) -> (2,3,4)) and its gradient */
        static const char *const p[] = {"shape", "(2, 3, 4)", NULL};
        static const int64_t d0[] = {2, 1, 1}, dw[] = {2, 3, 4};
        static const double v0[] = {1.33, -0.62};
        static const double w[] = {1.3300000429153442, 1.3300000429153442, 1.3300000429153442, 1.3300000429153442, 1.3300000429153442, 1.3300000429153442, 1.3300000429153442, 1.3300000429153442, 1.3300000429153442, 1.3300000429153442, 1.3300000429153442, 1.3300000429153442, -0.6200000047683716, -0.6200000047683716, -0.6200000047683716, -0.6200000047683716, -0.6200000047683716, -0.6200000047683716, -0.6200000047683716, -0.6200000047683716, -0.6200000047683716, -0.6200000047683716, -0.6200000047683716, -0.6200000047683716};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {-1.04, 0.14, -0.91, -1.86, 0.51, 0.08, -1.83, 1.03, 1.95, 1.21, -0.62, -0.66, -0.59, -0.23, 0.32, 0.47, -1.29, 1.46, 0.84, -1.32, 1.42, -1.92, 0.57, -1.35};
        static const double g0[] = {-2.0, -1.619999885559082};
        const double *gg[] = {g0};
        CHECK(ka_run("broadcast_to", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 3, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.Concat(dim=0) */
        static const char *const p[] = {"num_args", "2", "dim", "0", NULL};
        static const int64_t d0[] = {1, 3}, d1[] = {2, 3}, dw[] = {3, 3};
        static const double v0[] = {-0.97, -0.63, -1.98};
        static const double v1[] = {-0.25, 1.19, 0.7, 0.18, 0.26, -1.94};
        static const double w[] = {-0.9700000286102295, -0.6299999952316284, -1.9800000190734863, -0.25, 1.190000057220459, 0.699999988079071, 0.18000000715255737, 0.25999999046325684, -1.940000057220459};
        static const int nds[] = {2, 2};
        const int64_t *dd[] = {d0, d1};
        const double *vv[] = {v0, v1};
        CHECK(ka_run("Concat", p, 2, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.Concat(dim=-1) of 3 and its gradients */
        static const char *const p[] = {"num_args", "3", "dim", "-1", NULL};
        static const int64_t d0[] = {2, 1}, d1[] = {2, 3}, d2[] = {2, 2}, dw[] = {2, 6};
        static const double v0[] = {0.44, 1.95};
        static const double v1[] = {-1.1, 0.35, 1.34, 1.17, -0.68, -0.57};
        static const double v2[] = {1.84, -1.1, -1.15, -1.38};
        static const double w[] = {0.4399999976158142, -1.100000023841858, 0.3499999940395355, 1.340000033378601, 1.840000033378601, -1.100000023841858, 1.9500000476837158, 1.1699999570846558, -0.6800000071525574, -0.5699999928474426, -1.149999976158142, -1.3799999952316284};
        static const int nds[] = {2, 2, 2};
        const int64_t *dd[] = {d0, d1, d2};
        const double *vv[] = {v0, v1, v2};
        static const double og[] = {-0.02, -0.95, 0.22, -1.71, -0.49, -0.16, 1.11, 0.88, -1.08, -1.9, -0.97, -0.36};
        static const double g0[] = {-0.019999999552965164, 1.1100000143051147};
        static const double g1[] = {-0.949999988079071, 0.2199999988079071, -1.7100000381469727, 0.8799999952316284, -1.0800000429153442, -1.899999976158142};
        static const double g2[] = {-0.49000000953674316, -0.1599999964237213, -0.9700000286102295, -0.36000001430511475};
        const double *gg[] = {g0, g1, g2};
        CHECK(ka_run("Concat", p, 3, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.SliceChannel(num_outputs=3, axis=1)[1] and the gradient of that output */
        static const char *const p[] = {"num_outputs", "3", "axis", "1", NULL};
        static const int64_t d0[] = {2, 6, 2}, dw[] = {2, 2, 2};
        static const double v0[] = {-1.97, -0.11, 1.41, 1.69, -1.07, 1.96, -1.98, -0.66, 1.16, -1.61, -0.23, -0.48, 1.33, 0.85, -0.58, -1.9, 0.77, -0.32, 1.43, 0.3, 1.76, 1.52, -0.17, -1.93};
        static const double w[] = {-1.0700000524520874, 1.9600000381469727, -1.9800000190734863, -0.6600000262260437, 0.7699999809265137, -0.3199999928474426, 1.4299999475479126, 0.30000001192092896};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {-1.73, -0.72, 0.37, 0.44, 0.05, -1.42, 1.51, 0.95};
        static const double g0[] = {0.0, 0.0, 0.0, 0.0, -1.7300000190734863, -0.7200000286102295, 0.3700000047683716, 0.4399999976158142, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.05000000074505806, -1.4199999570846558, 1.5099999904632568, 0.949999988079071, 0.0, 0.0, 0.0, 0.0};
        const double *gg[] = {g0};
        CHECK(ka_run("SliceChannel", p, 1, nds, dd, vv, SG_FLOAT32, 1, SG_FLOAT32, 3, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.SliceChannel(num_outputs=2, axis=-1, squeeze_axis=True)[0] */
        static const char *const p[] = {"num_outputs", "2", "axis", "-1", "squeeze_axis", "True", NULL};
        static const int64_t d0[] = {2, 3, 2}, dw[] = {2, 3};
        static const double v0[] = {-0.51, 1.31, -1.64, -1.74, 0.02, 1.73, -1.4, 0.28, -1.76, -1.32, -1.72, 1.62};
        static const double w[] = {-0.5099999904632568, -1.6399999856948853, 0.019999999552965164, -1.399999976158142, -1.7599999904632568, -1.7200000286102295};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("SliceChannel", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.slice_axis(axis=1, begin=-2, end=None) and its gradient */
        static const char *const p[] = {"axis", "1", "begin", "-2", "end", "None", NULL};
        static const int64_t d0[] = {2, 4, 2}, dw[] = {2, 2, 2};
        static const double v0[] = {-0.21, -1.57, 0.66, 0.01, -0.36, 0.91, -1.31, -0.46, -0.93, -0.77, -1.29, -0.07, 0.52, -1.76, -1.21, -0.88};
        static const double w[] = {-0.36000001430511475, 0.9100000262260437, -1.309999942779541, -0.46000000834465027, 0.5199999809265137, -1.7599999904632568, -1.2100000381469727, -0.8799999952316284};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.83, -0.69, -0.3, 0.82, -1.36, -0.24, 0.52, 1.7};
        static const double g0[] = {0.0, 0.0, 0.0, 0.0, 0.8299999833106995, -0.6899999976158142, -0.30000001192092896, 0.8199999928474426, 0.0, 0.0, 0.0, 0.0, -1.3600000143051147, -0.23999999463558197, 0.5199999809265137, 1.7000000476837158};
        const double *gg[] = {g0};
        CHECK(ka_run("slice_axis", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 3, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.slice_axis(axis=-1, begin=1, end=-1) */
        static const char *const p[] = {"axis", "-1", "begin", "1", "end", "-1", NULL};
        static const int64_t d0[] = {2, 4}, dw[] = {2, 2};
        static const double v0[] = {-0.57, 1.28, 0.56, 0.86, 0.95, 1.88, -1.02, -1.83};
        static const double w[] = {1.2799999713897705, 0.5600000023841858, 1.8799999952316284, -1.0199999809265137};
        static const int nds[] = {2};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("slice_axis", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
}
/* sum / mean / max / min */
SG_TEST(ka_reduce) {
    {   /* MXNet 1.9.1: mx.nd.sum() of everything */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3, 4}, dw[] = {1};
        static const double v0[] = {-1.53, 0.09, 1.49, -1.85, 0.77, -0.09, -1.32, -1.75, -1.87, -1.03, -1.55, -0.38, -1.83, 1.71, 1.74, 1.24, -1.25, 0.35, 1.61, 1.87, -1.73, -0.73, 0.79, 0.56};
        static const double w[] = {-4.690000057220459};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("sum", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.sum(axis=1, keepdims=True) and its gradient */
        static const char *const p[] = {"axis", "(1,)", "keepdims", "True", NULL};
        static const int64_t d0[] = {2, 3, 4}, dw[] = {2, 1, 4};
        static const double v0[] = {-1.53, 0.09, 1.49, -1.85, 0.77, -0.09, -1.32, -1.75, -1.87, -1.03, -1.55, -0.38, -1.83, 1.71, 1.74, 1.24, -1.25, 0.35, 1.61, 1.87, -1.73, -0.73, 0.79, 0.56};
        static const double w[] = {-2.630000114440918, -1.0299999713897705, -1.3799999952316284, -3.9800000190734863, -4.809999942779541, 1.3300000429153442, 4.139999866485596, 3.6700000762939453};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {-1.01, -1.82, 0.82, 1.34, 1.74, -0.12, 0.05, -0.95};
        static const double g0[] = {-1.0099999904632568, -1.8200000524520874, 0.8199999928474426, 1.340000033378601, -1.0099999904632568, -1.8200000524520874, 0.8199999928474426, 1.340000033378601, -1.0099999904632568, -1.8200000524520874, 0.8199999928474426, 1.340000033378601, 1.7400000095367432, -0.11999999731779099, 0.05000000074505806, -0.949999988079071, 1.7400000095367432, -0.11999999731779099, 0.05000000074505806, -0.949999988079071, 1.7400000095367432, -0.11999999731779099, 0.05000000074505806, -0.949999988079071};
        const double *gg[] = {g0};
        CHECK(ka_run("sum", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 3, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.mean(axis=1, exclude=True) and its gradient */
        static const char *const p[] = {"axis", "1", "exclude", "True", NULL};
        static const int64_t d0[] = {2, 3, 4}, dw[] = {3};
        static const double v0[] = {-1.53, 0.09, 1.49, -1.85, 0.77, -0.09, -1.32, -1.75, -1.87, -1.03, -1.55, -0.38, -1.83, 1.71, 1.74, 1.24, -1.25, 0.35, 1.61, 1.87, -1.73, -0.73, 0.79, 0.56};
        static const double w[] = {0.13250000774860382, 0.02374999225139618, -0.7425000071525574};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {-1.6, 1.2, -1.43};
        static const double g0[] = {-0.20000000298023224, -0.20000000298023224, -0.20000000298023224, -0.20000000298023224, 0.15000000596046448, 0.15000000596046448, 0.15000000596046448, 0.15000000596046448, -0.17874999344348907, -0.17874999344348907, -0.17874999344348907, -0.17874999344348907, -0.20000000298023224, -0.20000000298023224, -0.20000000298023224, -0.20000000298023224, 0.15000000596046448, 0.15000000596046448, 0.15000000596046448, 0.15000000596046448, -0.17874999344348907, -0.17874999344348907, -0.17874999344348907, -0.17874999344348907};
        const double *gg[] = {g0};
        CHECK(ka_run("mean", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.max(axis=-1) with ties and its gradient (every maximum gets it) */
        static const char *const p[] = {"axis", "-1", NULL};
        static const int64_t d0[] = {2, 3}, dw[] = {2};
        static const double v0[] = {1.0, 3.0, 3.0, 2.0, 0.5, 2.0};
        static const double w[] = {3.0, 2.0};
        static const int nds[] = {2};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {1.0, 2.0};
        static const double g0[] = {0.0, 1.0, 1.0, 2.0, 0.0, 2.0};
        const double *gg[] = {g0};
        CHECK(ka_run("max", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.min(axis=(0, 2)) and its gradient */
        static const char *const p[] = {"axis", "(0, 2)", NULL};
        static const int64_t d0[] = {2, 3, 4}, dw[] = {3};
        static const double v0[] = {-1.53, 0.09, 1.49, -1.85, 0.77, -0.09, -1.32, -1.75, -1.87, -1.03, -1.55, -0.38, -1.83, 1.71, 1.74, 1.24, -1.25, 0.35, 1.61, 1.87, -1.73, -0.73, 0.79, 0.56};
        static const double w[] = {-1.850000023841858, -1.75, -1.8700000047683716};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {1.22, 1.52, -0.0};
        static const double g0[] = {0.0, 0.0, 0.0, 1.2200000286102295, 0.0, 0.0, 0.0, 1.5199999809265137, -0.0, -0.0, -0.0, -0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.0, -0.0, -0.0, -0.0};
        const double *gg[] = {g0};
        CHECK(ka_run("min", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.max() of everything, float64 */
        static const char *const p[] = {NULL};
        static const int64_t d0[] = {2, 3, 4}, dw[] = {1};
        static const double v0[] = {-1.53, 0.09, 1.49, -1.85, 0.77, -0.09, -1.32, -1.75, -1.87, -1.03, -1.55, -0.38, -1.83, 1.71, 1.74, 1.24, -1.25, 0.35, 1.61, 1.87, -1.73, -0.73, 0.79, 0.56};
        static const double w[] = {1.87};
        static const int nds[] = {3};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("max", p, 1, nds, dd, vv, SG_FLOAT64, 0, SG_FLOAT64, 1, dw, w, NULL, NULL));
    }
}
/* _zeros / _ones, add_n, smooth_l1 */
SG_TEST(ka_misc) {
    {   /* MXNet 1.9.1: mx.nd.zeros((2, 3)) */
        static const char *const p[] = {"shape", "(2, 3)", NULL};
        static const int64_t dw[] = {2, 3};
        static const double w[] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
        static const int nds[] = {0};
        const int64_t *dd[] = {NULL};
        const double *vv[] = {NULL};
        CHECK(ka_run("_zeros", p, 0, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.ones((2, 2), dtype='float64') */
        static const char *const p[] = {"shape", "(2, 2)", "dtype", "float64", NULL};
        static const int64_t dw[] = {2, 2};
        static const double w[] = {1.0, 1.0, 1.0, 1.0};
        static const int nds[] = {0};
        const int64_t *dd[] = {NULL};
        const double *vv[] = {NULL};
        CHECK(ka_run("_ones", p, 0, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT64, 2, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.ones((3,), dtype='int32') */
        static const char *const p[] = {"shape", "(3,)", "dtype", "int32", NULL};
        static const int64_t dw[] = {3};
        static const double w[] = {1.0, 1.0, 1.0};
        static const int nds[] = {0};
        const int64_t *dd[] = {NULL};
        const double *vv[] = {NULL};
        CHECK(ka_run("_ones", p, 0, nds, dd, vv, SG_FLOAT32, 0, SG_INT32, 1, dw, w, NULL, NULL));
    }
    {   /* MXNet 1.9.1: mx.nd.add_n of 3 and its gradients */
        static const char *const p[] = {"num_args", "3", NULL};
        static const int64_t d0[] = {2, 3}, d1[] = {2, 3}, d2[] = {2, 3}, dw[] = {2, 3};
        static const double v0[] = {1.66, -0.35, -1.2, 0.57, -0.4, 0.46};
        static const double v1[] = {-0.25, 0.37, 1.81, 0.21, 1.61, -1.45};
        static const double v2[] = {-1.99, 0.45, 0.17, 1.12, 1.29, 1.81};
        static const double w[] = {-0.5800000429153442, 0.4699999988079071, 0.779999852180481, 1.9000000953674316, 2.5, 0.8199999332427979};
        static const int nds[] = {2, 2, 2};
        const int64_t *dd[] = {d0, d1, d2};
        const double *vv[] = {v0, v1, v2};
        static const double og[] = {0.44, -0.84, 1.31, -0.5, 0.44, 0.48};
        static const double g0[] = {0.4399999976158142, -0.8399999737739563, 1.309999942779541, -0.5, 0.4399999976158142, 0.47999998927116394};
        static const double g1[] = {0.4399999976158142, -0.8399999737739563, 1.309999942779541, -0.5, 0.4399999976158142, 0.47999998927116394};
        static const double g2[] = {0.4399999976158142, -0.8399999737739563, 1.309999942779541, -0.5, 0.4399999976158142, 0.47999998927116394};
        const double *gg[] = {g0, g1, g2};
        CHECK(ka_run("add_n", p, 3, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 2, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.smooth_l1(scalar=1.0) and its gradient */
        static const char *const p[] = {"scalar", "1.0", NULL};
        static const int64_t d0[] = {9}, dw[] = {9};
        static const double v0[] = {-2.0, -1.0, -0.3, 0.0, 0.1, 0.25, 0.6, 1.0, 3.0};
        static const double w[] = {1.5, 0.5, 0.04500000178813934, 0.0, 0.005000000353902578, 0.03125, 0.18000000715255737, 0.5, 2.5};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
        static const double g0[] = {-1.0, -1.0, -0.30000001192092896, 0.0, 0.10000000149011612, 0.25, 0.6000000238418579, 1.0, 1.0};
        const double *gg[] = {g0};
        CHECK(ka_run("smooth_l1", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.smooth_l1(scalar=2.0) and its gradient */
        static const char *const p[] = {"scalar", "2.0", NULL};
        static const int64_t d0[] = {9}, dw[] = {9};
        static const double v0[] = {-2.0, -1.0, -0.3, 0.0, 0.1, 0.25, 0.6, 1.0, 3.0};
        static const double w[] = {1.875, 0.875, 0.17500001192092896, 0.0, 0.020000001415610313, 0.125, 0.4750000238418579, 0.875, 2.875};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        static const double og[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25};
        static const double g0[] = {-0.25, -0.5, -0.75, 0.0, 0.5, 1.5, 1.75, 2.0, 2.25};
        const double *gg[] = {g0};
        CHECK(ka_run("smooth_l1", p, 1, nds, dd, vv, SG_FLOAT32, 0, SG_FLOAT32, 1, dw, w, og, gg));
    }
    {   /* MXNet 1.9.1: mx.nd.smooth_l1(scalar=2.0), float64 */
        static const char *const p[] = {"scalar", "2.0", NULL};
        static const int64_t d0[] = {9}, dw[] = {9};
        static const double v0[] = {-2.0, -1.0, -0.3, 0.0, 0.1, 0.25, 0.6, 1.0, 3.0};
        static const double w[] = {1.875, 0.875, 0.175, 0.0, 0.020000000000000004, 0.125, 0.475, 0.875, 2.875};
        static const int nds[] = {1};
        const int64_t *dd[] = {d0};
        const double *vv[] = {v0};
        CHECK(ka_run("smooth_l1", p, 1, nds, dd, vv, SG_FLOAT64, 0, SG_FLOAT64, 1, dw, w, NULL, NULL));
    }
}
/* ---- end of the generated known answers ---- */

/* ---------------------------------------------------------- gradient checks */

SG_TEST(gc_elemwise_binary) {
    static const char *const ops[] = {"elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div", "_power",
                                      "_maximum", "_minimum", "_equal", "_not_equal", "_greater", "_greater_equal",
                                      "_lesser", "_lesser_equal"};
    int i, v;
    for (i = 0; i < (int)(sizeof ops / sizeof ops[0]); i++)
        for (v = 0; v < 2; v++) {
            sg_graph *g = sg_graph_create();
            sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b");
            sg_shape s = v ? gc_shape(2, 3, 4) : gc_shape(3, 2, 1, 3);
            /* div: rhs away from 0; power: positive base */
            gc_ranges R = !strcmp(ops[i], "_power") ? rg(0.5, 2, -1.5, 1.5) : !strcmp(ops[i], "elemwise_div") ? rg(-2, 2, 0.5, 2) : rg(-1, 1, -1, 1);
            char what[64];
            snprintf(what, sizeof what, "%s %s", ops[i], v ? "(3,4)" : "(2,1,3)");
            GCK(what, op2(g, ops[i], NULL, a, b), s, s, R);
            sg_graph_free(g);
        }
}

SG_TEST(gc_scalar) {
    static const struct { const char *op, *s; double lo, hi; } c[] = {
        {"_plus_scalar", "2.5", -1, 1}, {"_minus_scalar", "2.5", -1, 1}, {"_rminus_scalar", "-1.5", -1, 1},
        {"_mul_scalar", "-3", -1, 1}, {"_div_scalar", "0.4", -1, 1}, {"_rdiv_scalar", "2.5", 0.5, 2},
        {"_power_scalar", "2.5", 0.5, 2}, {"_power_scalar", "-1.5", 0.5, 2}, {"_rpower_scalar", "1.7", -1, 1},
        {"_rpower_scalar", "0.5", -1, 1}, {"_maximum_scalar", "0.3", -1, 1}, {"_minimum_scalar", "0.3", -1, 1},
        {"_equal_scalar", "0.3", -1, 1}, {"_not_equal_scalar", "0.3", -1, 1}, {"_greater_scalar", "0.3", -1, 1},
        {"_greater_equal_scalar", "0.3", -1, 1}, {"_lesser_scalar", "0.3", -1, 1},
        {"_lesser_equal_scalar", "0.3", -1, 1}};
    int i;
    for (i = 0; i < (int)(sizeof c / sizeof c[0]); i++) {
        sg_graph *g = sg_graph_create();
        sg_symbol *a = sg_variable(g, "a");
        double avoid = 0.3;
        gc_ranges R = rg_avoid(c[i].lo, c[i].hi, 0.01, 1, &avoid);
        char what[64];
        snprintf(what, sizeof what, "%s %s", c[i].op, c[i].s);
        GCK(what, op1(g, c[i].op, SG_KV("scalar", c[i].s), a), gc_shape(2, 3, 4), none(), R);
        sg_graph_free(g);
    }
    { /* the Python operators' symbols: (2 - a) / 3 + a ** 2 * 0.5 - 1 / a */
        sg_graph *g = sg_graph_create();
        sg_symbol *a = sg_variable(g, "a");
        sg_symbol *e = sg_sub(g, sg_add(g, sg_div_scalar(g, sg_rsub_scalar(g, a, "2"), "3"),
                                        sg_mul_scalar(g, sg_pow_scalar(g, a, "2"), "0.5")),
                              sg_rdiv_scalar(g, a, "1"));
        GCK("python scalar operators", e, gc_shape(1, 5), none(), rg(0.5, 2, 0.5, 2));
        sg_graph_free(g);
    }
}

SG_TEST(gc_broadcast) {
    static const char *const ops[] = {"broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div"};
    sg_shape pat[6][2];
    int i, p;
    pat[0][0] = gc_shape(2, 2, 3); pat[0][1] = gc_shape(2, 1, 3);
    pat[1][0] = gc_shape(3, 2, 3, 4); pat[1][1] = gc_shape(2, 3, 1);
    pat[2][0] = gc_shape(1, 4); pat[2][1] = gc_shape(3, 2, 1, 4);
    pat[3][0] = gc_shape(3, 2, 1, 3); pat[3][1] = gc_shape(3, 1, 4, 1);
    pat[4][0] = gc_shape(2, 3, 4); pat[4][1] = gc_shape(2, 3, 4);
    pat[5][0] = gc_shape(4, 2, 1, 3, 1); pat[5][1] = gc_shape(3, 3, 1, 2);
    for (i = 0; i < 4; i++)
        for (p = 0; p < 6; p++) {
            sg_graph *g = sg_graph_create();
            sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b");
            char what[64];
            snprintf(what, sizeof what, "%s pattern %d", ops[i], p);
            GCK(what, op2(g, ops[i], NULL, a, b), pat[p][0], pat[p][1], i == 3 ? rg(-2, 2, 0.5, 2) : rg(-1, 1, -1, 1));
            sg_graph_free(g);
        }
}

SG_TEST(gc_dot) {
    static const struct { int nl, l[3], nr, r[3]; const char *ta, *tb; } c[] = {
        {2, {3, 4}, 2, {4, 5}, "False", "False"}, {2, {4, 3}, 2, {4, 5}, "True", "False"},
        {2, {3, 4}, 2, {5, 4}, "False", "True"},  {2, {4, 3}, 2, {5, 4}, "True", "True"},
        {3, {2, 3, 4}, 3, {4, 2, 3}, "False", "False"}, /* N-D: (2,3,2,3) */
        {3, {4, 2, 3}, 2, {4, 2}, "True", "False"},     /* N-D lhs transposed: (2,3,2) */
        {2, {3, 4}, 3, {2, 5, 4}, "False", "True"},     /* N-D rhs transposed: (3,2,5) */
        {1, {5}, 1, {5}, "False", "False"},             /* 1-D . 1-D: (1,) */
        {1, {4}, 2, {4, 3}, "False", "False"},          /* 1-D . 2-D: (3,) */
        {2, {3, 4}, 1, {4}, "False", "False"},          /* 2-D . 1-D: (3,) */
        {2, {1, 6}, 2, {6, 1}, "False", "False"}};
    int i;
    for (i = 0; i < (int)(sizeof c / sizeof c[0]); i++) {
        sg_graph *g = sg_graph_create();
        sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b");
        sg_shape sa = gc_shape(c[i].nl, c[i].l[0], c[i].l[1], c[i].l[2]), sb = gc_shape(c[i].nr, c[i].r[0], c[i].r[1], c[i].r[2]);
        char what[64];
        snprintf(what, sizeof what, "dot case %d (ta %s, tb %s)", i, c[i].ta, c[i].tb);
        GCK(what, op2(g, "dot", SG_KV("transpose_a", c[i].ta, "transpose_b", c[i].tb), a, b), sa, sb, rg(-1, 1, -1, 1));
        sg_graph_free(g);
    }
}

SG_TEST(gc_batch_dot) {
    static const struct { int nd, l[4], r[4]; const char *ta, *tb; } c[] = {
        {3, {2, 3, 4}, {2, 4, 5}, "False", "False"}, {3, {2, 4, 3}, {2, 4, 5}, "True", "False"},
        {3, {2, 3, 4}, {2, 5, 4}, "False", "True"},  {3, {2, 4, 3}, {2, 5, 4}, "True", "True"},
        {4, {2, 2, 3, 4}, {2, 2, 4, 2}, "False", "False"}, {4, {3, 1, 2, 3}, {3, 1, 2, 2}, "True", "True"}};
    int i;
    for (i = 0; i < (int)(sizeof c / sizeof c[0]); i++) {
        sg_graph *g = sg_graph_create();
        sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b");
        sg_shape sa = gc_shape(c[i].nd, c[i].l[0], c[i].l[1], c[i].l[2], c[i].l[3]);
        sg_shape sb = gc_shape(c[i].nd, c[i].r[0], c[i].r[1], c[i].r[2], c[i].r[3]);
        char what[64];
        snprintf(what, sizeof what, "batch_dot case %d", i);
        GCK(what, op2(g, "batch_dot", SG_KV("transpose_a", c[i].ta, "transpose_b", c[i].tb), a, b), sa, sb, rg(-1, 1, -1, 1));
        sg_graph_free(g);
    }
}

SG_TEST(gc_unary) {
    static const char *const ops[] = {"relu", "sigmoid", "tanh", "sin", "cos", "exp", "log", "sqrt", "square", "abs", "negative"};
    int i;
    for (i = 0; i < (int)(sizeof ops / sizeof ops[0]); i++) {
        sg_graph *g = sg_graph_create();
        sg_symbol *a = sg_variable(g, "a");
        double zero = 0;
        int pos = !strcmp(ops[i], "log") || !strcmp(ops[i], "sqrt");
        gc_ranges R = pos ? rg(0.3, 3, 0.3, 3) : rg_avoid(-2, 2, 0.05, 1, &zero);
        GCK(ops[i], op1(g, ops[i], NULL, a), gc_shape(2, 3, 4), none(), R);
        /* through a chain the executor may run in place: op(2 * a) + 1 */
        GCK(ops[i], sg_add_scalar(g, op1(g, ops[i], NULL, sg_mul_scalar(g, a, "2")), "1"), gc_shape(2, 4, 3), none(), R);
        sg_graph_free(g);
    }
}

SG_TEST(gc_clip) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a");
    double pts[2] = {-0.5, 0.7};
    GCK("clip(-0.5, 0.7)", op1(g, "clip", SG_KV("a_min", "-0.5", "a_max", "0.7"), a), gc_shape(3, 2, 3, 4), none(),
        rg_avoid(-1.5, 1.5, 0.02, 2, pts));
    GCK("clip in a chain", sg_mul_scalar(g, op1(g, "clip", SG_KV("a_min", "-0.5", "a_max", "0.7"), sg_add_scalar(g, a, "0.1")), "3"),
        gc_shape(2, 5, 5), none(), rg_avoid(-1.5, 1.5, 0.02, 2, pts));
    sg_graph_free(g);
}

SG_TEST(gc_cast) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b");
    /* the float32 side casts float32 arguments to float64: its backward casts the
     * gradient back (a cast to float32 would make the float64 side's differences
     * too coarse to check; the known answers cover it) */
    sg_symbol *e = sg_mul(g, op1(g, "Cast", SG_KV("dtype", "float64"), a), op1(g, "cast", SG_KV("dtype", "float64"), b));
    GCK("Cast(float64)", op1(g, "Cast", SG_KV("dtype", "float64"), a), gc_shape(2, 3, 4), none(), rg(-1, 1, -1, 1));
    GCK("Cast(float64) * cast(float64)", e, gc_shape(2, 2, 3), gc_shape(2, 2, 3), rg(-1, 1, -1, 1));
    GCK("Cast(a, float64) * Cast(a, float64)", sg_mul(g, op1(g, "Cast", SG_KV("dtype", "float64"), a), op1(g, "Cast", SG_KV("dtype", "float64"), a)),
        gc_shape(1, 4), none(), rg(-1, 1, -1, 1));
    sg_graph_free(g);
}

SG_TEST(gc_copy_likes) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b");
    GCK("Flatten", sg_mul(g, op1(g, "Flatten", NULL, a), b), gc_shape(3, 2, 3, 4), gc_shape(2, 2, 12), rg(-1, 1, -1, 1));
    GCK("Reshape (0, -1)", sg_mul(g, op1(g, "Reshape", SG_KV("shape", "(0, -1)"), a), b), gc_shape(3, 2, 3, 4), gc_shape(2, 2, 12), rg(-1, 1, -1, 1));
    GCK("Reshape (-3, -2)", sg_mul(g, op1(g, "Reshape", SG_KV("shape", "(-3, -2)"), a), b), gc_shape(3, 2, 3, 4), gc_shape(2, 6, 4), rg(-1, 1, -1, 1));
    GCK("Reshape reverse", sg_mul(g, op1(g, "Reshape", SG_KV("shape", "(-1, 0)", "reverse", "True"), a), b), gc_shape(3, 2, 3, 4), gc_shape(2, 6, 4), rg(-1, 1, -1, 1));
    GCK("expand_dims -1", sg_mul(g, op1(g, "expand_dims", SG_KV("axis", "-1"), a), b), gc_shape(2, 3, 4), gc_shape(3, 3, 4, 1), rg(-1, 1, -1, 1));
    GCK("expand_dims 0", sg_mul(g, op1(g, "expand_dims", SG_KV("axis", "0"), a), b), gc_shape(2, 3, 4), gc_shape(3, 1, 3, 4), rg(-1, 1, -1, 1));
    GCK("_copy", sg_mul(g, op1(g, "_copy", NULL, a), b), gc_shape(2, 3, 4), gc_shape(2, 3, 4), rg(-1, 1, -1, 1));
    GCK("Flatten alone", op1(g, "Flatten", NULL, a), gc_shape(4, 2, 1, 3, 2), none(), rg(-1, 1, -1, 1));
    sg_graph_free(g);
}

SG_TEST(gc_transpose_broadcast_to) {
    static const char *const axes[] = {"()", "(1, 0, 2)", "(2, 0, 1)", "(0, 1, 2)"};
    int i;
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a");
    for (i = 0; i < 4; i++) GCK(axes[i], op1(g, "transpose", SG_KV("axes", axes[i]), a), gc_shape(3, 2, 3, 4), none(), rg(-1, 1, -1, 1));
    GCK("transpose 2-D", op1(g, "transpose", NULL, a), gc_shape(2, 3, 5), none(), rg(-1, 1, -1, 1));
    GCK("transpose 4-D", op1(g, "transpose", SG_KV("axes", "(3, 1, 0, 2)"), a), gc_shape(4, 2, 3, 2, 2), none(), rg(-1, 1, -1, 1));
    GCK("transpose 5-D", op1(g, "transpose", NULL, a), gc_shape(5, 2, 1, 3, 2, 2), none(), rg(-1, 1, -1, 1));
    GCK("broadcast_to (1,3)->(4,3)", op1(g, "broadcast_to", SG_KV("shape", "(4, 3)"), a), gc_shape(2, 1, 3), none(), rg(-1, 1, -1, 1));
    GCK("broadcast_to (2,1,1)->(2,3,4)", op1(g, "broadcast_to", SG_KV("shape", "(2, 3, 4)"), a), gc_shape(3, 2, 1, 1), none(), rg(-1, 1, -1, 1));
    GCK("broadcast_to (1,3,1)->(2,0,4)", op1(g, "broadcast_to", SG_KV("shape", "(2, 0, 4)"), a), gc_shape(3, 1, 3, 1), none(), rg(-1, 1, -1, 1));
    GCK("broadcast_to same", op1(g, "broadcast_to", SG_KV("shape", "(2, 3)"), a), gc_shape(2, 2, 3), none(), rg(-1, 1, -1, 1));
    sg_graph_free(g);
}

SG_TEST(gc_concat_split_slice) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b"), *c = sg_variable(g, "c"), *in[3], *sp;
    sg_shape sc[3];
    static const char *const nm[] = {"a", "b", "c"};
    gc_spec s;
    gc_ranges R = rg(-1, 1, -1, 1);
    in[0] = a; in[1] = b; in[2] = c;
    GCK("Concat dim 1", sg_concat(g, NULL, 2, in, 1), gc_shape(3, 2, 3, 2), gc_shape(3, 2, 1, 2), rg(-1, 1, -1, 1));
    GCK("Concat dim 0", sg_concat(g, NULL, 2, in, 0), gc_shape(2, 1, 3), gc_shape(2, 3, 3), rg(-1, 1, -1, 1));
    GCK("Concat dim -1", sg_concat(g, NULL, 2, in, -1), gc_shape(3, 2, 2, 1), gc_shape(3, 2, 2, 3), rg(-1, 1, -1, 1));
    /* three inputs */
    sc[0] = gc_shape(2, 2, 1); sc[1] = gc_shape(2, 2, 3); sc[2] = gc_shape(2, 2, 2);
    memset(&s, 0, sizeof s);
    s.name = "Concat of 3"; s.g = g; s.sym = sg_concat(g, NULL, 3, in, 1); s.nshapes = 3; s.names = nm; s.shapes = sc;
    s.lo = -1; s.hi = 1; s.init = gc_init; s.user = &R;
    CHECK(gc_run(&s));
    GCK("SliceChannel 3 axis 1", sg_op(g, "SliceChannel", NULL, SG_KV("num_outputs", "3"), 1, &a, NULL), gc_shape(3, 2, 6, 2), none(), rg(-1, 1, -1, 1));
    GCK("SliceChannel 2 axis -1", sg_op(g, "SliceChannel", NULL, SG_KV("num_outputs", "2", "axis", "-1"), 1, &a, NULL), gc_shape(3, 2, 3, 4), none(), rg(-1, 1, -1, 1));
    GCK("SliceChannel squeeze", sg_op(g, "SliceChannel", NULL, SG_KV("num_outputs", "3", "axis", "0", "squeeze_axis", "True"), 1, &a, NULL), gc_shape(3, 3, 2, 2), none(), rg(-1, 1, -1, 1));
    GCK("split squeeze -2", sg_op(g, "split", NULL, SG_KV("num_outputs", "2", "axis", "-2", "squeeze_axis", "1"), 1, &a, NULL), gc_shape(3, 3, 2, 2), none(), rg(-1, 1, -1, 1));
    /* only one output used: the others' gradients are zero */
    sp = sg_op(g, "SliceChannel", NULL, SG_KV("num_outputs", "3", "axis", "1"), 1, &a, NULL);
    GCK("SliceChannel output 1 only", sg_mul_scalar(g, sg_get_output(g, sp, 1), "3"), gc_shape(2, 2, 6), none(), rg(-1, 1, -1, 1));
    GCK("slice_axis 1 [1, 3)", op1(g, "slice_axis", SG_KV("axis", "1", "begin", "1", "end", "3"), a), gc_shape(3, 2, 4, 3), none(), rg(-1, 1, -1, 1));
    GCK("slice_axis -1 [-2, None)", op1(g, "slice_axis", SG_KV("axis", "-1", "begin", "-2", "end", "None"), a), gc_shape(3, 2, 3, 4), none(), rg(-1, 1, -1, 1));
    GCK("slice_axis 0 [0, -1)", op1(g, "slice_axis", SG_KV("axis", "0", "begin", "0", "end", "-1"), a), gc_shape(2, 4, 3), none(), rg(-1, 1, -1, 1));
    sg_graph_free(g);
}

SG_TEST(gc_reduce) {
    static const char *const ops[] = {"sum", "mean", "max", "min"};
    static const char *const v[][3] = {{NULL, "False", "False"}, {"(1,)", "False", "False"}, {"(1,)", "True", "False"},
                                       {"(0, 2)", "False", "False"}, {"(-1,)", "True", "False"}, {"1", "False", "True"},
                                       {"(0, 2)", "True", "True"}, {"()", "True", "False"}};
    int i, j;
    for (i = 0; i < 4; i++)
        for (j = 0; j < (int)(sizeof v / sizeof v[0]); j++) {
            sg_graph *g = sg_graph_create();
            sg_symbol *a = sg_variable(g, "a");
            const char *kv[7];
            int q = 0;
            char what[80];
            if (v[j][0]) { kv[q++] = "axis"; kv[q++] = v[j][0]; }
            kv[q++] = "keepdims"; kv[q++] = v[j][1];
            kv[q++] = "exclude"; kv[q++] = v[j][2];
            kv[q] = NULL;
            snprintf(what, sizeof what, "%s axis=%s keepdims=%s exclude=%s", ops[i], v[j][0] ? v[j][0] : "None", v[j][1], v[j][2]);
            GCK(what, op1(g, ops[i], kv, a), gc_shape(3, 2, 3, 4), none(), rg(-1, 1, -1, 1));
            sg_graph_free(g);
        }
}

SG_TEST(gc_add_n_smooth_l1) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b"), *c = sg_variable(g, "c"), *in[3];
    sg_shape sc[3];
    static const char *const nm[] = {"a", "b", "c"};
    gc_spec s;
    gc_ranges R = rg(-1, 1, -1, 1);
    double k1[2] = {-1, 1}, k2[2] = {-0.25, 0.25};
    in[0] = a; in[1] = b; in[2] = c;
    GCK("add_n of 2", sg_op(g, "add_n", NULL, SG_KV("num_args", "2"), 2, in, NULL), gc_shape(2, 3, 4), gc_shape(2, 3, 4), rg(-1, 1, -1, 1));
    sc[0] = gc_shape(2, 3, 4); sc[1] = sc[0]; sc[2] = sc[0];
    memset(&s, 0, sizeof s);
    s.name = "ElementWiseSum of 3"; s.g = g; s.sym = sg_op(g, "ElementWiseSum", NULL, SG_KV("num_args", "3"), 3, in, NULL);
    s.nshapes = 3; s.names = nm; s.shapes = sc; s.lo = -1; s.hi = 1; s.init = gc_init; s.user = &R;
    CHECK(gc_run(&s));
    GCK("smooth_l1 sigma 1", op1(g, "smooth_l1", SG_KV("scalar", "1.0"), a), gc_shape(2, 4, 5), none(), rg_avoid(-2.5, 2.5, 0.02, 2, k1));
    GCK("smooth_l1 sigma 2", op1(g, "smooth_l1", SG_KV("scalar", "2"), a), gc_shape(2, 4, 5), none(), rg_avoid(-1, 1, 0.02, 2, k2));
    sg_graph_free(g);
}

/* ------------------------------------------------------- executor-level tests */

/* The seed example: (A*B) + (C*D) with A=1, B=2, C=3, D=4 is 14 in int32, and
 * the int32 backward gives dA = B, dB = A, dC = D, dD = C. */
static void seed_abcd(int dtype, const double *vals, double want) {
    sg_graph *g = sg_graph_create();
    sg_symbol *A = sg_variable(g, "A"), *B = sg_variable(g, "B"), *C = sg_variable(g, "C"), *D = sg_variable(g, "D");
    sg_symbol *ab = sg_mul(g, A, B), *cd = sg_mul(g, C, D), *e = sg_add(g, ab, cd);
    static const char *const names[] = {"A", "B", "C", "D"};
    sg_shape s[4];
    int dt[4], i, n;
    sg_executor *ex = NULL;
    sg_ndarray *const *outs, *og;
    int64_t one = 1;
    for (i = 0; i < 4; i++) { s[i] = gc_shape(1, 1); dt[i] = dtype; }
    CHECK(e != NULL);
    CHECK_INT(sg_simple_bind(g, e, SG_CPU, 4, names, s, dt, SG_REQ_WRITE, &ex), SG_OK);
    if (!ex) { printf("  %s\n", sg_graph_error(g)); sg_graph_free(g); return; }
    for (i = 0; i < 4; i++) sg_nd_set(sg_executor_arg(ex, names[i]), 0, vals[i]);
    CHECK_INT(sg_forward(ex, 1), SG_OK);
    sg_executor_outputs(ex, &outs, &n);
    CHECK_INT(n, 1);
    CHECK_INT(outs[0]->dtype, dtype);
    CHECK_NEAR(sg_nd_get(outs[0], 0), want, 1e-12);
    og = sg_nd_full(1, &one, dtype, 1.0);
    CHECK_INT(sg_backward(ex, 1, &og), SG_OK);
    CHECK_NEAR(sg_nd_get(sg_executor_grad(ex, "A"), 0), vals[1], 1e-12);
    CHECK_NEAR(sg_nd_get(sg_executor_grad(ex, "B"), 0), vals[0], 1e-12);
    CHECK_NEAR(sg_nd_get(sg_executor_grad(ex, "C"), 0), vals[3], 1e-12);
    CHECK_NEAR(sg_nd_get(sg_executor_grad(ex, "D"), 0), vals[2], 1e-12);
    sg_nd_free(og);
    sg_executor_free(ex);
    sg_graph_free(g);
}
SG_TEST(seed_int32_example) {
    static const double v1[] = {1, 2, 3, 4}, v2[] = {1.5, 2.25, -3, 0.5};
    seed_abcd(SG_INT32, v1, 14);
    seed_abcd(SG_FLOAT64, v1, 14);
    seed_abcd(SG_FLOAT64, v2, 1.5 * 2.25 - 1.5);
    seed_abcd(SG_FLOAT32, v1, 14);
}

/* Bind s with one argument "a" of dtype and shape (n,), set values, forward,
 * backward with ones; outputs 0 and the gradient of a into y and da. */
static int run_a(sg_graph *g, sg_symbol *s, int dtype, int n, const double *a, double *y, double *da) {
    static const char *const names[] = {"a"};
    sg_shape sh = gc_shape(1, n);
    sg_executor *ex = NULL;
    sg_ndarray *const *outs, *og;
    int i, no, ok = 1;
    if (sg_simple_bind(g, s, SG_CPU, 1, names, &sh, &dtype, SG_REQ_WRITE, &ex) != SG_OK) { printf("  %s\n", sg_graph_error(g)); return 0; }
    for (i = 0; i < n; i++) sg_nd_set(sg_executor_arg(ex, "a"), i, a[i]);
    if (sg_forward(ex, 1) != SG_OK) { printf("  %s\n", sg_executor_error(ex)); sg_executor_free(ex); return 0; }
    sg_executor_outputs(ex, &outs, &no);
    for (i = 0; i < (int)outs[0]->size; i++) y[i] = sg_nd_get(outs[0], i);
    og = sg_nd_full(outs[0]->shape.ndim, outs[0]->shape.dims, outs[0]->dtype, 1.0);
    if (sg_backward(ex, 1, &og) != SG_OK) { printf("  %s\n", sg_executor_error(ex)); ok = 0; }
    for (i = 0; i < n; i++) da[i] = sg_nd_get(sg_executor_grad(ex, "a"), i);
    sg_nd_free(og);
    sg_executor_free(ex);
    return ok;
}
SG_TEST(duplicate_inputs) {
    static const int dts[] = {SG_FLOAT32, SG_FLOAT64, SG_INT32};
    int t;
    for (t = 0; t < 3; t++) {
        sg_graph *g = sg_graph_create();
        sg_symbol *a = sg_variable(g, "a");
        double av[3] = {1, 2, -3}, y[3], da[3], two = 2;
        int i;
        /* a*a: the two input gradients are summed: 2a (test_binary_op_duplicate_input) */
        CHECK(run_a(g, sg_mul(g, a, a), dts[t], 3, av, y, da));
        for (i = 0; i < 3; i++) { CHECK_NEAR(y[i], av[i] * av[i], 1e-12); CHECK_NEAR(da[i], 2 * av[i], 1e-12); }
        /* a + a*a at a = 2: forward 6, gradient 1 + 2a = 5 */
        CHECK(run_a(g, sg_add(g, a, sg_mul(g, a, a)), dts[t], 1, &two, y, da));
        CHECK_NEAR(y[0], 6, 1e-12);
        CHECK_NEAR(da[0], 5, 1e-12);
        sg_graph_free(g);
    }
    { /* more duplicate shapes through the gradient checker */
        sg_graph *g = sg_graph_create();
        sg_symbol *a = sg_variable(g, "a"), *in[3];
        in[0] = a; in[1] = a; in[2] = a;
        GCK("a*a", sg_mul(g, a, a), gc_shape(2, 3, 4), none(), rg(-1, 1, -1, 1));
        GCK("a + a*a", sg_add(g, a, sg_mul(g, a, a)), gc_shape(2, 3, 4), none(), rg(-1, 1, -1, 1));
        GCK("a / a + a - a", sg_add(g, sg_div(g, a, a), sg_sub(g, a, a)), gc_shape(1, 5), none(), rg(0.5, 2, 0.5, 2));
        GCK("a ** a", sg_pow(g, a, a), gc_shape(1, 5), none(), rg(0.5, 2, 0.5, 2));
        GCK("broadcast_mul(a, a)", op2(g, "broadcast_mul", NULL, a, a), gc_shape(2, 3, 4), none(), rg(-1, 1, -1, 1));
        GCK("dot(a, a)", op2(g, "dot", NULL, a, a), gc_shape(2, 3, 3), none(), rg(-1, 1, -1, 1));
        GCK("dot(a, a^T)", op2(g, "dot", SG_KV("transpose_b", "True"), a, a), gc_shape(2, 3, 4), none(), rg(-1, 1, -1, 1));
        GCK("batch_dot(a, a, ta)", op2(g, "batch_dot", SG_KV("transpose_a", "True"), a, a), gc_shape(3, 2, 3, 4), none(), rg(-1, 1, -1, 1));
        GCK("add_n(a, a, a)", sg_op(g, "add_n", NULL, SG_KV("num_args", "3"), 3, in, NULL), gc_shape(2, 2, 3), none(), rg(-1, 1, -1, 1));
        GCK("Concat(a, a)", sg_concat(g, NULL, 2, in, 0), gc_shape(2, 2, 3), none(), rg(-1, 1, -1, 1));
        GCK("_maximum(a, a*0.5)", op2(g, "_maximum", NULL, a, sg_mul_scalar(g, a, "0.5")), gc_shape(1, 6), none(), rg(0.2, 1, 0.2, 1));
        sg_graph_free(g);
    }
}

/* _zeros / _ones: no inputs, no gradient; a 0 in shape is filled by inference. */
SG_TEST(init_ops) {
    static const int dts[] = {SG_FLOAT32, SG_FLOAT64};
    int t, i;
    for (t = 0; t < 2; t++) {
        sg_graph *g = sg_graph_create();
        sg_symbol *a = sg_variable(g, "a");
        const char *dn = sg_dtype_name(dts[t]);
        sg_symbol *ones = sg_op(g, "_ones", NULL, SG_KV("shape", "(3,)", "dtype", dn), 0, NULL, NULL);
        sg_symbol *zeros = sg_op(g, "_zeros", NULL, SG_KV("shape", "(0,)", "dtype", dn), 0, NULL, NULL);
        double av[3] = {1.5, -2, 3}, y[3], da[3];
        CHECK(run_a(g, sg_add(g, sg_mul(g, sg_mul_scalar(g, ones, "2"), a), zeros), dts[t], 3, av, y, da));
        for (i = 0; i < 3; i++) { CHECK_NEAR(y[i], 2 * av[i], 0); CHECK_NEAR(da[i], 2, 0); }
        sg_graph_free(g);
    }
}

/* BlockGrad: identity forward, no gradient through it; its kernel writes zeros per req. */
SG_TEST(blockgrad) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *bg = op1(g, "BlockGrad", NULL, a);
    double av[3] = {1, -2, 3}, y[3], da[3];
    const sg__opdef *op = sg__op_lookup("stop_gradient");
    int i;
    CHECK(run_a(g, sg_add(g, sg_mul_scalar(g, a, "2"), bg), SG_FLOAT32, 3, av, y, da));
    for (i = 0; i < 3; i++) { CHECK_NEAR(y[i], 3 * av[i], 1e-6); CHECK_NEAR(da[i], 2, 1e-6); }
    CHECK(op != NULL && op->backward != NULL);
    if (op && op->backward) {
        int64_t d3 = 3;
        sg_ndarray *x = sg_nd_ones(1, &d3, SG_FLOAT32), *gx = sg_nd_full(1, &d3, SG_FLOAT32, 7), *og = sg_nd_ones(1, &d3, SG_FLOAT32);
        sg_ndarray *ins[1], *ogs[1], *igs[1];
        int req = SG_REQ_ADD;
        sg__kctx k;
        memset(&k, 0, sizeof k);
        k.g = g;
        ins[0] = x; ogs[0] = og; igs[0] = gx;
        CHECK_INT(op->backward(&k, head_node(bg), ogs, ins, ins, igs, &req), SG_OK);
        CHECK_NEAR(sg_nd_get(gx, 1), 7, 0); /* add: unchanged */
        req = SG_REQ_WRITE;
        CHECK_INT(op->backward(&k, head_node(bg), ogs, ins, ins, igs, &req), SG_OK);
        for (i = 0; i < 3; i++) CHECK_NEAR(sg_nd_get(gx, i), 0, 0);
        sg_nd_free(x); sg_nd_free(gx); sg_nd_free(og);
    }
    sg_graph_free(g);
}

/* SliceChannel's backward with a NULL output gradient treats it as zeros. */
SG_TEST(slicechannel_null_og) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a");
    sg_symbol *sp = sg_op(g, "SliceChannel", NULL, SG_KV("num_outputs", "3", "axis", "-1"), 1, &a, NULL);
    int64_t dx[2] = {2, 3}, dy[2] = {2, 1};
    sg_ndarray *x = sg_nd_zeros(2, dx, SG_FLOAT64), *gx = sg_nd_full(2, dx, SG_FLOAT64, 9), *o[3], *og[3];
    int req = SG_REQ_WRITE, i;
    sg__kctx k;
    memset(&k, 0, sizeof k);
    k.g = g;
    for (i = 0; i < 3; i++) { o[i] = sg_nd_zeros(2, dy, SG_FLOAT64); og[i] = i == 1 ? NULL : sg_nd_full(2, dy, SG_FLOAT64, i + 1); }
    /* output 1 gets no gradient (og[1] NULL) */
    CHECK(sp != NULL);
    CHECK_INT(sg__op_lookup("SliceChannel")->backward(&k, head_node(sp), og, &x, o, &gx, &req), SG_OK);
    /* gx rows: [1, 0, 3] */
    for (i = 0; i < 2; i++) {
        CHECK_NEAR(sg_nd_get(gx, i * 3 + 0), 1, 0);
        CHECK_NEAR(sg_nd_get(gx, i * 3 + 1), 0, 0);
        CHECK_NEAR(sg_nd_get(gx, i * 3 + 2), 3, 0);
    }
    req = SG_REQ_ADD;
    CHECK_INT(sg__op_lookup("SliceChannel")->backward(&k, head_node(sp), og, &x, o, &gx, &req), SG_OK);
    CHECK_NEAR(sg_nd_get(gx, 0), 2, 0);
    CHECK_NEAR(sg_nd_get(gx, 1), 0, 0);
    for (i = 0; i < 3; i++) { sg_nd_free(o[i]); if (i != 1) sg_nd_free(og[i]); }
    sg_nd_free(x);
    sg_nd_free(gx);
    sg_graph_free(g);
}

/* The in-place operators read x[i] before writing y[i]: each kernel called with
 * out == in gives what it gives out of place. */
SG_TEST(in_place_kernels) {
    static const struct { const char *op; const char *const *kv; } c[] = {
        {"relu", NULL}, {"sigmoid", NULL}, {"tanh", NULL}, {"sin", NULL}, {"cos", NULL}, {"exp", NULL},
        {"square", NULL}, {"abs", NULL}, {"negative", NULL}, {"Flatten", NULL}, {"_copy", NULL}, {"BlockGrad", NULL}};
    static const char *const sc[] = {"_plus_scalar", "_rminus_scalar", "_mul_scalar", "_rdiv_scalar", "_power_scalar",
                                      "_rpower_scalar", "_maximum_scalar", "_lesser_scalar"};
    int i, t, j;
    for (t = 0; t < 2; t++) {
        int dt = t ? SG_FLOAT64 : SG_FLOAT32;
        for (i = 0; i < (int)(sizeof c / sizeof c[0]) + (int)(sizeof sc / sizeof sc[0]) + 1; i++) {
            sg_graph *g = sg_graph_create();
            sg_symbol *a = sg_variable(g, "a"), *s;
            int64_t d = 7;
            sg_ndarray *x = sg_nd_zeros(1, &d, dt), *y = sg_nd_zeros(1, &d, dt), *x2;
            sg__kctx k;
            const char *nm;
            memset(&k, 0, sizeof k);
            k.g = g;
            if (i < (int)(sizeof c / sizeof c[0])) { nm = c[i].op; s = op1(g, nm, c[i].kv, a); }
            else if (i < (int)(sizeof c / sizeof c[0] + sizeof sc / sizeof sc[0])) { nm = sc[i - (int)(sizeof c / sizeof c[0])]; s = op1(g, nm, SG_KV("scalar", "1.5"), a); }
            else { nm = "clip"; s = op1(g, nm, SG_KV("a_min", "-0.5", "a_max", "0.5"), a); }
            for (j = 0; j < 7; j++) sg_nd_set(x, j, 0.3 * j - 0.9 + (j == 3 ? 0.01 : 0));
            x2 = sg_nd_copy(x);
            CHECK(s != NULL);
            CHECK_INT(head_node(s)->op->forward(&k, head_node(s), &x, &y), SG_OK);
            CHECK_INT(head_node(s)->op->forward(&k, head_node(s), &x2, &x2), SG_OK); /* in place */
            for (j = 0; j < 7; j++)
                CHECK_MSG(sg_nd_get(x2, j) == sg_nd_get(y, j) || (isnan(sg_nd_get(x2, j)) && isnan(sg_nd_get(y, j))), "%s in place [%d]: %g vs %g", nm, j, sg_nd_get(x2, j), sg_nd_get(y, j));
            sg_nd_free(x); sg_nd_free(x2); sg_nd_free(y);
            sg_graph_free(g);
        }
    }
}

/* The executor's plan runs chains of in-place ops in one buffer; the results
 * equal those of a bind without planning. */
SG_TEST(planned_equals_unplanned) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b");
    sg_symbol *t = sg_mul_scalar(g, op1(g, "tanh", NULL, sg_add_scalar(g, a, "0.5")), "2");
    sg_symbol *u = op1(g, "clip", SG_KV("a_min", "-1", "a_max", "1"), op1(g, "sin", NULL, sg_mul(g, t, b)));
    sg_symbol *e = op1(g, "sum", SG_KV("axis", "1"), op1(g, "Flatten", NULL, sg_rpow_scalar(g, u, "2")));
    sg_ndarray *args[2], *grads[2], *og;
    sg_executor *ex[2];
    int64_t d[3] = {2, 3, 4};
    int p, i;
    sg_rng r;
    size_t planned = 0, unplanned = 0;
    double out[2][2], ga[2][24];
    sg_rng_seed(&r, 5);
    args[0] = sg_nd_zeros(3, d, SG_FLOAT32);
    args[1] = sg_nd_zeros(3, d, SG_FLOAT32);
    sg_nd_random_uniform(args[0], -1, 1, &r);
    sg_nd_random_uniform(args[1], -1, 1, &r);
    grads[0] = sg_nd_zeros(3, d, SG_FLOAT32);
    grads[1] = sg_nd_zeros(3, d, SG_FLOAT32);
    og = sg_nd_ones(1, d, SG_FLOAT32);
    for (p = 0; p < 2; p++) {
        sg_bind_desc bd;
        sg_ndarray *const *outs;
        int no;
        memset(&bd, 0, sizeof bd);
        bd.nargs = 2; bd.args = args; bd.ngrads = 2; bd.grads = grads; bd.no_plan = p;
        CHECK_INT(sg_bind(g, e, SG_CPU, &bd, &ex[p]), SG_OK);
        if (!ex[p]) { printf("  %s\n", sg_graph_error(g)); break; }
        CHECK_INT(sg_forward(ex[p], 1), SG_OK);
        sg_executor_outputs(ex[p], &outs, &no);
        for (i = 0; i < 2; i++) out[p][i] = sg_nd_get(outs[0], i);
        CHECK_INT(sg_backward(ex[p], 1, &og), SG_OK);
        for (i = 0; i < 24; i++) ga[p][i] = sg_nd_get(grads[0], i);
        if (!p) sg_executor_memory(ex[p], &planned, &unplanned);
        sg_executor_free(ex[p]);
    }
    CHECK(planned < unplanned);
    for (i = 0; i < 2; i++) CHECK(out[0][i] == out[1][i]);
    for (i = 0; i < 24; i++) CHECK(ga[0][i] == ga[1][i]);
    sg_nd_free(args[0]); sg_nd_free(args[1]); sg_nd_free(grads[0]); sg_nd_free(grads[1]); sg_nd_free(og);
    sg_graph_free(g);
}

/* Unsupported dtypes are errors that name the operator, never crashes. */
static void dtype_error(const char *op, const char *const *kv, int nin, int dtype, sg_shape sh) {
    sg_graph *g = sg_graph_create();
    sg_symbol *v[2], *y;
    static const char *const names[] = {"a", "b"};
    sg_shape s[2];
    int dt[2], st;
    sg_executor *ex = NULL;
    v[0] = sg_variable(g, "a");
    v[1] = sg_variable(g, "b");
    s[0] = s[1] = sh;
    dt[0] = dt[1] = dtype;
    y = sg_op(g, op, NULL, kv, nin, v, NULL);
    CHECK(y != NULL);
    st = sg_simple_bind(g, y, SG_CPU, nin, names, s, dt, SG_REQ_NULL, &ex);
    if (st == SG_OK) {
        st = sg_forward(ex, 0);
        CHECK_MSG(st == SG_ERR_UNSUPPORTED, "%s on %s: status %d", op, sg_dtype_name(dtype), st);
        CHECK_MSG(strstr(sg_executor_error(ex), op) && strstr(sg_executor_error(ex), "not supported"), "%s: %s", op, sg_executor_error(ex));
    } else {
        CHECK_MSG(st == SG_ERR_TYPE, "%s bind: %s", op, sg_graph_error(g));
    }
    sg_executor_free(ex);
    sg_graph_free(g);
}
SG_TEST(dtype_errors) {
    dtype_error("relu", NULL, 1, SG_INT64, gc_shape(2, 3, 3));
    dtype_error("exp", NULL, 1, SG_FLOAT16, gc_shape(2, 3, 3));
    dtype_error("broadcast_add", NULL, 2, SG_INT64, gc_shape(2, 3, 3));
    dtype_error("elemwise_mul", NULL, 2, SG_INT64, gc_shape(2, 3, 3));
    dtype_error("elemwise_add", NULL, 2, SG_FLOAT16, gc_shape(2, 3, 3));
    dtype_error("_mul_scalar", SG_KV("scalar", "2"), 1, SG_UINT8, gc_shape(2, 3, 3));
    dtype_error("dot", NULL, 2, SG_INT8, gc_shape(2, 3, 3));
    dtype_error("sum", NULL, 1, SG_UINT8, gc_shape(2, 3, 3));
    dtype_error("clip", SG_KV("a_min", "0", "a_max", "1"), 1, SG_INT8, gc_shape(2, 3, 3));
    dtype_error("smooth_l1", NULL, 1, SG_FLOAT16, gc_shape(2, 3, 3));
    dtype_error("batch_dot", NULL, 2, SG_INT64, gc_shape(3, 2, 3, 3));
}

/* int32 paths beyond the seed: dot (MXNet's CPU dot rejects int32; we compute
 * it with wrap-around), scalar ops with backward, Cast to and from int32. */
SG_TEST(int32_paths) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b");
    static const char *const names[] = {"a", "b"};
    sg_shape s[2];
    int dt[2] = {SG_INT32, SG_INT32}, i, no;
    sg_executor *ex = NULL;
    sg_ndarray *const *outs, *og;
    static const int A[6] = {1, 2, 3, 4, 5, 6}, B[6] = {7, -8, 9, 10, 11, -12};
    s[0] = gc_shape(2, 2, 3);
    s[1] = gc_shape(2, 3, 2);
    CHECK_INT(sg_simple_bind(g, op2(g, "dot", NULL, a, b), SG_CPU, 2, names, s, dt, SG_REQ_WRITE, &ex), SG_OK);
    if (ex) {
        for (i = 0; i < 6; i++) { sg_nd_set(sg_executor_arg(ex, "a"), i, A[i]); sg_nd_set(sg_executor_arg(ex, "b"), i, B[i]); }
        CHECK_INT(sg_forward(ex, 1), SG_OK);
        sg_executor_outputs(ex, &outs, &no);
        CHECK_INT(outs[0]->dtype, SG_INT32);
        /* [[1,2,3],[4,5,6]] x [[7,-8],[9,10],[11,-12]] = [[58,-24],[139,-54]] */
        CHECK_INT(sg_nd_get(outs[0], 0), 58);
        CHECK_INT(sg_nd_get(outs[0], 1), -24);
        CHECK_INT(sg_nd_get(outs[0], 2), 139);
        CHECK_INT(sg_nd_get(outs[0], 3), -54);
        og = sg_nd_ones(2, outs[0]->shape.dims, SG_INT32);
        CHECK_INT(sg_backward(ex, 1, &og), SG_OK);
        /* da = og . b^T: rows [7-8, 9+10, 11-12] = [-1, 19, -1] */
        CHECK_INT(sg_nd_get(sg_executor_grad(ex, "a"), 0), -1);
        CHECK_INT(sg_nd_get(sg_executor_grad(ex, "a"), 1), 19);
        CHECK_INT(sg_nd_get(sg_executor_grad(ex, "a"), 5), -1);
        /* db = a^T . og: row i = a[0][i] + a[1][i] = 5, 7, 9 */
        CHECK_INT(sg_nd_get(sg_executor_grad(ex, "b"), 0), 5);
        CHECK_INT(sg_nd_get(sg_executor_grad(ex, "b"), 5), 9);
        sg_nd_free(og);
        sg_executor_free(ex);
    }
    { /* int32 scalar op backward: d(3 - 2.5 * a)/da with the scalar truncated to 2 */
        double av[3] = {1, -4, 7}, y[3], da[3];
        CHECK(run_a(g, sg_rsub_scalar(g, sg_mul_scalar(g, a, "2.5"), "3"), SG_INT32, 3, av, y, da));
        for (i = 0; i < 3; i++) { CHECK_NEAR(y[i], 3 - 2 * av[i], 0); CHECK_NEAR(da[i], -2, 0); }
        /* is_int False: float64 output, float64 gradient cast back to int32 (truncated) */
        CHECK(run_a(g, sg_op(g, "_mul_scalar", NULL, SG_KV("scalar", "2.5", "is_int", "False"), 1, &a, NULL), SG_INT32, 3, av, y, da));
        for (i = 0; i < 3; i++) { CHECK_NEAR(y[i], 2.5 * av[i], 0); CHECK_NEAR(da[i], 2, 0); }
        /* Cast int32 -> float32 -> int32 */
        CHECK(run_a(g, sg_cast(g, NULL, sg_mul_scalar(g, sg_cast(g, NULL, a, "float32"), "0.5"), "int32"), SG_INT32, 3, av, y, da));
        CHECK_NEAR(y[0], 0, 0);
        CHECK_NEAR(y[1], -2, 0);
        CHECK_NEAR(y[2], 3, 0);
        for (i = 0; i < 3; i++) CHECK_NEAR(da[i], 0, 0); /* 0.5 truncated when cast back to int32 */
    }
    sg_graph_free(g);
}

/* Forward and backward allocate nothing: every kernel of this file in one graph. */
SG_TEST(no_allocation_in_kernels) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b"), *t, *in[3], *sp, *e;
    static const char *const names[] = {"a", "b"};
    sg_shape s[2];
    sg_executor *ex = NULL;
    sg_ndarray *og;
    int64_t one = 1;
    long before;
    s[0] = gc_shape(2, 3, 4);
    s[1] = gc_shape(2, 4, 3);
    t = op2(g, "dot", NULL, a, b);                                            /* (3,3) */
    t = op2(g, "broadcast_mul", NULL, t, op1(g, "sum", SG_KV("axis", "0", "keepdims", "True"), t));
    t = sg_add(g, sg_mul(g, t, op1(g, "transpose", NULL, t)), sg_div_scalar(g, op1(g, "sigmoid", NULL, t), "2"));
    t = op1(g, "clip", SG_KV("a_min", "-3", "a_max", "3"), op1(g, "smooth_l1", SG_KV("scalar", "1.5"), t));
    in[0] = t; in[1] = op1(g, "broadcast_to", SG_KV("shape", "(3, 3)"), op1(g, "max", SG_KV("axis", "1", "keepdims", "True"), t));
    in[2] = op1(g, "Cast", SG_KV("dtype", "float32"), op1(g, "Cast", SG_KV("dtype", "float64"), t));
    t = sg_concat(g, NULL, 3, in, 1);                                         /* (3,9) */
    sp = sg_op(g, "SliceChannel", NULL, SG_KV("num_outputs", "3", "axis", "1"), 1, &t, NULL);
    in[0] = sg_get_output(g, sp, 0); in[1] = sg_get_output(g, sp, 2);
    in[2] = op1(g, "slice_axis", SG_KV("axis", "1", "begin", "3", "end", "6"), t);
    t = sg_op(g, "add_n", NULL, SG_KV("num_args", "3"), 3, in, NULL);
    t = op2(g, "batch_dot", NULL, op1(g, "expand_dims", SG_KV("axis", "0"), t), op1(g, "Reshape", SG_KV("shape", "(1, 3, 3)"), t));
    e = op1(g, "mean", NULL, op1(g, "Flatten", NULL, sg_add(g, t, sg_op(g, "_ones", NULL, SG_KV("shape", "(1, 3, 3)"), 0, NULL, NULL))));
    CHECK(e != NULL);
    CHECK_INT(sg_simple_bind(g, e, SG_CPU, 2, names, s, NULL, SG_REQ_WRITE, &ex), SG_OK);
    if (!ex) { printf("  %s\n", sg_graph_error(g)); sg_graph_free(g); return; }
    sg_nd_fill(sg_executor_arg(ex, "a"), 0.1);
    sg_nd_fill(sg_executor_arg(ex, "b"), -0.2);
    og = sg_nd_ones(1, &one, SG_FLOAT32);
    before = t_allocs;
    CHECK_INT(sg_forward(ex, 1), SG_OK);
    CHECK_INT(sg_backward(ex, 1, &og), SG_OK);
    CHECK_INT(t_allocs, before);
    sg_nd_free(og);
    sg_executor_free(ex);
    sg_graph_free(g);
}

/* grad_req write overwrites whatever the gradient arrays hold (a second
 * backward gives the same gradients), and add accumulates onto them. The
 * arguments feed each operator directly (their gradients are the kernels' ig)
 * and through an elementwise step (ig is then an internal buffer). */
static int req_check(const char *what, sg_graph *g, sg_symbol *s, int n, const sg_shape *shapes) {
    static const char *const names[] = {"a", "b", "c"};
    sg_executor *ex = NULL, *ex2 = NULL;
    sg_ndarray *const *args, *const *grads, *const *outs;
    sg_ndarray *og[8], *g1[3], *acc[3];
    int na, no, i, ok = 1, reqs[3] = {SG_REQ_ADD, SG_REQ_ADD, SG_REQ_ADD};
    int64_t q;
    sg_rng r;
    sg_bind_desc d;
    memset(og, 0, sizeof og);
    memset(g1, 0, sizeof g1);
    memset(acc, 0, sizeof acc);
    sg_rng_seed(&r, 99);
    if (!s || sg_simple_bind(g, s, SG_CPU, n, names, shapes, NULL, SG_REQ_WRITE, &ex) != SG_OK) {
        printf("  %s: %s\n", what, sg_graph_error(g));
        return 0;
    }
    sg_executor_arrays(ex, SG_ARGS, &args, &na);
    sg_executor_arrays(ex, SG_GRADS, &grads, &na);
    for (i = 0; i < na; i++) {
        sg_nd_random_uniform(args[i], 0.5, 1.5, &r);
        sg_nd_fill(grads[i], 123); /* stale values that write must replace */
    }
    sg_forward(ex, 1);
    sg_executor_outputs(ex, &outs, &no);
    for (i = 0; i < no && i < 8; i++) {
        og[i] = sg_nd_zeros(outs[i]->shape.ndim, outs[i]->shape.dims, outs[i]->dtype);
        sg_nd_random_uniform(og[i], -1, 1, &r);
    }
    if (sg_backward(ex, no, og) != SG_OK) { printf("  %s: %s\n", what, sg_executor_error(ex)); ok = 0; goto done; }
    for (i = 0; i < na; i++) g1[i] = sg_nd_copy(grads[i]);
    sg_forward(ex, 1);
    sg_backward(ex, no, og);
    for (i = 0; i < na; i++)
        for (q = 0; q < g1[i]->size; q++)
            if (sg_nd_get(grads[i], q) != sg_nd_get(g1[i], q)) {
                printf("  %s: write: second backward gives d%s[%lld] = %g, first %g\n", what, names[i], (long long)q,
                       sg_nd_get(grads[i], q), sg_nd_get(g1[i], q));
                ok = 0;
                goto done;
            }
    /* add: onto 0.25 */
    for (i = 0; i < na; i++) { acc[i] = sg_nd_copy(grads[i]); sg_nd_fill(acc[i], 0.25); }
    memset(&d, 0, sizeof d);
    d.nargs = na; d.args = args; d.ngrads = na; d.grads = acc; d.grad_req = reqs;
    if (sg_bind(g, s, SG_CPU, &d, &ex2) != SG_OK) { printf("  %s: %s\n", what, sg_graph_error(g)); ok = 0; goto done; }
    sg_forward(ex2, 1);
    sg_backward(ex2, no, og);
    for (i = 0; i < na; i++)
        for (q = 0; q < g1[i]->size; q++)
            if (fabs(sg_nd_get(acc[i], q) - (0.25 + sg_nd_get(g1[i], q))) > 1e-5 * (1 + fabs(sg_nd_get(g1[i], q)))) {
                printf("  %s: add: d%s[%lld] = %g, want 0.25 + %g\n", what, names[i], (long long)q, sg_nd_get(acc[i], q),
                       sg_nd_get(g1[i], q));
                ok = 0;
                goto done;
            }
done:
    for (i = 0; i < 8; i++) sg_nd_free(og[i]);
    for (i = 0; i < 3; i++) { sg_nd_free(g1[i]); sg_nd_free(acc[i]); }
    sg_executor_free(ex2);
    sg_executor_free(ex);
    return ok;
}
SG_TEST(grad_req_write_and_add) {
    static const struct { const char *op; int nin; const char *k1, *v1, *k2, *v2; int na, da[3], nb, db[3]; } c[] = {
        {"elemwise_mul", 2, NULL, NULL, NULL, NULL, 2, {2, 3}, 2, {2, 3}},
        {"_power", 2, NULL, NULL, NULL, NULL, 2, {2, 3}, 2, {2, 3}},
        {"_maximum", 2, NULL, NULL, NULL, NULL, 2, {2, 3}, 2, {2, 3}},
        {"_greater", 2, NULL, NULL, NULL, NULL, 2, {2, 3}, 2, {2, 3}},
        {"_rdiv_scalar", 1, "scalar", "2", NULL, NULL, 2, {2, 3}, 0, {0}},
        {"_lesser_scalar", 1, "scalar", "1", NULL, NULL, 2, {2, 3}, 0, {0}},
        {"broadcast_div", 2, NULL, NULL, NULL, NULL, 3, {2, 1, 3}, 2, {4, 1}},
        {"broadcast_add", 2, NULL, NULL, NULL, NULL, 2, {2, 3}, 2, {2, 3}},
        {"dot", 2, "transpose_a", "True", NULL, NULL, 2, {3, 2}, 2, {3, 4}},
        {"dot", 2, NULL, NULL, NULL, NULL, 1, {3}, 1, {3}},
        {"batch_dot", 2, "transpose_b", "True", NULL, NULL, 3, {2, 2, 3}, 3, {2, 4, 3}},
        {"sqrt", 1, NULL, NULL, NULL, NULL, 2, {2, 3}, 0, {0}},
        {"clip", 1, "a_min", "0.7", "a_max", "1.2", 2, {2, 3}, 0, {0}},
        {"Cast", 1, "dtype", "float64", NULL, NULL, 2, {2, 3}, 0, {0}},
        {"Reshape", 1, "shape", "(-1,)", NULL, NULL, 2, {2, 3}, 0, {0}},
        {"transpose", 1, "axes", "(1, 0, 2)", NULL, NULL, 3, {2, 3, 2}, 0, {0}},
        {"broadcast_to", 1, "shape", "(2, 3, 4)", NULL, NULL, 3, {2, 1, 4}, 0, {0}},
        {"Concat", 2, "num_args", "2", "dim", "1", 2, {2, 3}, 2, {2, 2}},
        {"SliceChannel", 1, "num_outputs", "2", "axis", "1", 2, {2, 4}, 0, {0}},
        {"slice_axis", 1, "axis", "1", "begin", "1", 2, {2, 4}, 0, {0}},
        {"sum", 1, "axis", "1", NULL, NULL, 3, {2, 3, 2}, 0, {0}},
        {"mean", 1, "axis", "(0, 2)", NULL, NULL, 3, {2, 3, 2}, 0, {0}},
        {"max", 1, "axis", "1", "keepdims", "True", 3, {2, 3, 2}, 0, {0}},
        {"min", 1, NULL, NULL, NULL, NULL, 2, {2, 3}, 0, {0}},
        {"add_n", 2, "num_args", "2", NULL, NULL, 2, {2, 3}, 2, {2, 3}},
        {"smooth_l1", 1, "scalar", "1.2", NULL, NULL, 2, {2, 3}, 0, {0}}};
    int i, via;
    for (i = 0; i < (int)(sizeof c / sizeof c[0]); i++)
        for (via = 0; via < 2; via++) {
            sg_graph *g = sg_graph_create();
            sg_symbol *in[2], *s;
            const char *kv[7];
            sg_shape sh[2];
            int q = 0;
            char what[64];
            in[0] = sg_variable(g, "a");
            in[1] = sg_variable(g, "b");
            if (via) { in[0] = sg_mul_scalar(g, in[0], "1.5"); in[1] = sg_add_scalar(g, in[1], "0.5"); }
            if (c[i].k1) { kv[q++] = c[i].k1; kv[q++] = c[i].v1; }
            if (c[i].k2) { kv[q++] = c[i].k2; kv[q++] = c[i].v2; }
            if (!strcmp(c[i].op, "slice_axis")) { kv[q++] = "end"; kv[q++] = "3"; }
            kv[q] = NULL;
            s = sg_op(g, c[i].op, NULL, kv, c[i].nin, in, NULL);
            sh[0] = gc_shape(c[i].na, c[i].da[0], c[i].da[1], c[i].da[2]);
            sh[1] = gc_shape(c[i].nb, c[i].db[0], c[i].db[1], c[i].db[2]);
            snprintf(what, sizeof what, "%s%s", c[i].op, via ? " (internal gradient)" : "");
            CHECK_MSG(req_check(what, g, s, c[i].nin, sh), "grad_req %s", what);
            sg_graph_free(g);
        }
}

int main(void) {
    SG_RUN(ka_binary);
    SG_RUN(ka_scalar);
    SG_RUN(ka_broadcast);
    SG_RUN(ka_dot);
    SG_RUN(ka_unary);
    SG_RUN(ka_clip_cast);
    SG_RUN(ka_int32);
    SG_RUN(ka_nan);
    SG_RUN(ka_shape);
    SG_RUN(ka_reduce);
    SG_RUN(ka_misc);
    SG_RUN(gc_elemwise_binary);
    SG_RUN(gc_scalar);
    SG_RUN(gc_broadcast);
    SG_RUN(gc_dot);
    SG_RUN(gc_batch_dot);
    SG_RUN(gc_unary);
    SG_RUN(gc_clip);
    SG_RUN(gc_cast);
    SG_RUN(gc_copy_likes);
    SG_RUN(gc_transpose_broadcast_to);
    SG_RUN(gc_concat_split_slice);
    SG_RUN(gc_reduce);
    SG_RUN(gc_add_n_smooth_l1);
    SG_RUN(seed_int32_example);
    SG_RUN(duplicate_inputs);
    SG_RUN(init_ops);
    SG_RUN(blockgrad);
    SG_RUN(slicechannel_null_og);
    SG_RUN(in_place_kernels);
    SG_RUN(planned_equals_unplanned);
    SG_RUN(grad_req_write_and_add);
    SG_RUN(dtype_errors);
    SG_RUN(int32_paths);
    SG_RUN(no_allocation_in_kernels);
    return SG_DONE("test_ops_tensor");
}
