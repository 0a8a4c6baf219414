/* Graph and symbol API: naming, composition, listings, attributes (issue 2). */
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include "sg_test.h"

static const char *const *L;
static int N;

SG_TEST(abcd_lists) {
    sg_graph *g = sg_graph_create();
    sg_symbol *A = sg_variable(g, "A"), *B = sg_variable(g, "B"), *C = sg_variable(g, "C"), *D = sg_variable(g, "D");
    sg_symbol *ab = sg_mul(g, A, B);
    sg_symbol *cd = sg_mul(g, C, D);
    sg_symbol *e = sg_add(g, ab, cd);
    CHECK(e != NULL);
    CHECK_INT(sg_list_arguments(g, e, &L, &N), SG_OK);
    CHECK_NAMES(L, N, "A", "B", "C", "D");
    CHECK_INT(sg_list_outputs(g, e, &L, &N), SG_OK);
    CHECK_NAMES(L, N, "_plus0_output");
    CHECK_INT(sg_list_outputs(g, sg_get_internals(g, e), &L, &N), SG_OK);
    CHECK_NAMES(L, N, "A", "B", "_mul0_output", "C", "D", "_mul1_output", "_plus0_output");
    CHECK_STR(sg_symbol_name(e), "_plus0");
    CHECK_INT(sg_num_outputs(e), 1);
    sg_graph_free(g);
}

static sg_symbol *build_mlp(sg_graph *g) {
    sg_symbol *data = sg_variable(g, "data");
    sg_symbol *fc1 = sg_fully_connected(g, "fc1", data, 128);
    sg_symbol *relu1 = sg_activation(g, "relu1", fc1, "relu");
    sg_symbol *fc2 = sg_fully_connected(g, "fc2", relu1, 10);
    return sg_softmax_output(g, "out", fc2, NULL);
}

