/* Symbol JSON: byte-exact output against MXNet 1.9.1, loading real MXNet files
 * (0.8 legacy to 1.6), and hostile input (issue 2). Goldens come from real
 * MXNet 1.9.1 (tools/mxnet_ref/gen_json_goldens.py); the interop files from
 * ../shared/interop/mxnet-json (or $SG_INTEROP_DIR). Run from the repo root. */
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include "sg_test.h"
#include <stdlib.h>

#define GOLD "tests/data/mxnet_golden/"
static const char *const *L;
static int N;

/* Compare our tojson with a golden file, printing the first difference. */
static void check_golden(sg_graph *g, sg_symbol *s, const char *file) {
    char path[512];
    const char *j = NULL;
    char *want;
    snprintf(path, sizeof path, GOLD "%s", file);
    want = sg_t_read(path, NULL);
    CHECK_MSG(want != NULL, "missing golden %s", path);
    CHECK_MSG(s != NULL, "%s: symbol not built: %s", file, sg_graph_error(g));
    if (!want || !s) { free(want); return; }
    CHECK_INT(sg_tojson(g, s, &j), SG_OK);
    if (j && strcmp(j, want)) {
        size_t i = 0;
        while (j[i] && j[i] == want[i]) i++;
        SG_FAILF("%s differs at byte %lu: ours \"%.60s\" golden \"%.60s\"", file, (unsigned long)i, j + i, want + i);
    }
    free(want);
}

SG_TEST(spec_plus_example) {
    sg_graph *g = sg_graph_create();
    sg_symbol *c = sg_add(g, sg_variable(g, "a"), sg_variable(g, "b"));
    const char *j;
    static const char want[] =
        "{\n  \"nodes\": [\n    {\n      \"op\": \"null\", \n      \"name\": \"a\", \n      \"inputs\": []\n    }, \n"
        "    {\n      \"op\": \"null\", \n      \"name\": \"b\", \n      \"inputs\": []\n    }, \n    {\n"
        "      \"op\": \"elemwise_add\", \n      \"name\": \"_plus0\", \n      \"inputs\": [[0, 0, 0], [1, 0, 0]]\n"
        "    }\n  ], \n  \"arg_nodes\": [0, 1], \n  \"node_row_ptr\": [0, 1, 2, 3], \n  \"heads\": [[2, 0, 0]], \n"
        "  \"attrs\": {\"mxnet_version\": [\"int\", 10901]}\n}";
    CHECK_INT(sg_tojson(g, c, &j), SG_OK);
    CHECK_STR(j, want);
    sg_graph_free(g);
}

