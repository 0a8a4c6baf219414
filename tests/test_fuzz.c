/* Seeded random robustness tests (fixed seeds: every run is the same):
 *  - ops: every operator that has CPU kernels, with random parameter values
 *    (valid, out of range, malformed), random input shapes and dtypes, built,
 *    inferred, bound, run forward and backward;
 *  - json: MXNet JSON files with random mutations (bytes, truncation, spans,
 *    parameter values, input indices: cycles and dangling entries), loaded,
 *    inferred, bound and run;
 *  - params: .params and .npy files with random byte mutations, loaded.
 * What they assert: nothing crashes, a failing call returns a negative status
 * with a non-empty message, inferred output shapes are the executor's, forward
 * is deterministic. `make test-asan` runs this under AddressSanitizer and
 * UndefinedBehaviorSanitizer, which is where out-of-bounds reads and leaks show
 * (two such bugs, in Embedding and softmax's use_length, were found this way). */
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include "sg_test.h"
#include <stdlib.h>

#define GOLD "tests/data/mxnet_golden/"

/* Under AddressSanitizer: a request beyond its limit (a mutated graph can ask
 * for terabytes) returns NULL, as malloc does, instead of aborting, so that
 * the library's failed-allocation path is what gets tested. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }

static uint64_t fz_state;
static unsigned fz_rand(void) {
    fz_state ^= fz_state << 13;
    fz_state ^= fz_state >> 7;
    fz_state ^= fz_state << 17;
    return (unsigned)(fz_state >> 11);
}
static void fz_seed(uint64_t s) { fz_state = 0x9E3779B97F4A7C15ull ^ (s * 0x2545F4914F6CDD1Dull); if (!fz_state) fz_state = 1; }

/* a failed call: negative status and a message */
#define CHECK_FAIL_MSG(st, msg)                                                                     \
    do {                                                                                            \
        const char *m_ = (msg);                                                                     \
        CHECK_MSG((st) < 0 && m_ && m_[0], "status %d with message \"%s\"", (int)(st), m_ ? m_ : "(null)"); \
    } while (0)

