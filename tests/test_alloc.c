/* Failed allocations: each workflow below (graph building and JSON, inference,
 * bind/forward/backward/reshape/eval, .params and .npy files, summary and DOT,
 * the training module, real MXNet files, more operators) is run once to count
 * its allocations, then again once per allocation with exactly that one made
 * to fail (SYMGRAPH_MALLOC and SYMGRAPH_REALLOC return NULL). What they assert, for every failure point:
 *  - the failure reaches the caller: the workflow stops at a call that returns
 *    a negative status or NULL, with a non-empty message (or, where the library
 *    can do without the memory, it finishes with the reference run's results);
 *  - nothing leaks: once the workflow has freed what it made, no block from the
 *    library's allocator is left (counted here, so this holds without ASan too);
 *  - nothing crashes (and under `make test-asan`, nothing reads or writes out
 *    of bounds on the error paths). */
#include <stdlib.h>
#include <string.h>
static long a_calls;        /* allocation calls in this run */
static long a_fail_at = -1; /* the call that fails (-1: none) */
static int a_failed;        /* that call was reached */
static long a_live;         /* blocks allocated and not freed */
typedef union { double d; void *p; long double ld; } a_hdr; /* a header that keeps malloc's alignment */
static void *t_malloc(size_t n) {
    a_hdr *h;
    if (a_calls++ == a_fail_at) { a_failed = 1; return NULL; }
    h = (a_hdr *)malloc(sizeof(a_hdr) + (n ? n : 1));
    if (!h) return NULL;
    a_live++;
    return h + 1;
}
static void t_free(void *p) {
    if (!p) return;
    a_live--;
    free((a_hdr *)p - 1);
}
static void *t_realloc(void *p, size_t n) {
    a_hdr *h;
    if (!p) return t_malloc(n);
    if (a_calls++ == a_fail_at) { a_failed = 1; return NULL; }
    h = (a_hdr *)realloc((a_hdr *)p - 1, sizeof(a_hdr) + (n ? n : 1));
    if (!h) return NULL;
    return h + 1;
}
#define SYMGRAPH_MALLOC(n) t_malloc(n)
#define SYMGRAPH_REALLOC(p, n) t_realloc(p, n)
#define SYMGRAPH_FREE(p) t_free(p)
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include "sg_test.h"

/* A workflow returns 0 when it ran to the end, else 1 after it checked that
 * the failing call reported the failure (status < 0 / NULL and a message). It
 * writes a digest of its results (text) for comparison with the reference run. */
typedef int (*workflow_fn)(char *digest, size_t cap);

static int w_bad; /* a failure that was not reported properly */
static char w_what[256];
static int msg_ok(const char *m) { return m && m[0]; }
/* step: when cond says the call failed, check the message and leave */
#define STEP(failed, msg)                                                                        \
    do {                                                                                         \
        if (failed) {                                                                            \
            if (!a_failed) { w_bad = 1; snprintf(w_what, sizeof w_what, "line %d: failed with no allocation refused: %.150s", __LINE__, (msg) ? (msg) : ""); } \
            else if (!msg_ok(msg)) { w_bad = 1; snprintf(w_what, sizeof w_what, "line %d: failed without a message", __LINE__); } \
            rc = 1;                                                                              \
            goto done;                                                                           \
        }                                                                                        \
    } while (0)

static void dg_add(char *d, size_t cap, const char *fmt, double v) {
    size_t len = strlen(d);
    if (len + 40 < cap) snprintf(d + len, cap - len, fmt, v);
}
static void dg_str(char *d, size_t cap, const char *s) {
    size_t len = strlen(d), n = strlen(s);
    if (len + n + 2 < cap) { memcpy(d + len, s, n); d[len + n] = '|'; d[len + n + 1] = 0; }
}