/* The graphs of tools/mxnet_ref/gen_json_goldens.py, built through the C API. */
SG_TEST(built_graphs_match_mxnet) {
    sg_graph *g = sg_graph_create();
    sg_symbol *A, *B, *C, *D, *ab, *cd, *data, *fc1, *relu1, *fc2, *out, *s, *o[11], *x;
    sg_var_opts vo;
    int i;
    /* abcd */
    sg_name_push(g, NULL);
    A = sg_variable(g, "A"); B = sg_variable(g, "B"); C = sg_variable(g, "C"); D = sg_variable(g, "D");
    ab = sg_mul(g, A, B);
    cd = sg_mul(g, C, D);
    check_golden(g, sg_add(g, ab, cd), "built_abcd.json");
    sg_name_pop(g);
    /* mlp and Group([fc1, mlp]) */
    sg_name_push(g, NULL);
    data = sg_variable(g, "data");
    fc1 = sg_fully_connected(g, "fc1", data, 128);
    relu1 = sg_activation(g, "relu1", fc1, "relu");
    fc2 = sg_fully_connected(g, "fc2", relu1, 10);
    out = sg_softmax_output(g, "out", fc2, NULL);
    check_golden(g, out, "built_mlp.json");
    o[0] = fc1; o[1] = out;
    check_golden(g, sg_group(g, 2, o), "built_mlp_group.json");
    sg_name_pop(g);
    /* data1 + data2 */
    sg_name_push(g, NULL);
    s = sg_add(g, sg_variable(g, "data1"), sg_variable(g, "data2"));
    check_golden(g, sg_fully_connected(g, "fc1", s, 64), "built_data12.json");
    sg_name_pop(g);
    /* explicit weight */
    sg_name_push(g, NULL);
    {
        sg_symbol *in[2];
        const char *keys[2] = {"data", "weight"};
        in[1] = sg_variable(g, "myweight");
        in[0] = sg_variable(g, "data");
        check_golden(g, sg_op(g, "FullyConnected", "fc1", SG_KV("num_hidden", "32"), 2, in, keys), "built_myweight.json");
    }
    sg_name_pop(g);
    /* groups, named and automatic */
    sg_name_push(g, NULL);
    data = sg_variable(g, "data");
    s = sg_fully_connected(g, "fc1", data, 128);
    o[0] = sg_softmax_output(g, "softmax", s, NULL);
    o[1] = sg_linear_regression_output(g, "regression", s, NULL);
    check_golden(g, sg_group(g, 2, o), "built_group.json");
    sg_name_pop(g);
    sg_name_push(g, NULL);
    data = sg_variable(g, "data");
    s = sg_fully_connected(g, NULL, data, 128);
    o[0] = sg_softmax_output(g, NULL, s, NULL);
    o[1] = sg_linear_regression_output(g, NULL, s, NULL);
    check_golden(g, sg_group(g, 2, o), "built_group_auto.json");
    sg_name_pop(g);
    /* variable attributes and BatchNorm */
    sg_name_push(g, NULL);
    memset(&vo, 0, sizeof vo);
    {
        int64_t shp[2] = {2, 3};
        vo.shape_ndim = 2;
        vo.shape = shp;
        vo.lr_mult = "0.5";
        vo.attr = SG_KV("mood", "angry");
        x = sg_variable_ex(g, "x", &vo);
    }
    check_golden(g, sg_batch_norm(g, "bn", x), "built_bn_var.json");
    sg_name_pop(g);
    /* mood */
    sg_name_push(g, NULL);
    memset(&vo, 0, sizeof vo);
    vo.attr = SG_KV("mood", "angry");
    data = sg_variable_ex(g, "data", &vo);
    check_golden(g, sg_op_ex(g, "Convolution", "conv", SG_KV("kernel", "(1, 1)", "num_filter", "1"),
                             SG_KV("__mood__", "so so"), 1, &data, NULL), "built_mood_conv.json");
    {
        sg_symbol *in[2];
        in[0] = sg_variable(g, "a");
        in[1] = sg_variable(g, "b");
        check_golden(g, sg_op_ex(g, "elemwise_add", NULL, NULL, SG_KV("mood", "so so"), 2, in, NULL), "built_mood_add.json");
    }
    sg_name_pop(g);
    /* AttrScope */
    sg_name_push(g, NULL);
    sg_attr_scope_push(g, SG_KV("group", "4", "data", "great"));
    memset(&vo, 0, sizeof vo);
    vo.attr = SG_KV("dtype", "data", "group", "1", "force_mirroring", "True");
    vo.lr_mult = "1";
    o[0] = sg_variable_ex(g, "data", &vo);
    o[1] = sg_variable(g, "data2");
    sg_attr_scope_pop(g);
    check_golden(g, sg_group(g, 2, o), "built_attrscope.json");
    sg_name_pop(g);
    sg_name_push(g, NULL);
    sg_attr_scope_push(g, SG_KV("__group__", "4", "__data__", "great"));
    s = sg_fully_connected(g, "fc1", sg_variable(g, "data"), 10);
    sg_attr_scope_pop(g);
    check_golden(g, s, "built_attrscope_op.json");
    sg_name_pop(g);
    /* Prefix */
    sg_name_push(g, NULL);
    data = sg_variable(g, "data");
    sg_name_push(g, "layer1_");
    s = sg_fully_connected(g, "fc", data, 100);
    sg_name_pop(g);
    sg_name_push(g, "layer2_");
    s = sg_fully_connected(g, "fc", s, 10);
    sg_name_pop(g);
    check_golden(g, s, "built_prefix.json");
    sg_name_pop(g);
    /* compose */
    sg_name_push(g, NULL);
    {
        sg_symbol *net1, *net2;
        const char *key = "fc3_data";
        data = sg_variable(g, "data");
        net1 = sg_fully_connected(g, "fc1", data, 10);
        net1 = sg_fully_connected(g, "fc2", net1, 100);
        net2 = sg_fully_connected(g, "fc3", NULL, 10);
        net2 = sg_activation(g, NULL, net2, "relu");
        net2 = sg_fully_connected(g, "fc4", net2, 20);
        check_golden(g, sg_compose(g, net2, "composed", 1, &key, &net1), "built_compose.json");
    }
    sg_name_pop(g);
    /* scalars: a + 1, 1 + a, a - 1, 1 - a, a * 2, -a, a / 2, 2 / a, a ** 2, 2 ** a, a - 127.5 */
    sg_name_push(g, NULL);
    x = sg_variable(g, "a");
    o[0] = sg_add_scalar(g, x, "1");
    o[1] = sg_add_scalar(g, x, "1");
    o[2] = sg_sub_scalar(g, x, "1");
    o[3] = sg_rsub_scalar(g, x, "1");
    o[4] = sg_mul_scalar(g, x, "2");
    o[5] = sg_negative(g, x);
    o[6] = sg_div_scalar(g, x, "2");
    o[7] = sg_rdiv_scalar(g, x, "2");
    o[8] = sg_pow_scalar(g, x, "2");
    o[9] = sg_rpow_scalar(g, x, "2");
    o[10] = sg_sub_scalar(g, x, "127.5");
    check_golden(g, sg_group(g, 11, o), "built_scalars.json");
    sg_name_pop(g);
    /* Concat of SliceChannel outputs */
    sg_name_push(g, NULL);
    s = sg_op(g, "SliceChannel", "slice", SG_KV("num_outputs", "3"), 1, (sg_symbol *[]){sg_variable(g, "data")}, NULL);
    for (i = 0; i < 3; i++) o[i] = sg_get_output(g, s, i);
    check_golden(g, sg_op(g, "Concat", NULL, SG_KV("dim", "1"), 3, o, NULL), "built_concat_slice.json");
    sg_name_pop(g);
    /* a small convnet with BN, PReLU, pooling (MKLDNN row counts), dropout */
    sg_name_push(g, NULL);
    data = sg_variable(g, "data");
    s = sg_op(g, "Convolution", "conv", SG_KV("kernel", "(3, 3)", "num_filter", "8", "pad", "(1, 1)"), 1, &data, NULL);
    s = sg_op(g, "BatchNorm", "bn", SG_KV("fix_gamma", "False"), 1, &s, NULL);
    s = sg_op(g, "LeakyReLU", "prelu", SG_KV("act_type", "prelu"), 1, &s, NULL);
    s = sg_op(g, "Pooling", "pool", SG_KV("kernel", "(2, 2)", "stride", "(2, 2)", "pool_type", "max"), 1, &s, NULL);
    s = sg_op(g, "Pooling", "gap", SG_KV("global_pool", "True", "pool_type", "avg", "kernel", "(1, 1)"), 1, &s, NULL);
    s = sg_flatten(g, NULL, s);
    s = sg_dropout(g, NULL, s, "0.5");
    s = sg_fully_connected(g, NULL, s, 10);
    check_golden(g, sg_softmax_output(g, "softmax", s, NULL), "built_convnet.json");
    sg_name_pop(g);
    /* picking an internal output by name */
    sg_name_push(g, NULL);
    data = sg_variable(g, "data");
    fc1 = sg_fully_connected(g, "fc1", data, 10);
    fc2 = sg_fully_connected(g, "fc2", fc1, 10);
    s = sg_get_output_by_name(g, sg_get_internals(g, fc2), "fc1_output");
    check_golden(g, sg_fully_connected(g, "head", s, 3), "built_internals_pick.json");
    sg_name_pop(g);
    sg_graph_free(g);
}

