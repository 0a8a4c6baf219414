/* test_cuda.c - the GPU executor against the CPU executor (make cuda-test).
 *
 * A C99 file built by the host compiler (it holds symgraph.h's implementation)
 * and linked by nvcc with build/symgraph_cuda.o and cuBLAS:
 *   cc -std=c99 -O2 -c tests/test_cuda.c -o build/test_cuda.o
 *   nvcc build/test_cuda.o build/symgraph_cuda.o -lcublas -lz -lm -o build/tests/test_cuda
 * Every operator with a GPU kernel: forward and backward on random inputs,
 * bound with simple_bind on the CPU and on the GPU with the same arrays (every
 * argument in the tested dtype), outputs, gradients (grad_req write and add)
 * and auxiliary states compared with a relative error below 1e-4 (float32;
 * TF32 is off) or 1e-9 (float64); some also with per-argument grad_req (null
 * for some inputs) through sg_bind, as Embedding (no data gradient). Then the
 * Fashion-MNIST MLP is trained for one epoch on each device from the same
 * seed; the accuracies must agree within 0.5 points. With no CUDA device it
 * prints that it skipped and exits 0. */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include "sg_test.h"
#include <stdlib.h>
#include <zlib.h>

static sg_rng R;
static int pos_data; /* 1: every input drawn from [0.5, 1.5) (log, sqrt, pow ...) */

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
        if (isnan(x) || isnan(y)) { /* NaN matches NaN only */
            if (!(isnan(x) && isnan(y))) d = 1e30;
            continue;
        }
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
    const char *const *aln = NULL, *anames[32];
    sg_shape ash[32];
    int dts[32], na = 0, nx = 0, no = 0, i, j, rep, ngr = 0, nal = 0;
    double tol = dtype == SG_FLOAT64 ? 1e-9 : 1e-4;
    memset(ogc, 0, sizeof ogc); memset(ogg, 0, sizeof ogg);
    for (i = 0; i < 32; i++) dts[i] = dtype;
    /* every argument in dtype (simple_bind makes the ones it is not told about float32):
     * all of them named, with their inferred shapes */
    if (!s || sg_list_arguments(g, s, &aln, &nal) != SG_OK || nal > 32 || sg_infer_shape(g, s, nsh, names, shapes, 0, ash, NULL, NULL) != SG_OK) {
        SG_FAILF("%s: shapes: %s", what, sg_graph_error(g));
        return;
    }
    for (i = 0; i < nal; i++) anames[i] = aln[i]; /* the list is the graph's until the next listing */
    nsh = nal; names = anames; shapes = ash;
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
        } else if (ends(an[i], "length")) sg_nd_random_uniform(ca[i], 0, 6, &R); /* softmax lengths: 0 .. 5 */
        else if (ends(an[i], "rhs") || pos_data) sg_nd_random_uniform(ca[i], 0.5, 1.5, &R);
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
static sg_shape shp5(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e) {
    sg_shape s = shp(5, a, b, c, d);
    s.dims[4] = e;
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

/* One operator on nin variables named names (shapes given), every req and dtype;
 * same: one variable "data" (shapes[0]) given nin times (a + a, dot(a, a) ...). */
static void opn_any(const char *op, const char *const *kv, int nin, const char *const *names, const sg_shape *shapes, int dtypes, int same) {
    int req, dt, i;
    static const int reqs[2] = {SG_REQ_WRITE, SG_REQ_ADD};
    for (dt = 0; dt < 2; dt++) {
        if (dt == 1 && !dtypes) break;
        for (req = 0; req < 2; req++) {
            sg_graph *g = sg_graph_create();
            sg_symbol *x[8], *y;
            char what[256];
            for (i = 0; i < nin && i < 8; i++) x[i] = (same && i) ? x[0] : sg_variable(g, same ? "data" : names[i]);
            y = sg_op(g, op, "op", kv, nin, x, NULL);
            snprintf(what, sizeof what, "%s (%d inputs%s) %s req %d", op, nin, same ? ", one variable" : "", dt ? "float64" : "float32", reqs[req]);
            if (!y) { SG_FAILF("%s: %s", what, sg_graph_error(g)); sg_graph_free(g); continue; }
            compare(g, y, same ? 1 : nin, names, shapes, dt ? SG_FLOAT64 : SG_FLOAT32, reqs[req], 1, what);
            if (req == 0) compare(g, y, same ? 1 : nin, names, shapes, dt ? SG_FLOAT64 : SG_FLOAT32, SG_REQ_WRITE, 0, what);
            sg_graph_free(g);
        }
    }
}
static void opn(const char *op, const char *const *kv, int nin, const char *const *names, const sg_shape *shapes, int dtypes) {
    opn_any(op, kv, nin, names, shapes, dtypes, 0);
}
static void op_same(const char *op, const char *const *kv, int nin, sg_shape shape, int dtypes) {
    static const char *const names[1] = {"data"};
    opn_any(op, kv, nin, names, &shape, dtypes, 1);
}
/* lhs and rhs (rhs drawn from [0.5, 1.5)) */
static void op2(const char *op, const char *const *kv, sg_shape l, sg_shape r, int dtypes) {
    static const char *const names[2] = {"lhs", "rhs"};
    sg_shape sh[2];
    sh[0] = l; sh[1] = r;
    opn(op, kv, 2, names, sh, dtypes);
}

SG_TEST(elemwise_ops) {
    static const char *const ops[13] = {"elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div", "_power", "_maximum",
                                        "_minimum", "_equal", "_not_equal", "_greater", "_greater_equal", "_lesser", "_lesser_equal"};
    int i;
    for (i = 0; i < 13; i++) {
        pos_data = !strcmp(ops[i], "_power");
        op2(ops[i], NULL, shp(3, 2, 3, 4, 0), shp(3, 2, 3, 4, 0), 1);
        pos_data = 0;
    }
    op2("_Plus", NULL, shp(1, 1000, 0, 0, 0), shp(1, 1000, 0, 0, 0), 0); /* an alias */
    op_same("elemwise_mul", NULL, 2, shp(2, 3, 4, 0, 0), 1);             /* a * a: lhs then rhs into one gradient */
    pos_data = 1;
    op_same("_power", NULL, 2, shp(2, 3, 4, 0, 0), 0);
    pos_data = 0;
}
SG_TEST(scalar_ops) {
    static const char *const ops[16] = {"_plus_scalar", "_minus_scalar", "_rminus_scalar", "_mul_scalar", "_div_scalar", "_rdiv_scalar",
                                        "_power_scalar", "_rpower_scalar", "_maximum_scalar", "_minimum_scalar", "_equal_scalar",
                                        "_not_equal_scalar", "_greater_scalar", "_greater_equal_scalar", "_lesser_scalar",
                                        "_lesser_equal_scalar"};
    int i;
    for (i = 0; i < 16; i++) {
        const char *sc = !strcmp(ops[i], "_power_scalar") ? "3" : !strcmp(ops[i], "_rpower_scalar") ? "2" : "0.3";
        pos_data = !strcmp(ops[i], "_rdiv_scalar");
        op1(ops[i], SG_KV("scalar", sc), shp(3, 2, 3, 4, 0), 0, 1);
        pos_data = 0;
    }
    pos_data = 1;
    op1("_power_scalar", SG_KV("scalar", "1.5"), shp(2, 5, 7, 0, 0), 0, 1);
    op1("_rdiv_scalar", SG_KV("scalar", "-2"), shp(2, 5, 7, 0, 0), 0, 0);
    pos_data = 0;
    op1("_MulScalar", SG_KV("scalar", "-1.25"), shp(1, 3000, 0, 0, 0), 0, 0); /* an alias */
}
SG_TEST(unary_ops) {
    static const char *const ops[8] = {"sin", "cos", "exp", "log", "sqrt", "square", "abs", "negative"};
    int i;
    for (i = 0; i < 8; i++) {
        pos_data = !strcmp(ops[i], "log") || !strcmp(ops[i], "sqrt");
        op1(ops[i], NULL, shp(3, 2, 3, 4, 0), 0, 1);
        pos_data = 0;
    }
    op1("clip", SG_KV("a_min", "-0.3", "a_max", "0.4"), shp(2, 6, 7, 0, 0), 0, 1);
    op1("_copy", NULL, shp(2, 6, 7, 0, 0), 0, 1);
    op1("identity", NULL, shp(1, 5, 0, 0, 0), 0, 0);
    op1("BlockGrad", NULL, shp(2, 6, 7, 0, 0), 0, 1);
}
SG_TEST(broadcast_ops) {
    static const char *const ops[4] = {"broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div"};
    int i;
    for (i = 0; i < 4; i++) {
        op2(ops[i], NULL, shp(3, 2, 3, 4, 0), shp(2, 3, 1, 0, 0), 1);  /* rhs summed over axes 0 and 2 */
        op2(ops[i], NULL, shp(2, 1, 5, 0, 0), shp(2, 4, 1, 0, 0), 1);  /* both summed */
        op2(ops[i], NULL, shp(2, 3, 4, 0, 0), shp(2, 3, 4, 0, 0), 0);  /* same shapes */
        op2(ops[i], NULL, shp(2, 64, 300, 0, 0), shp(2, 1, 300, 0, 0), 0); /* one block per gradient element */
        op2(ops[i], NULL, shp(2, 2, 2048, 0, 0), shp(1, 2048, 0, 0, 0), 0); /* one thread per gradient element */
        op2(ops[i], NULL, shp(1, 1, 0, 0, 0), shp(3, 2, 3, 4, 0), 0);  /* lhs (1,) against a 3-D rhs */
    }
    op_same("broadcast_mul", NULL, 2, shp(2, 3, 4, 0, 0), 0);
    op1("broadcast_to", SG_KV("shape", "(2, 3, 4)"), shp(3, 2, 1, 4, 0), 0, 1);
    op1("broadcast_to", SG_KV("shape", "(0, 5)"), shp(2, 3, 1, 0, 0), 0, 1);
    op1("broadcast_to", SG_KV("shape", "(70, 300)"), shp(2, 1, 300, 0, 0), 0, 0);
    op1("broadcast_to", SG_KV("shape", "(2, 2048)"), shp(2, 1, 2048, 0, 0), 0, 0);
    op1("broadcast_to", SG_KV("shape", "(2, 3)"), shp(2, 2, 3, 0, 0), 0, 0);
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
    const char *acts[7] = {"relu", "sigmoid", "tanh", "softrelu", "softsign", "log_sigmoid", "mish"};
    int i;
    for (i = 0; i < 7; i++) op1("Activation", SG_KV("act_type", acts[i]), shp(2, 5, 7, 0, 0), 0, 1);
    op1("relu", NULL, shp(2, 5, 7, 0, 0), 0, 1);
    op1("sigmoid", NULL, shp(2, 5, 7, 0, 0), 0, 0);
    op1("tanh", NULL, shp(2, 5, 7, 0, 0), 0, 0);
}
SG_TEST(softmax_ops) {
    static const char *const lnames[2] = {"data", "length"};
    sg_shape lsh[2];
    op1("softmax", NULL, shp(2, 8, 10, 0, 0), 0, 1);
    op1("log_softmax", NULL, shp(2, 8, 10, 0, 0), 0, 1);
    op1("softmax", SG_KV("axis", "1", "temperature", "2.5"), shp(3, 2, 5, 3, 0), 0, 1);
    op1("log_softmax", SG_KV("axis", "0", "temperature", "0.5"), shp(3, 4, 2, 3, 0), 0, 1);
    op1("softmax", NULL, shp(2, 3, 1000, 0, 0), 0, 0);
    op1("log_softmax", SG_KV("axis", "1"), shp(3, 2, 700, 3, 0), 0, 0);
    op1("softmax", SG_KV("dtype", "float64"), shp(2, 4, 6, 0, 0), 0, 0); /* float32 in, float64 out */
    op1("softmax", SG_KV("dtype", "float32"), shp(2, 4, 6, 0, 0), 0, 1); /* and float64 in, float32 out */
    lsh[0] = shp(3, 3, 5, 2, 0);
    lsh[1] = shp(2, 3, 2, 0, 0);
    opn("softmax", SG_KV("axis", "1", "use_length", "True"), 2, lnames, lsh, 1);
}
SG_TEST(leaky_relu) {
    static const char *const gnames[2] = {"data", "gamma"};
    sg_shape gsh[2];
    op1("LeakyReLU", NULL, shp(3, 4, 3, 5, 0), 0, 1);
    op1("LeakyReLU", SG_KV("act_type", "leaky", "slope", "0.1"), shp(3, 4, 3, 5, 0), 0, 1);
    op1("LeakyReLU", SG_KV("act_type", "elu", "slope", "0.3"), shp(3, 4, 3, 5, 0), 0, 1);
    op1("LeakyReLU", SG_KV("act_type", "selu"), shp(3, 4, 3, 5, 0), 0, 1);
    op1("LeakyReLU", SG_KV("act_type", "gelu"), shp(3, 4, 3, 5, 0), 0, 1);
    op1("LeakyReLU", SG_KV("act_type", "prelu"), shp(3, 4, 3, 5, 0), 0, 1); /* gamma (3,) */
    op1("LeakyReLU", SG_KV("act_type", "rrelu"), shp(2, 16, 32, 0, 0), 0, 1); /* masks drawn on the host */
    gsh[0] = shp(3, 4, 3, 5, 0);
    gsh[1] = shp(2, 4, 3, 0, 0); /* gamma over dims 0 and 1 */
    opn("LeakyReLU", SG_KV("act_type", "prelu"), 2, gnames, gsh, 1);
    gsh[1] = shp(1, 1, 0, 0, 0);
    opn("LeakyReLU", SG_KV("act_type", "prelu"), 2, gnames, gsh, 0);
    gsh[0] = shp(2, 600, 4, 0, 0);
    gsh[1] = shp(1, 4, 0, 0, 0);
    opn("LeakyReLU", SG_KV("act_type", "prelu"), 2, gnames, gsh, 0);
}
SG_TEST(regression_outputs) {
    op1("LinearRegressionOutput", NULL, shp(2, 8, 3, 0, 0), 1, 1);
    op1("LogisticRegressionOutput", SG_KV("grad_scale", "0.5"), shp(2, 8, 3, 0, 0), 1, 1);
    op1("MAERegressionOutput", NULL, shp(2, 8, 3, 0, 0), 1, 1);
    op1("LinearRegressionOutput", NULL, shp(2, 8, 1, 0, 0), 1, 0); /* label (8,) */
    op1("MakeLoss", NULL, shp(2, 8, 3, 0, 0), 1, 1);
    op1("MakeLoss", SG_KV("normalization", "batch", "grad_scale", "2"), shp(3, 4, 3, 5, 0), 1, 1);
    op1("MakeLoss", SG_KV("normalization", "valid", "valid_thresh", "0.2"), shp(2, 40, 70, 0, 0), 1, 1);
}
SG_TEST(dot_ops) {
    op2("dot", NULL, shp(2, 4, 5, 0, 0), shp(2, 5, 3, 0, 0), 1);
    op2("dot", SG_KV("transpose_a", "True"), shp(2, 5, 4, 0, 0), shp(2, 5, 3, 0, 0), 1);
    op2("dot", SG_KV("transpose_b", "True"), shp(2, 4, 5, 0, 0), shp(2, 3, 5, 0, 0), 1);
    op2("dot", SG_KV("transpose_a", "True", "transpose_b", "True"), shp(2, 5, 4, 0, 0), shp(2, 3, 5, 0, 0), 1);
    op2("dot", NULL, shp(3, 2, 3, 5, 0), shp(2, 5, 4, 0, 0), 0);
    op2("dot", NULL, shp(1, 7, 0, 0, 0), shp(1, 7, 0, 0, 0), 1);
    op2("dot", NULL, shp(2, 64, 300, 0, 0), shp(2, 300, 70, 0, 0), 0);
    op_same("dot", NULL, 2, shp(2, 6, 6, 0, 0), 1); /* dA then dB into one gradient */
    op2("batch_dot", NULL, shp(3, 3, 4, 5, 0), shp(3, 3, 5, 2, 0), 1);
    op2("batch_dot", SG_KV("transpose_a", "True"), shp(3, 3, 5, 4, 0), shp(3, 3, 5, 2, 0), 1);
    op2("batch_dot", SG_KV("transpose_b", "True"), shp(3, 3, 4, 5, 0), shp(3, 3, 2, 5, 0), 1);
    op2("batch_dot", SG_KV("transpose_a", "True", "transpose_b", "True"), shp(4, 2, 3, 5, 4), shp(4, 2, 3, 2, 5), 0);
    op_same("batch_dot", SG_KV("transpose_b", "True"), 2, shp(3, 2, 4, 4, 0), 0);
}
SG_TEST(transpose_and_reductions) {
    op1("transpose", NULL, shp(3, 2, 3, 4, 0), 0, 1);
    op1("transpose", SG_KV("axes", "(0, 2, 1)"), shp(3, 2, 3, 4, 0), 0, 1);
    op1("transpose", SG_KV("axes", "(1, 0)"), shp(2, 5, 7, 0, 0), 0, 0);
    op1("transpose", SG_KV("axes", "(3, 1, 0, 2)"), shp(4, 2, 3, 4, 5), 0, 0);
    op1("sum", NULL, shp(3, 2, 3, 4, 0), 0, 1);
    op1("sum", SG_KV("axis", "1"), shp(3, 2, 3, 4, 0), 0, 1);
    op1("mean", SG_KV("axis", "(0, 2)", "keepdims", "True"), shp(3, 2, 3, 4, 0), 0, 1);
    op1("max", SG_KV("axis", "-1"), shp(3, 2, 3, 4, 0), 0, 1);
    op1("min", SG_KV("axis", "0", "exclude", "True"), shp(3, 2, 3, 4, 0), 0, 1);
    op1("mean", NULL, shp(3, 2, 3, 4, 0), 0, 0);
    op1("max", NULL, shp(2, 30, 40, 0, 0), 0, 0);
    op1("sum", SG_KV("axis", "1"), shp(2, 4, 500, 0, 0), 0, 0);   /* one block per output */
    op1("mean", SG_KV("axis", "1"), shp(2, 2048, 2, 0, 0), 0, 0); /* one thread per output */
    op1("min", SG_KV("axis", "(1,)", "keepdims", "True"), shp(2, 4, 500, 0, 0), 0, 0);
    op1("sum_axis", SG_KV("axis", "(0, 1)"), shp(3, 5, 6, 7, 0), 0, 0);
}
SG_TEST(concat_split_slice) {
    static const char *const n3[3] = {"a", "b", "c"}, *const n2[2] = {"a", "b"};
    sg_shape sh[3];
    sh[0] = shp(3, 2, 3, 4, 0); sh[1] = shp(3, 2, 1, 4, 0); sh[2] = shp(3, 2, 2, 4, 0);
    opn("Concat", SG_KV("num_args", "3", "dim", "1"), 3, n3, sh, 1);
    sh[0] = shp(3, 2, 3, 4, 0); sh[1] = shp(3, 1, 3, 4, 0); sh[2] = shp(3, 3, 3, 4, 0);
    opn("Concat", SG_KV("num_args", "3", "dim", "0"), 3, n3, sh, 0);
    sh[0] = shp(2, 2, 3, 0, 0); sh[1] = shp(2, 2, 5, 0, 0);
    opn("concat", SG_KV("num_args", "2", "dim", "-1"), 2, n2, sh, 1);
    op_same("Concat", SG_KV("num_args", "2", "dim", "1"), 2, shp(2, 3, 4, 0, 0), 0); /* a repeated input accumulates */
    op1("SliceChannel", SG_KV("num_outputs", "3"), shp(3, 2, 6, 4, 0), 0, 1);
    op1("SliceChannel", SG_KV("num_outputs", "2", "axis", "-1"), shp(2, 3, 4, 0, 0), 0, 1);
    op1("split", SG_KV("num_outputs", "3", "axis", "1", "squeeze_axis", "True"), shp(3, 2, 3, 4, 0), 0, 0);
    op1("SliceChannel", SG_KV("num_outputs", "4", "axis", "0"), shp(2, 8, 5, 0, 0), 0, 0);
    op1("slice_axis", SG_KV("axis", "1", "begin", "1", "end", "3"), shp(3, 3, 4, 3, 0), 0, 1);
    op1("slice_axis", SG_KV("axis", "-1", "begin", "-2", "end", "None"), shp(2, 2, 5, 0, 0), 0, 1);
    op1("slice_axis", SG_KV("axis", "0", "begin", "0", "end", "1"), shp(2, 3, 4, 0, 0), 0, 0);
}
SG_TEST(add_n_op) {
    static const char *const n3[3] = {"a", "b", "c"};
    sg_shape sh[3];
    sh[0] = sh[1] = sh[2] = shp(3, 2, 3, 4, 0);
    opn("add_n", SG_KV("num_args", "3"), 3, n3, sh, 1);
    opn("ElementWiseSum", SG_KV("num_args", "2"), 2, n3, sh, 0);
    opn("add_n", SG_KV("num_args", "1"), 1, n3, sh, 1);
    op_same("add_n", SG_KV("num_args", "3"), 3, shp(2, 5, 6, 0, 0), 1); /* a repeated input accumulates */
}
/* Per-argument grad_req, some null (the kernels get NULL input gradients):
 * bound with sg_bind on both devices; one output. */
static void compare_reqs(const char *op, const char *const *kv, int nin, const char *const *names, const sg_shape *shapes, int dtype,
                         const int *reqs) {
    sg_graph *g = sg_graph_create();
    sg_symbol *x[8], *y;
    const char *const *aln = NULL, *an[8];
    sg_shape ash[8];
    sg_ndarray *ha[8], *da[8], *hg[8], *dg[8], *hog = NULL, *dog = NULL, *const *co = NULL, *const *go = NULL;
    sg_executor *ec = NULL, *eg = NULL;
    int na = 0, i, q, nc = 0, ngo = 0, rq[8];
    double tol = dtype == SG_FLOAT64 ? 1e-9 : 1e-4;
    char what[256];
    memset(ha, 0, sizeof ha); memset(da, 0, sizeof da); memset(hg, 0, sizeof hg); memset(dg, 0, sizeof dg);
    snprintf(what, sizeof what, "%s %s reqs %d %d %d", op, dtype == SG_FLOAT64 ? "float64" : "float32", reqs[0], nin > 1 ? reqs[1] : -1, nin > 2 ? reqs[2] : -1);
    for (i = 0; i < nin && i < 8; i++) x[i] = sg_variable(g, names[i]);
    y = sg_op(g, op, "op", kv, nin, x, NULL);
    if (!y || sg_list_arguments(g, y, &aln, &na) != SG_OK || na != nin || sg_infer_shape(g, y, nin, names, shapes, 0, ash, NULL, NULL) != SG_OK) {
        SG_FAILF("%s: setup: %s", what, sg_graph_error(g));
        sg_graph_free(g);
        return;
    }
    for (i = 0; i < na; i++) {
        an[i] = aln[i];
        rq[i] = reqs[i];
        ha[i] = sg_nd_zeros_shape(&ash[i], dtype);
        da[i] = sg_nd_zeros_dev(ash[i].ndim, ash[i].dims, dtype, SG_GPU, 0);
        if (!ha[i] || !da[i]) { SG_FAILF("%s: arrays", what); goto done; }
        if (ends(an[i], "rhs") || pos_data) sg_nd_random_uniform(ha[i], 0.5, 1.5, &R);
        else sg_nd_random_uniform(ha[i], -1, 1, &R);
        CHECK(sg_nd_copy_to(ha[i], da[i]) == SG_OK);
        if (rq[i] == SG_REQ_NULL) continue;
        hg[i] = sg_nd_zeros_shape(&ash[i], dtype);
        dg[i] = sg_nd_zeros_dev(ash[i].ndim, ash[i].dims, dtype, SG_GPU, 0);
        if (!hg[i] || !dg[i]) { SG_FAILF("%s: arrays", what); goto done; }
        if (rq[i] == SG_REQ_ADD) sg_nd_random_uniform(hg[i], -1, 1, &R);
        CHECK(sg_nd_copy_to(hg[i], dg[i]) == SG_OK);
    }
    for (q = 0; q < 2; q++) {
        sg_bind_desc d;
        memset(&d, 0, sizeof d);
        d.nargs = na; d.arg_names = an; d.args = q ? da : ha;
        d.ngrads = na; d.grad_names = an; d.grads = q ? dg : hg; d.grad_req = rq;
        if (sg_bind(g, y, q ? SG_GPU : SG_CPU, &d, q ? &eg : &ec) != SG_OK) { SG_FAILF("%s: bind %d: %s", what, q, sg_graph_error(g)); goto done; }
    }
    sg_executor_outputs(ec, &co, &nc);
    sg_executor_outputs(eg, &go, &ngo);
    if (!co || !go || nc != 1 || ngo != 1) { SG_FAILF("%s: outputs", what); goto done; }
    hog = sg_nd_zeros_shape(&co[0]->shape, dtype);
    dog = sg_nd_zeros_dev(co[0]->shape.ndim, co[0]->shape.dims, dtype, SG_GPU, 0);
    if (!hog || !dog) { SG_FAILF("%s: arrays", what); goto done; }
    sg_nd_random_uniform(hog, -1, 1, &R);
    CHECK(sg_nd_copy_to(hog, dog) == SG_OK);
    CHECK_MSG(sg_forward(ec, 1) == SG_OK, "%s: cpu forward: %s", what, sg_executor_error(ec));
    CHECK_MSG(sg_forward(eg, 1) == SG_OK, "%s: gpu forward: %s", what, sg_executor_error(eg));
    CHECK_MSG(rel_err(co[0], go[0]) < tol, "%s: output differs (%g)", what, rel_err(co[0], go[0]));
    CHECK_MSG(sg_backward(ec, 1, &hog) == SG_OK, "%s: cpu backward: %s", what, sg_executor_error(ec));
    CHECK_MSG(sg_backward(eg, 1, &dog) == SG_OK, "%s: gpu backward: %s", what, sg_executor_error(eg));
    for (i = 0; i < na; i++)
        if (hg[i]) CHECK_MSG(rel_err(hg[i], dg[i]) < tol, "%s: gradient of %s differs (%g)", what, an[i], rel_err(hg[i], dg[i]));
done:
    sg_executor_free(ec); sg_executor_free(eg);
    for (i = 0; i < 8; i++) { sg_nd_free(ha[i]); sg_nd_free(da[i]); sg_nd_free(hg[i]); sg_nd_free(dg[i]); }
    sg_nd_free(hog); sg_nd_free(dog);
    sg_graph_free(g);
}
SG_TEST(partial_gradients) {
    static const char *const lr[2] = {"lhs", "rhs"}, *const n3[3] = {"a", "b", "c"}, *const dg[2] = {"data", "gamma"};
    static const int r01[3] = {SG_REQ_NULL, SG_REQ_WRITE, SG_REQ_ADD}, r10[3] = {SG_REQ_ADD, SG_REQ_NULL, SG_REQ_WRITE},
                     r100[3] = {SG_REQ_WRITE, SG_REQ_NULL, SG_REQ_NULL};
    sg_shape sh[3];
    int dt;
    for (dt = 0; dt < 2; dt++) {
        int t = dt ? SG_FLOAT64 : SG_FLOAT32;
        sh[0] = sh[1] = sh[2] = shp(3, 2, 3, 4, 0);
        compare_reqs("elemwise_div", NULL, 2, lr, sh, t, r01);
        compare_reqs("elemwise_div", NULL, 2, lr, sh, t, r10);
        compare_reqs("add_n", SG_KV("num_args", "3"), 3, n3, sh, t, r01);
        compare_reqs("add_n", SG_KV("num_args", "3"), 3, n3, sh, t, r10);
        pos_data = 1;
        compare_reqs("_power", NULL, 2, lr, sh, t, r01);
        compare_reqs("_power", NULL, 2, lr, sh, t, r10);
        pos_data = 0;
        sh[1] = shp(2, 3, 1, 0, 0);
        compare_reqs("broadcast_div", NULL, 2, lr, sh, t, r01);
        compare_reqs("broadcast_sub", NULL, 2, lr, sh, t, r10);
        sh[0] = shp(2, 5, 4, 0, 0); sh[1] = shp(2, 5, 3, 0, 0);
        compare_reqs("dot", SG_KV("transpose_a", "True"), 2, lr, sh, t, r01);
        compare_reqs("dot", SG_KV("transpose_a", "True"), 2, lr, sh, t, r10);
        sh[0] = shp(3, 2, 4, 5, 0); sh[1] = shp(3, 2, 3, 5, 0);
        compare_reqs("batch_dot", SG_KV("transpose_b", "True"), 2, lr, sh, t, r01);
        compare_reqs("batch_dot", SG_KV("transpose_b", "True"), 2, lr, sh, t, r10);
        sh[0] = shp(2, 2, 3, 0, 0); sh[1] = shp(2, 2, 1, 0, 0); sh[2] = shp(2, 2, 4, 0, 0);
        compare_reqs("Concat", SG_KV("num_args", "3", "dim", "1"), 3, n3, sh, t, r01);
        compare_reqs("Concat", SG_KV("num_args", "3", "dim", "1"), 3, n3, sh, t, r10);
        compare_reqs("Concat", SG_KV("num_args", "3", "dim", "1"), 3, n3, sh, t, r100);
        sh[0] = shp(3, 4, 3, 5, 0); sh[1] = shp(1, 3, 0, 0, 0);
        compare_reqs("LeakyReLU", SG_KV("act_type", "prelu"), 2, dg, sh, t, r01);
        compare_reqs("LeakyReLU", SG_KV("act_type", "prelu"), 2, dg, sh, t, r10);
    }
}
/* Embedding: bound explicitly (the data, indices, takes no gradient); indices
 * float32 or int32, some outside [0, input_dim) (clipped), repeated rows. */
SG_TEST(embedding) {
    int dt, req;
    for (dt = 0; dt < 2; dt++)
        for (req = 0; req < 2; req++) {
            sg_graph *g = sg_graph_create();
            sg_symbol *y = sg_op(g, "Embedding", "em", SG_KV("input_dim", "7", "output_dim", "5", "dtype", dt ? "float64" : "float32"), 1,
                                 (sg_symbol *const[1]){sg_variable(g, "data")}, NULL);
            int64_t dd[2] = {6, 4}, wd[2] = {7, 5}, od[3] = {6, 4, 5};
            int wdt = dt ? SG_FLOAT64 : SG_FLOAT32, idt = dt ? SG_INT32 : SG_FLOAT32, i, q, reqs[2];
            sg_ndarray *hx = sg_nd_zeros(2, dd, idt), *hw = sg_nd_zeros(2, wd, wdt), *hg = sg_nd_zeros(2, wd, wdt), *hog = sg_nd_zeros(3, od, wdt);
            sg_ndarray *dx = sg_nd_zeros_dev(2, dd, idt, SG_GPU, 0), *dw = sg_nd_zeros_dev(2, wd, wdt, SG_GPU, 0),
                       *dg = sg_nd_zeros_dev(2, wd, wdt, SG_GPU, 0), *dog = sg_nd_zeros_dev(3, od, wdt, SG_GPU, 0);
            sg_executor *ec = NULL, *eg = NULL;
            const char *names[2] = {"data", "em_weight"}, *gnames[1] = {"em_weight"};
            char what[64];
            snprintf(what, sizeof what, "Embedding %s req %d", dt ? "float64" : "float32", req ? SG_REQ_ADD : SG_REQ_WRITE);
            if (!y || !hx || !hw || !hg || !hog || !dx || !dw || !dg || !dog) { SG_FAILF("%s: setup", what); goto next; }
            for (i = 0; i < 24; i++) sg_nd_set(hx, i, (double)((int)(sg_rng_next(&R) % 11) - 2) + (dt ? 0.0 : 0.5)); /* -2 .. 8(.5) */
            sg_nd_random_uniform(hw, -1, 1, &R);
            sg_nd_random_uniform(hog, -1, 1, &R);
            if (req) sg_nd_random_uniform(hg, -1, 1, &R);
            CHECK(sg_nd_copy_to(hx, dx) == SG_OK && sg_nd_copy_to(hw, dw) == SG_OK && sg_nd_copy_to(hg, dg) == SG_OK &&
                  sg_nd_copy_to(hog, dog) == SG_OK);
            reqs[0] = SG_REQ_NULL;
            reqs[1] = req ? SG_REQ_ADD : SG_REQ_WRITE;
            for (q = 0; q < 2; q++) {
                sg_bind_desc d;
                sg_ndarray *args[2], *grads[1];
                memset(&d, 0, sizeof d);
                args[0] = q ? dx : hx; args[1] = q ? dw : hw; grads[0] = q ? dg : hg;
                d.nargs = 2; d.arg_names = names; d.args = args;
                d.ngrads = 1; d.grad_names = gnames; d.grads = grads; d.grad_req = reqs;
                if (sg_bind(g, y, q ? SG_GPU : SG_CPU, &d, q ? &eg : &ec) != SG_OK) { SG_FAILF("%s: bind %d: %s", what, q, sg_graph_error(g)); goto next; }
            }
            for (q = 0; q < 2; q++) {
                sg_ndarray *const *co = NULL, *const *go = NULL;
                int nc = 0, ng = 0;
                CHECK_MSG(sg_forward(ec, 1) == SG_OK, "%s: cpu forward: %s", what, sg_executor_error(ec));
                CHECK_MSG(sg_forward(eg, 1) == SG_OK, "%s: gpu forward: %s", what, sg_executor_error(eg));
                sg_executor_outputs(ec, &co, &nc);
                sg_executor_outputs(eg, &go, &ng);
                if (!co || !go || nc != 1 || ng != 1) { SG_FAILF("%s: outputs", what); break; }
                CHECK_MSG(rel_err(co[0], go[0]) == 0, "%s: output differs (%g)", what, rel_err(co[0], go[0]));
                CHECK_MSG(sg_backward(ec, 1, &hog) == SG_OK, "%s: cpu backward: %s", what, sg_executor_error(ec));
                CHECK_MSG(sg_backward(eg, 1, &dog) == SG_OK, "%s: gpu backward: %s", what, sg_executor_error(eg));
                CHECK_MSG(rel_err(hg, dg) < (dt ? 1e-9 : 1e-5), "%s: weight gradient differs (%g)", what, rel_err(hg, dg));
                if (!req) break;
            }
        next:
            sg_executor_free(ec); sg_executor_free(eg);
            sg_nd_free(hx); sg_nd_free(hw); sg_nd_free(hg); sg_nd_free(hog);
            sg_nd_free(dx); sg_nd_free(dw); sg_nd_free(dg); sg_nd_free(dog);
            sg_graph_free(g);
        }
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
    op1("Convolution", SG_KV("kernel", "(3, 3)", "num_filter", "3", "pad", "(1, 1)"), shp(4, 2, 2, 6, 5), 0, 1); /* float64 */
    op1("Convolution", SG_KV("kernel", "(1, 1)", "num_filter", "5"), shp(4, 3, 4, 3, 3), 0, 1);   /* 1x1: no im2col */
    op1("Convolution", SG_KV("kernel", "(3,)", "num_filter", "4", "stride", "(2,)", "pad", "(1,)"), shp(3, 2, 3, 11, 0), 0, 1); /* 1-D */
    op1("Convolution", SG_KV("kernel", "(2, 3, 2)", "num_filter", "4", "num_group", "2", "stride", "(1, 2, 1)", "pad", "(1, 0, 1)",
                             "dilate", "(2, 1, 1)"),
        shp5(2, 4, 5, 6, 4), 0, 1); /* 3-D */
}
/* Deconvolution: the transpose of Convolution's data gradient (the column side
 * is its input); bias, groups, stride, pad, adj, dilation, target_shape, 1-D to 3-D. */
SG_TEST(deconvolution) {
    op1("Deconvolution", SG_KV("kernel", "(3, 3)", "num_filter", "4"), shp(4, 2, 3, 5, 5), 0, 1);
    op1("Deconvolution", SG_KV("kernel", "(3, 3)", "num_filter", "4", "stride", "(2, 2)", "pad", "(1, 1)", "adj", "(1, 1)",
                               "no_bias", "False"),
        shp(4, 2, 3, 5, 4), 0, 1);
    op1("Deconvolution", SG_KV("kernel", "(3, 2)", "num_filter", "6", "num_group", "3", "dilate", "(2, 1)", "stride", "(1, 2)",
                               "no_bias", "False"),
        shp(4, 2, 6, 4, 5), 0, 1);
    op1("Deconvolution", SG_KV("kernel", "(4, 4)", "num_filter", "3", "stride", "(2, 2)", "target_shape", "(10, 9)"),
        shp(4, 2, 2, 5, 5), 0, 1);
    op1("Deconvolution", SG_KV("kernel", "(1, 1)", "num_filter", "5", "no_bias", "False"), shp(4, 3, 4, 3, 3), 0, 1); /* 1x1: no col2im */
    op1("Deconvolution", SG_KV("kernel", "(3,)", "num_filter", "4", "stride", "(3,)", "pad", "(1,)"), shp(3, 2, 3, 7, 0), 0, 1); /* 1-D */
    op1("Deconvolution", SG_KV("kernel", "(2, 3, 2)", "num_filter", "4", "num_group", "2", "stride", "(2, 1, 2)", "pad", "(0, 1, 1)",
                               "no_bias", "False"),
        shp5(2, 4, 3, 4, 3), 0, 1); /* 3-D */
    op1("Deconvolution", SG_KV("kernel", "(5, 5)", "num_filter", "8", "stride", "(2, 2)", "pad", "(2, 2)", "adj", "(1, 1)"),
        shp(4, 4, 16, 7, 7), 0, 0);
}
/* x -> _mul_scalar(300) -> Cast(dtype) [-> Cast(back)]: every dtype's conversion
 * (float16 / bfloat16 rounding, truncation toward zero, wrapping, bool) both
 * ways; the gradient casts back. */
static void cast_chain(const char *dtype, const char *back, int dt) {
    int req;
    static const int reqs[2] = {SG_REQ_WRITE, SG_REQ_ADD};
    for (req = 0; req < 2; req++) {
        sg_graph *g = sg_graph_create();
        sg_symbol *x = sg_variable(g, "data"), *y;
        const char *names[1] = {"data"};
        sg_shape sh = shp(2, 6, 50, 0, 0);
        char what[256];
        snprintf(what, sizeof what, "Cast %s -> %s -> %s req %d", dt == SG_FLOAT64 ? "float64" : "float32", dtype, back ? back : "-", reqs[req]);
        y = sg_op(g, "_mul_scalar", "m", SG_KV("scalar", "300"), 1, &x, NULL);
        y = sg_op(g, "Cast", "c1", SG_KV("dtype", dtype), 1, &y, NULL);
        if (back) y = sg_op(g, "Cast", "c2", SG_KV("dtype", back), 1, &y, NULL);
        if (!y) SG_FAILF("%s: %s", what, sg_graph_error(g));
        else compare(g, y, 1, names, &sh, dt, reqs[req], 1, what);
        sg_graph_free(g);
    }
}
SG_TEST(cast_op) {
    static const char *const all[9] = {"float32", "float64", "float16", "bfloat16", "int32", "int64", "int8", "uint8", "bool"};
    int i;
    op1("Cast", SG_KV("dtype", "float64"), shp(3, 2, 3, 4, 0), 0, 1); /* float32 -> float64, float64 -> float64 */
    op1("Cast", SG_KV("dtype", "float32"), shp(3, 2, 3, 4, 0), 0, 1);
    op1("cast", SG_KV("dtype", "float16"), shp(2, 5, 7, 0, 0), 0, 1);
    for (i = 0; i < 9; i++) {
        cast_chain(all[i], NULL, SG_FLOAT32);
        cast_chain(all[i], "float32", SG_FLOAT32);
        cast_chain(all[i], "float64", SG_FLOAT64);
        cast_chain(all[i], i >= 4 ? "float16" : "int32", SG_FLOAT32);
    }
}
/* _zeros / _ones (no inputs; any dtype): data + Cast(_ones(shape, dtype)) and alone. */
SG_TEST(zeros_ones) {
    static const char *const ops[2] = {"_zeros", "_ones"}, *const dts[5] = {"float32", "float64", "int32", "float16", "uint8"};
    int o, d;
    for (o = 0; o < 2; o++)
        for (d = 0; d < 5; d++) {
            sg_graph *g = sg_graph_create();
            sg_symbol *in[2], *c, *y;
            const char *names[1] = {"data"};
            sg_shape sh = shp(2, 3, 700, 0, 0);
            char what[128];
            snprintf(what, sizeof what, "%s %s", ops[o], dts[d]);
            in[0] = sg_variable(g, "data");
            c = sg_op(g, ops[o], "init", SG_KV("shape", "(3, 700)", "dtype", dts[d]), 0, NULL, NULL);
            in[1] = sg_op(g, "Cast", "c", SG_KV("dtype", "float32"), 1, &c, NULL);
            y = sg_op(g, "elemwise_add", "add", NULL, 2, in, NULL);
            if (!c || !y) { SG_FAILF("%s: %s", what, sg_graph_error(g)); sg_graph_free(g); continue; }
            compare(g, y, 1, names, &sh, SG_FLOAT32, SG_REQ_WRITE, 1, what);
            compare(g, y, 1, names, &sh, SG_FLOAT32, SG_REQ_ADD, 1, what);
            compare(g, c, 0, NULL, NULL, SG_FLOAT32, SG_REQ_NULL, 0, what); /* the array itself, in its dtype */
            sg_graph_free(g);
        }
}
SG_TEST(l2_normalization) {
    op1("L2Normalization", NULL, shp(3, 4, 3, 5, 0), 0, 1); /* instance */
    op1("L2Normalization", SG_KV("mode", "channel"), shp(4, 3, 4, 3, 5), 0, 1);
    op1("L2Normalization", SG_KV("mode", "spatial", "eps", "0.01"), shp(4, 3, 4, 3, 5), 0, 1);
    op1("L2Normalization", SG_KV("mode", "instance"), shp(2, 4, 1000, 0, 0), 0, 0); /* groups longer than a block */
    op1("L2Normalization", SG_KV("mode", "channel"), shp(3, 2, 300, 7, 0), 0, 0);   /* groups longer than a block, many groups */
    op1("L2Normalization", SG_KV("mode", "spatial"), shp(3, 2, 3, 600, 0), 0, 0);
}
SG_TEST(smooth_l1_op) {
    op1("smooth_l1", NULL, shp(3, 2, 3, 4, 0), 0, 1);
    op1("smooth_l1", SG_KV("scalar", "2"), shp(2, 20, 30, 0, 0), 0, 1); /* both branches: |x| around 1/sigma^2 */
    op1("smooth_l1", SG_KV("scalar", "0.5"), shp(1, 3000, 0, 0, 0), 0, 0);
}
/* sgd_update, sgd_mom_update, adam_update as graph operators (forward only,
 * float32; the states are auxiliary and compared too). */
SG_TEST(optimizer_ops) {
    static const char *const names[2] = {"weight", "grad"};
    static const char *const ops[5] = {"sgd_update", "sgd_update", "sgd_mom_update", "adam_update", "adam_update"};
    sg_shape sh[2];
    int i;
    sh[0] = sh[1] = shp(2, 30, 70, 0, 0);
    for (i = 0; i < 5; i++) {
        sg_graph *g = sg_graph_create();
        sg_symbol *x[4], *y;
        const char *clip = (i == 1 || i == 4) ? "0.3" : "-1";
        int nin = i == 2 ? 3 : i > 2 ? 4 : 2;
        char what[128];
        x[0] = sg_variable(g, "weight"); x[1] = sg_variable(g, "grad");
        x[2] = sg_variable(g, i > 2 ? "mean" : "mom"); x[3] = sg_variable(g, "var");
        snprintf(what, sizeof what, "%s clip %s", ops[i], clip);
        if (i < 2) y = sg_op(g, ops[i], "u", SG_KV("lr", "0.1", "wd", "0.01", "rescale_grad", "0.5", "clip_gradient", clip), nin, x, NULL);
        else if (i == 2) y = sg_op(g, ops[i], "u", SG_KV("lr", "0.1", "momentum", "0.9", "wd", "0.01", "rescale_grad", "0.5"), nin, x, NULL);
        else y = sg_op(g, ops[i], "u", SG_KV("lr", "0.01", "wd", "0.01", "rescale_grad", "0.5", "clip_gradient", clip), nin, x, NULL);
        if (!y) SG_FAILF("%s: %s", what, sg_graph_error(g));
        else compare(g, y, 2, names, sh, SG_FLOAT32, SG_REQ_NULL, 1, what);
        sg_graph_free(g);
    }
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
/* Every operator with a CPU kernel has GPU kernels (a backward where the CPU has one). */
SG_TEST(gpu_coverage) {
    const sg_device_ops *d = sg_device_get(SG_GPU);
    int i;
    CHECK(d != NULL);
    for (i = 0; d && i < sg_op_count(); i++) {
        const sg__opdef *op = sg__op_lookup(sg_op_name(i));
        sg_dev_fwd_fn f = NULL;
        sg_dev_bwd_fn b = NULL;
        sg_dev_ws_fn w = NULL;
        if (!op || !op->forward || !strcmp(op->name, "RNN")) continue; /* RNN: CPU kernels only */
        CHECK_MSG(d->kernels(op->name, &f, &b, &w) == 0 && f != NULL, "%s has no GPU kernel", op->name);
        CHECK_MSG(!op->backward || b != NULL, "%s has no GPU backward", op->name);
    }
}
/* The GPU's table less L2Normalization's kernels (bind must report it). */
static sg_device_ops gpu_ops;
static int kernels_but_l2(const char *op, sg_dev_fwd_fn *f, sg_dev_bwd_fn *b, sg_dev_ws_fn *w) {
    if (!strcmp(op, "L2Normalization")) { *f = NULL; *b = NULL; *w = NULL; return -1; }
    return gpu_ops.kernels(op, f, b, w);
}
/* NaN in the inputs: the GPU keeps it where the CPU (MXNet) does (relu,
 * _maximum, _minimum and their scalar forms) and passes clip's gradient. */
static void nan_case(const char *op, const char *const *kv, int nin) {
    static const double x0[6] = {NAN, -1.0, 0.3, 2.0, NAN, -0.2}, x1[6] = {0.0, NAN, NAN, 1.0, 0.5, -3.0};
    static const char *const nm[2] = {"a", "b"};
    sg_graph *g = sg_graph_create();
    sg_symbol *in[2], *s;
    sg_shape sh[2];
    sg_executor *ex[2] = {NULL, NULL};
    sg_ndarray *og[2] = {NULL, NULL}, *const *outs[2], *const *gr[2], *const *args;
    int d, i, j, n, nnan = 0;
    in[0] = sg_variable(g, "a");
    in[1] = sg_variable(g, "b");
    s = sg_op(g, op, NULL, kv, nin, in, NULL);
    sh[0] = sh[1] = shp(1, 6, 0, 0, 0);
    for (d = 0; d < 2; d++) {
        if (!s || sg_simple_bind(g, s, d ? SG_GPU : SG_CPU, nin, nm, sh, NULL, SG_REQ_WRITE, &ex[d]) != SG_OK) {
            SG_FAILF("%s: bind: %s", op, sg_graph_error(g));
            goto done;
        }
        sg_executor_arrays(ex[d], SG_ARGS, &args, &n);
        for (i = 0; i < nin; i++) {
            sg_ndarray *h = sg_nd_zeros_shape(&sh[0], SG_FLOAT32);
            for (j = 0; j < 6; j++) sg_nd_set(h, j, i ? x1[j] : x0[j]);
            CHECK(sg_nd_copy_to(h, args[i]) == SG_OK);
            sg_nd_free(h);
        }
        og[d] = d ? sg_nd_zeros_dev(1, sh[0].dims, SG_FLOAT32, SG_GPU, 0) : sg_nd_zeros_shape(&sh[0], SG_FLOAT32);
        {
            sg_ndarray *h = sg_nd_zeros_shape(&sh[0], SG_FLOAT32);
            sg_nd_fill(h, 1.0);
            CHECK(sg_nd_copy_to(h, og[d]) == SG_OK);
            sg_nd_free(h);
        }
        CHECK(sg_forward(ex[d], 1) == SG_OK && sg_backward(ex[d], 1, &og[d]) == SG_OK);
        sg_executor_outputs(ex[d], &outs[d], &n);
        sg_executor_arrays(ex[d], SG_GRADS, &gr[d], &n);
    }
    for (j = 0; j < 6; j++) nnan += isnan(sg_nd_get(outs[0][0], j)) != 0;
    CHECK_MSG(nnan > 0, "%s: no NaN in the CPU output", op);
    CHECK_MSG(rel_err(outs[0][0], outs[1][0]) <= 1e-6, "%s: outputs differ", op);
    for (i = 0; i < nin; i++) CHECK_MSG(rel_err(gr[0][i], gr[1][i]) <= 1e-6, "%s: gradient %d differs", op, i);
done:
    for (d = 0; d < 2; d++) { sg_executor_free(ex[d]); sg_nd_free(og[d]); }
    sg_graph_free(g);
}
SG_TEST(nan_inputs) {
    nan_case("relu", NULL, 1);
    nan_case("_maximum", NULL, 2);
    nan_case("_minimum", NULL, 2);
    nan_case("_maximum_scalar", SG_KV("scalar", "0.1"), 1);
    nan_case("_minimum_scalar", SG_KV("scalar", "0.1"), 1);
    nan_case("clip", SG_KV("a_min", "-0.5", "a_max", "0.5"), 1);
}
SG_TEST(errors) {
    sg_graph *g = sg_graph_create();
    sg_symbol *x = sg_variable(g, "data"), *y;
    sg_executor *ex = NULL;
    const char *names[1] = {"data"};
    sg_shape sh = shp(2, 3, 4, 0, 0);
    sg_device_ops less;
    gpu_ops = *sg_device_get(SG_GPU);
    less = gpu_ops;
    less.kernels = kernels_but_l2;
    CHECK(sg_register_device(SG_GPU, &less) == SG_OK);
    y = sg_op(g, "L2Normalization", "t", NULL, 1, &x, NULL); /* no GPU kernel in that table */
    CHECK(sg_simple_bind(g, y, SG_GPU, 1, names, &sh, NULL, SG_REQ_WRITE, &ex) == SG_ERR_UNSUPPORTED);
    CHECK(strstr(sg_graph_error(g), "has no GPU kernel") != NULL);
    CHECK(ex == NULL);
    CHECK(sg_register_device(SG_GPU, &gpu_ops) == SG_OK);
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
    SG_RUN(scalar_ops);
    SG_RUN(unary_ops);
    SG_RUN(broadcast_ops);
    SG_RUN(shape_ops);
    SG_RUN(fully_connected);
    SG_RUN(activations);
    SG_RUN(softmax_output);
    SG_RUN(softmax_ops);
    SG_RUN(leaky_relu);
    SG_RUN(regression_outputs);
    SG_RUN(dot_ops);
    SG_RUN(transpose_and_reductions);
    SG_RUN(concat_split_slice);
    SG_RUN(add_n_op);
    SG_RUN(embedding);
    SG_RUN(partial_gradients);
    SG_RUN(batch_norm);
    SG_RUN(convolution);
    SG_RUN(deconvolution);
    SG_RUN(cast_op);
    SG_RUN(zeros_ones);
    SG_RUN(l2_normalization);
    SG_RUN(smooth_l1_op);
    SG_RUN(optimizer_ops);
    SG_RUN(pooling);
    SG_RUN(dropout);
    SG_RUN(mlp_and_cnn_graphs);
    SG_RUN(gpu_coverage);
    SG_RUN(nan_inputs);
    SG_RUN(errors);
    SG_RUN(optimizer_updates);
    SG_RUN(fashion_mnist_mlp);
    return SG_DONE("test_cuda");
}
