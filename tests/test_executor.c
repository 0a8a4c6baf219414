/* Executor (issue 4): bind / simple_bind / eval, forward and backward with
 * MXNet's semantics, grad_req, gradient summation, reshape, memory planning,
 * binding into a caller buffer with no allocation afterwards, and errors. */
#include <stdlib.h>
static long sg_t_allocs; /* counts every allocation made through the allocator macros */
static void *t_malloc(size_t n) { sg_t_allocs++; return malloc(n); }
static void *t_realloc(void *p, size_t n) { sg_t_allocs++; return realloc(p, n); }
#define SYMGRAPH_MALLOC(n) t_malloc(n)
#define SYMGRAPH_REALLOC(p, n) t_realloc(p, n)
#define SYMGRAPH_FREE(p) free(p)
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include "sg_test.h"

static sg_shape shp2(int64_t a, int64_t b) {
    sg_shape s;
    memset(&s, 0, sizeof s);
    s.ndim = 2; s.dims[0] = a; s.dims[1] = b;
    return s;
}
static void fill_seq(sg_ndarray *a, double start, double step) {
    int64_t i;
    for (i = 0; i < a->size; i++) sg_nd_set(a, i, start + step * (double)i);
}

SG_TEST(seed_add_ones) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b"), *c = sg_add(g, a, b);
    int64_t d[2] = {2, 2};
    sg_ndarray *arr[2], **outs = NULL;
    const char *names[2] = {"a", "b"};
    int n = 0, i;
    arr[0] = sg_nd_ones(2, d, SG_FLOAT32);
    arr[1] = sg_nd_ones(2, d, SG_FLOAT32);
    CHECK_INT(sg_eval(g, c, 2, names, arr, &outs, &n), SG_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        for (i = 0; i < 4; i++) CHECK(sg_nd_get(outs[0], i) == 2.0);
        CHECK(outs[0]->shape.ndim == 2 && outs[0]->shape.dims[0] == 2);
        sg_nd_free(outs[0]);
    }
    free(outs);
    sg_nd_free(arr[0]);
    sg_nd_free(arr[1]);
    sg_graph_free(g);
}

SG_TEST(seed_int32_abcd) {
    sg_graph *g = sg_graph_create();
    sg_symbol *A = sg_variable(g, "A"), *B = sg_variable(g, "B"), *C = sg_variable(g, "C"), *D = sg_variable(g, "D");
    sg_symbol *ab = sg_mul(g, A, B), *cd = sg_mul(g, C, D), *e = sg_add(g, ab, cd);
    const char *names[4] = {"A", "B", "C", "D"};
    sg_shape s[4];
    int dt[4] = {SG_INT32, SG_INT32, SG_INT32, SG_INT32}, i;
    sg_executor *ex = NULL;
    for (i = 0; i < 4; i++) s[i] = shp2(1, 1);
    CHECK_INT(sg_simple_bind(g, e, SG_CPU, 4, names, s, dt, SG_REQ_NULL, &ex), SG_OK);
    if (ex) {
        sg_ndarray *const *o;
        int no;
        for (i = 0; i < 4; i++) sg_nd_fill(sg_executor_arg(ex, names[i]), i + 1);
        CHECK_INT(sg_forward(ex, 0), SG_OK);
        sg_executor_outputs(ex, &o, &no);
        CHECK(o[0]->dtype == SG_INT32);
        CHECK(((int32_t *)o[0]->data)[0] == 14);
        sg_executor_free(ex);
    }
    sg_graph_free(g);
}

SG_TEST(variable_sharing_a_plus_a_times_a) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *aa = sg_mul(g, a, a), *s = sg_add(g, a, aa);
    sg_shape sh = shp2(2, 3);
    const char *nm = "a";
    sg_executor *ex = NULL;
    CHECK_INT(sg_simple_bind(g, s, SG_CPU, 1, &nm, &sh, NULL, SG_REQ_WRITE, &ex), SG_OK);
    if (ex) {
        sg_ndarray *const *o;
        int no, i;
        int64_t d[2] = {2, 3};
        sg_ndarray *og = sg_nd_ones(2, d, SG_FLOAT32);
        sg_nd_fill(sg_executor_arg(ex, "a"), 2);
        CHECK_INT(sg_forward(ex, 1), SG_OK);
        sg_executor_outputs(ex, &o, &no);
        for (i = 0; i < 6; i++) CHECK(sg_nd_get(o[0], i) == 6.0);
        CHECK_INT(sg_backward(ex, 1, &og), SG_OK);
        for (i = 0; i < 6; i++) CHECK(sg_nd_get(sg_executor_grad(ex, "a"), i) == 5.0);
        sg_nd_free(og);
        sg_executor_free(ex);
    }
    sg_graph_free(g);
}