static const char *interop_dir(void) {
    const char *d = getenv("SG_INTEROP_DIR");
    return d ? d : "../shared/interop/mxnet-json";
}
static const char *const interop_files[] = {
    "char_lstm_unrolled", "gluon_lenet_v1.4.1", "gluon_mnist_v1.6", "legacy0800_mlp_bn", "lstm_ptb_fusedrnn",
    "mkldnn_conv_model1_v1.2", "mlp_v1.4", "mobilefacenet", "mobilenet_v2", "resnet-18", "resnet-50",
    "squeezenet_v1.1", "squeezenet_v1.2", "vgg16_reduced", NULL};

/* Compare a listing with one line of a .lists golden. */
static void check_list_line(const char *const *names, int n, const char *line, const char *what, const char *file) {
    int i = 0;
    const char *p = line;
    while (*p && *p != '\n') {
        size_t l = strcspn(p, " \n");
        if (i >= n || strlen(names[i]) != l || strncmp(names[i], p, l)) {
            SG_FAILF("%s %s: entry %d differs (%s)", file, what, i, i < n ? names[i] : "missing");
            return;
        }
        i++;
        p += l;
        if (*p == ' ') p++;
    }
    CHECK_MSG(i == n, "%s %s: %d names, MXNet lists %d", file, what, n, i);
}