SG_TEST(mlp_arguments) {
    sg_graph *g = sg_graph_create();
    sg_symbol *out = build_mlp(g), *d1, *d2, *fc, *w;
    CHECK(out != NULL);
    sg_list_arguments(g, out, &L, &N);
    CHECK_NAMES(L, N, "data", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias", "out_label");
    sg_list_outputs(g, out, &L, &N);
    CHECK_NAMES(L, N, "out_output");
    d1 = sg_variable(g, "data1");
    d2 = sg_variable(g, "data2");
    fc = sg_fully_connected(g, "fc1", sg_add(g, d1, d2), 64);
    sg_list_arguments(g, fc, &L, &N);
    CHECK_NAMES(L, N, "data1", "data2", "fc1_weight", "fc1_bias");
    w = sg_variable(g, "myweight");
    {
        sg_symbol *in[2];
        const char *keys[2] = {"data", "weight"};
        in[0] = sg_variable(g, "data");
        in[1] = w;
        fc = sg_op(g, "FullyConnected", "fc1", SG_KV("num_hidden", "32"), 2, in, keys);
    }
    sg_list_arguments(g, fc, &L, &N);
    CHECK_NAMES(L, N, "data", "myweight", "fc1_bias");
    sg_graph_free(g);
}

SG_TEST(group_outputs) {
    sg_graph *g = sg_graph_create();
    sg_symbol *data = sg_variable(g, "data");
    sg_symbol *fc = sg_fully_connected(g, "fc1", data, 128);
    sg_symbol *o[2], *grp;
    o[0] = sg_softmax_output(g, "softmax", fc, NULL);
    o[1] = sg_linear_regression_output(g, "regression", fc, NULL);
    grp = sg_group(g, 2, o);
    sg_list_outputs(g, grp, &L, &N);
    CHECK_NAMES(L, N, "softmax_output", "regression_output");
    CHECK_INT(sg_num_outputs(grp), 2);
    CHECK(sg_symbol_name(grp) == NULL);
    sg_list_arguments(g, grp, &L, &N);
    CHECK_NAMES(L, N, "data", "fc1_weight", "fc1_bias", "softmax_label", "regression_label");
    /* automatic names */
    fc = sg_fully_connected(g, NULL, data, 128);
    o[0] = sg_softmax_output(g, NULL, fc, NULL);
    o[1] = sg_linear_regression_output(g, NULL, fc, NULL);
    grp = sg_group(g, 2, o);
    sg_list_outputs(g, grp, &L, &N);
    CHECK_NAMES(L, N, "softmaxoutput0_output", "linearregressionoutput0_output");
    sg_list_arguments(g, grp, &L, &N);
    CHECK_NAMES(L, N, "data", "fullyconnected0_weight", "fullyconnected0_bias", "softmaxoutput0_label",
                "linearregressionoutput0_label");
    /* picking outputs */
    CHECK_STR(sg_symbol_name(sg_get_output_by_name(g, grp, "linearregressionoutput0_output")), "linearregressionoutput0");
    CHECK(sg_get_output_by_name(g, grp, "nope") == NULL);
    CHECK(strstr(sg_graph_error(g), "nope") != NULL);
    CHECK(sg_get_output(g, grp, 2) == NULL);
    sg_graph_free(g);
}

SG_TEST(auto_names_and_counters) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b"), *s;
    s = sg_add(g, a, b);
    CHECK_STR(sg_symbol_name(s), "_plus0");
    s = sg_add(g, a, b);
    CHECK_STR(sg_symbol_name(s), "_plus1");
    s = sg_op(g, "elemwise_add", NULL, NULL, 2, (sg_symbol *[]){a, b}, NULL);
    CHECK_STR(sg_symbol_name(s), "elemwise_add0");
    s = sg_op(g, "Softmax", NULL, NULL, 1, &a, NULL);
    CHECK_STR(sg_symbol_name(s), "softmax0");
    s = sg_op(g, "softmax", NULL, NULL, 1, &a, NULL);
    CHECK_STR(sg_symbol_name(s), "softmax1");
    s = sg_op(g, "Pooling", NULL, SG_KV("kernel", "(2, 2)"), 1, &a, NULL);
    CHECK_STR(sg_symbol_name(s), "pooling0");
    CHECK_STR(sg_symbol_name(sg_sub_scalar(g, a, "127.5")), "_minusscalar0");
    CHECK_STR(sg_symbol_name(sg_rpow_scalar(g, a, "2")), "_rpower_scalar0");
    /* a fresh NameManager restarts the counters and restores them after */
    CHECK_INT(sg_name_push(g, NULL), SG_OK);
    CHECK_STR(sg_symbol_name(sg_add(g, a, b)), "_plus0");
    CHECK_INT(sg_name_pop(g), SG_OK);
    CHECK_STR(sg_symbol_name(sg_add(g, a, b)), "_plus2");
    CHECK(sg_name_pop(g) != SG_OK);
    sg_graph_free(g);
}

SG_TEST(prefix_scope) {
    sg_graph *g = sg_graph_create();
    sg_symbol *data = sg_variable(g, "data"), *net;
    sg_name_push(g, "layer1_");
    net = sg_fully_connected(g, "fc", data, 100);
    sg_name_pop(g);
    sg_name_push(g, "layer2_");
    net = sg_fully_connected(g, "fc", net, 10);
    sg_name_pop(g);
    sg_list_arguments(g, net, &L, &N);
    CHECK_NAMES(L, N, "data", "layer1_fc_weight", "layer1_fc_bias", "layer2_fc_weight", "layer2_fc_bias");
    sg_name_push(g, "mynet_");
    net = sg_fully_connected(g, "fc1", data, 10);
    CHECK_STR(sg_symbol_name(net), "mynet_fc1");
    net = sg_fully_connected(g, NULL, data, 10);
    CHECK_STR(sg_symbol_name(net), "mynet_fullyconnected0");
    sg_name_pop(g);
    sg_graph_free(g);
}