/* ------------------------------------------------------------------- ops ---- */
static char fz_text[64][64];
static int fz_ntext;
static const char *fz_value(const sg__pdef *d) {
    static const char *const ints[] = {"-2", "-1", "0", "1", "2", "3", "5", "1000000", "4", "8"};
    static const char *const fl[] = {"0", "-1", "0.5", "1e-5", "nan", "inf", "1e30", "2", "0.1", "1"};
    static const char *const bo[] = {"True", "False", "1", "0", "true", "yes"};
    char *p = fz_text[fz_ntext++ % 64];
    if (fz_rand() % 20 == 0) return "junk";
    switch (d->type) {
    case SG__P_INT: return ints[fz_rand() % 10];
    case SG__P_FLOAT: return fl[fz_rand() % 10];
    case SG__P_BOOL: return bo[fz_rand() % 6];
    case SG__P_TUPLE: {
        int n = (int)(fz_rand() % 5), i;
        if (fz_rand() % 10 == 0) return "None";
        strcpy(p, "(");
        for (i = 0; i < n; i++) {
            char t[16];
            snprintf(t, sizeof t, "%s%d", i ? ", " : "", (int)(fz_rand() % 11) - 4);
            strcat(p, t);
        }
        strcat(p, n == 1 ? ",)" : ")");
        return p;
    }
    case SG__P_ENUM: {
        const char *e = d->enums;
        int cnt = 1, k, i;
        for (i = 0; e[i]; i++) cnt += e[i] == '|';
        for (k = (int)(fz_rand() % (unsigned)cnt); k > 0 && *e; e++) k -= *e == '|';
        for (i = 0; e[i] && e[i] != '|' && i < 60; i++) p[i] = e[i];
        p[i] = 0;
        return p;
    }
    default: return "abc";
    }
}
static sg_shape fz_shape(int maxdim) {
    sg_shape s;
    int k;
    s.ndim = 1 + (int)(fz_rand() % 4);
    for (k = 0; k < s.ndim; k++) s.dims[k] = 1 + (int64_t)(fz_rand() % (unsigned)maxdim);
    return s;
}
static int fz_counts[5];
/* bind, run forward twice (outputs must agree, except for random operators) and backward */
static void fz_run(sg_graph *g, sg_symbol *s, int ns, const char *const *nm, const sg_shape *sh, const int *dts,
                   int deterministic) {
    const char *const *names;
    int na, no, nx, i, st;
    sg_shape *arg, *out, *aux;
    sg_executor *ex = NULL;
    if (sg_list_arguments(g, s, &names, &na) != SG_OK || sg_list_outputs(g, s, &names, &no) != SG_OK ||
        sg_list_auxiliary_states(g, s, &names, &nx) != SG_OK) {
        SG_FAILF("listing a built symbol failed: %s", sg_graph_error(g));
        return;
    }
    arg = (sg_shape *)calloc((size_t)na + 1, sizeof *arg);
    out = (sg_shape *)calloc((size_t)no + 1, sizeof *out);
    aux = (sg_shape *)calloc((size_t)nx + 1, sizeof *aux);
    st = sg_infer_shape(g, s, ns, nm, sh, 0, arg, out, aux);
    if (st != SG_OK) { CHECK_FAIL_MSG(st, sg_graph_error(g)); goto done; }
    fz_counts[1]++;
    st = sg_simple_bind(g, s, SG_CPU, ns, nm, sh, dts, fz_rand() % 3 ? SG_REQ_WRITE : SG_REQ_ADD, &ex);
    if (st != SG_OK) { CHECK_FAIL_MSG(st, sg_graph_error(g)); goto done; }
    fz_counts[2]++;
    {
        sg_ndarray *const *arr, *const *outs;
        sg_ndarray *og[8] = {NULL}, *first[8] = {NULL};
        sg_rng r;
        int n, nout, is_train = (int)(fz_rand() % 2);
        sg_executor_arrays(ex, SG_ARGS, &arr, &n);
        sg_rng_seed(&r, fz_rand());
        for (i = 0; i < n; i++) if (arr[i]) sg_nd_random_uniform(arr[i], -2, 3, &r);
        st = sg_forward(ex, is_train);
        if (st != SG_OK) { CHECK_FAIL_MSG(st, sg_executor_error(ex)); goto done; }
        fz_counts[3]++;
        sg_executor_outputs(ex, &outs, &nout);
        CHECK_INT(nout, no);
        for (i = 0; i < nout && i < no; i++) {
            int k, same = outs[i]->shape.ndim == out[i].ndim;
            for (k = 0; same && k < out[i].ndim; k++) same = outs[i]->shape.dims[k] == out[i].dims[k];
            CHECK_MSG(same, "output %d: executor shape differs from the inferred one", i);
        }
        if (nout > 8) goto done;
        for (i = 0; i < nout; i++) first[i] = sg_nd_copy(outs[i]);
        /* (operators with auxiliary states, such as the optimizer updates'
         * momentum, change them in forward) */
        if (!is_train && deterministic && nx == 0 && sg_forward(ex, 0) == SG_OK) {
            sg_executor_outputs(ex, &outs, &nout);
            for (i = 0; i < nout; i++)
                CHECK_MSG(first[i] && !memcmp(first[i]->data, outs[i]->data, first[i]->nbytes),
                          "forward twice: output %d differs", i);
        }
        for (i = 0; i < nout; i++) {
            og[i] = sg_nd_zeros_shape(&outs[i]->shape, outs[i]->dtype);
            if (og[i]) sg_nd_fill(og[i], 1.0);
        }
        st = sg_backward(ex, nout, og);
        if (st == SG_OK) fz_counts[4]++;
        else CHECK_FAIL_MSG(st, sg_executor_error(ex));
        for (i = 0; i < nout; i++) { sg_nd_free(og[i]); sg_nd_free(first[i]); }
    }
done:
    sg_executor_free(ex);
    free(arg);
    free(out);
    free(aux);
}
static void fz_op_case(const sg__opdef *op) {
    sg_graph *g = sg_graph_create();
    const char *kv[80], *nm[8];
    sg_symbol *in[2], *s;
    sg_shape sh[8];
    int dts[8], nkv = 0, nin = 1, ns, i;
    static const int dtypes[] = {SG_FLOAT32, SG_FLOAT32, SG_FLOAT32, SG_FLOAT64, SG_INT32, SG_FLOAT16, SG_UINT8, SG_INT64};
    for (i = 0; i < op->nparams && nkv < 70; i++)
        if (!op->params[i].def || fz_rand() % 2) {
            kv[nkv++] = op->params[i].name;
            kv[nkv++] = fz_value(&op->params[i]);
        }
    if ((op->flags & SG__OF_VARARG) && fz_rand() % 4) {
        char *p = fz_text[fz_ntext++ % 64];
        snprintf(p, 64, "%d", 1 + (int)(fz_rand() % 3));
        kv[nkv++] = "num_args";
        kv[nkv++] = p;
    }
    kv[nkv] = NULL;
    in[0] = sg_variable(g, "data");
    if (fz_rand() % 3 == 0) { in[1] = sg_variable(g, "x1"); nin = 2; }
    s = sg_op(g, op->name, "op", kv, nin, in, NULL);
    if (!s) {
        CHECK_FAIL_MSG(sg_graph_status(g), sg_graph_error(g));
        sg_graph_free(g);
        return;
    }
    fz_counts[0]++;
    nm[0] = "data";
    nm[1] = "x1";
    for (ns = 0; ns < nin; ns++) sh[ns] = ns == 1 && fz_rand() % 2 ? sh[0] : fz_shape(6);
    if (fz_rand() % 3 == 0) { /* shapes for the other arguments too, often inconsistent */
        const char *const *an;
        int na, k;
        sg_list_arguments(g, s, &an, &na);
        for (i = 0; i < na && ns < 8; i++) {
            int dup = 0;
            for (k = 0; k < ns; k++) dup |= !strcmp(nm[k], an[i]);
            if (!dup) { nm[ns] = an[i]; sh[ns++] = fz_shape(6); }
        }
    }
    for (i = 0; i < ns; i++) dts[i] = dtypes[fz_rand() % 8];
    fz_run(g, s, ns, nm, sh, fz_rand() % 2 ? dts : NULL,
           strcmp(op->name, "Dropout") != 0 && strncmp(op->name, "_random", 7) != 0);
    sg_graph_free(g);
}
SG_TEST(ops) {
    int it, n = 0, k;
    fz_seed(1);
    memset(fz_counts, 0, sizeof fz_counts);
    for (it = 0; it < 40; it++)
        for (k = 0; k < SG__NOPS; k++)
            if (sg__ops[k].forward) { fz_op_case(&sg__ops[k]); n++; }
    printf("ops: %d cases: %d built, %d inferred, %d bound, %d forward, %d backward\n", n, fz_counts[0], fz_counts[1],
           fz_counts[2], fz_counts[3], fz_counts[4]);
    /* the generator must reach the kernels, not stop at parameter errors */
    CHECK(fz_counts[3] > n / 4 && fz_counts[4] > n / 5);
}

