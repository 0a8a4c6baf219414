/* The fused RNN operator (lstm, gru, rnn_relu, rnn_tanh; layers, directions,
 * state outputs, dropout): forward values and every gradient against real
 * MXNet 1.9.1 (tests/data/rnn_cases.txt, from tools/mxnet_ref/gen_rnn_cases.py),
 * finite-difference gradient checks, dropout, grad_req add, the refusals of
 * MXNet's CPU operator, and the interop model lstm_ptb_fusedrnn run end to end
 * against MXNet's values. */
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include "sg_test.h"
#include "gradcheck.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

/* Element i of formula input k, as gen_rnn_cases.py computes it. */
static double fval(int64_t i, int k, double scale) { return scale * sin(0.37 * (double)i + 1.3 * k + 0.1); }
static void ffill(sg_ndarray *a, int k, double scale) {
    int64_t i;
    for (i = 0; i < a->size; i++) sg_nd_set(a, i, a->dtype == SG_FLOAT32 ? (double)(float)fval(i, k, scale) : fval(i, k, scale));
}
/* |a - b| <= tol * max(1, |b|)-ish: relative for large values, absolute below 1e-2. */
static int close_to(double a, double b, double tol) { return fabs(a - b) <= tol * (fabs(b) > 1e-2 ? fabs(b) : 1e-2); }

/* An RNN over variable "data" with the given key/values; the other inputs are
 * created as rnn_parameters, rnn_state, rnn_state_cell. */
static sg_symbol *rnn_named(sg_graph *g, const char *name, const char *const *kv) {
    sg_symbol *x = sg_variable(g, "data");
    return sg_op(g, "RNN", name, kv, 1, &x, NULL);
}
static sg_symbol *rnn_sym(sg_graph *g, const char *const *kv) { return rnn_named(g, "rnn", kv); }
static int bind_rnn(sg_graph *g, sg_symbol *s, int T, int N, int I, int dtype, int req, sg_executor **ex) {
    static const char *const nm[] = {"data"};
    sg_shape ds = gc_shape(3, T, N, I);
    return sg_simple_bind(g, s, SG_CPU, 1, nm, &ds, &dtype, req, ex);
}

/* ------------------------------------------------------------ MXNet values */
static int check_vals(const char *cname, const char *what, const sg_ndarray *a, const double *want, long n, double tol) {
    long i, bad = 0;
    if (!a || a->size != n) {
        printf("  %s %s: %lld elements, MXNet %ld\n", cname, what, a ? (long long)a->size : -1LL, n);
        return 0;
    }
    for (i = 0; i < n; i++)
        if (!close_to(sg_nd_get(a, i), want[i], tol)) {
            if (bad++ < 3) printf("  %s %s[%ld]: %.9g, MXNet %.9g\n", cname, what, i, sg_nd_get(a, i), want[i]);
        }
    return bad == 0;
}
SG_TEST(mxnet_cases) {
    FILE *f = fopen("tests/data/rnn_cases.txt", "r");
    static char line[65536];
    int ncases = 0;
    CHECK_MSG(f != NULL, "tests/data/rnn_cases.txt missing");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        char name[64], dt[16], kvtext[512], *kv[32], *p;
        int T, N, I, nkv = 0, dtype, ok = 1, nouts;
        double scale, tol;
        sg_graph *g;
        sg_symbol *s;
        sg_executor *ex = NULL;
        sg_ndarray *ogs[3] = {NULL, NULL, NULL};
        sg_ndarray *const *outs;
        const char *const *args;
        int na, i;
        if (strncmp(line, "case ", 5)) continue;
        if (sscanf(line, "case %63s %15s %d %d %d %lf %511[^\n]", name, dt, &T, &N, &I, &scale, kvtext) != 7) {
            CHECK_MSG(0, "bad case line %s", line);
            break;
        }
        dtype = !strcmp(dt, "float64") ? SG_FLOAT64 : SG_FLOAT32;
        tol = dtype == SG_FLOAT64 ? 2e-8 : 2e-5;
        for (p = strtok(kvtext, " "); p && nkv < 30; p = strtok(NULL, " ")) {
            char *eq = strchr(p, '=');
            if (!eq) continue;
            *eq = 0;
            kv[nkv++] = p;
            kv[nkv++] = eq + 1;
        }
        kv[nkv] = NULL;
        g = sg_graph_create();
        s = rnn_sym(g, (const char *const *)kv);
        CHECK_MSG(s != NULL, "%s: %s", name, sg_graph_error(g));
        if (!s || bind_rnn(g, s, T, N, I, dtype, SG_REQ_WRITE, &ex) != SG_OK) {
            CHECK_MSG(0, "%s: bind: %s", name, sg_graph_error(g));
            sg_graph_free(g);
            continue;
        }
        sg_list_arguments(g, s, &args, &na);
        for (i = 0; i < na; i++) ffill(sg_executor_arg(ex, args[i]), i, scale);
        CHECK_MSG(sg_forward(ex, 1) == SG_OK, "%s: forward: %s", name, sg_executor_error(ex));
        sg_executor_outputs(ex, &outs, &nouts);
        for (i = 0; i < nouts; i++) {
            ogs[i] = sg_nd_zeros_shape(&outs[i]->shape, dtype);
            ffill(ogs[i], 4 + i, 1.0);
        }
        CHECK_MSG(sg_backward(ex, nouts, ogs) == SG_OK, "%s: backward: %s", name, sg_executor_error(ex));
        /* the value lines follow, up to "end" */
        while (fgets(line, sizeof line, f) && strncmp(line, "end", 3)) {
            char what[64];
            long cnt, k;
            int off;
            double *want;
            const sg_ndarray *a = NULL;
            if (sscanf(line, "%63s %ld%n", what, &cnt, &off) != 2 || cnt < 0) { ok = 0; break; }
            want = (double *)malloc(sizeof(double) * (size_t)(cnt ? cnt : 1));
            p = line + off;
            for (k = 0; k < cnt; k++) want[k] = strtod(p, &p);
            if (!strncmp(what, "out", 3)) a = atoi(what + 3) < nouts ? outs[atoi(what + 3)] : NULL;
            else if (!strcmp(what, "d_data")) a = sg_executor_grad(ex, "data");
            else {
                char gname[80];
                snprintf(gname, sizeof gname, "rnn_%s", what + 2);
                a = sg_executor_grad(ex, gname);
            }
            if (!check_vals(name, what, a, want, cnt, tol)) ok = 0;
            free(want);
        }
        CHECK_MSG(ok, "case %s differs from MXNet", name);
        ncases++;
        for (i = 0; i < 3; i++) sg_nd_free(ogs[i]);
        sg_executor_free(ex);
        sg_graph_free(g);
    }
    fclose(f);
    CHECK_INT(ncases, 11);
}