SG_TEST(interop_files_resave_as_mxnet) {
    const char *dir = interop_dir();
    char path[1024], name[256];
    int k, seen = 0;
    for (k = 0; interop_files[k]; k++) {
        sg_graph *g = sg_graph_create();
        sg_symbol *s;
        char *lists, *l2, *l3;
        snprintf(path, sizeof path, "%s/%s-symbol.json", dir, interop_files[k]);
        {
            char *probe = sg_t_read(path, NULL);
            if (!probe) {
                if (k == 0) printf("test_json: skipping interop files: %s not found\n", dir);
                sg_graph_free(g);
                break;
            }
            free(probe);
        }
        seen++;
        s = sg_load(g, path);
        CHECK_MSG(s != NULL, "%s: %s", interop_files[k], sg_graph_error(g));
        if (!s) { sg_graph_free(g); continue; }
        snprintf(name, sizeof name, "%s-symbol.json", interop_files[k]);
        check_golden(g, s, name);
        snprintf(path, sizeof path, GOLD "%s-symbol.lists", interop_files[k]);
        lists = sg_t_read(path, NULL);
        CHECK(lists != NULL);
        if (lists) {
            l2 = strchr(lists, '\n') + 1;
            l3 = strchr(l2, '\n') + 1;
            sg_list_arguments(g, s, &L, &N);
            check_list_line(L, N, lists, "arguments", interop_files[k]);
            sg_list_outputs(g, s, &L, &N);
            check_list_line(L, N, l2, "outputs", interop_files[k]);
            sg_list_auxiliary_states(g, s, &L, &N);
            check_list_line(L, N, l3, "aux states", interop_files[k]);
            free(lists);
        }
        /* loading what we wrote gives the same text again */
        {
            const char *j;
            char *copy;
            sg_symbol *s2;
            sg_tojson(g, s, &j);
            copy = (char *)malloc(strlen(j) + 1);
            strcpy(copy, j);
            s2 = sg_load_json(g, copy, (size_t)-1);
            CHECK(s2 != NULL);
            if (s2) { sg_tojson(g, s2, &j); CHECK(!strcmp(j, copy)); }
            free(copy);
        }
        sg_graph_free(g);
    }
    if (seen) {
        /* ssd uses contrib operators that MXNet 1.9.1 cannot load by these names either */
        sg_graph *g = sg_graph_create();
        snprintf(path, sizeof path, "%s/ssd_300_train-symbol.json", dir);
        CHECK(sg_load(g, path) == NULL);
        CHECK_INT(sg_graph_status(g), SG_ERR_UNKNOWN_OP);
        CHECK(strstr(sg_graph_error(g), "MultiBoxPrior") != NULL);
        CHECK(strstr(sg_graph_error(g), "relu4_3_anchors") != NULL);
        sg_graph_free(g);
        CHECK_INT(seen, 14);
    }
}

