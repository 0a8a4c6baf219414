/* Shape and dtype inference (issue 3): every case of tests/data/infer_cases.txt
 * (produced by real MXNet 1.9.1, tools/mxnet_ref/gen_infer_cases.py), the seed
 * examples, and the real models of ../shared/interop with their input shapes. */
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include "sg_test.h"
#include <stdlib.h>

static const char *const *L;
static int N;

/* Cases where symgraph deliberately differs from MXNet 1.9.1, with the reason. */
static const char *const deviations[][2] = {
    {"reshape_err_count", "MXNet 1.9.1 compiles Reshape's element-count check out; we report the mismatch (spec 4)"},
    {NULL, NULL}};
static const char *deviation(const char *id) {
    int i;
    for (i = 0; deviations[i][0]; i++)
        if (!strcmp(deviations[i][0], id)) return deviations[i][1];
    return NULL;
}

/* "2,3" / "()" / "-" into a shape (0 = unknown dim; "()" and "-" unknown). */
static sg_shape parse_dims(const char *t) {
    sg_shape s;
    memset(&s, 0, sizeof s);
    s.ndim = -1;
    if (!strcmp(t, "()") || !strcmp(t, "-")) return s;
    s.ndim = 0;
    while (*t) {
        s.dims[s.ndim++] = strtoll(t, (char **)&t, 10);
        if (*t == ',') t++;
    }
    return s;
}
static int shape_matches(const sg_shape *got, const sg_shape *want) {
    int i;
    if (want->ndim < 0) return got->ndim < 0;
    if (got->ndim != want->ndim) return 0;
    for (i = 0; i < got->ndim; i++)
        if ((want->dims[i] == 0 ? -1 : want->dims[i]) != got->dims[i]) return 0;
    return 1;
}

typedef struct { char name[64], val[64]; } kv64;
typedef struct {
    char id[96], op[64];
    int nparams, ninputs, nexp, nnodes, expect_error, complete, is_type;
    kv64 params[16];
    kv64 inputs[40];         /* name, dims or dtype */
    char expk[40][16];       /* expect_arg / expect_out / ... */
    kv64 exp[40];
    struct { char name[64], op[64], ins[512]; int p0, np; } nodes[12];
    kv64 nparams_all[48];
    int nparams_all_n;
} icase;