/* The seed's weight-tying network (FullyConnected with a shared weight and bias). */
SG_TEST(weight_tying) {
    sg_graph *g = sg_graph_create();
    sg_symbol *l = sg_variable(g, "inputs_left"), *r = sg_variable(g, "inputs_right");
    sg_symbol *w = sg_variable(g, "shared_weight"), *b = sg_variable(g, "shared_bias"), *in[3], *fl, *fr, *cat, *pair[2];
    const char *keys[3] = {"data", "weight", "bias"};
    const char *names[2] = {"inputs_left", "inputs_right"};
    sg_shape s[2];
    sg_executor *ex = NULL;
    const char *const *an;
    int nan_;
    in[0] = l; in[1] = w; in[2] = b;
    fl = sg_op(g, "FullyConnected", "fc_left", SG_KV("num_hidden", "2"), 3, in, keys);
    in[0] = r;
    fr = sg_op(g, "FullyConnected", "fc_right", SG_KV("num_hidden", "2"), 3, in, keys);
    pair[0] = fl; pair[1] = fr;
    cat = sg_op(g, "concat", NULL, NULL, 2, pair, NULL);
    CHECK_STR(sg_symbol_name(cat), "concat0");
    sg_list_arguments(g, cat, &an, &nan_);
    CHECK_NAMES(an, nan_, "inputs_left", "shared_weight", "shared_bias", "inputs_right");
    s[0] = shp2(1, 2); s[1] = shp2(1, 2);
    CHECK_INT(sg_simple_bind(g, cat, SG_CPU, 2, names, s, NULL, SG_REQ_WRITE, &ex), SG_OK);
    if (ex) {
        sg_ndarray *const *o;
        int no, i;
        int64_t d[2] = {1, 4};
        sg_ndarray *og = sg_nd_ones(2, d, SG_FLOAT32);
        static const double want[4] = {11, 22, 13, 24}, gw[4] = {4, 6, 4, 6};
        sg_nd_set(sg_executor_arg(ex, "inputs_left"), 0, 1);
        sg_nd_set(sg_executor_arg(ex, "inputs_left"), 1, 2);
        sg_nd_set(sg_executor_arg(ex, "inputs_right"), 0, 3);
        sg_nd_set(sg_executor_arg(ex, "inputs_right"), 1, 4);
        sg_nd_set(sg_executor_arg(ex, "shared_weight"), 0, 1);
        sg_nd_set(sg_executor_arg(ex, "shared_weight"), 3, 1);
        sg_nd_set(sg_executor_arg(ex, "shared_bias"), 0, 10);
        sg_nd_set(sg_executor_arg(ex, "shared_bias"), 1, 20);
        CHECK_INT(sg_forward(ex, 1), SG_OK);
        sg_executor_outputs(ex, &o, &no);
        for (i = 0; i < 4; i++) CHECK(sg_nd_get(o[0], i) == want[i]);
        CHECK_INT(sg_backward(ex, 1, &og), SG_OK);
        for (i = 0; i < 4; i++) CHECK(sg_nd_get(sg_executor_grad(ex, "shared_weight"), i) == gw[i]);
        CHECK(sg_nd_get(sg_executor_grad(ex, "shared_bias"), 0) == 2 && sg_nd_get(sg_executor_grad(ex, "shared_bias"), 1) == 2);
        sg_nd_free(og);
        sg_executor_free(ex);
    }
    sg_graph_free(g);
}

/* The tied weight's gradient is the sum of the gradients of two untied layers. */
SG_TEST(weight_tying_equals_sum_of_untied) {
    sg_graph *g = sg_graph_create();
    sg_symbol *x = sg_variable(g, "x"), *w = sg_variable(g, "w"), *in[2], *h1, *h2, *tied, *pair[2];
    const char *keys[2] = {"data", "weight"};
    const char *nm = "x";
    sg_shape s = shp2(3, 5);
    sg_executor *et = NULL, *eu = NULL;
    sg_rng r;
    in[0] = x; in[1] = w;
    h1 = sg_op(g, "FullyConnected", "l1", SG_KV("num_hidden", "5", "no_bias", "True"), 2, in, keys);
    in[0] = h1;
    h2 = sg_op(g, "FullyConnected", "l2", SG_KV("num_hidden", "4", "no_bias", "True", "flatten", "False"), 2, in, keys);
    (void)h2;
    /* l2 uses the 5x5 weight on 5 features: make num_hidden 5 to share */
    h2 = sg_op(g, "FullyConnected", "l2b", SG_KV("num_hidden", "5", "no_bias", "True"), 2, in, keys);
    tied = h2;
    CHECK_INT(sg_simple_bind(g, tied, SG_CPU, 1, &nm, &s, NULL, SG_REQ_WRITE, &et), SG_OK);
    /* the same network with two separate weights */
    {
        sg_symbol *w1 = sg_variable(g, "w1"), *w2 = sg_variable(g, "w2"), *u1, *u2;
        in[0] = x; in[1] = w1;
        u1 = sg_op(g, "FullyConnected", "u1", SG_KV("num_hidden", "5", "no_bias", "True"), 2, in, keys);
        in[0] = u1; in[1] = w2;
        u2 = sg_op(g, "FullyConnected", "u2", SG_KV("num_hidden", "5", "no_bias", "True"), 2, in, keys);
        CHECK_INT(sg_simple_bind(g, u2, SG_CPU, 1, &nm, &s, NULL, SG_REQ_WRITE, &eu), SG_OK);
    }
    pair[0] = pair[1] = NULL;
    if (et && eu) {
        int64_t d[2] = {3, 5}, i;
        sg_ndarray *og = sg_nd_zeros(2, d, SG_FLOAT32);
        sg_rng_seed(&r, 5);
        sg_nd_random_uniform(sg_executor_arg(et, "x"), -1, 1, &r);
        sg_nd_random_uniform(sg_executor_arg(et, "w"), -1, 1, &r);
        sg_nd_random_uniform(og, -1, 1, &r);
        sg_nd_copy_to(sg_executor_arg(et, "x"), sg_executor_arg(eu, "x"));
        sg_nd_copy_to(sg_executor_arg(et, "w"), sg_executor_arg(eu, "w1"));
        sg_nd_copy_to(sg_executor_arg(et, "w"), sg_executor_arg(eu, "w2"));
        CHECK_INT(sg_forward(et, 1), SG_OK);
        CHECK_INT(sg_forward(eu, 1), SG_OK);
        CHECK_INT(sg_backward(et, 1, &og), SG_OK);
        CHECK_INT(sg_backward(eu, 1, &og), SG_OK);
        for (i = 0; i < 25; i++) {
            double sum = sg_nd_get(sg_executor_grad(eu, "w1"), i) + sg_nd_get(sg_executor_grad(eu, "w2"), i);
            CHECK_NEAR(sg_nd_get(sg_executor_grad(et, "w"), i), sum, 1e-5);
        }
        sg_nd_free(og);
    }
    (void)pair;
    sg_executor_free(et);
    sg_executor_free(eu);
    sg_graph_free(g);
}