SG_TEST(non_mkldnn_rows) {
    sg_graph *g = sg_graph_create();
    sg_symbol *s = sg_op(g, "Pooling", "p", SG_KV("kernel", "(2, 2)"), 1, (sg_symbol *[]){sg_variable(g, "d")}, NULL);
    const char *j;
    sg_tojson(g, s, &j);
    CHECK(strstr(j, "\"node_row_ptr\": [0, 1, 3]") != NULL);
    sg_graph_set_mkldnn_rows(g, 0);
    sg_tojson(g, s, &j);
    CHECK(strstr(j, "\"node_row_ptr\": [0, 1, 2]") != NULL);
    sg_graph_free(g);
}

SG_TEST(save_load_file_roundtrip) {
    sg_graph *g = sg_graph_create(), *g2 = sg_graph_create();
    sg_symbol *d = sg_variable(g, "data"), *s, *s2;
    const char *j;
    char *a, *b;
    const char *path = "tests/tmp_roundtrip-symbol.json";
    s = sg_softmax_output(g, "out", sg_fully_connected(g, "fc", sg_batch_norm(g, "bn", d), 4), NULL);
    CHECK_INT(sg_save(g, s, path), SG_OK);
    a = sg_t_read(path, NULL);
    sg_tojson(g, s, &j);
    CHECK(a && !strcmp(a, j)); /* the file is exactly tojson(), no trailing newline */
    s2 = sg_load(g2, path);
    CHECK(s2 != NULL);
    sg_tojson(g2, s2, &j);
    b = (char *)j;
    CHECK(a && !strcmp(a, b));
    sg_list_auxiliary_states(g2, s2, &L, &N);
    CHECK_NAMES(L, N, "bn_moving_mean", "bn_moving_var");
    free(a);
    remove(path);
    CHECK(sg_load(g2, "tests/no-such-file.json") == NULL);
    CHECK_INT(sg_graph_status(g2), SG_ERR_IO);
    CHECK(sg_save(g, s, "/nonexistent-dir/x.json") == SG_ERR_IO);
    sg_graph_free(g);
    sg_graph_free(g2);
}