static int run_case(icase *c, int *skipped) {
    sg_graph *g = sg_graph_create();
    sg_symbol *s = NULL, *vars[40];
    const char *names[40], *keys[40];
    sg_shape shapes[40], arg[64], out[64], aux[64];
    int types[40], targ[64], tout[64], taux[64];
    int i, st, ok = 1, nin = 0, narg, nout, naux;
    const char *dev = deviation(c->id);
    (void)skipped;
    if (c->nnodes == 0) {
        const char *p[34];
        int np = 0, vararg = !strcmp(c->op, "Concat") || !strcmp(c->op, "add_n");
        for (i = 0; i < c->nparams; i++) { p[np++] = c->params[i].name; p[np++] = c->params[i].val; }
        p[np] = NULL;
        for (i = 0; i < c->ninputs; i++) {
            if (!strncmp(c->inputs[i].name, "op_", 3)) continue;
            vars[nin] = sg_variable(g, c->inputs[i].name);
            keys[nin] = c->inputs[i].name;
            nin++;
        }
        s = sg_op(g, c->op, "op", p, nin, vars, vararg ? NULL : keys);
    } else {
        int k;
        sg_symbol *made[12];
        for (k = 0; k < c->nnodes; k++) {
            const char *p[34];
            int np = 0, n2 = 0;
            char buf[512], *tok;
            for (i = 0; i < c->nodes[k].np; i++) {
                p[np++] = c->nparams_all[c->nodes[k].p0 + i].name;
                p[np++] = c->nparams_all[c->nodes[k].p0 + i].val;
            }
            p[np] = NULL;
            strcpy(buf, strcmp(c->nodes[k].ins, "-") ? c->nodes[k].ins : "");
            for (tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
                int j, found = 0;
                for (j = 0; j < k; j++)
                    if (!strcmp(c->nodes[j].name, tok)) { vars[n2++] = made[j]; found = 1; break; }
                if (!found) vars[n2++] = sg_variable(g, tok);
            }
            made[k] = sg_op(g, c->nodes[k].op, c->nodes[k].name, p, n2, vars, NULL);
        }
        s = made[c->nnodes - 1];
    }
    if (!s) {
        if (c->expect_error) { sg_graph_free(g); return 1; } /* refused at creation: also an error */
        printf("  %s: could not build: %s\n", c->id, sg_graph_error(g));
        sg_graph_free(g);
        return 0;
    }
    nin = 0;
    for (i = 0; i < c->ninputs; i++) {
        if (!strcmp(c->inputs[i].val, "-")) continue;
        names[nin] = c->inputs[i].name;
        if (c->is_type) types[nin] = sg_dtype_from_name(c->inputs[i].val);
        else shapes[nin] = parse_dims(c->inputs[i].val);
        nin++;
    }
    sg_list_arguments(g, s, &L, &narg);
    sg_list_outputs(g, s, &L, &nout);
    sg_list_auxiliary_states(g, s, &L, &naux);
    if (c->is_type) st = sg_infer_type(g, s, nin, names, types, 1, targ, tout, taux);
    else st = sg_infer_shape(g, s, nin, names, shapes, 1, arg, out, aux);
    if (dev) {
        if (st == SG_OK) { printf("  %s: deviation case (%s) gave no error\n", c->id, dev); ok = 0; }
        sg_graph_free(g);
        return ok;
    }
    if (c->expect_error) {
        if (st == SG_OK) { printf("  %s: MXNet reports an error, we did not\n", c->id); ok = 0; }
        else if (!strstr(sg_graph_error(g), "op")) { printf("  %s: error does not name the node: %s\n", c->id, sg_graph_error(g)); ok = 0; }
        sg_graph_free(g);
        return ok;
    }
    if (st != SG_OK) {
        printf("  %s: unexpected error: %s\n", c->id, sg_graph_error(g));
        sg_graph_free(g);
        return 0;
    }
    {
        int ia = 0, io = 0, ix = 0;
        for (i = 0; i < c->nexp; i++) {
            const char *k = c->expk[i];
            const char *const *lst;
            int idx, ln, is_out = strstr(k, "out") != NULL, is_aux = strstr(k, "aux") != NULL;
            if (is_out) { sg_list_outputs(g, s, &lst, &ln); idx = io++; }
            else if (is_aux) { sg_list_auxiliary_states(g, s, &lst, &ln); idx = ix++; }
            else { sg_list_arguments(g, s, &lst, &ln); idx = ia++; }
            if (idx >= ln || strcmp(lst[idx], c->exp[i].name)) {
                printf("  %s: %s %d is %s, MXNet says %s\n", c->id, k, idx, idx < ln ? lst[idx] : "missing", c->exp[i].name);
                ok = 0;
                continue;
            }
            if (c->is_type) {
                int got = is_out ? tout[idx] : is_aux ? taux[idx] : targ[idx];
                int want = !strcmp(c->exp[i].val, "-") ? -1 : sg_dtype_from_name(c->exp[i].val);
                if (got != want) {
                    printf("  %s: %s %s: got %s, MXNet %s\n", c->id, k, c->exp[i].name, got < 0 ? "-" : sg_dtype_name(got), c->exp[i].val);
                    ok = 0;
                }
            } else {
                sg_shape want = parse_dims(c->exp[i].val), *got = is_out ? &out[idx] : is_aux ? &aux[idx] : &arg[idx];
                if (!shape_matches(got, &want)) {
                    char b[128];
                    printf("  %s: %s %s: got %s, MXNet %s\n", c->id, k, c->exp[i].name, sg_shape_str(got, b, sizeof b), c->exp[i].val);
                    ok = 0;
                }
            }
        }
        if (!c->is_type && ok) {
            st = sg_infer_shape(g, s, nin, names, shapes, 0, arg, out, aux);
            if ((st == SG_OK) != (c->complete == 1)) {
                printf("  %s: complete inference %s, MXNet %s\n", c->id, st == SG_OK ? "succeeded" : "failed",
                       c->complete ? "succeeds" : "returns None");
                ok = 0;
            }
        }
    }
    sg_graph_free(g);
    return ok;
}