SG_TEST(compose_example) {
    sg_graph *g = sg_graph_create();
    sg_symbol *data = sg_variable(g, "data"), *net1, *net2, *composed, *bad;
    const char *key = "fc3_data";
    net1 = sg_fully_connected(g, "fc1", data, 10);
    net1 = sg_fully_connected(g, "fc2", net1, 100);
    net2 = sg_fully_connected(g, "fc3", NULL, 10);
    CHECK(net2 != NULL);
    net2 = sg_activation(g, NULL, net2, "relu");
    net2 = sg_fully_connected(g, "fc4", net2, 20);
    sg_list_arguments(g, net2, &L, &N);
    CHECK_NAMES(L, N, "fc3_data", "fc3_weight", "fc3_bias", "fc4_weight", "fc4_bias");
    composed = sg_compose(g, net2, "composed", 1, &key, &net1);
    CHECK(composed != NULL);
    sg_list_arguments(g, composed, &L, &N);
    CHECK_NAMES(L, N, "data", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias", "fc3_weight", "fc3_bias",
                "fc4_weight", "fc4_bias");
    CHECK_STR(sg_symbol_name(composed), "composed");
    /* the original is untouched */
    sg_list_arguments(g, net2, &L, &N);
    CHECK_NAMES(L, N, "fc3_data", "fc3_weight", "fc3_bias", "fc4_weight", "fc4_bias");
    CHECK_STR(sg_symbol_name(net2), "fc4");
    /* a key that names no argument */
    key = "nothere";
    bad = sg_compose(g, net2, NULL, 1, &key, &net1);
    CHECK(bad == NULL);
    CHECK_INT(sg_graph_status(g), SG_ERR_ARG);
    CHECK(strstr(sg_graph_error(g), "nothere") != NULL);
    sg_graph_free(g);
}

SG_TEST(children_and_internals) {
    sg_graph *g = sg_graph_create();
    sg_symbol *data = sg_variable(g, "data");
    sg_symbol *fc1 = sg_fully_connected(g, "fc1", data, 10);
    sg_symbol *fc2 = sg_fully_connected(g, "fc2", fc1, 10);
    sg_symbol *ch = sg_get_children(g, fc2), *ch2, *in, *s, *cat;
    sg_list_outputs(g, ch, &L, &N);
    CHECK_NAMES(L, N, "fc1_output", "fc2_weight", "fc2_bias");
    ch2 = sg_get_children(g, sg_get_output(g, ch, 0));
    sg_list_outputs(g, ch2, &L, &N);
    CHECK_NAMES(L, N, "data", "fc1_weight", "fc1_bias");
    CHECK(sg_get_children(g, data) == NULL);
    CHECK_INT(sg_graph_status(g), SG_OK);
    in = sg_get_internals(g, fc2);
    s = sg_get_output_by_name(g, in, "fc1_output");
    sg_list_arguments(g, s, &L, &N);
    CHECK_NAMES(L, N, "data", "fc1_weight", "fc1_bias");
    /* Concat of a SliceChannel named slice */
    s = sg_op(g, "SliceChannel", "slice", SG_KV("num_outputs", "3"), 1, &data, NULL);
    CHECK_INT(sg_num_outputs(s), 3);
    {
        sg_symbol *parts[3];
        int i;
        for (i = 0; i < 3; i++) parts[i] = sg_get_output(g, s, i);
        cat = sg_concat(g, NULL, 3, parts, 1);
    }
    sg_list_outputs(g, sg_get_children(g, cat), &L, &N);
    CHECK_NAMES(L, N, "slice_output0", "slice_output1", "slice_output2");
    /* SliceChannel numbers its output even when it has one (MXNet 1.9.1's
     * FListOutputNames): split(data, num_outputs=1) lists split0_output0 */
    s = sg_op(g, "split", NULL, SG_KV("num_outputs", "1"), 1, &data, NULL);
    CHECK_INT(sg_list_outputs(g, s, &L, &N), SG_OK);
    CHECK_NAMES(L, N, "split0_output0");
    CHECK(sg_get_output_by_name(g, s, "split0_output0") != NULL);
    CHECK(sg_get_output_by_name(g, s, "split0_output") == NULL);
    sg_graph_clear_error(g);
    sg_list_outputs(g, sg_get_internals(g, sg_add(g, s, data)), &L, &N);
    CHECK_NAMES(L, N, "data", "split0_output0", "_plus0_output");
    sg_graph_free(g);
}