/* --------------------------------------------------- finite differences */
static int gradcheck(const char *name, const char *const *kv, int T, int N, int I, int is_train) {
    sg_graph *g = sg_graph_create();
    static const char *const nm[] = {"data"};
    sg_shape ds = gc_shape(3, T, N, I);
    gc_spec sp;
    int ok;
    memset(&sp, 0, sizeof sp);
    sp.name = name;
    sp.g = g;
    sp.sym = rnn_sym(g, kv);
    sp.nshapes = 1;
    sp.names = nm;
    sp.shapes = &ds;
    sp.lo = -1;
    sp.hi = 1;
    sp.max_checks = 60;
    sp.is_train = is_train;
    ok = gc_run(&sp);
    sg_graph_free(g);
    return ok;
}
#define KV SG_KV
SG_TEST(finite_differences) {
    CHECK(gradcheck("lstm 2 layers bidirectional, state outputs",
                    KV("mode", "lstm", "state_size", "3", "num_layers", "2", "bidirectional", "True", "state_outputs", "True"),
                    4, 2, 3, 1));
    CHECK(gradcheck("gru 2 layers bidirectional, state outputs",
                    KV("mode", "gru", "state_size", "3", "num_layers", "2", "bidirectional", "True", "state_outputs", "True"),
                    4, 2, 3, 1));
    CHECK(gradcheck("rnn_tanh 2 layers", KV("mode", "rnn_tanh", "state_size", "4", "num_layers", "2"), 3, 3, 2, 1));
    CHECK(gradcheck("rnn_tanh 3 layers, state outputs",
                    KV("mode", "rnn_tanh", "state_size", "2", "num_layers", "3", "state_outputs", "True"), 2, 2, 3, 1));
    CHECK(gradcheck("rnn_relu bidirectional, state outputs",
                    KV("mode", "rnn_relu", "state_size", "3", "num_layers", "1", "bidirectional", "True", "state_outputs",
                       "True"), 3, 2, 4, 1));
    CHECK(gradcheck("lstm one step", KV("mode", "lstm", "state_size", "2", "num_layers", "1"), 1, 3, 2, 1));
    /* dropout between layers: the masks are drawn from the executor's seeded generator */
    CHECK(gradcheck("lstm 3 layers, dropout 0.4",
                    KV("mode", "lstm", "state_size", "3", "num_layers", "3", "p", "0.4", "state_outputs", "True"), 3, 2, 3, 1));
    CHECK(gradcheck("gru dropout in inference (no dropout)",
                    KV("mode", "gru", "state_size", "2", "num_layers", "2", "p", "0.5"), 3, 2, 3, 0));
}