static sg_symbol *small_cnn(sg_graph *g) {
    sg_symbol *x = sg_variable(g, "data"), *y;
    y = sg_op(g, "Convolution", "conv1", SG_KV("kernel", "(3, 3)", "num_filter", "2", "pad", "(1, 1)"), 1, &x, NULL);
    y = sg_op(g, "BatchNorm", "bn1", SG_KV("fix_gamma", "False"), 1, &y, NULL);
    y = sg_activation(g, "relu1", y, "relu");
    y = sg_op(g, "Pooling", "pool1", SG_KV("kernel", "(2, 2)", "stride", "(2, 2)", "pool_type", "max"), 1, &y, NULL);
    y = sg_flatten(g, "flat", y);
    y = sg_fully_connected(g, "fc1", y, 3);
    return sg_softmax_output(g, "softmax", y, NULL);
}

/* small_cnn's data shape: (2, 1, 6, 6) */
static sg_shape cnn_input(void) {
    sg_shape in;
    memset(&in, 0, sizeof in);
    in.ndim = 4; in.dims[0] = 2; in.dims[1] = 1; in.dims[2] = 6; in.dims[3] = 6;
    return in;
}

/* graph building, attributes, names, JSON out and back in, listings */
static int wf_graph(char *dg, size_t cap) {
    int rc = 0, n;
    sg_graph *g = sg_graph_create(), *g2 = NULL;
    sg_symbol *s, *s2, *grp, *in, *pair[2];
    const char *json, *const *names;
    if (!g) { STEP(1, "sg_graph_create returned NULL"); }
    s = small_cnn(g);
    STEP(!s, sg_graph_error(g));
    in = sg_get_internals(g, s);
    STEP(!in, sg_graph_error(g));
    pair[0] = s;
    pair[1] = sg_get_output(g, in, 3);
    grp = sg_group(g, 2, pair);
    STEP(!grp, sg_graph_error(g));
    STEP(sg_set_attr(g, s, "tag", "v1") < 0, sg_graph_error(g));
    STEP(sg_list_arguments(g, grp, &names, &n) < 0, sg_graph_error(g));
    dg_add(dg, cap, "args %g ", n);
    STEP(sg_tojson(g, grp, &json) < 0, sg_graph_error(g));
    dg_str(dg, cap, json);
    g2 = sg_graph_create();
    if (!g2) { STEP(1, "sg_graph_create returned NULL"); }
    s2 = sg_load_json(g2, json, strlen(json));
    STEP(!s2, sg_graph_error(g2));
    STEP(sg_tojson(g2, s2, &json) < 0, sg_graph_error(g2));
    dg_str(dg, cap, json);
    STEP(sg_list_auxiliary_states(g2, s2, &names, &n) < 0, sg_graph_error(g2));
    dg_add(dg, cap, "aux %g ", n);
done:
    sg_graph_free(g2);
    sg_graph_free(g);
    return rc;
}

/* shape and dtype inference */
static int wf_infer(char *dg, size_t cap) {
    int rc = 0, i, targ[16], tout[4], taux[8], dt = SG_FLOAT64;
    sg_graph *g = sg_graph_create();
    sg_symbol *s;
    sg_shape in, arg[16], out[4], aux[8];
    const char *nm = "data";
    if (!g) { STEP(1, "sg_graph_create returned NULL"); }
    s = small_cnn(g);
    STEP(!s, sg_graph_error(g));
    in = cnn_input();
    STEP(sg_infer_shape(g, s, 1, &nm, &in, 0, arg, out, aux) < 0, sg_graph_error(g));
    for (i = 0; i < out[0].ndim; i++) dg_add(dg, cap, "%g ", (double)out[0].dims[i]);
    dg_add(dg, cap, "w %g ", (double)arg[1].dims[0]);
    STEP(sg_infer_type(g, s, 1, &nm, &dt, 0, targ, tout, taux) < 0, sg_graph_error(g));
    dg_add(dg, cap, "t %g ", tout[0]);
done:
    sg_graph_free(g);
    return rc;
}

