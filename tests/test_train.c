/* Training pieces (issue 6): optimizer updates against values computed by
 * MXNet 1.9.1 (mx.nd.sgd_update / sgd_mom_update / adam_update), initializers,
 * the data iterator, and the module (lr_mult / wd_mult, checkpoints). */
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include "sg_test.h"
#include <stdlib.h>

static sg_ndarray *vec(const double *v, int n) {
    int64_t d = n;
    int i;
    sg_ndarray *a = sg_nd_zeros(1, &d, SG_FLOAT32);
    for (i = 0; i < n; i++) sg_nd_set(a, i, v[i]);
    return a;
}
static const double W0[4] = {0.5, -1.0, 2.0, 0.1}, G0[4] = {0.2, -3.0, 1.0, 0.05};

SG_TEST(sgd_matches_mxnet) {
    /* mx.nd.sgd_update(w, g, lr=0.1, wd=0.01, rescale_grad=0.5, clip_gradient=1.0) */
    static const double want[4] = {0.4895000159740448, -0.8989999890327454, 1.9480000734329224, 0.09740000218153};
    static const double want_noclip[4] = {0.4895000159740448, -0.8489999771118164, 1.9480000734329224, 0.09740000218153};
    sg_ndarray *w = vec(W0, 4), *g = vec(G0, 4);
    int i;
    CHECK_INT(sg_sgd_update(w, g, 0.1f, 0.01f, 0.5f, 1.0f), SG_OK);
    for (i = 0; i < 4; i++) CHECK_NEAR(sg_nd_get(w, i), want[i], 1e-7);
    sg_nd_free(w);
    w = vec(W0, 4);
    CHECK_INT(sg_sgd_update(w, g, 0.1f, 0.01f, 0.5f, -1.0f), SG_OK);
    for (i = 0; i < 4; i++) CHECK_NEAR(sg_nd_get(w, i), want_noclip[i], 1e-7);
    sg_nd_free(w);
    sg_nd_free(g);
}
SG_TEST(sgd_mom_matches_mxnet) {
    static const double m0[4] = {0.1, 0.1, -0.2, 0.0};
    static const double ww[4] = {0.5795000195503235, -0.8090000152587891, 1.7680000066757202, 0.09740000218153};
    static const double wm[4] = {0.0794999971985817, 0.19099999964237213, -0.23199999332427979, -0.0026000002399086952};
    sg_ndarray *w = vec(W0, 4), *g = vec(G0, 4), *m = vec(m0, 4);
    int i;
    CHECK_INT(sg_sgd_mom_update(w, g, m, 0.1f, 0.9f, 0.01f, 0.5f, 1.0f), SG_OK);
    for (i = 0; i < 4; i++) { CHECK_NEAR(sg_nd_get(w, i), ww[i], 1e-7); CHECK_NEAR(sg_nd_get(m, i), wm[i], 1e-7); }
    sg_nd_free(w); sg_nd_free(g); sg_nd_free(m);
}
SG_TEST(adam_matches_mxnet) {
    static const double mean0[4] = {0.01, 0.02, -0.03, 0.0}, var0[4] = {0.1, 0.2, 0.3, 0.0};
    static const double ww[4] = {0.4993830919265747, -0.9981700778007507, 1.99954354763031, 0.06837739795446396};
    static const double wmean[4] = {0.0195000022649765, -0.08200002461671829, 0.025000013411045074, 0.0026000007055699825};
    static const double wvar[4] = {0.09991102665662766, 0.20079998672008514, 0.299970418214798, 6.759913162568409e-07};
    sg_ndarray *w = vec(W0, 4), *g = vec(G0, 4), *mean = vec(mean0, 4), *var = vec(var0, 4);
    int i;
    CHECK_INT(sg_adam_update(w, g, mean, var, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, 0.5f, 1.0f), SG_OK);
    for (i = 0; i < 4; i++) {
        CHECK_NEAR(sg_nd_get(w, i), ww[i], 1e-6);
        CHECK_NEAR(sg_nd_get(mean, i), wmean[i], 1e-7);
        CHECK_NEAR(sg_nd_get(var, i), wvar[i], 1e-9);
    }
    /* mismatched sizes are an error, not a crash */
    {
        double one = 1;
        sg_ndarray *small = vec(&one, 1);
        CHECK(sg_sgd_update(w, small, 0.1f, 0, 1, -1) == SG_ERR_SHAPE);
        CHECK(strstr(sg_last_error(), "elements") != NULL);
        sg_nd_free(small);
    }
    sg_nd_free(w); sg_nd_free(g); sg_nd_free(mean); sg_nd_free(var);
}
SG_TEST(optimizer_ops_in_graph) {
    /* the same update as a graph operator (sgd_mom_update with mom as an aux state) */
    sg_graph *g = sg_graph_create();
    sg_symbol *in[3], *s;
    const char *const *aux;
    int n;
    in[0] = sg_variable(g, "w"); in[1] = sg_variable(g, "g"); in[2] = sg_variable(g, "mom");
    s = sg_op(g, "sgd_mom_update", "upd", SG_KV("lr", "0.1", "momentum", "0.9", "wd", "0.01", "rescale_grad", "0.5",
                                               "clip_gradient", "1.0"), 3, in, NULL);
    CHECK(s != NULL);
    sg_list_auxiliary_states(g, s, &aux, &n);
    CHECK_NAMES(aux, n, "mom");
    {
        sg_ndarray *arr[3], *const *o;
        const char *names[3] = {"w", "g", "mom"};
        static const double m0[4] = {0.1, 0.1, -0.2, 0.0};
        sg_ndarray **outs = NULL;
        int no;
        arr[0] = vec(W0, 4); arr[1] = vec(G0, 4); arr[2] = vec(m0, 4);
        CHECK_INT(sg_eval(g, s, 3, names, arr, &outs, &no), SG_OK);
        if (outs) {
            CHECK_NEAR(sg_nd_get(outs[0], 0), 0.5795000195503235, 1e-7);
            CHECK_NEAR(sg_nd_get(arr[2], 1), 0.19099999964237213, 1e-7); /* the state was updated in place */
            sg_nd_free(outs[0]);
            free(outs);
        }
        (void)o;
        sg_nd_free(arr[0]); sg_nd_free(arr[1]); sg_nd_free(arr[2]);
    }
    sg_graph_free(g);
}
SG_TEST(initializers) {
    sg_rng r;
    int64_t d[4] = {64, 32, 3, 3};
    sg_ndarray *a = sg_nd_zeros(4, d, SG_FLOAT32);
    sg_initializer xi;
    double lim = sqrt(3.0 / ((32 * 9 + 64 * 9) / 2.0)), mx = 0, sum = 0;
    int64_t i;
    sg_rng_seed(&r, 3);
    memset(&xi, 0, sizeof xi);
    xi.type = SG_INIT_XAVIER;
    CHECK_INT(sg_init_array(&xi, "conv_weight", NULL, a, &r), SG_OK);
    for (i = 0; i < a->size; i++) { double v = fabs(sg_nd_get(a, i)); if (v > mx) mx = v; sum += sg_nd_get(a, i); }
    CHECK(mx <= lim && mx > 0.95 * lim); /* U(-scale, scale), scale = sqrt(3 / avg fan) */
    CHECK(fabs(sum / (double)a->size) < 0.01);
    CHECK_INT(sg_init_array(&xi, "conv_bias", NULL, a, &r), SG_OK);
    CHECK(sg_nd_get(a, 5) == 0);
    CHECK_INT(sg_init_array(&xi, "bn_gamma", NULL, a, &r), SG_OK);
    CHECK(sg_nd_get(a, 5) == 1);
    CHECK_INT(sg_init_array(&xi, "bn_moving_var", "[\"one\", {}]", a, &r), SG_OK);
    CHECK(sg_nd_get(a, 7) == 1);
    CHECK_INT(sg_init_array(&xi, "prelu_gamma", "[\"Constant\", {\"value\": 0.25}]", a, &r), SG_OK);
    CHECK(sg_nd_get(a, 9) == 0.25);
    CHECK(sg_init_array(&xi, "something", NULL, a, &r) == SG_ERR_PARAM);
    CHECK(strstr(sg_last_error(), "something") != NULL);
    CHECK(sg_init_array(&xi, "w", "[\"bogus\", {}]", a, &r) == SG_ERR_PARAM);
    CHECK(sg_init_array(&xi, "w", "{not json", a, &r) == SG_ERR_PARAM);
    /* the same seed gives the same numbers */
    {
        sg_ndarray *b = sg_nd_zeros(4, d, SG_FLOAT32);
        sg_rng r1, r2;
        sg_rng_seed(&r1, 77);
        sg_rng_seed(&r2, 77);
        sg_init_array(&xi, "w_weight", NULL, a, &r1);
        sg_init_array(&xi, "w_weight", NULL, b, &r2);
        CHECK(memcmp(a->data, b->data, a->nbytes) == 0);
        sg_nd_free(b);
    }
    sg_nd_free(a);
}
SG_TEST(iterator_pad_discard_shuffle) {
    int64_t dd[2] = {10, 2}, ld = 10, bd[2] = {4, 2}, lbd = 4, i;
    sg_ndarray *x = sg_nd_zeros(2, dd, SG_FLOAT32), *y = sg_nd_zeros(1, &ld, SG_FLOAT32);
    sg_ndarray *xb = sg_nd_zeros(2, bd, SG_FLOAT32), *yb = sg_nd_zeros(1, &lbd, SG_FLOAT32);
    sg_data_iter it;
    int pad = -1, nb = 0, seen[10] = {0};
    for (i = 0; i < 20; i++) sg_nd_set(x, i, (double)i);
    for (i = 0; i < 10; i++) sg_nd_set(y, i, (double)i);
    CHECK_INT(sg_iter_init(&it, x, y, 4, 0, "pad", 0), SG_OK);
    sg_iter_reset(&it);
    while (sg_iter_next(&it, xb, yb, &pad) == 1) nb++;
    CHECK_INT(nb, 3);
    CHECK_INT(pad, 2);                    /* the last batch wraps: samples 8, 9, 0, 1 */
    CHECK(sg_nd_get(yb, 2) == 0 && sg_nd_get(yb, 3) == 1 && sg_nd_get(xb, 7) == 3);
    sg_iter_free(&it);
    CHECK_INT(sg_iter_init(&it, x, y, 4, 1, "discard", 5), SG_OK);
    sg_iter_reset(&it);
    nb = 0;
    while (sg_iter_next(&it, xb, yb, &pad) == 1) {
        for (i = 0; i < 4; i++) seen[(int)sg_nd_get(yb, i)]++;
        CHECK(sg_nd_get(xb, 0) == 2 * sg_nd_get(yb, 0)); /* rows stay with their labels */
        nb++;
    }
    CHECK_INT(nb, 2);
    for (i = 0, pad = 0; i < 10; i++) pad += seen[i];
    CHECK_INT(pad, 8);
    sg_iter_free(&it);
    CHECK(sg_iter_init(&it, x, y, 4, 0, "roll", 0) == SG_ERR_ARG);
    sg_nd_free(x); sg_nd_free(y); sg_nd_free(xb); sg_nd_free(yb);
}
/* A tiny separable problem: the module must learn it and round-trip its checkpoint. */
SG_TEST(module_learns_and_checkpoints) {
    sg_graph *g = sg_graph_create();
    sg_var_opts vo;
    sg_symbol *x, *net;
    sg_module *m = NULL, *m2 = NULL;
    sg_module_opts mo;
    int64_t dd[2] = {200, 4}, ld = 200, i;
    sg_ndarray *X = sg_nd_zeros(2, dd, SG_FLOAT32), *Y = sg_nd_zeros(1, &ld, SG_FLOAT32);
    sg_data_iter it;
    sg_metrics first, last, s1, s2;
    sg_rng r;
    int e;
    sg_rng_seed(&r, 1);
    for (i = 0; i < 200; i++) {
        int c = (int)(i % 3);
        int k;
        for (k = 0; k < 4; k++) sg_nd_set(X, i * 4 + k, (k == c ? 2.0 : 0.0) + sg_rng_normal(&r) * 0.3);
        sg_nd_set(Y, i, c);
    }
    memset(&vo, 0, sizeof vo);
    vo.lr_mult = "0.0"; /* a frozen layer: its weight must not move */
    x = sg_variable(g, "data");
    net = sg_fully_connected(g, "fc1", x, 8);
    {
        sg_symbol *in[2];
        const char *keys[2] = {"data", "weight"};
        in[0] = net;
        in[1] = sg_variable_ex(g, "frozen_weight", &vo);
        net = sg_op(g, "FullyConnected", "fc2", SG_KV("num_hidden", "3"), 2, in, keys);
    }
    net = sg_softmax_output(g, "softmax", net, NULL);
    memset(&mo, 0, sizeof mo);
    mo.data_shape.ndim = 2; mo.data_shape.dims[0] = 20; mo.data_shape.dims[1] = 4;
    mo.learning_rate = 0.5f;
    mo.init.type = SG_INIT_XAVIER;
    mo.seed = 3;
    CHECK_INT(sg_module_create(g, net, &mo, &m), SG_OK);
    if (!m) { printf("  %s\n", sg_graph_error(g)); sg_nd_free(X); sg_nd_free(Y); sg_graph_free(g); return; }
    {
        sg_ndarray *fw = sg_executor_arg(sg_module_executor(m), "frozen_weight"), *copy = sg_nd_copy(fw);
        sg_iter_init(&it, X, Y, 20, 1, "pad", 9);
        for (e = 0; e < 15; e++) {
            CHECK_INT(sg_module_fit_epoch(m, &it, e == 0 ? &first : &last, NULL, NULL), SG_OK);
        }
        CHECK(last.cross_entropy < first.cross_entropy);
        CHECK(last.accuracy > 0.9);
        CHECK(memcmp(fw->data, copy->data, fw->nbytes) == 0);
        sg_nd_free(copy);
    }
    sg_iter_free(&it);
    sg_iter_init(&it, X, Y, 20, 0, "pad", 0); /* scoring: a fixed order */
    CHECK_INT(sg_module_score(m, &it, &s1), SG_OK);
    CHECK_INT(sg_module_save_checkpoint(m, "tests/tmp_train", 3), SG_OK);
    {
        sg_graph *g2 = sg_graph_create();
        sg_symbol *s = sg_load(g2, "tests/tmp_train-symbol.json");
        CHECK(s != NULL);
        CHECK_INT(sg_module_create(g2, s, &mo, &m2), SG_OK);
        if (m2) {
            CHECK_INT(sg_module_load_params(m2, "tests/tmp_train", 3), SG_OK);
            CHECK_INT(sg_module_score(m2, &it, &s2), SG_OK);
            CHECK(s1.accuracy == s2.accuracy && s1.cross_entropy == s2.cross_entropy);
            CHECK(sg_module_load_params(m2, "tests/tmp_train", 4) == SG_ERR_IO);
        }
        sg_module_free(m2);
        sg_graph_free(g2);
    }
    remove("tests/tmp_train-symbol.json");
    remove("tests/tmp_train-0003.params");
    sg_iter_free(&it);
    sg_module_free(m);
    sg_nd_free(X); sg_nd_free(Y);
    sg_graph_free(g);
}

int main(void) {
    SG_RUN(sgd_matches_mxnet);
    SG_RUN(sgd_mom_matches_mxnet);
    SG_RUN(adam_matches_mxnet);
    SG_RUN(optimizer_ops_in_graph);
    SG_RUN(initializers);
    SG_RUN(iterator_pad_discard_shuffle);
    SG_RUN(module_learns_and_checkpoints);
    return SG_DONE("test_train");
}