/* ---------------------------------------------------------------- dropout */
/* Dropout applies to the outputs of every layer but the last, in training only:
 * inference and a one-layer RNN run as with p = 0, and a training run with the
 * same seed is the same bits. */
SG_TEST(dropout) {
    sg_graph *g = sg_graph_create();
    sg_symbol *s2 = rnn_named(g, "a", KV("mode", "lstm", "state_size", "8", "num_layers", "2", "p", "0.5"));
    sg_symbol *s0 = rnn_named(g, "b", KV("mode", "lstm", "state_size", "8", "num_layers", "2", "p", "0"));
    sg_symbol *s1 = rnn_named(g, "c", KV("mode", "lstm", "state_size", "8", "num_layers", "1", "p", "0.5"));
    sg_symbol *s1b = rnn_named(g, "d", KV("mode", "lstm", "state_size", "8", "num_layers", "1"));
    sg_executor *e2 = NULL, *e0 = NULL, *e1 = NULL, *e1b = NULL;
    const char *const *args;
    int na, i, same_inf = 1, same_1 = 1, diff_train = 0, same_seed = 1;
    int64_t k;
    double first[200];
    CHECK(s2 && s0 && s1 && s1b);
    CHECK(bind_rnn(g, s2, 5, 4, 6, SG_FLOAT32, SG_REQ_WRITE, &e2) == SG_OK);
    CHECK(bind_rnn(g, s0, 5, 4, 6, SG_FLOAT32, SG_REQ_WRITE, &e0) == SG_OK);
    CHECK(bind_rnn(g, s1, 5, 4, 6, SG_FLOAT32, SG_REQ_WRITE, &e1) == SG_OK);
    CHECK(bind_rnn(g, s1b, 5, 4, 6, SG_FLOAT32, SG_REQ_WRITE, &e1b) == SG_OK);
    if (!e2 || !e0 || !e1 || !e1b) goto done;
    sg_list_arguments(g, s2, &args, &na);
    for (i = 0; i < na; i++) {
        ffill(sg_executor_arg(e2, args[i]), i, 0.8);
        ffill(e0->args[i], i, 0.8);
    }
    sg_list_arguments(g, s1, &args, &na);
    for (i = 0; i < na; i++) {
        ffill(e1->args[i], i, 0.8);
        ffill(e1b->args[i], i, 0.8);
    }
    CHECK(sg_forward(e0, 1) == SG_OK && sg_forward(e2, 0) == SG_OK);
    for (k = 0; k < e0->outs[0]->size; k++) same_inf &= sg_nd_get(e0->outs[0], k) == sg_nd_get(e2->outs[0], k);
    sg_executor_seed(e2, 11);
    CHECK(sg_forward(e2, 1) == SG_OK);
    for (k = 0; k < e0->outs[0]->size; k++) diff_train += sg_nd_get(e0->outs[0], k) != sg_nd_get(e2->outs[0], k);
    for (k = 0; k < 160; k++) first[k] = sg_nd_get(e2->outs[0], k);
    sg_executor_seed(e2, 11);
    CHECK(sg_forward(e2, 1) == SG_OK);
    for (k = 0; k < 160; k++) same_seed &= first[k] == sg_nd_get(e2->outs[0], k);
    CHECK(sg_forward(e1, 1) == SG_OK && sg_forward(e1b, 1) == SG_OK);
    for (k = 0; k < e1->outs[0]->size; k++) same_1 &= sg_nd_get(e1->outs[0], k) == sg_nd_get(e1b->outs[0], k);
    CHECK_MSG(same_inf, "inference with p = 0.5 differs from p = 0");
    CHECK_MSG(diff_train > 100, "training with p = 0.5: only %d of 160 outputs changed", diff_train);
    CHECK_MSG(same_seed, "the same seed gave other masks");
    CHECK_MSG(same_1, "a one-layer RNN changed with p = 0.5");
done:
    sg_executor_free(e2);
    sg_executor_free(e0);
    sg_executor_free(e1);
    sg_executor_free(e1b);
    sg_graph_free(g);
}

/* ------------------------------------------- grad_req add, repeated backward */
/* Backward twice after one forward gives the same gradients (the forward's
 * state is not consumed); grad_req add sums them. */
