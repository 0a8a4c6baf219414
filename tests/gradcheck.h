/* gradcheck.h - finite-difference gradient checks for symgraph's tests.
 *
 * gc_run binds the symbol twice: once in float64 (the numeric side: central
 * differences of a scalar loss, computed in double) and once in float32 (the
 * analytic side: the library's float32 backward). Both get the same random
 * inputs. The loss is sum(w * y) over every output with fixed random weights w
 * (passed to backward as out_grads), or a callback for loss operators whose
 * backward implies their own loss. A gradient passes when
 * |analytic - numeric| <= tol * max(|analytic|, |numeric|, floor).
 * Also checked: the float32 forward agrees with the float64 forward. */
#ifndef SG_GRADCHECK_H
#define SG_GRADCHECK_H
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <stdio.h>
#include <stdarg.h>

/* A shape from nd int dimensions: gc_shape(2, 3, 4) is (3, 4). */
static sg_shape gc_shape(int nd, ...) {
    sg_shape s;
    va_list ap;
    int i;
    memset(&s, 0, sizeof s);
    s.ndim = nd;
    va_start(ap, nd);
    for (i = 0; i < nd; i++) s.dims[i] = va_arg(ap, int);
    va_end(ap);
    return s;
}

typedef struct gc_spec {
    const char *name;
    sg_graph *g;
    sg_symbol *sym;
    int nshapes;                  /* shapes of the inputs needed to infer the rest */
    const char *const *names;
    const sg_shape *shapes;
    double lo, hi;                /* inputs ~ U(lo, hi) unless init says otherwise */
    const char *const *nograd;    /* NULL-terminated names bound with grad_req null */
    /* optional: fill argument/aux `name` (a float64 array) yourself; return 1 if done */
    int (*init)(const char *name, sg_ndarray *a, sg_rng *r, void *user);
    void *user;
    int is_train;
    /* optional scalar loss from the float64 outputs (for loss operators); w are
     * the per-element weights of the default loss sum(w * y) */
    double (*loss)(sg_ndarray *const *outs, int nout, sg_executor *ex, void *user);
    double tol;                   /* default 1e-3 */
    double floor;                 /* default 1e-2 */
    int max_checks;               /* elements checked per argument, default 24 */
    double fwd_tol;               /* float32 vs float64 forward, default 1e-4 */
    uint64_t seed;
} gc_spec;

static int gc_in_list(const char *const *l, const char *n) {
    int i;
    for (i = 0; l && l[i]; i++) if (!strcmp(l[i], n)) return 1;
    return 0;
}
static double gc_default_loss(sg_ndarray *const *outs, int nout, const double *const *w) {
    double L = 0;
    int o;
    int64_t i;
    for (o = 0; o < nout; o++)
        for (i = 0; i < outs[o]->size; i++) L += w[o][i] * sg_nd_get(outs[o], i);
    return L;
}