SG_TEST(batchnorm_aux_and_versions) {
    sg_graph *g = sg_graph_create();
    sg_symbol *bn = sg_batch_norm(g, "bn", NULL), *in;
    sg_list_arguments(g, bn, &L, &N);
    CHECK_NAMES(L, N, "bn_data", "bn_gamma", "bn_beta");
    sg_list_auxiliary_states(g, bn, &L, &N);
    CHECK_NAMES(L, N, "bn_moving_mean", "bn_moving_var");
    sg_list_inputs(g, bn, &L, &N);
    CHECK_NAMES(L, N, "bn_data", "bn_gamma", "bn_beta", "bn_moving_mean", "bn_moving_var");
    sg_list_outputs(g, bn, &L, &N);
    CHECK_NAMES(L, N, "bn_output");
    in = sg_get_internals(g, bn);
    sg_list_outputs(g, in, &L, &N);
    CHECK_NAMES(L, N, "bn_data", "bn_gamma", "bn_beta", "bn_moving_mean", "bn_moving_var", "bn_output");
    bn = sg_op(g, "BatchNorm", "bn2", SG_KV("output_mean_var", "True"), 0, NULL, NULL);
    sg_list_outputs(g, bn, &L, &N);
    CHECK_NAMES(L, N, "bn2_output", "bn2_mean", "bn2_var");
    /* the aux input of BatchNorm must be a variable */
    {
        sg_symbol *x = sg_variable(g, "x"), *ins[5];
        ins[0] = x; ins[1] = x; ins[2] = x; ins[3] = sg_add(g, x, x); ins[4] = x;
        CHECK(sg_op(g, "BatchNorm", "bad", NULL, 5, ins, NULL) == NULL);
        CHECK_INT(sg_graph_status(g), SG_ERR_GRAPH);
    }
    sg_graph_free(g);
}

SG_TEST(attributes_mood) {
    sg_graph *g = sg_graph_create();
    sg_var_opts vo;
    sg_symbol *data, *op, *w;
    const char *v;
    memset(&vo, 0, sizeof vo);
    vo.attr = SG_KV("mood", "angry");
    data = sg_variable_ex(g, "data", &vo);
    op = sg_op_ex(g, "Convolution", "conv", SG_KV("kernel", "(1, 1)", "num_filter", "1"), SG_KV("mood", "so so"), 1,
                  &data, NULL);
    CHECK(op != NULL);
    CHECK_INT(sg_attr(g, data, "mood", &v), 1);
    CHECK_STR(v, "angry");
    CHECK_INT(sg_attr(g, op, "mood", &v), 1);
    CHECK_STR(v, "so so");
    CHECK_INT(sg_attr(g, op, "missing", &v), 0);
    CHECK(v == NULL);
    CHECK_INT(sg_list_attr(g, op, 1, &L, &N), SG_OK);
    /* the seed's recursive listing: {data_mood, conv_weight_mood, conv_bias_mood, conv_mood} */
    CHECK_INT(N, 4);
    CHECK_NAMES(L, 2 * N, "data_mood", "angry", "conv_weight_mood", "so so", "conv_bias_mood", "so so", "conv_mood",
                "so so");
    /* 1.9's list_attr includes the parameters */
    sg_list_attr(g, op, 0, &L, &N);
    CHECK_NAMES(L, 2 * N, "kernel", "(1, 1)", "mood", "so so", "num_filter", "1");
    /* a user-made weight is not given the operator's attributes */
    memset(&vo, 0, sizeof vo);
    vo.attr = SG_KV("size", "5");
    w = sg_variable_ex(g, "crazy_weight", &vo);
    {
        sg_symbol *in[2];
        const char *keys[2] = {"data", "weight"};
        in[0] = data; in[1] = w;
        op = sg_op_ex(g, "Convolution", "conv", SG_KV("kernel", "(1, 1)", "num_filter", "1"), SG_KV("mood", "so so"), 2,
                      in, keys);
    }
    sg_list_attr(g, op, 1, &L, &N);
    CHECK_NAMES(L, 2 * N, "data_mood", "angry", "crazy_weight_size", "5", "conv_bias_mood", "so so", "conv_mood", "so so");
    /* attr_dict (1.9's node$key form) */
    sg_attr_dict(g, op, &L, &N);
    CHECK_NAMES(L, 3 * N, "data", "mood", "angry", "crazy_weight", "size", "5", "conv_bias", "kernel", "(1, 1)",
                "conv_bias", "mood", "so so", "conv_bias", "num_filter", "1", "conv", "kernel", "(1, 1)", "conv", "mood",
                "so so", "conv", "num_filter", "1");
    /* an attribute that is a parameter name is refused */
    CHECK(sg_op_ex(g, "FullyConnected", "x", SG_KV("num_hidden", "2"), SG_KV("num_hidden", "3"), 1, &data, NULL) == NULL);
    CHECK_INT(sg_graph_status(g), SG_ERR_PARAM);
    sg_graph_free(g);
}