/* simple_bind, forward and backward in training mode, reshape, eval */
static int wf_exec(char *dg, size_t cap) {
    int rc = 0, i, nout = 0;
    sg_graph *g = sg_graph_create();
    sg_symbol *s;
    sg_executor *ex = NULL, *ex2 = NULL, *ex3 = NULL;
    sg_shape in;
    sg_ndarray *a, **outs = NULL, *ev[2] = {NULL, NULL};
    const char *nm = "data", *evn[2] = {"a", "b"};
    if (!g) { STEP(1, "sg_graph_create returned NULL"); }
    s = small_cnn(g);
    STEP(!s, sg_graph_error(g));
    in = cnn_input();
    STEP(sg_simple_bind(g, s, SG_CPU, 1, &nm, &in, NULL, SG_REQ_WRITE, &ex) < 0, sg_graph_error(g));
    a = sg_executor_arg(ex, "data");
    for (i = 0; i < 72; i++) sg_nd_set(a, i, (i % 7) * 0.25 - 0.5);
    a = sg_executor_arg(ex, "conv1_weight");
    for (i = 0; i < 18; i++) sg_nd_set(a, i, (i % 5) * 0.1 - 0.2);
    a = sg_executor_arg(ex, "bn1_gamma");
    sg_nd_fill(a, 1.0);
    a = sg_executor_arg(ex, "fc1_weight");
    for (i = 0; i < 54; i++) sg_nd_set(a, i, (i % 3) * 0.2 - 0.1);
    sg_nd_set(sg_executor_arg(ex, "softmax_label"), 1, 2.0);
    STEP(sg_forward(ex, 1) < 0, sg_executor_error(ex));
    STEP(sg_backward(ex, 0, NULL) < 0, sg_executor_error(ex));
    a = sg_executor_output(ex, "softmax_output");
    for (i = 0; i < 6; i++) dg_add(dg, cap, "%.6g ", sg_nd_get(a, i));
    a = sg_executor_grad(ex, "conv1_weight");
    for (i = 0; i < 18; i++) dg_add(dg, cap, "%.6g ", sg_nd_get(a, i));
    a = sg_executor_aux(ex, "bn1_moving_mean");
    dg_add(dg, cap, "mm %.6g ", sg_nd_get(a, 1));
    in.dims[0] = 4;
    STEP(sg_executor_reshape(ex, 1, &nm, &in, 1, 1, &ex2) < 0, sg_executor_error(ex));
    STEP(sg_forward(ex2, 0) < 0, sg_executor_error(ex2));
    dg_add(dg, cap, "r %.6g ", sg_nd_get(sg_executor_output(ex2, "softmax_output"), 0));
    {
        int64_t d2[2] = {2, 3};
        sg_symbol *va = sg_variable(g, "a"), *vb = sg_variable(g, "b"), *e;
        STEP(!va || !vb, sg_graph_error(g));
        e = sg_add(g, sg_mul(g, va, vb), va);
        STEP(!e, sg_graph_error(g));
        ev[0] = sg_nd_full(2, d2, SG_FLOAT32, 1.5);
        STEP(!ev[0], sg_last_error());
        ev[1] = sg_nd_full(2, d2, SG_FLOAT32, 2.0);
        STEP(!ev[1], sg_last_error());
        STEP(sg_eval(g, e, 2, evn, ev, &outs, &nout) < 0, sg_graph_error(g));
        dg_add(dg, cap, "e %g ", sg_nd_get(outs[0], 5));
    }
    { /* a variable's __dtype__ decides its array's dtype in simple_bind (an
       * allocation failing while it is looked up once gave float32 silently) */
        sg_var_opts vo;
        sg_symbol *h, *e;
        sg_shape hs;
        const char *hn = "h";
        memset(&vo, 0, sizeof vo);
        vo.dtype = "float64";
        h = sg_variable_ex(g, "h", &vo);
        e = sg_mul_scalar(g, h, "2");
        STEP(!e, sg_graph_error(g));
        memset(&hs, 0, sizeof hs);
        hs.ndim = 1; hs.dims[0] = 3;
        STEP(sg_simple_bind(g, e, SG_CPU, 1, &hn, &hs, NULL, SG_REQ_NULL, &ex3) < 0, sg_graph_error(g));
        dg_add(dg, cap, "h dtype %g ", sg_executor_arg(ex3, "h")->dtype);
    }
done:
    for (i = 0; i < nout; i++) sg_nd_free(outs[i]);
    SYMGRAPH_FREE(outs);
    sg_nd_free(ev[0]);
    sg_nd_free(ev[1]);
    sg_executor_free(ex3);
    sg_executor_free(ex2);
    sg_executor_free(ex);
    sg_graph_free(g);
    return rc;
}