SG_TEST(mxnet_golden_cases) {
    FILE *f = fopen("tests/data/infer_cases.txt", "r");
    char line[1024];
    icase *c = (icase *)calloc(1, sizeof(icase));
    int in_type = 0, total = 0, bad = 0, skipped = 0;
    CHECK(f != NULL);
    if (!f) { free(c); return; }
    while (fgets(line, sizeof line, f)) {
        char a[128], b[512], d[512];
        int nf;
        line[strcspn(line, "\n")] = 0;
        if (!strncmp(line, "# section dtype", 15)) in_type = 1;
        if (!strncmp(line, "# section chain", 15)) in_type = 0;
        if (line[0] == '#' || !line[0]) continue;
        nf = sscanf(line, "%127s %511s %511s", a, b, d);
        if (!strcmp(a, "case")) { memset(c, 0, sizeof *c); snprintf(c->id, sizeof c->id, "%.95s", b); c->is_type = in_type; }
        else if (!strcmp(a, "op")) snprintf(c->op, sizeof c->op, "%.63s", b);
        else if (!strcmp(a, "node") && nf == 3) {
            int k = c->nnodes++;
            char e[512] = "";
            sscanf(line, "%*s %*s %*s %511s", e);
            snprintf(c->nodes[k].name, 64, "%.63s", b);
            snprintf(c->nodes[k].op, 64, "%.63s", d);
            snprintf(c->nodes[k].ins, 512, "%.511s", e);
            c->nodes[k].p0 = c->nparams_all_n;
        } else if (!strcmp(a, "param")) {
            if (c->nnodes) {
                snprintf(c->nparams_all[c->nparams_all_n].name, 64, "%.63s", b);
                snprintf(c->nparams_all[c->nparams_all_n].val, 64, "%.63s", nf == 3 ? d : "");
                c->nparams_all_n++;
                c->nodes[c->nnodes - 1].np++;
            } else {
                snprintf(c->params[c->nparams].name, 64, "%.63s", b);
                snprintf(c->params[c->nparams].val, 64, "%.63s", nf == 3 ? d : "");
                c->nparams++;
            }
        } else if (!strcmp(a, "input") || !strcmp(a, "intype")) {
            snprintf(c->inputs[c->ninputs].name, 64, "%.63s", b);
            snprintf(c->inputs[c->ninputs].val, 64, "%.63s", d);
            c->ninputs++;
            if (!strcmp(a, "intype")) c->is_type = 1;
        } else if (!strncmp(a, "expect_", 7) && strcmp(a, "expect_error")) {
            snprintf(c->expk[c->nexp], 16, "%.15s", a);
            snprintf(c->exp[c->nexp].name, 64, "%.63s", b);
            snprintf(c->exp[c->nexp].val, 64, "%.63s", d);
            c->nexp++;
        } else if (!strcmp(a, "expect_error")) c->expect_error = 1;
        else if (!strcmp(a, "complete")) c->complete = atoi(b);
        else if (!strcmp(a, "end")) {
            total++;
            if (!run_case(c, &skipped)) bad++;
        }
    }
    fclose(f);
    free(c);
    printf("  %d MXNet cases, %d differ\n", total, bad);
    CHECK(total > 300);
    CHECK_INT(bad, 0);
}

SG_TEST(seed_infer_examples) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b"), *c = sg_add(g, a, b), *x, *y;
    const char *names[2] = {"a", "b"};
    sg_shape shp[2], arg[2], out[1];
    int ty[2] = {SG_FLOAT32, SG_FLOAT32}, targ[2], tout[1];
    memset(shp, 0, sizeof shp);
    shp[0].ndim = shp[1].ndim = 2;
    shp[0].dims[0] = shp[1].dims[0] = 2;
    shp[0].dims[1] = shp[1].dims[1] = 3;
    CHECK_INT(sg_infer_shape(g, c, 2, names, shp, 0, arg, out, NULL), SG_OK);
    CHECK(arg[0].ndim == 2 && arg[0].dims[0] == 2 && arg[0].dims[1] == 3);
    CHECK(out[0].ndim == 2 && out[0].dims[0] == 2 && out[0].dims[1] == 3);
    CHECK_INT(sg_infer_type(g, c, 2, names, ty, 0, targ, tout, NULL), SG_OK);
    CHECK(targ[0] == SG_FLOAT32 && targ[1] == SG_FLOAT32 && tout[0] == SG_FLOAT32);
    /* mismatch: (2,3) + (3,2) names the node and both shapes */
    shp[1].dims[0] = 3; shp[1].dims[1] = 2;
    CHECK_INT(sg_infer_shape(g, c, 2, names, shp, 0, arg, out, NULL), SG_ERR_SHAPE);
    CHECK(strstr(sg_graph_error(g), "_plus0") && strstr(sg_graph_error(g), "[2,3]") && strstr(sg_graph_error(g), "[3,2]"));
    /* cast examples */
    x = sg_cast(g, NULL, a, "float16");
    ty[0] = SG_FLOAT32;
    CHECK_INT(sg_infer_type(g, x, 1, names, ty, 0, targ, tout, NULL), SG_OK);
    CHECK(targ[0] == SG_FLOAT32 && tout[0] == SG_FLOAT16);
    y = sg_cast(g, NULL, a, "uint8");
    ty[0] = SG_INT32;
    CHECK_INT(sg_infer_type(g, y, 1, names, ty, 0, targ, tout, NULL), SG_OK);
    CHECK(targ[0] == SG_INT32 && tout[0] == SG_UINT8);
    /* a type mismatch */
    ty[0] = SG_FLOAT32; ty[1] = SG_FLOAT16;
    CHECK_INT(sg_infer_type(g, c, 2, names, ty, 0, targ, tout, NULL), SG_ERR_TYPE);
    CHECK(strstr(sg_graph_error(g), "float16") && strstr(sg_graph_error(g), "float32"));
    sg_graph_free(g);
}

