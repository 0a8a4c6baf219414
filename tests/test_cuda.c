/* test_cuda.c - the GPU executor against the CPU executor (make cuda-test).
 *
 * A C99 file built by the host compiler (it holds symgraph.h's implementation)
 * and linked by nvcc with build/symgraph_cuda.o and cuBLAS:
 *   cc -std=c99 -O2 -c tests/test_cuda.c -o build/test_cuda.o
 *   nvcc build/test_cuda.o build/symgraph_cuda.o -lcublas -lz -lm -o build/tests/test_cuda
 * Every operator with a GPU kernel: forward and backward on random inputs,
 * bound with simple_bind on the CPU and on the GPU with the same arrays,
 * outputs, gradients (grad_req write and add) and auxiliary states compared
 * with a relative error below 1e-4 (float32; TF32 is off). Then the
 * Fashion-MNIST MLP is trained for one epoch on each device from the same
 * seed; the accuracies must agree within 0.5 points. With no CUDA device it
 * prints that it skipped and exits 0. */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include "sg_test.h"
#include <stdlib.h>
#include <zlib.h>

static sg_rng R;

/* max |a - b| / max(1, max |a|) over two arrays (b may be on the GPU). */
static double rel_err(const sg_ndarray *a, const sg_ndarray *b) {
    sg_ndarray *ha = sg_nd_zeros_shape(&a->shape, a->dtype), *hb = sg_nd_zeros_shape(&b->shape, b->dtype);
    double mx = 1, d = 0;
    int64_t i;
    if (!ha || !hb || sg_nd_copy_to(a, ha) != SG_OK || sg_nd_copy_to(b, hb) != SG_OK || a->size != b->size) {
        sg_nd_free(ha); sg_nd_free(hb);
        return 1e30;
    }
    for (i = 0; i < a->size; i++) {
        double x = sg_nd_get(ha, i), y = sg_nd_get(hb, i);
        if (fabs(x) > mx) mx = fabs(x);
        if (!(fabs(x - y) <= d)) d = fabs(x - y);
    }
    sg_nd_free(ha); sg_nd_free(hb);
    return d / mx;
}
static int ends(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* Bind s on both devices (shapes for the named inputs, grad_req), run forward
 * and backward (twice with grad_req add), compare everything. */
static void compare(sg_graph *g, sg_symbol *s, int nsh, const char *const *names, const sg_shape *shapes, int dtype,
                    int grad_req, int is_train, const char *what) {
    sg_executor *ec = NULL, *eg = NULL;
    sg_ndarray *const *ca = NULL, *const *ga = NULL, *const *cx = NULL, *const *gx = NULL, *const *cg = NULL, *const *gg = NULL,
                      *const *co = NULL, *const *go = NULL;
    const char *const *an = NULL;
    sg_ndarray *ogc[8], *ogg[8];
    int dts[16], na = 0, nx = 0, no = 0, i, j, rep, ngr = 0;
    double tol = dtype == SG_FLOAT64 ? 1e-9 : 1e-4;
    memset(ogc, 0, sizeof ogc); memset(ogg, 0, sizeof ogg);
    for (i = 0; i < nsh; i++) dts[i] = dtype;
    if (sg_simple_bind(g, s, SG_CPU, nsh, names, shapes, dts, grad_req, &ec) != SG_OK) { SG_FAILF("%s: cpu bind: %s", what, sg_graph_error(g)); return; }
    if (sg_simple_bind(g, s, SG_GPU, nsh, names, shapes, dts, grad_req, &eg) != SG_OK) {
        SG_FAILF("%s: gpu bind: %s", what, sg_graph_error(g));
        sg_executor_free(ec);
        return;
    }
    sg_executor_seed(ec, 7); sg_executor_seed(eg, 7);
    sg_executor_arrays(ec, SG_ARGS, &ca, &na); sg_executor_arrays(eg, SG_ARGS, &ga, &na);
    sg_executor_arrays(ec, SG_AUX, &cx, &nx); sg_executor_arrays(eg, SG_AUX, &gx, &nx);
    sg_executor_arrays(ec, SG_GRADS, &cg, &ngr); sg_executor_arrays(eg, SG_GRADS, &gg, &ngr);
    sg_list_arguments(g, s, &an, &na);
    for (i = 0; i < na; i++) {
        if (ends(an[i], "label")) {
            int64_t cls = 10;
            for (j = 0; j < nsh; j++) if (!strcmp(names[j], "data") && shapes[j].ndim > 1) cls = shapes[j].dims[1];
            for (j = 0; j < ca[i]->size; j++) sg_nd_set(ca[i], j, (double)(sg_rng_next(&R) % (uint64_t)cls));
        } else if (ends(an[i], "rhs")) sg_nd_random_uniform(ca[i], 0.5, 1.5, &R);
        else sg_nd_random_uniform(ca[i], -1, 1, &R);
        CHECK(sg_nd_copy_to(ca[i], ga[i]) == SG_OK);
    }
    for (i = 0; i < nx; i++) {
        sg_nd_random_uniform(cx[i], 0.5, 1.5, &R); /* moving mean / var */
        CHECK(sg_nd_copy_to(cx[i], gx[i]) == SG_OK);
    }
    for (i = 0; i < ngr && grad_req == SG_REQ_ADD; i++)
        if (cg[i]) { sg_nd_random_uniform(cg[i], -1, 1, &R); CHECK(sg_nd_copy_to(cg[i], gg[i]) == SG_OK); }
    sg_executor_outputs(ec, &co, &no); sg_executor_outputs(eg, &go, &no);
    for (i = 0; i < no && i < 8; i++) {
        ogc[i] = sg_nd_zeros_shape(&co[i]->shape, co[i]->dtype);
        ogg[i] = sg_nd_zeros_dev(co[i]->shape.ndim, co[i]->shape.dims, co[i]->dtype, SG_GPU, 0);
        sg_nd_random_uniform(ogc[i], -1, 1, &R);
        CHECK(ogg[i] && sg_nd_copy_to(ogc[i], ogg[i]) == SG_OK);
    }
    for (rep = 0; rep < (grad_req == SG_REQ_ADD ? 2 : 1); rep++) {
        CHECK_MSG(sg_forward(ec, is_train) == SG_OK, "%s: cpu forward: %s", what, sg_executor_error(ec));
        CHECK_MSG(sg_forward(eg, is_train) == SG_OK, "%s: gpu forward: %s", what, sg_executor_error(eg));
        for (i = 0; i < no; i++) CHECK_MSG(rel_err(co[i], go[i]) < tol, "%s: output %d differs (%g)", what, i, rel_err(co[i], go[i]));
        if (grad_req == SG_REQ_NULL) continue;
        CHECK_MSG(sg_backward(ec, no, ogc) == SG_OK, "%s: cpu backward: %s", what, sg_executor_error(ec));
        CHECK_MSG(sg_backward(eg, no, ogg) == SG_OK, "%s: gpu backward: %s", what, sg_executor_error(eg));
        for (i = 0; i < ngr; i++)
            if (cg[i] && !ends(an[i], "label"))
                CHECK_MSG(rel_err(cg[i], gg[i]) < tol, "%s: gradient of %s differs (%g)", what, an[i], rel_err(cg[i], gg[i]));
        for (i = 0; i < nx; i++) CHECK_MSG(rel_err(cx[i], gx[i]) < tol, "%s: aux %d differs (%g)", what, i, rel_err(cx[i], gx[i]));
        for (i = 0; i < na; i++) CHECK_MSG(rel_err(ca[i], ga[i]) < tol, "%s: argument %s differs (%g)", what, an[i], rel_err(ca[i], ga[i]));
    }
    for (i = 0; i < 8; i++) { sg_nd_free(ogc[i]); sg_nd_free(ogg[i]); }
    sg_executor_free(ec);
    sg_executor_free(eg);
}
static sg_shape shp(int nd, int64_t a, int64_t b, int64_t c, int64_t d) {
    sg_shape s;
    memset(&s, 0, sizeof s);
    s.ndim = nd; s.dims[0] = a; s.dims[1] = b; s.dims[2] = c; s.dims[3] = d;
    return s;
}
/* One operator on input "data" (and more inputs it creates), every req and dtype. */
static void op1(const char *op, const char *const *kv, sg_shape dshape, int loss, int dtypes) {
    int req, dt;
    static const int reqs[2] = {SG_REQ_WRITE, SG_REQ_ADD};
    for (dt = 0; dt < 2; dt++) {
        if (dt == 1 && !dtypes) break;
        for (req = 0; req < 2; req++) {
            sg_graph *g = sg_graph_create();
            sg_symbol *x = sg_variable(g, "data");
            sg_symbol *y = sg_op(g, op, "op", kv, 1, &x, NULL);
            const char *names[1] = {"data"};
            char what[256];
            snprintf(what, sizeof what, "%s %s req %d", op, dt ? "float64" : "float32", reqs[req]);
            (void)loss;
            if (!y) { SG_FAILF("%s: %s", what, sg_graph_error(g)); sg_graph_free(g); continue; }
            compare(g, y, 1, names, &dshape, dt ? SG_FLOAT64 : SG_FLOAT32, reqs[req], 1, what);
            if (req == 0) compare(g, y, 1, names, &dshape, dt ? SG_FLOAT64 : SG_FLOAT32, SG_REQ_WRITE, 0, what); /* inference */
            sg_graph_free(g);
        }
    }
}

SG_TEST(elemwise_ops) {
    const char *ops[4] = {"elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div"};
    int i, dt;
    for (i = 0; i < 4; i++)
        for (dt = 0; dt < 2; dt++) {
            sg_graph *g = sg_graph_create();
            sg_symbol *in[2];
            const char *names[2] = {"lhs", "rhs"};
            sg_shape sh[2];
            in[0] = sg_variable(g, "lhs"); in[1] = sg_variable(g, "rhs");
            sh[0] = sh[1] = shp(3, 2, 3, 4, 0);
            compare(g, sg_op(g, ops[i], "e", NULL, 2, in, NULL), 2, names, sh, dt ? SG_FLOAT64 : SG_FLOAT32, SG_REQ_WRITE, 1, ops[i]);
            compare(g, sg_op(g, ops[i], "e2", NULL, 2, in, NULL), 2, names, sh, SG_FLOAT32, SG_REQ_ADD, 1, ops[i]);
            sg_graph_free(g);
        }
}
SG_TEST(shape_ops) {
    op1("Flatten", NULL, shp(4, 2, 3, 4, 5), 0, 1);
    op1("Reshape", SG_KV("shape", "(0, -1)"), shp(3, 2, 3, 4, 0), 0, 1);
    op1("expand_dims", SG_KV("axis", "1"), shp(2, 3, 4, 0, 0), 0, 1);
}
SG_TEST(fully_connected) {
    op1("FullyConnected", SG_KV("num_hidden", "7"), shp(3, 4, 3, 5, 0), 0, 1);
    op1("FullyConnected", SG_KV("num_hidden", "6", "flatten", "False"), shp(3, 4, 3, 5, 0), 0, 1);
    op1("FullyConnected", SG_KV("num_hidden", "33", "no_bias", "True"), shp(2, 65, 129, 0, 0), 0, 0);
}
SG_TEST(activations) {
    const char *acts[5] = {"relu", "sigmoid", "tanh", "softrelu", "softsign"};
    int i;
    for (i = 0; i < 5; i++) op1("Activation", SG_KV("act_type", acts[i]), shp(2, 5, 7, 0, 0), 0, 1);
    op1("relu", NULL, shp(2, 5, 7, 0, 0), 0, 1);
    op1("sigmoid", NULL, shp(2, 5, 7, 0, 0), 0, 0);
    op1("tanh", NULL, shp(2, 5, 7, 0, 0), 0, 0);
}
SG_TEST(softmax_output) {
    op1("SoftmaxOutput", NULL, shp(2, 8, 10, 0, 0), 1, 1);
    op1("SoftmaxOutput", SG_KV("normalization", "batch", "grad_scale", "0.5"), shp(2, 8, 1000, 0, 0), 1, 0);
    op1("SoftmaxOutput", SG_KV("normalization", "valid", "use_ignore", "True", "ignore_label", "3"), shp(2, 64, 10, 0, 0), 1, 0);
    op1("SoftmaxOutput", SG_KV("multi_output", "True"), shp(3, 4, 5, 6, 0), 1, 0);
    op1("SoftmaxOutput", SG_KV("smooth_alpha", "0.1"), shp(2, 8, 10, 0, 0), 1, 0);
}
SG_TEST(batch_norm) {
    op1("BatchNorm", SG_KV("fix_gamma", "False"), shp(4, 4, 3, 5, 5), 0, 1);
    op1("BatchNorm", NULL, shp(4, 4, 3, 5, 5), 0, 0);
    op1("BatchNorm", SG_KV("axis", "-1", "fix_gamma", "False"), shp(2, 300, 6, 0, 0), 0, 0);
    op1("BatchNorm", SG_KV("use_global_stats", "True", "fix_gamma", "False"), shp(4, 2, 3, 4, 4), 0, 0);
}
SG_TEST(convolution) {
    op1("Convolution", SG_KV("kernel", "(3, 3)", "num_filter", "4"), shp(4, 2, 3, 9, 9), 0, 0);
    op1("Convolution", SG_KV("kernel", "(3, 3)", "num_filter", "4", "stride", "(2, 2)", "pad", "(1, 1)"), shp(4, 2, 3, 9, 8), 0, 0);
    op1("Convolution", SG_KV("kernel", "(3, 2)", "num_filter", "6", "num_group", "2", "dilate", "(2, 1)", "no_bias", "True"),
        shp(4, 2, 4, 10, 7), 0, 0);
    op1("Convolution", SG_KV("kernel", "(5, 5)", "num_filter", "32"), shp(4, 8, 1, 28, 28), 0, 0);
}
SG_TEST(pooling) {
    op1("Pooling", SG_KV("kernel", "(2, 2)", "stride", "(2, 2)", "pool_type", "max"), shp(4, 2, 3, 8, 8), 0, 1);
    op1("Pooling", SG_KV("kernel", "(3, 3)", "stride", "(2, 2)", "pad", "(1, 1)", "pool_type", "avg"), shp(4, 2, 3, 9, 9), 0, 1);
    op1("Pooling", SG_KV("kernel", "(3, 3)", "stride", "(2, 2)", "pool_type", "max", "pooling_convention", "full"), shp(4, 2, 3, 8, 8), 0, 0);
    op1("Pooling", SG_KV("kernel", "(2, 2)", "pool_type", "sum"), shp(4, 2, 3, 5, 5), 0, 0);
    op1("Pooling", SG_KV("global_pool", "True", "pool_type", "avg"), shp(4, 2, 3, 5, 5), 0, 0);
    op1("Pooling", SG_KV("kernel", "(3,)", "pool_type", "max"), shp(3, 2, 3, 9, 0), 0, 0);
}
SG_TEST(dropout) {
    op1("Dropout", SG_KV("p", "0.3"), shp(2, 16, 32, 0, 0), 0, 1);
    op1("Dropout", SG_KV("p", "0.5", "axes", "(1,)"), shp(3, 4, 8, 6, 0), 0, 0);
}
SG_TEST(mlp_and_cnn_graphs) {
    sg_graph *g = sg_graph_create();
    sg_symbol *x = sg_variable(g, "data");
    const char *names[1] = {"data"};
    sg_shape sh = shp(4, 8, 1, 28, 28);
    x = sg_op(g, "Convolution", "conv1", SG_KV("kernel", "(5, 5)", "num_filter", "8"), 1, &x, NULL);
    x = sg_op(g, "BatchNorm", "bn1", SG_KV("fix_gamma", "False"), 1, &x, NULL);
    x = sg_activation(g, "relu1", x, "relu");
    x = sg_pooling(g, "pool1", x, "max", 2, 2);
    x = sg_flatten(g, "flatten0", x);
    x = sg_activation(g, "relu3", sg_fully_connected(g, "fc1", x, 32), "relu");
    x = sg_dropout(g, "drop1", x, "0.3");
    x = sg_fully_connected(g, "fc2", x, 10);
    x = sg_softmax_output(g, "softmax", x, NULL);
    compare(g, x, 1, names, &sh, SG_FLOAT32, SG_REQ_WRITE, 1, "cnn");
    compare(g, x, 1, names, &sh, SG_FLOAT32, SG_REQ_ADD, 1, "cnn add");
    sg_graph_free(g);
}
SG_TEST(errors) {
    sg_graph *g = sg_graph_create();
    sg_symbol *x = sg_variable(g, "data"), *y;
    sg_executor *ex = NULL;
    const char *names[1] = {"data"};
    sg_shape sh = shp(2, 3, 4, 0, 0);
    y = sg_op(g, "transpose", "t", NULL, 1, &x, NULL); /* no GPU kernel */
    CHECK(sg_simple_bind(g, y, SG_GPU, 1, names, &sh, NULL, SG_REQ_WRITE, &ex) == SG_ERR_UNSUPPORTED);
    CHECK(strstr(sg_graph_error(g), "has no GPU kernel") != NULL);
    CHECK(ex == NULL);
    CHECK(sg_simple_bind(g, x, 3, 1, names, &sh, NULL, SG_REQ_WRITE, &ex) == SG_ERR_UNSUPPORTED);
    CHECK(strstr(sg_graph_error(g), "no kernels registered for device type 3") != NULL);
    sg_graph_free(g);
}
SG_TEST(optimizer_updates) {
    int64_t n = 1000;
    int i, which;
    for (which = 0; which < 3; which++) {
        sg_ndarray *w = sg_nd_zeros(1, &n, SG_FLOAT32), *gr = sg_nd_zeros(1, &n, SG_FLOAT32), *m = sg_nd_zeros(1, &n, SG_FLOAT32),
                   *v = sg_nd_zeros(1, &n, SG_FLOAT32);
        sg_ndarray *dw = sg_nd_zeros_dev(1, &n, SG_FLOAT32, SG_GPU, 0), *dg = sg_nd_zeros_dev(1, &n, SG_FLOAT32, SG_GPU, 0),
                   *dm = sg_nd_zeros_dev(1, &n, SG_FLOAT32, SG_GPU, 0), *dv = sg_nd_zeros_dev(1, &n, SG_FLOAT32, SG_GPU, 0);
        sg_nd_random_uniform(w, -1, 1, &R); sg_nd_random_uniform(gr, -3, 3, &R); sg_nd_random_uniform(m, -1, 1, &R);
        sg_nd_random_uniform(v, 0, 1, &R);
        sg_nd_copy_to(w, dw); sg_nd_copy_to(gr, dg); sg_nd_copy_to(m, dm); sg_nd_copy_to(v, dv);
        for (i = 0; i < 3; i++) {
            if (which == 0) { CHECK(sg_sgd_update(w, gr, 0.1f, 0.01f, 0.5f, 1.0f) == SG_OK); CHECK(sg_sgd_update(dw, dg, 0.1f, 0.01f, 0.5f, 1.0f) == SG_OK); }
            if (which == 1) {
                CHECK(sg_sgd_mom_update(w, gr, m, 0.1f, 0.9f, 0.01f, 0.5f, -1) == SG_OK);
                CHECK(sg_sgd_mom_update(dw, dg, dm, 0.1f, 0.9f, 0.01f, 0.5f, -1) == SG_OK);
            }
            if (which == 2) {
                CHECK(sg_adam_update(w, gr, m, v, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, 0.5f, 2.0f) == SG_OK);
                CHECK(sg_adam_update(dw, dg, dm, dv, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, 0.5f, 2.0f) == SG_OK);
            }
        }
        CHECK_MSG(rel_err(w, dw) < 1e-5, "update %d: weights differ (%g)", which, rel_err(w, dw));
        CHECK_MSG(rel_err(m, dm) < 1e-5, "update %d: state differs", which);
        sg_nd_free(w); sg_nd_free(gr); sg_nd_free(m); sg_nd_free(v);
        sg_nd_free(dw); sg_nd_free(dg); sg_nd_free(dm); sg_nd_free(dv);
    }
}

/* ---- the Fashion-MNIST MLP, one epoch on each device ---- */
static unsigned char *read_idx(const char *path, int nd, int64_t *dims) {
    gzFile f = gzopen(path, "rb");
    unsigned char hdr[16], *buf;
    int64_t count = 1;
    int i;
    if (!f) return NULL;
    if (gzread(f, hdr, 4 + 4 * nd) != 4 + 4 * nd || hdr[3] != nd) { gzclose(f); return NULL; }
    for (i = 0; i < nd; i++) {
        const unsigned char *p = hdr + 4 + 4 * i;
        dims[i] = ((int64_t)p[0] << 24) | ((int64_t)p[1] << 16) | ((int64_t)p[2] << 8) | p[3];
        count *= dims[i];
    }
    buf = (unsigned char *)malloc((size_t)count);
    if (!buf || gzread(f, buf, (unsigned)count) != (int)count) { free(buf); gzclose(f); return NULL; }
    gzclose(f);
    return buf;
}
static double train_mlp(int dev, sg_ndarray *x, sg_ndarray *y, sg_ndarray *xt, sg_ndarray *yt, double *train_acc) {
    sg_graph *g = sg_graph_create();
    sg_symbol *s = sg_flatten(g, "flatten0", sg_variable(g, "data"));
    sg_module_opts mo;
    sg_module *m = NULL;
    sg_data_iter tr, te;
    sg_metrics tm, vm;
    double acc = -1;
    s = sg_activation(g, "relu1", sg_fully_connected(g, "fc1", s, 256), "relu");
    s = sg_activation(g, "relu2", sg_fully_connected(g, "fc2", s, 128), "relu");
    s = sg_softmax_output(g, "softmax", sg_fully_connected(g, "fc3", s, 10), NULL);
    memset(&mo, 0, sizeof mo);
    mo.data_shape = shp(4, 100, 1, 28, 28);
    mo.optimizer = SG_OPT_SGD;
    mo.learning_rate = 0.1f;
    mo.momentum = 0.9f;
    mo.wd = 0.0001f;
    mo.init.type = SG_INIT_XAVIER;
    mo.init.rnd_type = "uniform";
    mo.init.factor_type = "avg";
    mo.init.magnitude = 3;
    mo.seed = 1;
    mo.dev_type = dev;
    if (sg_module_create(g, s, &mo, &m) != SG_OK) { SG_FAILF("module on %d: %s", dev, sg_graph_error(g)); sg_graph_free(g); return -1; }
    sg_iter_init(&tr, x, y, 100, 1, "discard", 1);
    sg_iter_init(&te, xt, yt, 100, 0, "pad", 0);
    if (sg_module_fit_epoch(m, &tr, &tm, NULL, NULL) != SG_OK || sg_module_score(m, &te, &vm) != SG_OK)
        SG_FAILF("train on %d: %s", dev, sg_module_error(m));
    else { acc = vm.accuracy; *train_acc = tm.accuracy; }
    sg_iter_free(&tr); sg_iter_free(&te);
    sg_module_free(m);
    sg_graph_free(g);
    return acc;
}
static sg_ndarray *to_images(const unsigned char *p, int64_t n) {
    int64_t d[4] = {0, 1, 28, 28}, i;
    sg_ndarray *a;
    d[0] = n;
    a = sg_nd_zeros(4, d, SG_FLOAT32);
    for (i = 0; a && i < n * 784; i++) ((float *)a->data)[i] = p[i] / 255.0f;
    return a;
}
static sg_ndarray *to_labels(const unsigned char *p, int64_t n) {
    sg_ndarray *a = sg_nd_zeros(1, &n, SG_FLOAT32);
    int64_t i;
    for (i = 0; a && i < n; i++) ((float *)a->data)[i] = p[i];
    return a;
}
SG_TEST(fashion_mnist_mlp) {
    const char *dir = "/usr/share/datasets/fashion-mnist";
    char p1[512], p2[512], p3[512], p4[512];
    int64_t d1[3], d2[1], d3[3], d4[1];
    unsigned char *a, *b, *c, *d;
    double acpu, agpu, tcpu = 0, tgpu = 0;
    snprintf(p1, sizeof p1, "%s/train-images-idx3-ubyte.gz", dir); snprintf(p2, sizeof p2, "%s/train-labels-idx1-ubyte.gz", dir);
    snprintf(p3, sizeof p3, "%s/t10k-images-idx3-ubyte.gz", dir); snprintf(p4, sizeof p4, "%s/t10k-labels-idx1-ubyte.gz", dir);
    a = read_idx(p1, 3, d1); b = read_idx(p2, 1, d2); c = read_idx(p3, 3, d3); d = read_idx(p4, 1, d4);
    if (!a || !b || !c || !d) {
        printf("test_cuda: fashion_mnist_mlp skipped: %s missing (apt-get install dataset-fashion-mnist)\n", dir);
    } else {
        sg_ndarray *x = to_images(a, d1[0]), *y = to_labels(b, d2[0]), *xt = to_images(c, d3[0]), *yt = to_labels(d, d4[0]);
        acpu = train_mlp(SG_CPU, x, y, xt, yt, &tcpu);
        agpu = train_mlp(SG_GPU, x, y, xt, yt, &tgpu);
        printf("test_cuda: MLP one epoch: test accuracy CPU %.4f GPU %.4f (train %.4f / %.4f)\n", acpu, agpu, tcpu, tgpu);
        CHECK(acpu > 0.7);
        CHECK_MSG(fabs(acpu - agpu) <= 0.005, "accuracies differ: %g vs %g", acpu, agpu);
        sg_nd_free(x); sg_nd_free(y); sg_nd_free(xt); sg_nd_free(yt);
    }
    free(a); free(b); free(c); free(d);
}

int main(void) {
    if (sg_cuda_register() != SG_OK) {
        printf("test_cuda: skipped: no CUDA device (%s)\n", sg_cuda_error());
        printf("test_cuda: 0 passed, 0 failed\n");
        return 0;
    }
    sg_rng_seed(&R, 42);
    SG_RUN(elemwise_ops);
    SG_RUN(shape_ops);
    SG_RUN(fully_connected);
    SG_RUN(activations);
    SG_RUN(softmax_output);
    SG_RUN(batch_norm);
    SG_RUN(convolution);
    SG_RUN(pooling);
    SG_RUN(dropout);
    SG_RUN(mlp_and_cnn_graphs);
    SG_RUN(errors);
    SG_RUN(optimizer_updates);
    SG_RUN(fashion_mnist_mlp);
    return SG_DONE("test_cuda");
}