SG_TEST(grad_add) {
    sg_graph *g = sg_graph_create();
    sg_symbol *s = rnn_sym(g, KV("mode", "gru", "state_size", "3", "num_layers", "2", "bidirectional", "True"));
    sg_executor *ew = NULL, *ea = NULL;
    const char *const *args;
    sg_ndarray *og = NULL;
    int na, i, ok = 1;
    CHECK(bind_rnn(g, s, 3, 2, 4, SG_FLOAT32, SG_REQ_WRITE, &ew) == SG_OK);
    CHECK(bind_rnn(g, s, 3, 2, 4, SG_FLOAT32, SG_REQ_ADD, &ea) == SG_OK);
    if (!ew || !ea) goto done;
    sg_list_arguments(g, s, &args, &na);
    for (i = 0; i < na; i++) {
        ffill(ew->args[i], i, 0.7);
        ffill(ea->args[i], i, 0.7);
    }
    og = sg_nd_zeros_shape(&ew->outs[0]->shape, SG_FLOAT32);
    ffill(og, 4, 1.0);
    CHECK(sg_forward(ew, 1) == SG_OK && sg_forward(ea, 1) == SG_OK);
    CHECK(sg_backward(ew, 1, &og) == SG_OK && sg_backward(ew, 1, &og) == SG_OK);
    CHECK(sg_backward(ea, 1, &og) == SG_OK && sg_backward(ea, 1, &og) == SG_OK);
    for (i = 0; i < na; i++) {
        int64_t k;
        for (k = 0; k < ew->grads[i]->size; k++) {
            double w = sg_nd_get(ew->grads[i], k), a = sg_nd_get(ea->grads[i], k);
            if (!close_to(a, 2 * w, 1e-6)) {
                if (ok) printf("  %s[%lld]: add %.9g, write %.9g\n", args[i], (long long)k, a, w);
                ok = 0;
            }
        }
    }
    CHECK_MSG(ok, "grad_req add after two backward calls is not twice the write gradient");
done:
    sg_nd_free(og);
    sg_executor_free(ew);
    sg_executor_free(ea);
    sg_graph_free(g);
}

/* ------------------------------------------------------------------ errors */
static void expect_fwd_error(const char *const *kv, int dtype, const char *want) {
    sg_graph *g = sg_graph_create();
    sg_symbol *s = rnn_sym(g, kv);
    sg_executor *ex = NULL;
    int st;
    if (!s || bind_rnn(g, s, 3, 2, 4, dtype, SG_REQ_WRITE, &ex) != SG_OK) {
        CHECK_MSG(0, "bind failed: %s", sg_graph_error(g));
        sg_graph_free(g);
        return;
    }
    st = sg_forward(ex, 1);
    CHECK_MSG(st == SG_ERR_UNSUPPORTED, "forward gave %d, not SG_ERR_UNSUPPORTED", st);
    CHECK_MSG(strstr(sg_executor_error(ex), want) && strstr(sg_executor_error(ex), "rnn"), "error: %s", sg_executor_error(ex));
    sg_executor_free(ex);
    sg_graph_free(g);
}
SG_TEST(refusals) {
    expect_fwd_error(KV("mode", "lstm", "state_size", "3", "num_layers", "1", "projection_size", "2"), SG_FLOAT32,
                     "No training support for LSTM with projection on CPU currently.");
    expect_fwd_error(KV("mode", "lstm", "state_size", "3", "num_layers", "1", "lstm_state_clip_min", "-1",
                        "lstm_state_clip_max", "1"), SG_FLOAT32, "LSTM state clipping is only supported for GPU");
    expect_fwd_error(KV("mode", "gru", "state_size", "3", "num_layers", "1", "lstm_state_clip_max", "1"), SG_FLOAT32,
                     "LSTM state clipping is only supported for GPU");
    expect_fwd_error(KV("mode", "lstm", "state_size", "3", "num_layers", "1", "use_sequence_length", "True"), SG_FLOAT32,
                     "use_sequence_length option is only available for cuDNN");
    expect_fwd_error(KV("mode", "lstm", "state_size", "3", "num_layers", "2", "p", "1"), SG_FLOAT32,
                     "unsupported dropout value, should be 0 <= dropout < 1");
    expect_fwd_error(KV("mode", "rnn_tanh", "state_size", "3", "num_layers", "1"), SG_FLOAT16, "float16");
    {   /* sizes whose parameter count overflows: an inference error naming the node and the sizes */
        sg_graph *g = sg_graph_create();
        sg_symbol *s = rnn_sym(g, KV("mode", "lstm", "state_size", "4000000000", "num_layers", "2000000000"));
        static const char *const nm[] = {"data"};
        sg_shape ds = gc_shape(3, 2, 2, 3), as[4];
        CHECK(s != NULL);
        CHECK(s && sg_infer_shape(g, s, 1, nm, &ds, 0, as, NULL, NULL) == SG_ERR_SHAPE);
        CHECK_MSG(strstr(sg_graph_error(g), "rnn") && strstr(sg_graph_error(g), "state_size 4000000000"), "error: %s",
                  sg_graph_error(g));
        sg_graph_free(g);
    }
}