SG_TEST(cast_fc_softmax_types) {
    sg_graph *g = sg_graph_create();
    sg_symbol *d = sg_variable(g, "data"), *s;
    const char *nm = "data";
    int t = SG_FLOAT16, targ[4], tout[1];
    s = sg_softmax_output(g, NULL, sg_fully_connected(g, NULL, sg_cast(g, NULL, d, "float32"), 10), NULL);
    CHECK_INT(sg_infer_type(g, s, 1, &nm, &t, 0, targ, tout, NULL), SG_OK);
    CHECK(targ[0] == SG_FLOAT16 && targ[1] == SG_FLOAT32 && targ[2] == SG_FLOAT32 && targ[3] == SG_FLOAT32);
    CHECK(tout[0] == SG_FLOAT32);
    CHECK_INT(sg_infer_type(g, s, 0, NULL, NULL, 1, targ, tout, NULL), SG_OK);
    CHECK(targ[0] == -1 && targ[1] == SG_FLOAT32 && tout[0] == SG_FLOAT32);
    CHECK_INT(sg_infer_type(g, s, 0, NULL, NULL, 0, targ, tout, NULL), SG_ERR_INCOMPLETE);
    sg_graph_free(g);
}

SG_TEST(mlp_and_partial) {
    sg_graph *g = sg_graph_create();
    sg_symbol *data = sg_variable(g, "data"), *fc1, *fc2, *prev, *h, *net;
    sg_shape s, arg[8], out[2];
    const char *nm = "data";
    fc1 = sg_fully_connected(g, "fc1", data, 1000);
    fc2 = sg_fully_connected(g, "fc2", sg_activation(g, NULL, fc1, "relu"), 10);
    memset(&s, 0, sizeof s);
    s.ndim = 2; s.dims[0] = 100; s.dims[1] = 100;
    CHECK_INT(sg_infer_shape(g, fc2, 1, &nm, &s, 0, arg, out, NULL), SG_OK);
    CHECK(arg[1].dims[0] == 1000 && arg[1].dims[1] == 100 && arg[3].dims[0] == 10 && arg[3].dims[1] == 1000);
    CHECK(out[0].dims[0] == 100 && out[0].dims[1] == 10);
    /* a wrong weight shape names the node and both shapes */
    {
        const char *nms[2] = {"data", "fc1_weight"};
        sg_shape ss[2];
        ss[0] = s;
        memset(&ss[1], 0, sizeof ss[1]);
        ss[1].ndim = 2; ss[1].dims[0] = 1; ss[1].dims[1] = 100;
        CHECK_INT(sg_infer_shape(g, fc2, 2, nms, ss, 0, arg, out, NULL), SG_ERR_SHAPE);
        CHECK(strstr(sg_graph_error(g), "fc1") && strstr(sg_graph_error(g), "[1,100]") && strstr(sg_graph_error(g), "[1000,100]"));
    }
    /* partial: an unrelated unknown input stays unknown */
    prev = sg_variable(g, "prev");
    h = sg_fully_connected(g, "x2h", data, 64);
    net = sg_add(g, h, sg_fully_connected(g, "h2h", prev, 64));
    s.dims[0] = 10; s.dims[1] = 64;
    CHECK_INT(sg_infer_shape(g, net, 1, &nm, &s, 1, arg, out, NULL), SG_OK);
    sg_list_arguments(g, net, &L, &N);
    CHECK_NAMES(L, N, "data", "x2h_weight", "x2h_bias", "prev", "h2h_weight", "h2h_bias");
    CHECK(arg[1].ndim == 2 && arg[1].dims[0] == 64 && arg[1].dims[1] == 64);
    /* as MXNet 1.9.1: ([(10, 64), (64, 64), (64,), (), (), ()], [(10, 64)], []) */
    CHECK(arg[2].ndim == 1 && arg[2].dims[0] == 64);
    CHECK(arg[3].ndim == -1 && arg[4].ndim == -1 && arg[5].ndim == -1);
    CHECK(out[0].ndim == 2 && out[0].dims[0] == 10 && out[0].dims[1] == 64);
    CHECK_INT(sg_infer_shape(g, net, 1, &nm, &s, 0, arg, out, NULL), SG_ERR_INCOMPLETE);
    CHECK(strstr(sg_graph_error(g), "prev") != NULL);
    /* an unknown name is an error */
    nm = "nothere";
    CHECK_INT(sg_infer_shape(g, net, 1, &nm, &s, 1, arg, out, NULL), SG_ERR_ARG);
    CHECK(strstr(sg_graph_error(g), "nothere") != NULL);
    sg_graph_free(g);
}