SG_TEST(group_fc_and_softmax) {
    sg_graph *g = sg_graph_create();
    sg_symbol *data = sg_variable(g, "data"), *fc1 = sg_fully_connected(g, "fc1", data, 4);
    sg_symbol *sm = sg_softmax_output(g, "softmax", fc1, NULL), *grp, *pair[2];
    sg_shape s = shp2(2, 3);
    const char *nm = "data";
    sg_executor *ex = NULL;
    pair[0] = fc1; pair[1] = sm;
    grp = sg_group(g, 2, pair);
    CHECK_INT(sg_simple_bind(g, grp, SG_CPU, 1, &nm, &s, NULL, SG_REQ_WRITE, &ex), SG_OK);
    if (ex) {
        sg_ndarray *const *o;
        int no, i;
        double rowsum = 0;
        fill_seq(sg_executor_arg(ex, "data"), 0.1, 0.1);
        fill_seq(sg_executor_arg(ex, "fc1_weight"), -0.3, 0.05);
        CHECK_INT(sg_forward(ex, 0), SG_OK);
        sg_executor_outputs(ex, &o, &no);
        CHECK_INT(no, 2);
        CHECK(o[0]->shape.dims[1] == 4 && o[1]->shape.dims[1] == 4);
        for (i = 0; i < 4; i++) rowsum += sg_nd_get(o[1], i);
        CHECK_NEAR(rowsum, 1.0, 1e-6);
        CHECK(sg_executor_output(ex, "fc1_output") == o[0]);
        CHECK(sg_executor_output(ex, "softmax_output") == o[1]);
        sg_executor_free(ex);
    }
    sg_graph_free(g);
}

static sg_symbol *fc_chain(sg_graph *g) {
    sg_symbol *x = sg_variable(g, "x");
    sg_symbol *h = sg_fully_connected(g, "f1", x, 16);
    h = sg_fully_connected(g, "f2", h, 16);
    h = sg_fully_connected(g, "f3", h, 8);
    return sg_fully_connected(g, "f4", h, 3);
}

SG_TEST(grad_req_add_and_null) {
    sg_graph *g = sg_graph_create();
    sg_symbol *net = fc_chain(g);
    sg_shape s = shp2(4, 6);
    const char *nm = "x";
    sg_executor *ew = NULL, *ea = NULL;
    sg_rng r;
    CHECK_INT(sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_WRITE, &ew), SG_OK);
    CHECK_INT(sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_ADD, &ea), SG_OK);
    if (ew && ea) {
        sg_ndarray *const *aw, *const *aa;
        int na, i;
        int64_t d[2] = {4, 3}, q;
        sg_ndarray *og = sg_nd_zeros(2, d, SG_FLOAT32);
        sg_rng_seed(&r, 9);
        sg_executor_arrays(ew, SG_ARGS, &aw, &na);
        sg_executor_arrays(ea, SG_ARGS, &aa, &na);
        for (i = 0; i < na; i++) { sg_nd_random_uniform(aw[i], -1, 1, &r); sg_nd_copy_to(aw[i], aa[i]); }
        sg_nd_random_uniform(og, -1, 1, &r);
        sg_forward(ew, 1);
        sg_backward(ew, 1, &og);
        sg_forward(ea, 1);
        sg_backward(ea, 1, &og);
        sg_forward(ea, 1);
        sg_backward(ea, 1, &og);
        for (q = 0; q < 16 * 6; q++)
            CHECK_NEAR(sg_nd_get(sg_executor_grad(ea, "f1_weight"), q), 2 * sg_nd_get(sg_executor_grad(ew, "f1_weight"), q), 1e-5);
        sg_nd_free(og);
    }
    sg_executor_free(ew);
    sg_executor_free(ea);
    /* null: no gradient array at all */
    ew = NULL;
    CHECK_INT(sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_NULL, &ew), SG_OK);
    if (ew) {
        CHECK(sg_executor_grad(ew, "f1_weight") == NULL);
        CHECK_INT(sg_forward(ew, 0), SG_OK);
        sg_executor_free(ew);
    }
    sg_graph_free(g);
}