SG_TEST(attr_scope_example) {
    sg_graph *g = sg_graph_create();
    sg_var_opts vo;
    sg_symbol *data, *gdata, *fc;
    const char *v;
    CHECK_INT(sg_attr_scope_push(g, SG_KV("group", "4", "data", "great")), SG_OK);
    memset(&vo, 0, sizeof vo);
    vo.attr = SG_KV("group", "1", "dtype", "data", "force_mirroring", "True");
    vo.lr_mult = "1";
    data = sg_variable_ex(g, "data", &vo);
    gdata = sg_variable(g, "data2");
    CHECK_INT(sg_attr_scope_pop(g), SG_OK);
    CHECK(sg_attr(g, gdata, "group", &v) == 1 && !strcmp(v, "4"));
    CHECK(sg_attr(g, data, "group", &v) == 1 && !strcmp(v, "1"));
    CHECK(sg_attr(g, data, "data", &v) == 1 && !strcmp(v, "great"));
    CHECK(sg_attr(g, data, "lr_mult", &v) == 1 && !strcmp(v, "1"));
    CHECK(sg_attr(g, data, "__lr_mult__", &v) == 1 && !strcmp(v, "1"));
    CHECK(sg_attr(g, data, "force_mirroring", &v) == 1 && !strcmp(v, "True"));
    CHECK(sg_attr(g, data, "__force_mirroring__", &v) == 1 && !strcmp(v, "True"));
    sg_list_attr(g, data, 0, &L, &N);
    CHECK_NAMES(L, 2 * N, "__force_mirroring__", "True", "force_mirroring", "True", "__lr_mult__", "1", "lr_mult", "1",
                "data", "great", "dtype", "data", "group", "1");
    /* nested scopes merge; operators and their automatic inputs get the attributes */
    sg_attr_scope_push(g, SG_KV("__group__", "4"));
    sg_attr_scope_push(g, SG_KV("__data__", "great"));
    fc = sg_fully_connected(g, "fc1", sg_variable(g, "x"), 10);
    sg_attr_scope_pop(g);
    sg_attr_scope_pop(g);
    sg_attr_dict(g, fc, &L, &N);
    CHECK_NAMES(L, 3 * N, "x", "__data__", "great", "x", "__group__", "4", "fc1_weight", "__data__", "great", "fc1_weight",
                "__group__", "4", "fc1_weight", "num_hidden", "10", "fc1_bias", "__data__", "great", "fc1_bias",
                "__group__", "4", "fc1_bias", "num_hidden", "10", "fc1", "__data__", "great", "fc1", "__group__", "4",
                "fc1", "num_hidden", "10");
    CHECK(sg_attr_scope_pop(g) != SG_OK);
    sg_graph_free(g);
}

SG_TEST(set_attr_and_hidden_keys) {
    sg_graph *g = sg_graph_create();
    sg_symbol *x = sg_variable(g, "x"), *c, *grp, *pair[2];
    const char *v;
    CHECK_INT(sg_set_attr(g, x, "lr_mult", "2"), SG_OK);
    CHECK(sg_attr(g, x, "__lr_mult__", &v) == 1 && !strcmp(v, "2"));
    CHECK(sg_set_attr(g, x, "weight_lr_mult", "2") != SG_OK);
    CHECK(strstr(sg_graph_error(g), "deprecated") != NULL);
    /* an operator keyword starting with a hidden key is stored as __key__ */
    c = sg_op(g, "Convolution", "conv", SG_KV("kernel", "(1, 1)", "num_filter", "1", "lr_mult", "1"), 1, &x, NULL);
    CHECK(c != NULL);
    CHECK(sg_attr(g, c, "__lr_mult__", &v) == 1 && !strcmp(v, "1"));
    CHECK(sg_op(g, "Convolution", "conv", SG_KV("kernel", "(1, 1)", "num_filter", "1", "weight_lr_mult", "1"), 1, &x,
                NULL) == NULL);
    pair[0] = x; pair[1] = c;
    grp = sg_group(g, 2, pair);
    CHECK_INT(sg_attr(g, grp, "name", &v), 0);
    CHECK(sg_set_attr(g, grp, "a", "b") != SG_OK);
    CHECK(sg_attr(g, c, "name", &v) == 1 && !strcmp(v, "conv"));
    sg_graph_free(g);
}