SG_TEST(shape_attr_and_overflow) {
    sg_graph *g = sg_graph_create();
    sg_var_opts vo;
    int64_t dims[2] = {2, 3}, big[3] = {4000000000LL, 4000000000LL, 4000000000LL};
    sg_symbol *a, *b, *c;
    sg_shape arg[2], out[1], s;
    const char *nm = "b";
    int64_t cnt;
    memset(&vo, 0, sizeof vo);
    vo.shape_ndim = 2;
    vo.shape = dims;
    a = sg_variable_ex(g, "a", &vo);
    b = sg_variable(g, "b");
    c = sg_add(g, a, b);
    CHECK_INT(sg_infer_shape(g, c, 0, NULL, NULL, 0, arg, out, NULL), SG_OK);
    CHECK(arg[1].ndim == 2 && arg[1].dims[0] == 2 && arg[1].dims[1] == 3);
    /* an explicit shape overrides __shape__ (and then mismatches) */
    memset(&s, 0, sizeof s);
    s.ndim = 2; s.dims[0] = 5; s.dims[1] = 6;
    nm = "a";
    CHECK_INT(sg_infer_shape(g, c, 1, &nm, &s, 0, arg, out, NULL), SG_OK);
    CHECK(out[0].dims[0] == 5 && out[0].dims[1] == 6);
    /* element counts are 64-bit and checked */
    s.ndim = 3;
    s.dims[0] = big[0]; s.dims[1] = big[1]; s.dims[2] = big[2];
    CHECK_INT(sg_shape_size(&s, &cnt), SG_ERR_OVERFLOW);
    s.ndim = 2;
    s.dims[1] = 2000000000LL;
    CHECK_INT(sg_shape_size(&s, &cnt), SG_OK);
    CHECK(cnt == 8000000000000000000LL);
    /* inference itself carries 64-bit dims through */
    {
        sg_symbol *f = sg_flatten(g, NULL, sg_variable(g, "big"));
        const char *bn = "big";
        sg_shape bs, bo[1];
        memset(&bs, 0, sizeof bs);
        bs.ndim = 3; bs.dims[0] = 2; bs.dims[1] = 3000000000LL; bs.dims[2] = 3;
        CHECK_INT(sg_infer_shape(g, f, 1, &bn, &bs, 0, NULL, bo, NULL), SG_OK);
        CHECK(bo[0].dims[1] == 9000000000LL);
        /* and an element count that overflows is an error naming the node */
        bs.dims[0] = 4000000000LL; bs.dims[1] = 4000000000LL; bs.dims[2] = 4000000000LL;
        CHECK_INT(sg_infer_shape(g, f, 1, &bn, &bs, 0, NULL, bo, NULL), SG_ERR_OVERFLOW);
        CHECK(strstr(sg_graph_error(g), "big") && strstr(sg_graph_error(g), "64 bits"));
    }
    sg_graph_free(g);
}

/* The real models of ../shared/interop with the inputs its README gives. */
static const struct {
    const char *file, *input;
    int n, c, h, w, ndim;
    int64_t out[4];
    int outdim;
    long long params, aux;
} models[] = {
    {"squeezenet_v1.1", "data", 1, 3, 224, 224, 4, {1, 1000}, 2, 1235496, 0},
    {"squeezenet_v1.2", "data", 1, 3, 224, 224, 4, {1, 1000}, 2, 1235496, 0},
    {"vgg16_reduced", "data", 1, 3, 224, 224, 4, {1, 1000, 7, 7}, 4, 21508904, 0},
    {"mobilenet_v2", "data", 1, 3, 224, 224, 4, {1, 1000}, 2, 3505960, 34176},
    {"mkldnn_conv_model1_v1.2", "data", 32, 3, 300, 300, 4, {32, 1000}, 2, 21508904, 0},
    {"mlp_v1.4", "data", 5, 784, 0, 0, 2, {5, 10}, 2, 109386, 0},
    {"resnet-18", "data", 1, 3, 224, 224, 4, {1, 1000}, 2, 11691950, 7942},
    {"resnet-50", "data", 1, 3, 224, 224, 4, {1, 63}, 2, 23629573, 45574},
    {"mobilefacenet", "data", 1, 3, 112, 112, 4, {1, 128}, 2, 1003264, 19584},
    {"gluon_lenet_v1.4.1", "data", 1, 1, 28, 28, 4, {1, 10}, 2, 3682, 0},
    {"gluon_mnist_v1.6", "data", 1, 1, 28, 28, 4, {1, 10}, 2, 14765, 0},
    {"legacy0800_mlp_bn", "data", 1, 200, 0, 0, 2, {1, 10}, 2, 34654, 20},
    {NULL, NULL, 0, 0, 0, 0, 0, {0}, 0, 0, 0}};