SG_TEST(planning_on_off_bit_identical) {
    sg_graph *g = sg_graph_create();
    sg_symbol *net = fc_chain(g);
    sg_shape s = shp2(5, 6);
    const char *nm = "x";
    sg_executor *e1 = NULL, *e2 = NULL;
    sg_rng r;
    CHECK_INT(sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_WRITE, &e1), SG_OK);
    if (e1) {
        sg_ndarray *const *a1 = NULL, *const *g1 = NULL, *const *o1 = NULL, *const *o2 = NULL;
        int na, no, i;
        int64_t d[2] = {5, 3}, q;
        sg_ndarray *og = sg_nd_zeros(2, d, SG_FLOAT32);
        sg_ndarray **g2 = (sg_ndarray **)calloc(16, sizeof(sg_ndarray *));
        sg_bind_desc bd;
        size_t p1 = 0, u1 = 0, p2 = 0, u2 = 0;
        sg_executor_arrays(e1, SG_ARGS, &a1, &na);
        sg_executor_arrays(e1, SG_GRADS, &g1, &na);
        for (i = 0; i < na; i++) g2[i] = sg_nd_zeros_shape(&g1[i]->shape, SG_FLOAT32);
        memset(&bd, 0, sizeof bd);
        bd.nargs = na; bd.args = a1; bd.ngrads = na; bd.grads = g2; bd.no_plan = 1;
        CHECK_INT(sg_bind(g, net, SG_CPU, &bd, &e2), SG_OK);
        sg_rng_seed(&r, 11);
        for (i = 0; i < na; i++) sg_nd_random_uniform(a1[i], -1, 1, &r);
        sg_nd_random_uniform(og, -1, 1, &r);
        sg_forward(e1, 1); sg_backward(e1, 1, &og);
        sg_forward(e2, 1); sg_backward(e2, 1, &og);
        sg_executor_outputs(e1, &o1, &no);
        sg_executor_outputs(e2, &o2, &no);
        CHECK(memcmp(o1[0]->data, o2[0]->data, o1[0]->nbytes) == 0);
        for (i = 0; i < na; i++) CHECK(memcmp(g1[i]->data, g2[i]->data, g1[i]->nbytes) == 0);
        sg_executor_memory(e1, &p1, &u1);
        sg_executor_memory(e2, &p2, &u2);
        CHECK(p1 < u1);      /* planning shares slots */
        CHECK(p2 == u2);     /* no planning: one buffer per entry */
        CHECK(u1 == u2);
        for (q = 0; q < na; q++) sg_nd_free(g2[q]);
        free(g2);
        sg_nd_free(og);
    }
    sg_executor_free(e1);
    sg_executor_free(e2);
    sg_graph_free(g);
}

SG_TEST(caller_buffer_no_allocation) {
    sg_graph *g = sg_graph_create();
    sg_symbol *net = fc_chain(g);
    sg_shape s = shp2(4, 6);
    const char *nm = "x";
    sg_executor *own = NULL, *ex = NULL;
    CHECK_INT(sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_WRITE, &own), SG_OK);
    if (own) {
        sg_ndarray *const *a, *const *gr;
        int na;
        size_t need = 0;
        sg_bind_desc bd;
        void *buf;
        int64_t d[2] = {4, 3};
        sg_ndarray *og = sg_nd_ones(2, d, SG_FLOAT32);
        long before;
        sg_executor_arrays(own, SG_ARGS, &a, &na);
        sg_executor_arrays(own, SG_GRADS, &gr, &na);
        memset(&bd, 0, sizeof bd);
        bd.nargs = na; bd.args = a; bd.ngrads = na; bd.grads = gr;
        CHECK_INT(sg_bind_bytes(g, net, SG_CPU, &bd, &need), SG_OK);
        CHECK(need > 0);
        buf = malloc(need);
        bd.buffer = buf;
        bd.buffer_size = need - 1000 > need ? 0 : need / 2; /* too small first */
        CHECK(sg_bind(g, net, SG_CPU, &bd, &ex) == SG_ERR_ARG);
        CHECK(strstr(sg_graph_error(g), "buffer") != NULL);
        bd.buffer_size = need;
        CHECK_INT(sg_bind(g, net, SG_CPU, &bd, &ex), SG_OK);
        if (ex) {
            before = sg_t_allocs;
            CHECK_INT(sg_forward(ex, 1), SG_OK);
            CHECK_INT(sg_backward(ex, 1, &og), SG_OK);
            CHECK_INT(sg_forward(ex, 0), SG_OK);
            CHECK_INT(sg_t_allocs - before, 0);
            sg_executor_free(ex);
        }
        free(buf);
        sg_nd_free(og);
    }
    sg_executor_free(own);
    sg_graph_free(g);
}

SG_TEST(reshape_shares_parameters) {
    sg_graph *g = sg_graph_create();
    sg_symbol *net = fc_chain(g);
    sg_shape s = shp2(4, 6), s2 = shp2(2, 6), s3 = shp2(8, 6);
    const char *nm = "x";
    sg_executor *ex = NULL, *e2 = NULL, *e3 = NULL;
    CHECK_INT(sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_WRITE, &ex), SG_OK);
    if (ex) {
        sg_ndarray *const *o;
        int no;
        CHECK_INT(sg_executor_reshape(ex, 1, &nm, &s2, 0, 0, &e2), SG_OK);
        if (e2) {
            CHECK(sg_executor_arg(e2, "f1_weight") == sg_executor_arg(ex, "f1_weight"));
            CHECK(sg_executor_arg(e2, "x")->shape.dims[0] == 2);
            CHECK_INT(sg_forward(e2, 0), SG_OK);
            sg_executor_outputs(e2, &o, &no);
            CHECK(o[0]->shape.dims[0] == 2 && o[0]->shape.dims[1] == 3);
        }
        CHECK(sg_executor_reshape(ex, 1, &nm, &s3, 0, 0, &e3) == SG_ERR_SHAPE);
        CHECK(strstr(sg_executor_error(ex), "allow_up_sizing") != NULL);
        CHECK_INT(sg_executor_reshape(ex, 1, &nm, &s3, 0, 1, &e3), SG_OK);
        if (e3) {
            CHECK(sg_executor_arg(e3, "f4_bias") == sg_executor_arg(ex, "f4_bias"));
            CHECK_INT(sg_forward(e3, 0), SG_OK);
        }
    }
    sg_executor_free(e3);
    sg_executor_free(e2);
    sg_executor_free(ex);
    sg_graph_free(g);
}