/* ------------------------------------------------------------------ json ---- */
static const char *const fz_nasty[] = {
    "0", "-1", "(0, 0)", "(-1, 3)", "()", "(1,)", "1e9", "abc", "", "(3, 3, 3, 3, 3, 3, 3, 3, 3, 3)", "None", "True",
    "99999999999999999999", "(2147483648, 2)", "(1, 1)", "(2, 2)", "2", "-3", "-4", "(0, -1)", "(-3, -3)", "(4, 0)",
    "[1,2]", "nan", "inf", "1.5", "avg", "max", "full", "same", "relu", "(5, 5)", "(100000, 100000)", "65536",
    "(-4, 2, -1)", "prelu", "(None, 2)"};
/* mutate src (n bytes) into a new buffer (*on bytes) */
static char *fz_mutate(const char *src, size_t n, size_t *on) {
    size_t cap = n * 2 + 4096, len = n;
    char *o = (char *)malloc(cap);
    int k, muts = 1 + (int)(fz_rand() % 3);
    memcpy(o, src, n);
    o[len] = 0; /* the searches below run on a string */
    for (k = 0; k < muts && len > 0; k++) {
        unsigned kind = fz_rand() % 12;
        o[len] = 0;
        if (kind == 0) o[fz_rand() % len] = (char)(fz_rand() % 256);
        else if (kind == 1 && fz_rand() % 4 == 0) len = fz_rand() % len;
        else if (kind < 7) { /* a quoted value after ": " */
            int tries;
            for (tries = 0; tries < 50; tries++) {
                char *q = strstr(o + fz_rand() % len, "\": \""), *e;
                const char *v = fz_nasty[fz_rand() % (sizeof fz_nasty / sizeof fz_nasty[0])];
                size_t vl = strlen(v), ol;
                if (!q || q >= o + len) continue;
                q += 4;
                e = (char *)memchr(q, '"', (size_t)(o + len - q));
                if (!e) continue;
                ol = (size_t)(e - q);
                if (len - ol + vl + 1 > cap) break;
                memmove(q + vl, e, (size_t)(o + len - e));
                memcpy(q, v, vl);
                len = len - ol + vl;
                break;
            }
        } else if (kind < 10) { /* an input's node index */
            int tries;
            for (tries = 0; tries < 50; tries++) {
                char *q = strstr(o + fz_rand() % len, "[["), num[16];
                size_t vl, ol = 0;
                if (!q || q >= o + len) continue;
                q += 2;
                if (*q < '0' || *q > '9') continue;
                snprintf(num, sizeof num, "%d", (int)(fz_rand() % 40) - 2);
                vl = strlen(num);
                while (q + ol < o + len && q[ol] >= '0' && q[ol] <= '9') ol++;
                if (len - ol + vl + 1 > cap) break;
                memmove(q + vl, q + ol, (size_t)(o + len - (q + ol)));
                memcpy(q, num, vl);
                len = len - ol + vl;
                break;
            }
        } else { /* delete or duplicate a span */
            size_t a = fz_rand() % len, b = a + fz_rand() % 200;
            if (b > len) b = len;
            if (fz_rand() % 2) { memmove(o + a, o + b, len - b); len -= b - a; }
            else if (len + (b - a) < cap) {
                memmove(o + b + (b - a), o + b, len - b);
                memcpy(o + b, o + a, b - a);
                len += b - a;
            }
        }
    }
    o[len] = 0;
    *on = len;
    return o;
}
SG_TEST(json) {
    static const char *const files[] = {GOLD "mlp_v1.4-symbol.json", GOLD "legacy0800_mlp_bn-symbol.json",
                                        GOLD "gluon_lenet_v1.4.1-symbol.json", GOLD "built_convnet.json",
                                        GOLD "built_concat_slice.json", GOLD "built_group.json",
                                        GOLD "squeezenet_v1.1-symbol.json", GOLD "built_scalars.json"};
    int nf = (int)(sizeof files / sizeof files[0]), it, loaded = 0;
    char *src[8];
    size_t len[8];
    fz_seed(2);
    memset(fz_counts, 0, sizeof fz_counts);
    for (it = 0; it < nf; it++) {
        src[it] = sg_t_read(files[it], &len[it]);
        CHECK_MSG(src[it] != NULL, "cannot read %s", files[it]);
    }
    for (it = 0; it < 3000; it++) {
        int f = (int)(fz_rand() % (unsigned)nf);
        size_t n;
        char *m;
        sg_graph *g;
        sg_symbol *s;
        if (!src[f]) continue;
        m = fz_mutate(src[f], len[f], &n);
        g = sg_graph_create();
        s = sg_load_json(g, m, n);
        if (!s) CHECK_FAIL_MSG(sg_graph_status(g), sg_graph_error(g));
        else {
            const char *const *an;
            const char *js = NULL;
            int na;
            loaded++;
            if (sg_list_arguments(g, s, &an, &na) == SG_OK && na > 0) {
                static const char *const nm[] = {"data"};
                sg_shape sh;
                int r = (int)(fz_rand() % 3);
                sh.ndim = r == 0 ? 4 : 2;
                sh.dims[0] = 2;
                sh.dims[1] = r == 0 ? 1 + (int64_t)(fz_rand() % 3) : 1 + (int64_t)(fz_rand() % 800);
                sh.dims[2] = sh.dims[3] = 8 + (int64_t)(fz_rand() % 25);
                if (r == 2) { sh.ndim = 4; sh.dims[1] = 3; sh.dims[2] = sh.dims[3] = 28; }
                fz_run(g, s, 1, nm, &sh, NULL, 0);
            }
            int st = sg_tojson(g, s, &js);
            if (st != SG_OK) CHECK_FAIL_MSG(st, sg_graph_error(g));
        }
        free(m);
        sg_graph_free(g);
    }
    for (it = 0; it < nf; it++) free(src[it]);
    printf("json: 3000 mutations: %d loaded, %d inferred, %d bound, %d forward, %d backward\n", loaded, fz_counts[1],
           fz_counts[2], fz_counts[3], fz_counts[4]);
    CHECK(loaded > 300 && fz_counts[3] > 100);
}