SG_TEST(real_models) {
    const char *dir = getenv("SG_INTEROP_DIR") ? getenv("SG_INTEROP_DIR") : "../shared/interop/mxnet-json";
    char path[1024];
    int k;
    for (k = 0; models[k].file; k++) {
        sg_graph *g = sg_graph_create();
        sg_symbol *s;
        sg_shape in, *arg, out[2], *aux;
        int narg, naux, i, j, st;
        long long params = 0, auxc = 0;
        const char *const *an;
        snprintf(path, sizeof path, "%s/%s-symbol.json", dir, models[k].file);
        s = sg_load(g, path);
        if (!s && sg_graph_status(g) == SG_ERR_IO) {
            if (k == 0) printf("test_infer: skipping real models: %s not found\n", dir);
            sg_graph_free(g);
            break;
        }
        CHECK_MSG(s != NULL, "%s: %s", models[k].file, sg_graph_error(g));
        if (!s) { sg_graph_free(g); continue; }
        memset(&in, 0, sizeof in);
        in.ndim = models[k].ndim;
        in.dims[0] = models[k].n; in.dims[1] = models[k].c; in.dims[2] = models[k].h; in.dims[3] = models[k].w;
        sg_list_arguments(g, s, &an, &narg);
        sg_list_auxiliary_states(g, s, &L, &naux);
        arg = (sg_shape *)calloc((size_t)narg, sizeof(sg_shape));
        aux = (sg_shape *)calloc((size_t)naux + 1, sizeof(sg_shape));
        st = sg_infer_shape(g, s, 1, &models[k].input, &in, 0, arg, out, aux);
        CHECK_MSG(st == SG_OK, "%s: %s", models[k].file, sg_graph_error(g));
        if (st == SG_OK) {
            CHECK_MSG(out[0].ndim == models[k].outdim, "%s: output ndim %d", models[k].file, out[0].ndim);
            for (j = 0; j < models[k].outdim; j++)
                CHECK_MSG(out[0].dims[j] == models[k].out[j], "%s: output dim %d is %lld", models[k].file, j, (long long)out[0].dims[j]);
            for (i = 0; i < narg; i++) {
                int64_t cnt;
                size_t l = strlen(an[i]);
                if (!strcmp(an[i], models[k].input) || (l > 5 && !strcmp(an[i] + l - 5, "label"))) continue;
                sg_shape_size(&arg[i], &cnt);
                params += cnt;
            }
            for (i = 0; i < naux; i++) { int64_t cnt; sg_shape_size(&aux[i], &cnt); auxc += cnt; }
            CHECK_MSG(params == models[k].params, "%s: %lld parameters, README says %lld", models[k].file, params, models[k].params);
            CHECK_MSG(auxc == models[k].aux, "%s: %lld aux values, README says %lld", models[k].file, auxc, models[k].aux);
        }
        free(arg);
        free(aux);
        sg_graph_free(g);
    }
}

/* Per-operator inference directions, each as MXNet 1.9.1 gives it (values from
 * infer_type_partial / infer_shape_partial on the same graphs). */