SG_TEST(bind_errors) {
    sg_graph *g = sg_graph_create();
    sg_symbol *net = fc_chain(g);
    sg_executor *ex = NULL;
    sg_bind_desc bd;
    int64_t dx[2] = {4, 6}, dbad[2] = {4, 7};
    sg_ndarray *x = sg_nd_zeros(2, dx, SG_FLOAT32), *xb = sg_nd_zeros(2, dbad, SG_FLOAT32), *x64 = sg_nd_zeros(2, dx, SG_FLOAT64);
    sg_ndarray *args[9];
    const char *names[1] = {"x"};
    memset(&bd, 0, sizeof bd);
    /* missing argument, named */
    bd.nargs = 1; bd.arg_names = names; bd.args = &x;
    CHECK(sg_bind(g, net, SG_CPU, &bd, &ex) == SG_ERR_ARG);
    CHECK(strstr(sg_graph_error(g), "f1_weight") != NULL);
    CHECK(ex == NULL);
    /* wrong count by position */
    bd.arg_names = NULL;
    CHECK(sg_bind(g, net, SG_CPU, &bd, &ex) == SG_ERR_ARG);
    /* wrong shape: a simple_bind with a bad weight later shows the name */
    {
        sg_executor *ok = NULL;
        sg_shape s = shp2(4, 6);
        const char *nm = "x";
        CHECK_INT(sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_NULL, &ok), SG_OK);
        if (ok) {
            sg_ndarray *const *a;
            int na, i;
            sg_executor_arrays(ok, SG_ARGS, &a, &na);
            for (i = 0; i < na; i++) args[i] = a[i];
            args[0] = xb;
            bd.nargs = na; bd.args = args;
            CHECK(sg_bind(g, net, SG_CPU, &bd, &ex) == SG_ERR_SHAPE);
            CHECK(strstr(sg_graph_error(g), "f1") != NULL);
            args[0] = x64;
            CHECK(sg_bind(g, net, SG_CPU, &bd, &ex) == SG_ERR_TYPE);
            CHECK(strstr(sg_graph_error(g), "float64") != NULL);
            args[0] = x;
            CHECK(sg_bind(g, net, SG_CPU, &bd, &ex) == SG_OK);
            CHECK(sg_backward(ex, 0, NULL) == SG_ERR_ARG); /* before forward */
            CHECK(sg_forward(ex, 1) == SG_OK);
            CHECK(sg_backward(ex, 0, NULL) == SG_OK);      /* no gradient wanted: nothing to do */
            sg_executor_free(ex);
            sg_executor_free(ok);
        }
    }
    CHECK(sg_bind(g, net, SG_GPU, &bd, &ex) == SG_ERR_UNSUPPORTED);
    sg_nd_free(x); sg_nd_free(xb); sg_nd_free(x64);
    sg_graph_free(g);
}

SG_TEST(missing_out_grad_names_head) {
    sg_graph *g = sg_graph_create();
    sg_symbol *net = fc_chain(g);
    sg_shape s = shp2(2, 6);
    const char *nm = "x";
    sg_executor *ex = NULL;
    CHECK_INT(sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_WRITE, &ex), SG_OK);
    if (ex) {
        CHECK_INT(sg_forward(ex, 1), SG_OK);
        CHECK(sg_backward(ex, 0, NULL) == SG_ERR_ARG);
        CHECK(strstr(sg_executor_error(ex), "head_gradient is required") && strstr(sg_executor_error(ex), "f4_output"));
        sg_executor_free(ex);
    }
    sg_graph_free(g);
}

SG_TEST(batchnorm_aux_updated_in_backward) {
    sg_graph *g = sg_graph_create();
    sg_symbol *bn = sg_op(g, "BatchNorm", "bn", SG_KV("fix_gamma", "False", "momentum", "0.5"), 1,
                          (sg_symbol *[]){sg_variable(g, "data")}, NULL);
    sg_symbol *net = sg_linear_regression_output(g, "out", sg_flatten(g, NULL, bn), NULL);
    sg_shape s;
    const char *nm = "data";
    sg_executor *ex = NULL;
    memset(&s, 0, sizeof s);
    s.ndim = 4; s.dims[0] = 2; s.dims[1] = 2; s.dims[2] = 1; s.dims[3] = 2;
    CHECK_INT(sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_WRITE, &ex), SG_OK);
    if (ex) {
        sg_ndarray *mm = sg_executor_aux(ex, "bn_moving_mean"), *mv = sg_executor_aux(ex, "bn_moving_var");
        /* channel 0 gets 1,2,5,6 (mean 3.5, biased var 4.25); channel 1 gets 3,4,7,8 (mean 5.5, var 4.25) */
        fill_seq(sg_executor_arg(ex, "data"), 1, 1);
        sg_nd_fill(sg_executor_arg(ex, "bn_gamma"), 1);
        sg_nd_fill(mv, 1);
        CHECK_INT(sg_forward(ex, 1), SG_OK);
        CHECK(sg_nd_get(mm, 0) == 0); /* forward alone leaves them */
        CHECK_INT(sg_backward(ex, 0, NULL), SG_OK);
        CHECK_NEAR(sg_nd_get(mm, 0), 1.75, 1e-6);
        CHECK_NEAR(sg_nd_get(mm, 1), 2.75, 1e-6);
        CHECK_NEAR(sg_nd_get(mv, 0), 0.5 + 0.5 * 4.25, 1e-5);
        sg_executor_free(ex);
    }
    sg_graph_free(g);
}