/* .params and .npy: save, load back */
static int wf_files(char *dg, size_t cap) {
    int rc = 0, n = 0, i;
    int64_t d[2] = {3, 4}, d1 = 5;
    sg_ndarray *arr[2] = {NULL, NULL}, **back = NULL, *npy = NULL;
    char **names = NULL;
    const char *nm[2] = {"arg:w", "aux:m"};
    arr[0] = sg_nd_zeros(2, d, SG_FLOAT32);
    STEP(!arr[0], sg_last_error());
    arr[1] = sg_nd_zeros(1, &d1, SG_FLOAT64);
    STEP(!arr[1], sg_last_error());
    for (i = 0; i < 12; i++) sg_nd_set(arr[0], i, i * 0.5);
    for (i = 0; i < 5; i++) sg_nd_set(arr[1], i, -i);
    STEP(sg_nd_save("tests/tmp_alloc.params", 2, arr, nm) < 0, sg_last_error());
    STEP(sg_nd_load("tests/tmp_alloc.params", &n, &back, &names) < 0, sg_last_error());
    dg_add(dg, cap, "n %g ", n);
    for (i = 0; i < n; i++) { dg_str(dg, cap, names[i]); dg_add(dg, cap, "%g ", sg_nd_get(back[i], 3)); }
    STEP(sg_nd_save_npy("tests/tmp_alloc.npy", arr[0]) < 0, sg_last_error());
    npy = sg_nd_load_npy("tests/tmp_alloc.npy");
    STEP(!npy, sg_last_error());
    dg_add(dg, cap, "npy %g ", sg_nd_get(npy, 11));
done:
    if (back) sg_nd_list_free(n, back, names);
    sg_nd_free(npy);
    sg_nd_free(arr[0]);
    sg_nd_free(arr[1]);
    return rc;
}

/* print_summary and plot_network */
static int wf_viz(char *dg, size_t cap) {
    int rc = 0;
    sg_graph *g = sg_graph_create();
    sg_symbol *s;
    sg_shape in;
    char *text = NULL, *dot = NULL;
    const char *nm = "data";
    if (!g) { STEP(1, "sg_graph_create returned NULL"); }
    s = small_cnn(g);
    STEP(!s, sg_graph_error(g));
    in = cnn_input();
    STEP(sg_print_summary(g, s, 1, &nm, &in, 0, &text) < 0, sg_graph_error(g));
    dg_str(dg, cap, text);
    STEP(sg_plot_network(g, s, "plot", 1, &nm, &in, 0, NULL, NULL, NULL, 1, &dot) < 0, sg_graph_error(g));
    dg_str(dg, cap, dot);
done:
    SYMGRAPH_FREE(text);
    SYMGRAPH_FREE(dot);
    sg_graph_free(g);
    return rc;
}