/* ---------------------------------------------------------------- params ---- */
SG_TEST(params) {
    static const char *const files[] = {GOLD "params_v2.params", GOLD "params_v3.params", GOLD "params_list.params",
                                        GOLD "params_int32.params", "tests/data/cli/fcmlp-0000.params",
                                        "tests/data/cli/fcmlp_input.npy"};
    const char *tmp = "build/test_fuzz.tmp";
    int it, loaded = 0;
    fz_seed(3);
    for (it = 0; it < 1500; it++) {
        const char *path = files[fz_rand() % 6];
        int npy = strstr(path, ".npy") != NULL, k, m = 1 + (int)(fz_rand() % 4);
        size_t n;
        char *b = sg_t_read(path, &n);
        FILE *f;
        if (!b) { CHECK_MSG(0, "cannot read %s", path); break; }
        for (k = 0; k < m && n > 0; k++) {
            size_t pos = fz_rand() % n;
            unsigned kind = fz_rand() % 5;
            if (kind == 0) b[pos] = (char)fz_rand();
            else if (kind == 1) b[pos] ^= (char)(1u << (fz_rand() % 8));
            else if (kind == 2) b[pos & ~(size_t)7] = (char)0xff;
            else if (kind == 3) n = pos;
            else if ((pos & ~(size_t)3) + 4 <= n) {
                uint32_t v = fz_rand() % 3 == 0 ? 0xffffffffu : fz_rand() % 64;
                memcpy(b + (pos & ~(size_t)3), &v, 4);
            }
        }
        f = fopen(tmp, "wb");
        if (!f) { CHECK_MSG(0, "cannot write %s", tmp); free(b); break; }
        fwrite(b, 1, n, f);
        fclose(f);
        free(b);
        if (npy) {
            sg_ndarray *a = sg_nd_load_npy(tmp);
            if (a) { loaded++; sg_nd_free(a); }
            else CHECK_FAIL_MSG(-1, sg_last_error());
        } else {
            int na = 0, st;
            sg_ndarray **arr = NULL;
            char **names = NULL;
            st = sg_nd_load(tmp, &na, &arr, &names);
            if (st == SG_OK) { loaded++; sg_nd_list_free(na, arr, names); }
            else CHECK_FAIL_MSG(st, sg_last_error());
        }
    }
    remove(tmp);
    printf("params: 1500 mutations: %d loaded\n", loaded);
    CHECK(loaded > 50 && loaded < 1500);
}

int main(void) {
    SG_RUN(ops);
    SG_RUN(json);
    SG_RUN(params);
    return SG_DONE("test_fuzz");
}