/* A .params checkpoint saved from one executor loads by name into another. */
SG_TEST(params_checkpoint_into_simple_bind) {
    sg_graph *g = sg_graph_create();
    sg_symbol *net = fc_chain(g);
    sg_shape s = shp2(3, 6);
    const char *nm = "x";
    sg_executor *a = NULL, *b = NULL;
    sg_rng r;
    CHECK_INT(sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_NULL, &a), SG_OK);
    CHECK_INT(sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_NULL, &b), SG_OK);
    if (a && b) {
        sg_ndarray *const *arr, **loaded = NULL;
        char **lnames = NULL, keys[8][64];
        const char *knames[8];
        sg_ndarray *karr[8];
        const char *const *an;
        int n, i, k = 0, nl = 0;
        sg_rng_seed(&r, 21);
        sg_executor_arrays(a, SG_ARGS, &arr, &n);
        sg_list_arguments(g, net, &an, &n);
        for (i = 0; i < n; i++) {
            sg_nd_random_uniform(arr[i], -1, 1, &r);
            if (!strcmp(an[i], "x")) continue;
            snprintf(keys[k], sizeof keys[k], "arg:%s", an[i]);
            knames[k] = keys[k];
            karr[k++] = arr[i];
        }
        CHECK_INT(sg_nd_save("tests/tmp_ckpt-0001.params", k, karr, knames), SG_OK);
        CHECK_INT(sg_nd_load("tests/tmp_ckpt-0001.params", &nl, &loaded, &lnames), SG_OK);
        CHECK_INT(nl, 8);
        CHECK_INT(sg_executor_copy_params(b, nl, (const char *const *)lnames, loaded, 0), SG_OK);
        sg_nd_copy_to(sg_executor_arg(a, "x"), sg_executor_arg(b, "x"));
        sg_forward(a, 0);
        sg_forward(b, 0);
        {
            sg_ndarray *const *oa, *const *ob;
            int no;
            sg_executor_outputs(a, &oa, &no);
            sg_executor_outputs(b, &ob, &no);
            CHECK(memcmp(oa[0]->data, ob[0]->data, oa[0]->nbytes) == 0);
        }
        /* an unknown name is an error unless extra parameters are allowed */
        free(lnames[0]);
        lnames[0] = (char *)malloc(16);
        strcpy(lnames[0], "arg:nothere");
        CHECK(sg_executor_copy_params(b, nl, (const char *const *)lnames, loaded, 0) == SG_ERR_ARG);
        CHECK(strstr(sg_executor_error(b), "nothere") != NULL);
        CHECK_INT(sg_executor_copy_params(b, nl, (const char *const *)lnames, loaded, 1), SG_OK);
        sg_nd_list_free(nl, loaded, lnames);
        remove("tests/tmp_ckpt-0001.params");
    }
    sg_executor_free(a);
    sg_executor_free(b);
    sg_graph_free(g);
}

/* ---- the device table (sg_register_device) with a fake device whose memory
 * is host memory: the device paths of NDArray copies, bind (arena through the
 * table, per-operator kernel lookup), forward, backward (head gradients, add,
 * zero-filling) and the optimizer updates run on any machine. ---- */
static int fk_calls;
static int fk_alloc(size_t b, void **p) { *p = malloc(b ? b : 1); fk_calls++; return *p ? SG_OK : SG_ERR_NOMEM; }
static void fk_free(void *p) { free(p); }
static int fk_copy(void *d, const void *s, size_t b, int kind) { (void)kind; memmove(d, s, b); return SG_OK; }
static int fk_zero(void *d, size_t b) { memset(d, 0, b); return SG_OK; }
static int fk_sync(void) { return SG_OK; }
static const char *fk_error(void) { return "fake device error"; }
static int fk_add(sg_ndarray *d, const sg_ndarray *s) {
    int64_t i;
    for (i = 0; i < d->size; i++) ((float *)d->data)[i] += ((const float *)s->data)[i];
    return SG_OK;
}
static int fk_mul_fwd(struct sg__kctx *k, const struct sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t i;
    (void)k; (void)n;
    for (i = 0; i < out[0]->size; i++) ((float *)out[0]->data)[i] = ((float *)in[0]->data)[i] * ((float *)in[1]->data)[i];
    return SG_OK;
}
static int fk_mul_bwd(struct sg__kctx *k, const struct sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                      sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int64_t i;
    int j;
    (void)k; (void)n; (void)out;
    for (j = 0; j < 2; j++)
        for (i = 0; ig[j] && i < ig[j]->size; i++) {
            float v = ((float *)og[0]->data)[i] * ((float *)in[1 - j]->data)[i];
            if (req[j] == SG_REQ_ADD) ((float *)ig[j]->data)[i] += v; else ((float *)ig[j]->data)[i] = v;
        }
    return SG_OK;
}
static int fk_add_fwd(struct sg__kctx *k, const struct sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t i;
    (void)k; (void)n;
    for (i = 0; i < out[0]->size; i++) ((float *)out[0]->data)[i] = ((float *)in[0]->data)[i] + ((float *)in[1]->data)[i];
    return SG_OK;
}
static int fk_add_bwd(struct sg__kctx *k, const struct sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                      sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int64_t i;
    int j;
    (void)k; (void)n; (void)out; (void)in;
    for (j = 0; j < 2; j++)
        for (i = 0; ig[j] && i < ig[j]->size; i++) {
            float v = ((float *)og[0]->data)[i];
            if (req[j] == SG_REQ_ADD) ((float *)ig[j]->data)[i] += v; else ((float *)ig[j]->data)[i] = v;
        }
    return SG_OK;
}
static int fk_kernels(const char *op, sg_dev_fwd_fn *f, sg_dev_bwd_fn *b, sg_dev_ws_fn *w) {
    *w = NULL;
    if (!strcmp(op, "elemwise_mul")) { *f = fk_mul_fwd; *b = fk_mul_bwd; return 0; }
    if (!strcmp(op, "elemwise_add")) { *f = fk_add_fwd; *b = fk_add_bwd; return 0; }
    *f = NULL; *b = NULL;
    return -1;
}
static int fk_sgd(float *w, const float *g, int64_t n, float lr, float wd, float rs, float clip) {
    int64_t i;
    (void)clip;
    for (i = 0; i < n; i++) w[i] = (1.0f - lr * wd) * w[i] - lr * rs * g[i];
    return SG_OK;
}
/* simple_bind with a type_dict, as MXNet's: float64 data makes the FullyConnected
 * weights and the SoftmaxOutput label float64 (inference from the given dtype);
 * an argument that inference cannot reach from it (an RNN's data shaped by
 * __shape__) is float32, even where the partial pass stops at an operator that
 * needs its input's dtype; sg_simple_bind_ex binds named arguments without a
 * gradient. */