SG_TEST(bad_operator_calls) {
    sg_graph *g = sg_graph_create();
    sg_symbol *x = sg_variable(g, "x"), *ins[4];
    const char *kw = "bogus";
    CHECK(sg_op(g, "NoSuchOp", "n1", NULL, 1, &x, NULL) == NULL);
    CHECK_INT(sg_graph_status(g), SG_ERR_UNKNOWN_OP);
    CHECK(strstr(sg_graph_error(g), "NoSuchOp") && strstr(sg_graph_error(g), "n1"));
    CHECK(sg_op(g, "FullyConnected", "fc", SG_KV("num_hiden", "3"), 1, &x, NULL) == NULL);
    CHECK_INT(sg_graph_status(g), SG_ERR_PARAM);
    CHECK(strstr(sg_graph_error(g), "num_hiden") && strstr(sg_graph_error(g), "fc"));
    CHECK(sg_op(g, "FullyConnected", "fc", SG_KV("num_hidden", "abc"), 1, &x, NULL) == NULL);
    CHECK(strstr(sg_graph_error(g), "'abc'") && strstr(sg_graph_error(g), "num_hidden"));
    CHECK(sg_op(g, "FullyConnected", "fc", SG_KV("num_hidden", "0"), 1, &x, NULL) == NULL);
    CHECK(sg_op(g, "FullyConnected", "fc", NULL, 1, &x, NULL) == NULL);
    CHECK(strstr(sg_graph_error(g), "required parameter 'num_hidden'") != NULL);
    CHECK(sg_op(g, "Activation", "act", SG_KV("act_type", "relux"), 1, &x, NULL) == NULL);
    CHECK(sg_op(g, "Convolution", "c", SG_KV("kernel", "(3, x)", "num_filter", "2"), 1, &x, NULL) == NULL);
    CHECK(sg_op(g, "Pooling", "p", SG_KV("global_pool", "maybe"), 1, &x, NULL) == NULL);
    /* too many positional inputs, unknown keyword input */
    ins[0] = ins[1] = ins[2] = ins[3] = x;
    CHECK(sg_op(g, "FullyConnected", "fc", SG_KV("num_hidden", "3"), 4, ins, NULL) == NULL);
    CHECK_INT(sg_graph_status(g), SG_ERR_ARG);
    CHECK(sg_op(g, "FullyConnected", "fc", SG_KV("num_hidden", "3"), 1, ins, &kw) == NULL);
    CHECK(strstr(sg_graph_error(g), "bogus") != NULL);
    /* NULL inputs keep the earlier error in a chain */
    sg_graph_clear_error(g);
    CHECK(sg_add(g, sg_op(g, "Nope", NULL, NULL, 0, NULL, NULL), x) == NULL);
    CHECK(strstr(sg_graph_error(g), "Nope") != NULL);
    /* symbols from two graphs never mix */
    {
        sg_graph *g2 = sg_graph_create();
        sg_symbol *y = sg_variable(g2, "y");
        CHECK(sg_add(g, x, y) == NULL);
        CHECK(strstr(sg_graph_error(g), "another graph") != NULL);
        sg_graph_free(g2);
    }
    CHECK(sg_variable(g, "") == NULL);
    CHECK(sg_group(g, 0, NULL) == NULL);
    sg_graph_free(g);
}

/* Parameter strings as MXNet 1.9's dmlc parser reads them (each case checked
 * against MXNet 1.9.1): floats are decimal with an optional f suffix and inf /
 * nan words, never hex, never beyond the double range; optional floats
 * (softmax's temperature) take no inf / nan; booleans may carry blanks. */