/* the training module: create, one epoch, score, checkpoint, reload */
static int wf_module(char *dg, size_t cap) {
    int rc = 0, i, it_ok = 0;
    int64_t dd[2] = {20, 4}, ld = 20;
    sg_graph *g = sg_graph_create();
    sg_symbol *x, *net;
    sg_ndarray *X = NULL, *Y = NULL;
    sg_module *m = NULL;
    sg_module_opts mo;
    sg_data_iter it;
    sg_metrics tr, sc;
    if (!g) { STEP(1, "sg_graph_create returned NULL"); }
    X = sg_nd_zeros(2, dd, SG_FLOAT32);
    STEP(!X, sg_last_error());
    Y = sg_nd_zeros(1, &ld, SG_FLOAT32);
    STEP(!Y, sg_last_error());
    for (i = 0; i < 80; i++) sg_nd_set(X, i, ((i * 7) % 11) * 0.1);
    for (i = 0; i < 20; i++) sg_nd_set(Y, i, i % 3);
    x = sg_variable(g, "data");
    net = sg_fully_connected(g, "fc1", x, 5);
    net = sg_activation(g, "relu1", net, "relu");
    net = sg_fully_connected(g, "fc2", net, 3);
    net = sg_softmax_output(g, "softmax", net, NULL);
    STEP(!net, sg_graph_error(g));
    memset(&mo, 0, sizeof mo);
    mo.data_shape.ndim = 2; mo.data_shape.dims[0] = 10; mo.data_shape.dims[1] = 4;
    mo.learning_rate = 0.1f;
    mo.optimizer = SG_OPT_ADAM;
    mo.init.type = SG_INIT_XAVIER;
    mo.seed = 5;
    STEP(sg_module_create(g, net, &mo, &m) < 0, sg_graph_error(g));
    STEP(sg_iter_init(&it, X, Y, 10, 1, "pad", 3) < 0, sg_last_error());
    it_ok = 1;
    STEP(sg_module_fit_epoch(m, &it, &tr, NULL, NULL) < 0, sg_module_error(m));
    dg_add(dg, cap, "ce %.6g ", tr.cross_entropy);
    STEP(sg_module_score(m, &it, &sc) < 0, sg_module_error(m));
    dg_add(dg, cap, "acc %.6g ", sc.accuracy);
    STEP(sg_module_save_checkpoint(m, "tests/tmp_alloc", 1) < 0, sg_module_error(m));
    STEP(sg_module_load_params(m, "tests/tmp_alloc", 1) < 0, sg_module_error(m));
    STEP(sg_module_score(m, &it, &sc) < 0, sg_module_error(m));
    dg_add(dg, cap, "acc2 %.6g ", sc.accuracy);
done:
    if (it_ok) sg_iter_free(&it);
    sg_module_free(m);
    sg_nd_free(X);
    sg_nd_free(Y);
    sg_graph_free(g);
    return rc;
}

/* more operators through bind, forward (training) and backward: Embedding,
 * Concat, SliceChannel, batch_dot, L2Normalization, transpose, Dropout, sum,
 * softmax, Deconvolution, avg Pooling, MakeLoss */