SG_TEST(simple_bind_type_dict) {
    sg_graph *g = sg_graph_create();
    sg_symbol *x = sg_variable(g, "data"), *in2[2], *so, *r, *z;
    static const char *const nm[] = {"data"}, *const bn[] = {"b"}, *const nog[] = {"data", NULL};
    sg_shape ds = {2, {5, 3}}, bs = {3, {3, 2, 3}};
    int64_t shp[3] = {3, 2, 4};
    int f64 = SG_FLOAT64, f32 = SG_FLOAT32, i;
    sg_var_opts o;
    sg_executor *ex = NULL;
    in2[0] = sg_op(g, "FullyConnected", "fc", SG_KV("num_hidden", "4"), 1, &x, NULL);
    in2[1] = sg_variable(g, "softmax_label");
    so = sg_op(g, "SoftmaxOutput", "softmax", NULL, 2, in2, NULL);
    CHECK(sg_simple_bind(g, so, SG_CPU, 1, nm, &ds, &f64, SG_REQ_WRITE, &ex) == SG_OK);
    for (i = 0; ex && i < 4; i++) CHECK_MSG(ex->args[i]->dtype == SG_FLOAT64, "argument %d has dtype %d", i, ex->args[i]->dtype);
    sg_executor_free(ex);
    ex = NULL;
    CHECK(sg_simple_bind_ex(g, so, SG_CPU, 1, nm, &ds, NULL, SG_REQ_WRITE, nog, &ex) == SG_OK);
    CHECK(ex && !sg_executor_grad(ex, "data") && sg_executor_grad(ex, "fc_weight") && sg_executor_grad(ex, "softmax_label"));
    sg_executor_free(ex);
    ex = NULL;
    memset(&o, 0, sizeof o);
    o.shape_ndim = 3;
    o.shape = shp;
    x = sg_variable_ex(g, "rdata", &o);
    r = sg_op(g, "RNN", "rnn", SG_KV("mode", "lstm", "state_size", "3", "num_layers", "1"), 1, &x, NULL);
    in2[0] = r;
    in2[1] = sg_variable(g, "b");
    z = sg_op(g, "elemwise_add", "add", NULL, 2, in2, NULL);
    CHECK_MSG(sg_simple_bind(g, z, SG_CPU, 1, bn, &bs, &f32, SG_REQ_WRITE, &ex) == SG_OK, "%s", sg_graph_error(g));
    CHECK(ex && ex->args[0]->dtype == SG_FLOAT32 && sg_forward(ex, 1) == SG_OK);
    sg_executor_free(ex);
    sg_graph_free(g);
}
SG_TEST(device_table_fake_device) {
    sg_device_ops ops;
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b");
    sg_symbol *c = sg_add(g, sg_mul(g, a, b), a), *t;
    const char *names[2] = {"a", "b"};
    sg_shape sh[2];
    sg_executor *ec = NULL, *ed = NULL;
    int64_t n = 6, i;
    int rep;
    sg_ndarray *ogh = sg_nd_zeros(1, &n, SG_FLOAT32), *ogd, *hd = sg_nd_zeros(1, &n, SG_FLOAT32);
    memset(&ops, 0, sizeof ops);
    memset(sh, 0, sizeof sh);
    sh[0].ndim = sh[1].ndim = 1; sh[0].dims[0] = sh[1].dims[0] = n;
    /* not registered yet */
    CHECK(sg_nd_zeros_dev(1, &n, SG_FLOAT32, 3, 0) == NULL);
    CHECK(sg_simple_bind(g, c, 3, 2, names, sh, NULL, SG_REQ_WRITE, &ed) == SG_ERR_UNSUPPORTED);
    CHECK(strstr(sg_graph_error(g), "no kernels registered for device type 3") != NULL);
    ops.name = "fake"; ops.alloc = fk_alloc; ops.free = fk_free; ops.copy = fk_copy; ops.zero = fk_zero;
    ops.kernels = fk_kernels; ops.sync = fk_sync; ops.error = fk_error; ops.add = fk_add; ops.sgd_update = fk_sgd;
    CHECK(sg_register_device(SG_CPU, &ops) == SG_ERR_ARG);
    CHECK(sg_register_device(3, &ops) == SG_OK);
    CHECK(sg_device_get(3) != NULL && sg_device_get(SG_CPU) == NULL);
    ogd = sg_nd_zeros_dev(1, &n, SG_FLOAT32, 3, 0);
    CHECK(ogd && ogd->dev_type == 3 && ogd->owns);
    for (i = 0; i < n; i++) sg_nd_set(ogh, i, 0.5 * (double)i - 1);
    CHECK(sg_nd_copy_to(ogh, ogd) == SG_OK);
    CHECK(sg_nd_set(ogd, 0, 1.0) == SG_ERR_UNSUPPORTED);
    for (rep = 0; rep < 2; rep++) {
        int req = rep ? SG_REQ_ADD : SG_REQ_WRITE, k;
        sg_ndarray *const *ca, *const *da, *const *cg, *const *dg;
        int na;
        CHECK(sg_simple_bind(g, c, SG_CPU, 2, names, sh, NULL, req, &ec) == SG_OK);
        fk_calls = 0;
        CHECK_MSG(sg_simple_bind(g, c, 3, 2, names, sh, NULL, req, &ed) == SG_OK, "%s", sg_graph_error(g));
        CHECK(fk_calls >= 5); /* 2 args, 2 grads, the arena */
        if (!ec || !ed) break;
        sg_executor_arrays(ec, SG_ARGS, &ca, &na); sg_executor_arrays(ed, SG_ARGS, &da, &na);
        sg_executor_arrays(ec, SG_GRADS, &cg, &na); sg_executor_arrays(ed, SG_GRADS, &dg, &na);
        CHECK(da[0]->dev_type == 3 && dg[1]->dev_type == 3);
        for (k = 0; k < 2; k++) {
            for (i = 0; i < n; i++) sg_nd_set(ca[k], i, (double)(i + 1) * (k ? -0.25 : 1.5));
            CHECK(sg_nd_copy_to(ca[k], da[k]) == SG_OK);
        }
        for (k = 0; k < 2; k++) {
            CHECK(sg_forward(ec, 1) == SG_OK && sg_forward(ed, 1) == SG_OK);
            CHECK(sg_backward(ec, 1, &ogh) == SG_OK);
            CHECK_MSG(sg_backward(ed, 1, &ogd) == SG_OK, "%s", sg_executor_error(ed));
        }
        CHECK(sg_nd_copy_to(sg_executor_output(ed, "_plus0_output") ? sg_executor_output(ed, "_plus0_output") : ed->outs[0], hd) == SG_OK);
        for (i = 0; i < n; i++) CHECK_NEAR(sg_nd_get(hd, i), sg_nd_get(ec->outs[0], i), 0);
        for (k = 0; k < 2; k++) {
            CHECK(sg_nd_copy_to(dg[k], hd) == SG_OK);
            for (i = 0; i < n; i++) CHECK_NEAR(sg_nd_get(hd, i), sg_nd_get(cg[k], i), 0);
        }
        /* the optimizer update through the table */
        CHECK(sg_sgd_update(da[0], dg[0], 0.1f, 0.0f, 1.0f, -1) == SG_OK);
        CHECK(sg_sgd_update(ca[0], cg[0], 0.1f, 0.0f, 1.0f, -1) == SG_OK);
        CHECK(sg_nd_copy_to(da[0], hd) == SG_OK);
        for (i = 0; i < n; i++) CHECK_NEAR(sg_nd_get(hd, i), sg_nd_get(ca[0], i), 0);
        CHECK(sg_sgd_update(da[0], cg[0], 0.1f, 0.0f, 1.0f, -1) == SG_ERR_ARG); /* mixed devices */
        sg_executor_free(ec); sg_executor_free(ed);
        ec = ed = NULL;
    }
    /* an operator without a kernel on the device */
    t = sg_op(g, "tanh", "t", NULL, 1, &a, NULL);
    CHECK(sg_simple_bind(g, t, 3, 1, names, sh, NULL, SG_REQ_WRITE, &ed) == SG_ERR_UNSUPPORTED);
    CHECK(strstr(sg_graph_error(g), "operator t (tanh) has no device kernel") != NULL);
    sg_nd_free(ogh); sg_nd_free(ogd); sg_nd_free(hd);
    CHECK(sg_register_device(3, NULL) == SG_OK && sg_device_get(3) == NULL);
    sg_graph_free(g);
}

int main(void) {
    SG_RUN(seed_add_ones);
    SG_RUN(seed_int32_abcd);
    SG_RUN(variable_sharing_a_plus_a_times_a);
    SG_RUN(weight_tying);
    SG_RUN(weight_tying_equals_sum_of_untied);
    SG_RUN(group_fc_and_softmax);
    SG_RUN(grad_req_add_and_null);
    SG_RUN(planning_on_off_bit_identical);
    SG_RUN(caller_buffer_no_allocation);
    SG_RUN(reshape_shares_parameters);
    SG_RUN(bind_errors);
    SG_RUN(missing_out_grad_names_head);
    SG_RUN(batchnorm_aux_updated_in_backward);
    SG_RUN(params_checkpoint_into_simple_bind);
    SG_RUN(simple_bind_type_dict);
    SG_RUN(device_table_fake_device);
    return SG_DONE("test_executor");
}