static sg_symbol *fc_after(sg_graph *g, const char *op, const char *const *params) {
    sg_symbol *d = sg_variable(g, "data"), *p = sg_op(g, op, NULL, params, 1, &d, NULL);
    return sg_fully_connected(g, "fc", p, 3);
}
SG_TEST(type_directions) {
    sg_graph *g = sg_graph_create();
    const char *w = "fc_weight", *nm[2];
    int f64 = SG_FLOAT64, t2[2], ta[6], to[3];
    sg_symbol *s, *d;
    /* Pooling and softmax/log_softmax (no dtype): the output never types the data */
    s = fc_after(g, "Pooling", SG_KV("kernel", "(2, 2)"));
    CHECK_INT(sg_infer_type(g, s, 1, &w, &f64, 1, ta, to, NULL), SG_OK);
    CHECK(ta[0] == -1 && ta[1] == SG_FLOAT64 && ta[2] == SG_FLOAT64 && to[0] == SG_FLOAT64);
    s = fc_after(g, "softmax", NULL);
    CHECK_INT(sg_infer_type(g, s, 1, &w, &f64, 1, ta, to, NULL), SG_OK);
    CHECK(ta[0] == -1 && ta[1] == SG_FLOAT64);
    s = fc_after(g, "log_softmax", NULL);
    CHECK_INT(sg_infer_type(g, s, 1, &w, &f64, 1, ta, to, NULL), SG_OK);
    CHECK(ta[0] == -1 && ta[1] == SG_FLOAT64);
    /* softmax with dtype: the output's dtype is given back to the data */
    s = fc_after(g, "softmax", SG_KV("dtype", "float64"));
    CHECK_INT(sg_infer_type(g, s, 1, &w, &f64, 1, ta, to, NULL), SG_OK);
    CHECK(ta[0] == SG_FLOAT64);
    /* SoftmaxOutput: the output's dtype reaches data and label */
    s = fc_after(g, "SoftmaxOutput", NULL);
    CHECK_INT(sg_list_arguments(g, s, &L, &N), SG_OK);
    CHECK_NAMES(L, N, "data", "softmaxoutput0_label", "fc_weight", "fc_bias");
    CHECK_INT(sg_infer_type(g, s, 1, &w, &f64, 1, ta, to, NULL), SG_OK);
    CHECK(ta[0] == SG_FLOAT64 && ta[1] == SG_FLOAT64 && ta[2] == SG_FLOAT64 && to[0] == SG_FLOAT64);
    /* Convolution / Deconvolution: a weight's dtype alone types nothing else */
    d = sg_variable(g, "data");
    s = sg_op(g, "Convolution", "c", SG_KV("kernel", "(1, 1)", "num_filter", "2"), 1, &d, NULL);
    nm[0] = "c_weight";
    CHECK_INT(sg_infer_type(g, s, 1, nm, &f64, 1, ta, to, NULL), SG_OK);
    CHECK(ta[0] == -1 && ta[1] == SG_FLOAT64 && ta[2] == -1 && to[0] == -1);
    nm[0] = "c_bias";
    CHECK_INT(sg_infer_type(g, s, 1, nm, &f64, 1, ta, to, NULL), SG_OK);
    CHECK(ta[0] == -1 && ta[1] == -1 && ta[2] == SG_FLOAT64 && to[0] == -1);
    s = sg_op(g, "Deconvolution", "dc", SG_KV("kernel", "(1, 1)", "num_filter", "2"), 1, &d, NULL);
    nm[0] = "dc_weight";
    CHECK_INT(sg_infer_type(g, s, 1, nm, &f64, 1, ta, to, NULL), SG_OK);
    CHECK(ta[0] == -1 && ta[1] == SG_FLOAT64 && to[0] == -1);
    /* Dropout, MakeLoss and RNN require the data's dtype, even in partial inference */
    s = sg_op(g, "Dropout", NULL, NULL, 1, &d, NULL);
    CHECK_INT(sg_infer_type(g, s, 0, NULL, NULL, 1, ta, to, NULL), SG_ERR_TYPE);
    CHECK(strstr(sg_graph_error(g), "input type to dropout is not specified") != NULL);
    s = sg_op(g, "MakeLoss", NULL, NULL, 1, &d, NULL);
    CHECK_INT(sg_infer_type(g, s, 0, NULL, NULL, 1, ta, to, NULL), SG_ERR_TYPE);
    s = sg_op(g, "RNN", "rnn", SG_KV("state_size", "2", "num_layers", "1", "mode", "lstm", "use_sequence_length", "True",
                                     "state_outputs", "True"), 1, &d, NULL);
    CHECK_INT(sg_infer_type(g, s, 0, NULL, NULL, 1, ta, to, NULL), SG_ERR_TYPE);
    CHECK(strstr(sg_graph_error(g), "First input must have specified type") != NULL);
    /* ... and give it to every other input; a known sequence_length may differ */
    nm[0] = "data"; nm[1] = "rnn_sequence_length";
    t2[0] = SG_FLOAT64; t2[1] = SG_INT32;
    CHECK_INT(sg_infer_type(g, s, 2, nm, t2, 0, ta, to, NULL), SG_OK);
    CHECK(ta[0] == SG_FLOAT64 && ta[1] == SG_FLOAT64 && ta[2] == SG_FLOAT64 && ta[3] == SG_FLOAT64 && ta[4] == SG_INT32);
    CHECK(to[0] == SG_FLOAT64 && to[1] == SG_FLOAT64 && to[2] == SG_FLOAT64);
    nm[1] = "rnn_parameters"; t2[1] = SG_FLOAT16;
    CHECK_INT(sg_infer_type(g, s, 2, nm, t2, 0, ta, to, NULL), SG_ERR_TYPE);
    /* Embedding: a known weight dtype wins over the dtype parameter */
    s = sg_op(g, "Embedding", "emb", SG_KV("input_dim", "3", "output_dim", "2", "dtype", "float16"), 1, &d, NULL);
    nm[0] = "data"; nm[1] = "emb_weight";
    t2[0] = SG_INT32; t2[1] = SG_FLOAT64;
    CHECK_INT(sg_infer_type(g, s, 2, nm, t2, 0, ta, to, NULL), SG_OK);
    CHECK(ta[0] == SG_INT32 && ta[1] == SG_FLOAT64 && to[0] == SG_FLOAT64);
    CHECK_INT(sg_infer_type(g, s, 1, nm, t2, 0, ta, to, NULL), SG_OK);
    CHECK(ta[1] == SG_FLOAT16 && to[0] == SG_FLOAT16);
    sg_graph_free(g);
}
static sg_symbol *plus_y23(sg_graph *g, const char *op) {
    sg_var_opts vo;
    int64_t dims[2] = {2, 3};
    sg_symbol *d = sg_variable(g, "data"), *p = sg_op(g, op, NULL, NULL, 1, &d, NULL);
    memset(&vo, 0, sizeof vo);
    vo.shape_ndim = 2;
    vo.shape = dims;
    return sg_add(g, p, sg_variable_ex(g, "y", &vo));
}
SG_TEST(shape_directions) {
    sg_graph *g = sg_graph_create();
    sg_shape arg[2], out[1], s;
    const char *nm = "data";
    char b[64];
    /* softmax and MakeLoss never shape their data from the output; log_softmax does */
    CHECK_INT(sg_infer_shape(g, plus_y23(g, "softmax"), 0, NULL, NULL, 1, arg, out, NULL), SG_OK);
    CHECK_STR(sg_shape_str(&arg[0], b, sizeof b), "[]");
    CHECK_STR(sg_shape_str(&out[0], b, sizeof b), "[2,3]");
    CHECK_INT(sg_infer_shape(g, plus_y23(g, "MakeLoss"), 0, NULL, NULL, 1, arg, out, NULL), SG_OK);
    CHECK_STR(sg_shape_str(&arg[0], b, sizeof b), "[]");
    CHECK_INT(sg_infer_shape(g, plus_y23(g, "log_softmax"), 0, NULL, NULL, 1, arg, out, NULL), SG_OK);
    CHECK_STR(sg_shape_str(&arg[0], b, sizeof b), "[2,3]");
    /* MakeLoss passes a partly known shape on */
    {
        sg_symbol *d = sg_variable(g, "data");
        memset(&s, 0, sizeof s);
        s.ndim = 2; s.dims[0] = 2; s.dims[1] = 0;
        CHECK_INT(sg_infer_shape(g, sg_op(g, "MakeLoss", NULL, NULL, 1, &d, NULL), 1, &nm, &s, 1, arg, out, NULL), SG_OK);
        CHECK_STR(sg_shape_str(&out[0], b, sizeof b), "[2,-1]");
    }
    sg_graph_free(g);
}
/* A variable's __shape__ replaces a given shape that has an unknown dim (MXNet
 * 1.9.1 takes any shape with an unknown dim as unknown), never a full one. */