static sg_symbol *op1(sg_graph *g, const char *op, const char *const *kv, sg_symbol *x) {
    return sg_op(g, op, NULL, kv, 1, &x, NULL);
}
static int wf_ops(char *dg, size_t cap) {
    int rc = 0, i, j, n;
    sg_graph *g = sg_graph_create();
    sg_symbol *x, *idx, *img, *e, *c, *sl, *r, *t, *loss, *in2[2];
    sg_executor *ex = NULL;
    sg_shape sh[3];
    const char *nm[3] = {"data", "idx", "img"};
    sg_ndarray *const *arr;
    if (!g) { STEP(1, "sg_graph_create returned NULL"); }
    x = sg_variable(g, "data");
    idx = sg_variable(g, "idx");
    img = sg_variable(g, "img");
    e = op1(g, "BlockGrad", NULL, idx); /* Embedding gives its data no gradient */
    e = sg_op(g, "Embedding", "emb", SG_KV("input_dim", "5", "output_dim", "4"), 1, &e, NULL);
    in2[0] = x; in2[1] = e;
    c = sg_op(g, "Concat", "cat", SG_KV("dim", "2"), 2, in2, NULL);
    sl = sg_op(g, "SliceChannel", "split", SG_KV("num_outputs", "2", "axis", "2"), 1, &c, NULL);
    in2[0] = x; in2[1] = x;
    r = sg_op(g, "batch_dot", "bd", SG_KV("transpose_b", "True"), 2, in2, NULL);
    t = op1(g, "L2Normalization", SG_KV("mode", "channel"), sg_get_output(g, sl, 0));
    t = op1(g, "transpose", SG_KV("axes", "(1, 0, 2)"), t);
    t = op1(g, "Dropout", SG_KV("p", "0.5"), t);
    t = op1(g, "softmax", SG_KV("axis", "1"), op1(g, "sum", SG_KV("axis", "2"), t));
    loss = sg_add(g, op1(g, "sum", NULL, t), op1(g, "sum", NULL, sg_mul(g, r, r)));
    loss = sg_add(g, loss, op1(g, "sum", NULL, sg_get_output(g, sl, 1)));
    {
        sg_symbol *dc = sg_op(g, "Deconvolution", "deconv", SG_KV("kernel", "(2, 2)", "num_filter", "2", "stride", "(2, 2)"), 1, &img, NULL);
        dc = op1(g, "Pooling", SG_KV("kernel", "(3, 3)", "pool_type", "avg", "pad", "(1, 1)"), dc);
        loss = sg_add(g, loss, op1(g, "sum", NULL, sg_mul(g, dc, dc)));
    }
    loss = op1(g, "MakeLoss", NULL, loss);
    STEP(!loss, sg_graph_error(g));
    memset(sh, 0, sizeof sh);
    sh[0].ndim = 3; sh[0].dims[0] = 2; sh[0].dims[1] = 3; sh[0].dims[2] = 4;
    sh[1].ndim = 2; sh[1].dims[0] = 2; sh[1].dims[1] = 3;
    sh[2].ndim = 4; sh[2].dims[0] = 1; sh[2].dims[1] = 2; sh[2].dims[2] = 3; sh[2].dims[3] = 3;
    STEP(sg_simple_bind(g, loss, SG_CPU, 3, nm, sh, NULL, SG_REQ_WRITE, &ex) < 0, sg_graph_error(g));
    sg_executor_seed(ex, 7);
    STEP(sg_executor_arrays(ex, SG_ARGS, &arr, &n) < 0, sg_executor_error(ex));
    for (i = 0; i < n; i++)
        for (j = 0; j < arr[i]->size; j++) sg_nd_set(arr[i], j, ((j + i) % 7) * 0.1 - 0.3);
    for (j = 0; j < 6; j++) sg_nd_set(sg_executor_arg(ex, "idx"), j, j % 5);
    STEP(sg_forward(ex, 1) < 0, sg_executor_error(ex));
    STEP(sg_backward(ex, 0, NULL) < 0, sg_executor_error(ex));
    dg_add(dg, cap, "loss %.6g ", sg_nd_get(sg_executor_output(ex, "makeloss0_output"), 0));
    STEP(sg_executor_arrays(ex, SG_GRADS, &arr, &n) < 0, sg_executor_error(ex));
    for (i = 0; i < n; i++)
        if (arr[i])
            for (j = 0; j < arr[i]->size && j < 4; j++) dg_add(dg, cap, "%.6g ", sg_nd_get(arr[i], j));
done:
    sg_executor_free(ex);
    sg_graph_free(g);
    return rc;
}