SG_TEST(parameter_formats) {
    sg_graph *g = sg_graph_create();
    sg_symbol *x = sg_variable(g, "x"), *s;
    static const char *const ok_scalar[] = {"1.5f", "1.5F", "2", "-0.25", "1e-05", "inf", "nan", " 3"};
    static const double ok_value[] = {1.5, 1.5, 2.0, -0.25, 1e-05, 0, 0, 3.0};
    static const char *const bad_scalar[] = {"0x10", "1e400", "abc", "", "1.5ff", "0x1p3"};
    int i;
    for (i = 0; i < 8; i++) {
        s = sg_op(g, "_plus_scalar", NULL, SG_KV("scalar", ok_scalar[i]), 1, &x, NULL);
        CHECK_MSG(s != NULL, "scalar '%s': %s", ok_scalar[i], sg_graph_error(g));
        if (s && (i < 5 || i == 7)) CHECK(sg__param(s->heads[0].node, "scalar")->f == ok_value[i]);
    }
    for (i = 0; i < 6; i++) {
        CHECK_MSG(sg_op(g, "_plus_scalar", NULL, SG_KV("scalar", bad_scalar[i]), 1, &x, NULL) == NULL,
                  "scalar '%s' was accepted", bad_scalar[i]);
        CHECK_INT(sg_graph_status(g), SG_ERR_PARAM);
    }
    CHECK(sg_op(g, "softmax", NULL, SG_KV("temperature", "0.5"), 1, &x, NULL) != NULL);
    CHECK(sg_op(g, "softmax", NULL, SG_KV("temperature", "None"), 1, &x, NULL) != NULL);
    CHECK(sg_op(g, "softmax", NULL, SG_KV("temperature", "inf"), 1, &x, NULL) == NULL);
    CHECK(sg_op(g, "softmax", NULL, SG_KV("temperature", "nan"), 1, &x, NULL) == NULL);
    CHECK(strstr(sg_graph_error(g), "temperature") != NULL);
    CHECK(sg_op(g, "Pooling", NULL, SG_KV("kernel", "(2, 2)", "count_include_pad", " True"), 1, &x, NULL) != NULL);
    CHECK(sg_op(g, "Pooling", NULL, SG_KV("kernel", "(2, 2)", "count_include_pad", "False "), 1, &x, NULL) != NULL);
    CHECK(sg_op(g, "Pooling", NULL, SG_KV("kernel", "(2, 2)", "count_include_pad", "Tru e"), 1, &x, NULL) == NULL);
    /* plain booleans and the suffix on optional floats are read exactly */
    CHECK(sg_op(g, "FullyConnected", NULL, SG_KV("num_hidden", "2", "no_bias", " True"), 1, &x, NULL) == NULL);
    CHECK(sg_op(g, "softmax", NULL, SG_KV("temperature", "0.5f"), 1, &x, NULL) == NULL);
    CHECK(sg_op(g, "_plus_scalar", NULL, SG_KV("scalar", "inff"), 1, &x, NULL) == NULL);
    s = sg_op(g, "_plus_scalar", NULL,
              SG_KV("scalar", "0.1000000000000000000000000000000000000000000000000000000000000000000001"), 1, &x, NULL);
    CHECK(s != NULL && sg__param(s->heads[0].node, "scalar")->f == 0.1);
    /* 32-bit float parameters stop at FLT_MAX, double ones (MXNet's scalar,
     * BatchNorm's eps, softmax's temperature) do not: MXNet 1.9.1 rejects
     * clip a_min=1e39 ("Out of range value") and takes scalar=1e39 */
    CHECK(sg_op(g, "clip", NULL, SG_KV("a_min", "1e39", "a_max", "2"), 1, &x, NULL) == NULL);
    CHECK(strstr(sg_graph_error(g), "float range") != NULL);
    CHECK(sg_op(g, "clip", NULL, SG_KV("a_min", "-3e38", "a_max", "2"), 1, &x, NULL) != NULL);
    CHECK(sg_op(g, "LeakyReLU", NULL, SG_KV("slope", "-1e39"), 1, &x, NULL) == NULL);
    CHECK(sg_op(g, "_mul_scalar", NULL, SG_KV("scalar", "1e39"), 1, &x, NULL) != NULL);
    CHECK(sg_op(g, "BatchNorm", NULL, SG_KV("eps", "1e39"), 1, &x, NULL) != NULL);
    CHECK(sg_op(g, "BatchNorm", NULL, SG_KV("momentum", "1e39"), 1, &x, NULL) == NULL);
    CHECK(sg_op(g, "softmax", NULL, SG_KV("temperature", "1e39"), 1, &x, NULL) != NULL);
    CHECK(sg_op(g, "clip", NULL, SG_KV("a_min", "-inf", "a_max", "inf"), 1, &x, NULL) != NULL);
    /* optional ints take Python 2's "1L", plain ints do not */
    s = sg_op(g, "slice_axis", NULL, SG_KV("axis", "1", "begin", "0", "end", "1L"), 1, &x, NULL);
    CHECK(s != NULL && sg__param(s->heads[0].node, "end")->i == 1);
    CHECK(sg_op(g, "slice_axis", NULL, SG_KV("axis", "1", "begin", "1L", "end", "2"), 1, &x, NULL) == NULL);
    /* transpose axes=None: MXNet 1.9.1 fails in shape inference */
    {
        static const char *const nm[] = {"x"};
        sg_shape sh;
        sh.ndim = 2; sh.dims[0] = 2; sh.dims[1] = 3;
        s = sg_op(g, "transpose", NULL, SG_KV("axes", "None"), 1, &x, NULL);
        CHECK(s != NULL);
        CHECK_INT(sg_infer_shape(g, s, 1, nm, &sh, 0, NULL, NULL, NULL), SG_ERR_SHAPE);
        CHECK(strstr(sg_graph_error(g), "axes None") != NULL);
    }
    sg_graph_free(g);
}