/* Returns 1 when every checked gradient matches, else prints and returns 0. */
static int gc_run(const gc_spec *sp) {
    sg_graph *g = sp->g;
    const char *const *an, *const *xn, *const *on;
    int na, nx, no, i, o, ok = 1, st, *dt64, *reqs = NULL;
    sg_shape *shp;
    const char **nms;
    sg_executor *e64 = NULL, *e32 = NULL, *owner = NULL;
    double tol = sp->tol > 0 ? sp->tol : 1e-3, flo = sp->floor > 0 ? sp->floor : 1e-2;
    double ftol = sp->fwd_tol > 0 ? sp->fwd_tol : 1e-4;
    int maxc = sp->max_checks > 0 ? sp->max_checks : 24;
    double **w = NULL;
    sg_ndarray **og32 = NULL;
    sg_rng r;
    sg_rng_seed(&r, sp->seed ? sp->seed : 42);
    if (!sp->sym) { printf("  %s: symbol not built: %s\n", sp->name, sg_graph_error(g)); return 0; }
    sg_list_arguments(g, sp->sym, &an, &na);
    sg_list_auxiliary_states(g, sp->sym, &xn, &nx);
    /* float64 executor: every argument float64 */
    nms = (const char **)calloc((size_t)na + 1, sizeof(char *));
    shp = (sg_shape *)calloc((size_t)na + 1, sizeof(sg_shape));
    dt64 = (int *)calloc((size_t)na + 1, sizeof(int));
    for (i = 0; i < na; i++) {
        int k;
        nms[i] = an[i];
        shp[i].ndim = -1;
        for (k = 0; k < sp->nshapes; k++) if (!strcmp(sp->names[k], an[i])) shp[i] = sp->shapes[k];
        dt64[i] = SG_FLOAT64;
    }
    st = sg_simple_bind(g, sp->sym, SG_CPU, na, nms, shp, dt64, SG_REQ_NULL, &e64);
    if (st != SG_OK) { printf("  %s: float64 bind: %s\n", sp->name, sg_graph_error(g)); ok = 0; goto done; }
    st = sg_simple_bind(g, sp->sym, SG_CPU, sp->nshapes, sp->names, sp->shapes, NULL, SG_REQ_WRITE, &e32);
    if (st != SG_OK) { printf("  %s: float32 bind: %s\n", sp->name, sg_graph_error(g)); ok = 0; goto done; }
    /* rebind float32 with null req for the nograd arguments */
    {
        sg_ndarray *const *a32, *const *g32, *const *x32;
        int n32;
        sg_bind_desc d;
        sg_executor *e2 = NULL;
        sg_executor_arrays(e32, SG_ARGS, &a32, &n32);
        sg_executor_arrays(e32, SG_GRADS, &g32, &n32);
        sg_executor_arrays(e32, SG_AUX, &x32, &n32);
        reqs = (int *)calloc((size_t)na + 1, sizeof(int));
        for (i = 0; i < na; i++) reqs[i] = gc_in_list(sp->nograd, an[i]) ? SG_REQ_NULL : SG_REQ_WRITE;
        memset(&d, 0, sizeof d);
        d.nargs = na; d.args = a32; d.ngrads = na; d.grads = g32; d.grad_req = reqs; d.naux = nx; d.aux = x32;
        if (sg_bind(g, sp->sym, SG_CPU, &d, &e2) != SG_OK) { printf("  %s: rebind: %s\n", sp->name, sg_graph_error(g)); ok = 0; goto done; }
        /* e32 owns the arrays; run e2 */
        owner = e32;
        e32 = e2;
    }
    /* same random inputs in both */
    for (i = 0; i < na + nx; i++) {
        const char *nm = i < na ? an[i] : xn[i - na];
        sg_ndarray *a64 = i < na ? sg_executor_arg(e64, nm) : sg_executor_aux(e64, nm);
        sg_ndarray *a32 = i < na ? sg_executor_arg(e32, nm) : sg_executor_aux(e32, nm);
        if (!(sp->init && sp->init(nm, a64, &r, sp->user))) {
            size_t l = strlen(nm);
            if (l > 11 && !strcmp(nm + l - 11, "moving_mean")) sg_nd_random_uniform(a64, -0.5, 0.5, &r);
            else if (l > 10 && !strcmp(nm + l - 10, "moving_var")) sg_nd_random_uniform(a64, 0.5, 1.5, &r);
            else sg_nd_random_uniform(a64, sp->lo, sp->hi, &r);
        }
        sg_nd_copy_to(a64, a32);
        /* use the float32-rounded values in float64 too, so both see the same inputs */
        sg_nd_copy_to(a32, a64);
    }
    sg_executor_seed(e64, 7);
    sg_executor_seed(e32, 7);
    if (sg_forward(e32, sp->is_train) != SG_OK) { printf("  %s: forward32: %s\n", sp->name, sg_executor_error(e32)); ok = 0; goto done; }
    sg_executor_seed(e64, 7);
    if (sg_forward(e64, sp->is_train) != SG_OK) { printf("  %s: forward64: %s\n", sp->name, sg_executor_error(e64)); ok = 0; goto done; }
    {
        sg_ndarray *const *o32, *const *o64;
        int n32, n64;
        int64_t q;
        sg_executor_outputs(e32, &o32, &n32);
        sg_executor_outputs(e64, &o64, &n64);
        sg_list_outputs(g, sp->sym, &on, &no);
        w = (double **)calloc((size_t)no + 1, sizeof(double *));
        og32 = (sg_ndarray **)calloc((size_t)no + 1, sizeof(sg_ndarray *));
        for (o = 0; o < no; o++) {
            w[o] = (double *)calloc((size_t)o64[o]->size + 1, sizeof(double));
            og32[o] = sg_nd_zeros(o32[o]->shape.ndim, o32[o]->shape.dims, SG_FLOAT32);
            for (q = 0; q < o64[o]->size; q++) {
                double a = sg_nd_get(o32[o], q), b = sg_nd_get(o64[o], q);
                w[o][q] = sg_rng_uniform(&r) * 2 - 1;
                sg_nd_set(og32[o], q, w[o][q]);
                if (fabs(a - b) > ftol * (fabs(b) > 1 ? fabs(b) : 1) && ok) {
                    printf("  %s: forward output %s[%lld]: float32 %.9g, float64 %.9g\n", sp->name, on[o], (long long)q, a, b);
                    ok = 0;
                }
            }
        }
    }
    if (sg_backward(e32, no, og32) != SG_OK) { printf("  %s: backward: %s\n", sp->name, sg_executor_error(e32)); ok = 0; goto done; }
    for (i = 0; i < na; i++) {
        sg_ndarray *x = sg_executor_arg(e64, an[i]), *ga = sg_executor_grad(e32, an[i]);
        int c, nc;
        if (gc_in_list(sp->nograd, an[i]) || !ga) continue;
        nc = x->size < maxc ? (int)x->size : maxc;
        for (c = 0; c < nc; c++) {
            int64_t q = x->size <= maxc ? c : (int64_t)(sg_rng_next(&r) % (uint64_t)x->size);
            double x0 = sg_nd_get(x, q), h = 1e-5 * (fabs(x0) > 1 ? fabs(x0) : 1), lp, lm, num, ana, err, den;
            sg_ndarray *const *o64;
            int n64;
            sg_nd_set(x, q, x0 + h);
            sg_executor_seed(e64, 7);
            sg_forward(e64, sp->is_train);
            sg_executor_outputs(e64, &o64, &n64);
            lp = sp->loss ? sp->loss(o64, n64, e64, sp->user) : gc_default_loss(o64, n64, (const double *const *)w);
            sg_nd_set(x, q, x0 - h);
            sg_executor_seed(e64, 7);
            sg_forward(e64, sp->is_train);
            lm = sp->loss ? sp->loss(o64, n64, e64, sp->user) : gc_default_loss(o64, n64, (const double *const *)w);
            sg_nd_set(x, q, x0);
            num = (lp - lm) / (2 * h);
            ana = sg_nd_get(ga, q);
            err = fabs(ana - num);
            den = fabs(ana) > fabs(num) ? fabs(ana) : fabs(num);
            if (den < flo) den = flo;
            if (err > tol * den) {
                printf("  %s: d/d%s[%lld]: analytic %.9g, numeric %.9g (relative error %.2g)\n", sp->name, an[i],
                       (long long)q, ana, num, err / den);
                ok = 0;
                break;
            }
        }
    }
done:
    if (w) for (o = 0; o < no; o++) free(w[o]);
    free(w);
    if (og32) for (o = 0; o < no; o++) sg_nd_free(og32[o]);
    free(og32);
    free(nms); free(shp); free(dt64); free(reqs);
    sg_executor_free(e64);
    sg_executor_free(e32);
    sg_executor_free(owner);
    return ok;
}
#endif