/* real MXNet files: a legacy (0.8) one upgraded on load, a fused-RNN one */
static int wf_load(char *dg, size_t cap) {
    static const char *const files[2] = {"tests/data/mxnet_golden/legacy0800_mlp_bn-symbol.json",
                                         "tests/data/mxnet_golden/lstm_ptb_fusedrnn-symbol.json"};
    int rc = 0, f, n;
    sg_graph *g = NULL;
    for (f = 0; f < 2; f++) {
        sg_symbol *s;
        const char *json, *const *names;
        g = sg_graph_create();
        if (!g) { STEP(1, "sg_graph_create returned NULL"); }
        s = sg_load(g, files[f]);
        STEP(!s, sg_graph_error(g));
        STEP(sg_list_arguments(g, s, &names, &n) < 0, sg_graph_error(g));
        dg_add(dg, cap, "args %g ", n);
        STEP(sg_list_auxiliary_states(g, s, &names, &n) < 0, sg_graph_error(g));
        dg_add(dg, cap, "aux %g ", n);
        STEP(sg_tojson(g, s, &json) < 0, sg_graph_error(g));
        dg_str(dg, cap, json);
        sg_graph_free(g);
        g = NULL;
    }
done:
    sg_graph_free(g);
    return rc;
}

/* Run wf with every allocation failing in turn. */
static void fail_each(const char *name, workflow_fn wf) {
    static char ref[65536], got[65536];
    long total, k, bad = 0, finished = 0, base;
    ref[0] = 0;
    a_fail_at = -1;
    a_calls = 0;
    base = a_live;
    w_bad = 0;
    a_failed = 0;
    if (wf(ref, sizeof ref) != 0) { SG_FAILF("%s: the run with no failure failed: %s", name, w_what); return; }
    CHECK_INT(a_live, base);
    total = a_calls;
    CHECK(total > 10);
    for (k = 0; k < total; k++) {
        int r;
        got[0] = 0;
        a_calls = 0;
        a_fail_at = k;
        a_failed = 0;
        w_bad = 0;
        r = wf(got, sizeof got);
        if (!a_failed) { /* this run made fewer allocations than the reference: it must not differ */
            if (r != 0 || strcmp(got, ref)) { bad++; if (bad < 4) printf("  %s: allocation %ld: run differs with no failure\n", name, k); }
        } else if (w_bad) {
            bad++;
            if (bad < 4) printf("  %s: allocation %ld of %ld: %s\n", name, k, total, w_what);
        } else if (r == 0) { /* the library did without the memory: the results must be the reference's */
            finished++;
            if (strcmp(got, ref)) {
                size_t at = 0;
                while (got[at] && got[at] == ref[at]) at++;
                bad++;
                if (bad < 4) printf("  %s: allocation %ld: finished with other results: \"%.60s\" for \"%.60s\"\n", name, k, got + at, ref + at);
            }
        }
        if (a_live != base) {
            bad++;
            if (bad < 4) printf("  %s: allocation %ld of %ld failed: %ld blocks leaked\n", name, k, total, a_live - base);
            base = a_live;
        }
    }
    a_fail_at = -1;
    printf("  %s: %ld allocations, each made to fail; %ld runs finished anyway\n", name, total, finished);
    CHECK_MSG(bad == 0, "%s: %ld bad failure points", name, bad);
}

SG_TEST(graph_and_json) { fail_each("graph_and_json", wf_graph); }
SG_TEST(inference) { fail_each("inference", wf_infer); }
SG_TEST(executor) { fail_each("executor", wf_exec); }
SG_TEST(param_files) { fail_each("param_files", wf_files); }
SG_TEST(visualization) { fail_each("visualization", wf_viz); }
SG_TEST(training_module) { fail_each("training_module", wf_module); }
SG_TEST(mxnet_files) { fail_each("mxnet_files", wf_load); }
SG_TEST(more_operators) { fail_each("more_operators", wf_ops); }

int main(void) {
    SG_RUN(graph_and_json);
    SG_RUN(inference);
    SG_RUN(executor);
    SG_RUN(param_files);
    SG_RUN(visualization);
    SG_RUN(training_module);
    SG_RUN(mxnet_files);
    SG_RUN(more_operators);
    remove("tests/tmp_alloc.params");
    remove("tests/tmp_alloc.npy");
    remove("tests/tmp_alloc-symbol.json");
    remove("tests/tmp_alloc-0001.params");
    return SG_DONE("test_alloc");
}