/* Each hostile input must give an error (never a crash, hang or leak). */
SG_TEST(hostile_json) {
    static const char *const bad[] = {
        "", "   ", "{", "[", "nul", "{\"nodes\": [}", "{\"nodes\": []}", "{\"nodes\": [], \"arg_nodes\": []}",
        "{\"nodes\": [], \"arg_nodes\": [], \"heads\": []}",
        "{\"nodes\": [], \"arg_nodes\": [], \"heads\": [[0, 0, 0]]}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[1, 0, 0]]}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[0, 5, 0]]}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[-1, 0, 0]]}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}], \"arg_nodes\": [3], \"heads\": [[0, 0, 0]]}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[0, 0, 0]], \"x\": 1}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": [], \"bogus\": 1}], \"arg_nodes\": [0], \"heads\": [[0, 0, 0]]}",
        "{\"nodes\": [{\"op\": \"null\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[0, 0, 0]]}",
        "{\"nodes\": [{\"op\": 3, \"name\": \"a\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[0, 0, 0]]}",
        /* unknown operator */
        "{\"nodes\": [{\"op\": \"Bogus\", \"name\": \"b\", \"inputs\": []}], \"arg_nodes\": [], \"heads\": [[0, 0, 0]]}",
        /* a cycle: two ops feeding each other */
        "{\"nodes\": [{\"op\": \"relu\", \"name\": \"r0\", \"inputs\": [[1, 0, 0]]},"
        " {\"op\": \"relu\", \"name\": \"r1\", \"inputs\": [[0, 0, 0]]}], \"arg_nodes\": [], \"heads\": [[1, 0, 0]]}",
        /* a self loop */
        "{\"nodes\": [{\"op\": \"relu\", \"name\": \"r0\", \"inputs\": [[0, 0, 0]]}], \"arg_nodes\": [], \"heads\": [[0, 0, 0]]}",
        /* an input to an output index that does not exist */
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}, {\"op\": \"relu\", \"name\": \"r\", \"inputs\": [[0, 3, 0]]}],"
        " \"arg_nodes\": [0], \"heads\": [[1, 0, 0]]}",
        /* wrong input count, bad parameter value, arg_nodes naming an operator */
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}, {\"op\": \"elemwise_add\", \"name\": \"r\", \"inputs\": [[0, 0, 0]]}],"
        " \"arg_nodes\": [0], \"heads\": [[1, 0, 0]], \"attrs\": {\"mxnet_version\": [\"int\", 10901]}}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}, {\"op\": \"Activation\", \"name\": \"r\", \"attrs\": {\"act_type\": \"bad\"}, \"inputs\": [[0, 0, 0]]}],"
        " \"arg_nodes\": [0], \"heads\": [[1, 0, 0]], \"attrs\": {\"mxnet_version\": [\"int\", 10901]}}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}, {\"op\": \"relu\", \"name\": \"r\", \"inputs\": [[0, 0, 0]]}],"
        " \"arg_nodes\": [1], \"heads\": [[1, 0, 0]]}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": [[0, 0, 0]]}], \"arg_nodes\": [0], \"heads\": [[0, 0, 0]]}",
        /* strings and numbers */
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\\q\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[0, 0, 0]]}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\n\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[0, 0, 0]]}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[99999999999999999999, 0, 0]]}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[0.5, 0, 0]]}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[0, 0, 0]]} trailing",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[0, 0, 0]], \"attrs\": {\"mxnet_version\": [\"str\", 1]}}",
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[0, 0]], \"attrs\": {\"mxnet_version\": 5}}",
        NULL};
    int i;
    for (i = 0; bad[i]; i++) {
        sg_graph *g = sg_graph_create();
        sg_symbol *s = sg_load_json(g, bad[i], (size_t)-1);
        CHECK_MSG(s == NULL, "hostile input %d was accepted", i);
        CHECK_MSG(sg_graph_status(g) != SG_OK && sg_graph_error(g)[0], "hostile input %d: no error message", i);
        sg_graph_free(g);
    }
    /* messages carry a line and column, or name the node */
    {
        sg_graph *g = sg_graph_create();
        CHECK(sg_load_json(g, "{\n  \"nodes\": [\n    {\"op\": @}]}", (size_t)-1) == NULL);
        CHECK(strstr(sg_graph_error(g), "line 3, column 12") != NULL);
        CHECK(sg_load_json(g, bad[19], (size_t)-1) == NULL);
        CHECK(strstr(sg_graph_error(g), "cycle") != NULL);
        sg_graph_free(g);
    }
}

SG_TEST(deep_nesting_and_truncation) {
    sg_graph *g = sg_graph_create();
    size_t n = 200000, i, len;
    char *deep = (char *)malloc(n + 1), *mlp, *cut;
    memset(deep, '[', n);
    deep[n] = 0;
    CHECK(sg_load_json(g, deep, n) == NULL);
    CHECK(strstr(sg_graph_error(g), "nesting too deep") != NULL);
    free(deep);
    /* every prefix of a real file is rejected cleanly */
    mlp = sg_t_read(GOLD "built_convnet.json", &len);
    CHECK(mlp != NULL);
    if (mlp) {
        cut = (char *)malloc(len + 1);
        for (i = 0; i < len; i += 7) {
            memcpy(cut, mlp, i);
            cut[i] = 0;
            CHECK_MSG(sg_load_json(g, cut, i) == NULL, "prefix of length %lu accepted", (unsigned long)i);
        }
        CHECK(sg_load_json(g, mlp, len) != NULL);
        /* and every single-byte corruption either loads or errors, never crashes */
        for (i = 0; i < len; i += 13) {
            memcpy(cut, mlp, len + 1);
            cut[i] = (char)(cut[i] ^ 0x55);
            (void)sg_load_json(g, cut, len);
        }
        free(cut);
        free(mlp);
    }
    sg_graph_free(g);
}