SG_TEST(scalars_and_float_format) {
    char b[32];
    CHECK_STR(sg_format_float(b, 1.0), "1.0");
    CHECK_STR(sg_format_float(b, 0.5), "0.5");
    CHECK_STR(sg_format_float(b, -1.0), "-1.0");
    CHECK_STR(sg_format_float(b, 127.5), "127.5");
    CHECK_STR(sg_format_float(b, 1e-5), "1e-05");
    CHECK_STR(sg_format_float(b, 0.0001), "0.0001");
    CHECK_STR(sg_format_float(b, 1e16), "1e+16");
    CHECK_STR(sg_format_float(b, 1e15), "1000000000000000.0");
    CHECK_STR(sg_format_float(b, 0.1), "0.1");
    CHECK_STR(sg_format_float(b, 1.0 / 3), "0.3333333333333333");
    CHECK_STR(sg_format_float(b, 2.5e-7), "2.5e-07");
}

SG_TEST(copy_is_deep) {
    sg_graph *g = sg_graph_create();
    sg_symbol *out = build_mlp(g), *cp = sg_copy(g, out);
    const char *j1, *j2;
    char *s1;
    sg_tojson(g, out, &j1);
    s1 = (char *)malloc(strlen(j1) + 1);
    strcpy(s1, j1);
    sg_tojson(g, cp, &j2);
    CHECK_STR(s1, j2);
    sg_set_attr(g, cp, "name", "renamed");
    CHECK_STR(sg_symbol_name(out), "out");
    free(s1);
    sg_graph_free(g);
}

int main(void) {
    SG_RUN(abcd_lists);
    SG_RUN(mlp_arguments);
    SG_RUN(group_outputs);
    SG_RUN(auto_names_and_counters);
    SG_RUN(prefix_scope);
    SG_RUN(compose_example);
    SG_RUN(children_and_internals);
    SG_RUN(batchnorm_aux_and_versions);
    SG_RUN(attributes_mood);
    SG_RUN(attr_scope_example);
    SG_RUN(set_attr_and_hidden_keys);
    SG_RUN(bad_operator_calls);
    SG_RUN(parameter_formats);
    SG_RUN(scalars_and_float_format);
    SG_RUN(copy_is_deep);
    return SG_DONE("test_graph");
}