SG_TEST(shape_attr_replaces_partial) {
    sg_graph *g = sg_graph_create();
    sg_var_opts vo;
    int64_t dims[2] = {3, 1}, pdims[2] = {0, 1};
    sg_symbol *r, *v;
    sg_shape s, arg[1], out[1];
    const char *nm = "data";
    char b[64];
    memset(&vo, 0, sizeof vo);
    vo.shape_ndim = 2;
    vo.shape = dims;
    v = sg_variable_ex(g, "data", &vo);
    r = sg_op(g, "relu", NULL, NULL, 1, &v, NULL);
    memset(&s, 0, sizeof s);
    s.ndim = 2; s.dims[0] = 3; s.dims[1] = 0;
    CHECK_INT(sg_infer_shape(g, r, 1, &nm, &s, 1, arg, out, NULL), SG_OK);
    CHECK_STR(sg_shape_str(&arg[0], b, sizeof b), "[3,1]");
    s.dims[0] = 2; /* (2,0): replaced too, as MXNet */
    CHECK_INT(sg_infer_shape(g, r, 1, &nm, &s, 1, arg, out, NULL), SG_OK);
    CHECK_STR(sg_shape_str(&arg[0], b, sizeof b), "[3,1]");
    s.dims[1] = 5; /* a full shape wins */
    CHECK_INT(sg_infer_shape(g, r, 1, &nm, &s, 1, arg, out, NULL), SG_OK);
    CHECK_STR(sg_shape_str(&out[0], b, sizeof b), "[2,5]");
    vo.shape = pdims; /* __shape__ (0, 1) with (3, 0) given gives (0, 1) */
    v = sg_variable_ex(g, "data", &vo);
    r = sg_op(g, "relu", NULL, NULL, 1, &v, NULL);
    s.dims[0] = 3; s.dims[1] = 0;
    CHECK_INT(sg_infer_shape(g, r, 1, &nm, &s, 1, arg, out, NULL), SG_OK);
    CHECK_STR(sg_shape_str(&arg[0], b, sizeof b), "[-1,1]");
    sg_graph_free(g);
}

int main(void) {
    SG_RUN(mxnet_golden_cases);
    SG_RUN(seed_infer_examples);
    SG_RUN(cast_fc_softmax_types);
    SG_RUN(mlp_and_partial);
    SG_RUN(shape_attr_and_overflow);
    SG_RUN(real_models);
    SG_RUN(type_directions);
    SG_RUN(shape_directions);
    SG_RUN(shape_attr_replaces_partial);
    return SG_DONE("test_infer");
}