SG_TEST(legacy_upgrade_details) {
    sg_graph *g = sg_graph_create();
    const char *v;
    /* a 0.8 file: hidden keys, weight_lr_mult moved to the weight, BatchNorm aux added */
    static const char legacy[] =
        "{\"nodes\": [{\"op\": \"null\", \"param\": {}, \"name\": \"data\", \"inputs\": [], \"backward_source_id\": -1,"
        " \"attr\": {\"ctx_group\": \"stage1\"}},"
        " {\"op\": \"null\", \"param\": {}, \"name\": \"fc_weight\", \"inputs\": [], \"backward_source_id\": -1},"
        " {\"op\": \"null\", \"param\": {}, \"name\": \"fc_bias\", \"inputs\": [], \"backward_source_id\": -1},"
        " {\"op\": \"FullyConnected\", \"param\": {\"num_hidden\": \"4\", \"no_bias\": \"False\"}, \"name\": \"fc\","
        " \"inputs\": [[0, 0], [1, 0], [2, 0]], \"backward_source_id\": -1, \"attr\": {\"weight_lr_mult\": \"1.2\", \"wd_mult\": \"0.3\"}},"
        " {\"op\": \"null\", \"param\": {}, \"name\": \"bn_gamma\", \"inputs\": [], \"backward_source_id\": -1},"
        " {\"op\": \"null\", \"param\": {}, \"name\": \"bn_beta\", \"inputs\": [], \"backward_source_id\": -1},"
        " {\"op\": \"BatchNorm\", \"param\": {\"eps\": \"0.001\"}, \"name\": \"bn\", \"inputs\": [[3, 0], [4, 0], [5, 0]], \"backward_source_id\": -1},"
        " {\"op\": \"Softmax\", \"param\": {}, \"name\": \"sm\", \"inputs\": [[6, 0]], \"backward_source_id\": -1}],"
        " \"arg_nodes\": [0, 1, 2, 4, 5], \"heads\": [[7, 0]]}";
    sg_symbol *s = sg_load_json(g, legacy, (size_t)-1), *w;
    CHECK_MSG(s != NULL, "%s", sg_graph_error(g));
    if (!s) { sg_graph_free(g); return; }
    sg_list_arguments(g, s, &L, &N);
    CHECK_NAMES(L, N, "data", "fc_weight", "fc_bias", "bn_gamma", "bn_beta", "sm_label");
    sg_list_auxiliary_states(g, s, &L, &N);
    CHECK_NAMES(L, N, "bn_moving_mean", "bn_moving_var");
    w = sg_get_output_by_name(g, sg_get_internals(g, s), "fc_weight");
    CHECK(sg_attr(g, w, "__lr_mult__", &v) == 1 && !strcmp(v, "1.2"));
    w = sg_get_output_by_name(g, sg_get_internals(g, s), "data");
    CHECK(sg_attr(g, w, "__ctx_group__", &v) == 1 && !strcmp(v, "stage1"));
    w = sg_get_output_by_name(g, sg_get_internals(g, s), "bn_moving_var");
    CHECK(sg_attr(g, w, "__init__", &v) == 1 && !strcmp(v, "[\"one\", {}]"));
    CHECK(sg_attr(g, w, "eps", &v) == 1 && !strcmp(v, "0.001"));
    CHECK(sg_attr(g, s, "op_name", &v) == 1 && !strcmp(v, "SoftmaxOutput"));
    sg_graph_free(g);
}

int main(void) {
    SG_RUN(spec_plus_example);
    SG_RUN(built_graphs_match_mxnet);
    SG_RUN(interop_files_resave_as_mxnet);
    SG_RUN(non_mkldnn_rows);
    SG_RUN(save_load_file_roundtrip);
    SG_RUN(hostile_json);
    SG_RUN(deep_nesting_and_truncation);
    SG_RUN(legacy_upgrade_details);
    return SG_DONE("test_json");
}