/* ------------------------------------------ the interop model lstm_ptb */
SG_TEST(lstm_ptb_model) {
    FILE *f = fopen("tests/data/rnn_lstm_ptb.txt", "r");
    static char line[65536];
    size_t len = 0;
    char *json = sg_t_read("tests/data/mxnet_golden/lstm_ptb_fusedrnn-symbol.json", &len);
    sg_graph *g = sg_graph_create();
    sg_symbol *s = json ? sg_load_json(g, json, len) : NULL;
    sg_executor *ex = NULL;
    static const char *const nm[] = {"data", "softmax_label"}, *const nograd[] = {"data", "softmax_label", NULL};
    sg_shape sh[2];
    const char *const *args;
    int T = 0, N = 0, na, i, nprobe = 0, bad = 0;
    double scale = 0;
    char mname[128];
    CHECK(f && json && s);
    if (!f || !s || !fgets(line, sizeof line, f) || sscanf(line, "model %127s %d %d %lf", mname, &T, &N, &scale) != 4) {
        CHECK_MSG(0, "cannot read the model or its golden file");
        goto done;
    }
    sh[0] = gc_shape(2, T, N);
    sh[1] = gc_shape(2, T, N);
    if (sg__bind_alloc(g, s, SG_CPU, 2, nm, sh, NULL, SG_REQ_WRITE, &ex, NULL, NULL, 0, nograd) != SG_OK) {
        CHECK_MSG(0, "bind: %s", sg_graph_error(g));
        goto done;
    }
    sg_list_arguments(g, s, &args, &na);
    for (i = 0; i < na; i++) {
        sg_ndarray *a = sg_executor_arg(ex, args[i]);
        int64_t k;
        for (k = 0; k < a->size; k++) {
            double v = !strcmp(args[i], "data") ? (double)((k * 7919 + 13) % 10000)
                       : !strcmp(args[i], "softmax_label") ? (double)((k * 104729 + 7) % 10000)
                       : (double)(float)fval(k, i, scale);
            sg_nd_set(a, k, v);
        }
    }
    CHECK_MSG(sg_forward(ex, 1) == SG_OK, "forward: %s", sg_executor_error(ex));
    CHECK_MSG(sg_backward(ex, 0, NULL) == SG_OK, "backward: %s", sg_executor_error(ex));
    while (fgets(line, sizeof line, f) && strncmp(line, "end", 3)) {
        char what[64], *p;
        int cnt, off, k;
        const sg_ndarray *a;
        if (sscanf(line, "%63s %d%n", what, &cnt, &off) != 2) break;
        a = !strcmp(what, "out0") ? ex->outs[0] : sg_executor_grad(ex, what + 2);
        CHECK_MSG(a != NULL, "no array for %s", what);
        if (!a) continue;
        p = line + off;
        for (k = 0; k < cnt; k++) {
            long idx = strtol(p, &p, 10);
            double want = strtod(p + 1, &p), got = idx >= 0 && idx < a->size ? sg_nd_get(a, idx) : NAN;
            nprobe++;
            /* relative, with a floor far below these values (softmax ~1e-4, gradients ~1e-5..1e-3) */
            if (!(fabs(got - want) <= 2e-4 * fabs(want) + 2e-9)) {
                if (bad++ < 5) printf("  %s[%ld]: %.9g, MXNet %.9g\n", what, idx, got, want);
            }
        }
    }
    CHECK_INT(nprobe, 192);
    CHECK_MSG(bad == 0, "%d of %d probes differ from MXNet", bad, nprobe);
done:
    if (f) fclose(f);
    free(json);
    sg_executor_free(ex);
    sg_graph_free(g);
}

int main(void) {
    SG_RUN(mxnet_cases);
    SG_RUN(finite_differences);
    SG_RUN(dropout);
    SG_RUN(grad_add);
    SG_RUN(refusals);
    SG_RUN(lstm_ptb_model);
    return SG_DONE("test_ops_rnn");
}
