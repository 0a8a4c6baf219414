/* symgraph - the command-line tool of symgraph.h: look at an MXNet model JSON,
 * draw it, check its shapes, run it, time it, embed it in a C program.
 *
 *   symgraph info    MODEL.json [--shape NAME=D1,D2,...]... [--json]
 *   symgraph summary MODEL.json [--shape ...]           (mx.viz.print_summary)
 *   symgraph dot     MODEL.json [--shape ...]           (mx.viz.plot_network)
 *   symgraph render  MODEL.json -o graph.png|svg [--shape ...]
 *   symgraph convert IN.json [-o OUT.json]
 *   symgraph run     MODEL.json [--params F.params] --input NAME=F.npy ... [--output PREFIX]
 *   symgraph bench   MODEL.json --shape ... [--iters N] [--backward] [--threads N]
 *   symgraph embed   MODEL.json [--params F.params] [--name NAME] > NAME_model.h
 *
 * `symgraph help` and `symgraph CMD --help` describe each command. Exit codes:
 * 0 success, 1 bad input (a message on stderr names the problem), 2 usage error.
 * Uses only the public API of symgraph.h, libc, POSIX (popen, clock_gettime,
 * isatty) and pthreads (bench --threads).
 * Build: cc -std=c99 -O2 -I. tools/symgraph.c -o tools/symgraph -lm -pthread */
#define _POSIX_C_SOURCE 200809L
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { EX_OK = 0, EX_BAD = 1, EX_USAGE = 2 };

static const char *g_cmd = ""; /* the command being run, for messages */

static int fail(const char *fmt, ...) {
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "symgraph %s: error: ", g_cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EX_BAD;
}
static int usage_error(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "symgraph %s: ", g_cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nRun 'symgraph %s --help' for usage.\n", *g_cmd ? g_cmd : "help");
    return EX_USAGE;
}
static void note(const char *fmt, ...) {
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "symgraph %s: ", g_cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ------------------------------------------------------------------ help ---- */

static const struct { const char *name, *summary, *help; } commands[] = {
    {"info", "arguments, outputs, aux states, shapes, dtypes, parameter count",
     "usage: symgraph info MODEL.json [--shape NAME=D1,D2,...]... [--dtype NAME=TYPE]... [--json]\n"
     "\n"
     "Lists the model's arguments, outputs and auxiliary states. With --shape (input\n"
     "shapes, as infer_shape's keyword arguments; 0 = unknown dim) it infers the shape\n"
     "and dtype of each (inputs are float32 unless --dtype says otherwise) and counts\n"
     "the parameters: every argument other than the shaped inputs and the names ending\n"
     "in \"label\", plus the auxiliary states. Shapes that stay unknown print as '?'.\n"
     "  --json   one JSON object: {\"arguments\": [...], \"outputs\": [...], \"aux_states\":\n"
     "           [...], \"arg_shapes\": {name: [dims]}, \"out_shapes\": {...}, \"aux_shapes\":\n"
     "           {...}, \"arg_dtypes\": {name: \"float32\"}, \"out_dtypes\": {...},\n"
     "           \"aux_dtypes\": {...}, \"num_params\": N} (null = unknown shape, dtype or\n"
     "           count; -1 = unknown dim)\n"
     "example: symgraph info resnet-18-symbol.json --shape data=1,3,224,224\n"},
    {"summary", "the layer table of mx.viz.print_summary",
     "usage: symgraph summary MODEL.json [--shape NAME=D1,D2,...]... [--line-length N]\n"
     "\n"
     "Prints mx.viz.print_summary(symbol, shape) byte for byte: one row per layer with\n"
     "its type, output shape (without the batch dim), parameter count and previous\n"
     "layer, and the total. Without --shape, as MXNet with shape=None (no shapes,\n"
     "counts from zero input channels).\n"
     "example: symgraph summary mlp-symbol.json --shape data=64,784\n"},
    {"dot", "Graphviz DOT text of mx.viz.plot_network",
     "usage: symgraph dot MODEL.json [--shape NAME=D1,...]... [--dtype NAME=TYPE]...\n"
     "                    [--hide-weights | --show-weights] [--title T] [--node-attr K=V]...\n"
     "                    [-o FILE.dot]\n"
     "\n"
     "Prints mx.viz.plot_network(...).source byte for byte: one node per operator\n"
     "labelled as MXNet labels it (\"FullyConnected\\n128\", \"Convolution\\n7x7/2x2, 64\"),\n"
     "coloured by operator family; with --shape each edge is labelled with its shape\n"
     "without the batch dim, with --dtype with its dtype. Weights, biases, BatchNorm\n"
     "gamma/beta and moving statistics are hidden (--hide-weights, the default);\n"
     "--show-weights keeps their edges. --node-attr overrides a Graphviz node attribute\n"
     "(MXNet's node_attrs). Render it with `dot -Tpng` or `symgraph render`.\n"
     "example: symgraph dot lenet-symbol.json --shape data=64,1,28,28 > lenet.dot\n"},
    {"render", "draw the graph to PNG, SVG or PDF with Graphviz",
     "usage: symgraph render MODEL.json -o GRAPH.png|svg|pdf [--format FMT] [dot options]\n"
     "\n"
     "Writes the `symgraph dot` text through Graphviz's `dot` program (the environment\n"
     "variable SYMGRAPH_DOT names another one). The format comes from the extension\n"
     "or --format. Without Graphviz it says how to install it.\n"
     "example: symgraph render mlp-symbol.json --shape data=64,784 -o mlp.png\n"},
    {"convert", "upgrade legacy JSON to the MXNet 1.9 layout",
     "usage: symgraph convert IN.json [-o OUT.json]\n"
     "\n"
     "Loads a symbol file of any MXNet version (0.8 through 1.9: `param`/`attr` keys,\n"
     "pairs as inputs, aliases such as _Plus or Softmax, missing BatchNorm aux\n"
     "variables) and writes what MXNet 1.9.1's tojson() writes for it: canonical\n"
     "operator names, `attrs`, mxnet_version 10901. -o writes the exact bytes of\n"
     "sym.save(); standard output gets the text and a newline.\n"
     "example: symgraph convert old-symbol.json -o new-symbol.json\n"},
    {"run", "bind parameters and .npy inputs, run forward, write the outputs",
     "usage: symgraph run MODEL.json [--params FILE.params] --input NAME=FILE.npy ...\n"
     "                    [--output PREFIX] [--train] [--allow-extra]\n"
     "\n"
     "Binds the model on the CPU with the parameters of an MXNet checkpoint (.params,\n"
     "keys arg:NAME / aux:NAME or plain names) and the inputs (.npy), runs forward\n"
     "(is_train with --train: Dropout active, BatchNorm on batch statistics) and\n"
     "writes output i as PREFIX<i>.npy, or prints each output (values only when it has\n"
     "at most 1000 elements) without --output. Arguments with no value are an error\n"
     "that lists them, except labels (names ending in \"label\") whose shape can be\n"
     "inferred: those are zero-filled with a note. Parameters in the file that the\n"
     "model does not have are an error unless --allow-extra.\n"
     "example: symgraph run mlp-symbol.json --params mlp-0010.params --input data=x.npy\n"},
    {"bench", "time forward (and backward) per batch",
     "usage: symgraph bench MODEL.json --shape NAME=D1,... [--iters N] [--warmup N]\n"
     "                      [--backward] [--threads N] [--seed S] [--quiet]\n"
     "\n"
     "Binds with the given shapes (random inputs and parameters; labels zero), runs\n"
     "--warmup untimed passes (default 2) and --iters timed ones (default 20), and\n"
     "prints the median time per batch with its spread (min, max, interquartile\n"
     "range), the throughput (batch = first dim of the first --shape) and the memory\n"
     "of the plan versus one buffer per entry. --backward also times forward+backward\n"
     "(gradients of every argument but the --shape inputs and the labels, as a\n"
     "training Module binds them; head gradients of ones). --threads N runs N\n"
     "independent executors (one graph each) in N threads and reports their combined\n"
     "throughput. A progress indicator goes to stderr (--quiet: none).\n"
     "example: symgraph bench lenet-symbol.json --shape data=64,1,28,28 --backward\n"},
    {"embed", "a C header holding the model and its parameters",
     "usage: symgraph embed MODEL.json [--params FILE.params] [--name NAME] [-o FILE.h]\n"
     "\n"
     "Writes (to standard output or -o) a C header with the symbol JSON as string\n"
     "pieces and every parameter as a `static const float` array with its shape, plus\n"
     "NAME_model_bind(), which loads the symbol and binds it with those arrays (no\n"
     "copy, no file I/O) and the inputs you pass, and NAME_model_free(). NAME defaults\n"
     "to the file name without -symbol.json. Parameters of other dtypes are converted\n"
     "to float32. See examples/embedded_model.c.\n"
     "example: symgraph embed mlp-symbol.json --params mlp-0010.params --name mlp > mlp_model.h\n"},
};
#define NCOMMANDS ((int)(sizeof commands / sizeof commands[0]))

static void print_overview(FILE *f) {
    int i;
    fprintf(f, "symgraph - MXNet 1.9 symbol graphs from the command line (symgraph.h, MXNet %d.%d.%d)\n\n"
               "usage: symgraph COMMAND [ARGS]\n\ncommands:\n",
            SYMGRAPH_VERSION / 10000, SYMGRAPH_VERSION / 100 % 100, SYMGRAPH_VERSION % 100);
    for (i = 0; i < NCOMMANDS; i++) fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "  help     this text, or `symgraph help COMMAND`\n\n"
               "Shapes are given as --shape NAME=D1,D2,... (0 = unknown dim). Exit codes: 0 success,\n"
               "1 bad input (the message names the problem), 2 usage error.\n");
}
static int print_help(const char *cmd) {
    int i;
    for (i = 0; i < NCOMMANDS; i++)
        if (!strcmp(cmd, commands[i].name)) { fputs(commands[i].help, stdout); return EX_OK; }
    g_cmd = "help";
    return usage_error("unknown command '%s'", cmd);
}

/* --------------------------------------------------------------- options ---- */

typedef struct opts {
    const char *model;
    int nshapes;
    const char **shape_names;
    sg_shape *shapes;
    int ntypes;
    const char **type_names;
    int *types;
    const char **node_attrs; /* kv list, NULL-terminated */
    int nnode_attrs;
    int nin;
    const char **in_names, **in_files;
    const char *params, *output, *title, *name, *format;
    int json, show_weights, train, backward, threads, iters, warmup, line_length, quiet, allow_extra;
    unsigned long long seed;
} opts;

static void opts_free(opts *o) {
    free(o->shape_names);
    free(o->shapes);
    free(o->type_names);
    free(o->types);
    free(o->node_attrs);
    free(o->in_names);
    free(o->in_files);
}

static int push_ptr(const char ***arr, int n, const char *v) {
    const char **p = (const char **)realloc((void *)*arr, (size_t)(n + 2) * sizeof(char *));
    if (!p) return 0;
    p[n] = v;
    p[n + 1] = NULL;
    *arr = p;
    return 1;
}

/* NAME=D1,D2,... (also "NAME=(D1, D2)"); the name may contain '='; dims >= 0. */
static int parse_shape(const char *arg, const char **name, sg_shape *sh, char **namebuf) {
    const char *eq = strrchr(arg, '='), *p;
    memset(sh, 0, sizeof *sh);
    if (!eq || eq == arg) return 0;
    *namebuf = (char *)malloc((size_t)(eq - arg) + 1);
    if (!*namebuf) return 0;
    memcpy(*namebuf, arg, (size_t)(eq - arg));
    (*namebuf)[eq - arg] = 0;
    *name = *namebuf;
    p = eq + 1;
    while (*p == ' ' || *p == '(' || *p == '[') p++;
    for (;;) {
        char *end;
        long long v;
        while (*p == ' ') p++;
        if (*p == ')' || *p == ']' || !*p) break;
        if (*p < '0' || *p > '9') return 0;
        errno = 0;
        v = strtoll(p, &end, 10);
        if (errno || v < 0 || sh->ndim >= SG_MAX_NDIM) return 0;
        sh->dims[sh->ndim++] = v;
        p = end;
        while (*p == ' ') p++;
        if (*p == ',') p++;
        else if (*p && *p != ')' && *p != ']') return 0;
    }
    while (*p == ' ' || *p == ')' || *p == ']') p++;
    return *p == 0 && sh->ndim > 0;
}

/* Allocated shape names, freed at exit (tiny). */
static char *g_names[4096];
static int g_nnames;

static int parse_opts(int argc, char **argv, opts *o, const char *allowed) {
    int i;
    memset(o, 0, sizeof *o);
    o->iters = 20;
    o->warmup = 2;
    o->threads = 1;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        char flag[64];
        const char *eq;
        size_t fl;
        if (a[0] != '-' || !a[1]) {
            if (o->model) return usage_error("unexpected argument '%s'", a);
            o->model = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            if (i + 1 < argc && !o->model) { o->model = argv[++i]; continue; }
            return usage_error("unexpected '--'");
        }
        eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        fl = eq ? (size_t)(eq - a) : strlen(a);
        if (fl >= sizeof flag) return usage_error("unknown option '%s'", a);
        memcpy(flag, a, fl);
        flag[fl] = 0;
        {
            /* "|flag|" must be in allowed ("|--shape=|--json|": '=' marks a value) */
            char key[80];
            int takes;
            snprintf(key, sizeof key, "|%s=|", flag);
            takes = strstr(allowed, key) != NULL;
            snprintf(key, sizeof key, "|%s|", flag);
            if (!takes && !strstr(allowed, key)) return usage_error("unknown option '%s'", flag);
            if (takes) {
                if (eq) val = eq + 1;
                else if (i + 1 < argc) val = argv[++i];
                else return usage_error("option %s needs a value", flag);
            } else if (eq) return usage_error("option %s takes no value", flag);
        }
        if (!strcmp(flag, "--shape")) {
            const char *nm;
            sg_shape sh;
            sg_shape *ns;
            char *buf = NULL;
            if (!parse_shape(val, &nm, &sh, &buf)) {
                free(buf);
                return usage_error("bad --shape '%s' (expected NAME=D1,D2,... with dims >= 0)", val);
            }
            if (g_nnames >= (int)(sizeof g_names / sizeof g_names[0])) { free(buf); return usage_error("too many --shape options"); }
            g_names[g_nnames++] = buf;
            ns = (sg_shape *)realloc(o->shapes, (size_t)(o->nshapes + 1) * sizeof(sg_shape));
            if (!ns || !push_ptr(&o->shape_names, o->nshapes, nm)) { if (ns) o->shapes = ns; return fail("out of memory"); }
            o->shapes = ns;
            o->shapes[o->nshapes++] = sh;
        } else if (!strcmp(flag, "--dtype")) {
            const char *e2 = strrchr(val, '=');
            int dt, *nt;
            char *buf;
            if (!e2 || e2 == val || (dt = sg_dtype_from_name(e2 + 1)) < 0)
                return usage_error("bad --dtype '%s' (expected NAME=float32|float64|float16|uint8|int8|int32|int64)", val);
            if (g_nnames >= (int)(sizeof g_names / sizeof g_names[0])) return usage_error("too many --dtype options");
            buf = (char *)malloc((size_t)(e2 - val) + 1);
            if (!buf) return fail("out of memory");
            memcpy(buf, val, (size_t)(e2 - val));
            buf[e2 - val] = 0;
            g_names[g_nnames++] = buf;
            nt = (int *)realloc(o->types, (size_t)(o->ntypes + 1) * sizeof(int));
            if (!nt || !push_ptr(&o->type_names, o->ntypes, buf)) { if (nt) o->types = nt; return fail("out of memory"); }
            o->types = nt;
            o->types[o->ntypes++] = dt;
        } else if (!strcmp(flag, "--node-attr")) {
            const char *e2 = strchr(val, '=');
            char *buf;
            if (!e2 || e2 == val) return usage_error("bad --node-attr '%s' (expected KEY=VALUE)", val);
            if (g_nnames >= (int)(sizeof g_names / sizeof g_names[0])) return usage_error("too many --node-attr options");
            buf = (char *)malloc(strlen(val) + 1);
            if (!buf) return fail("out of memory");
            strcpy(buf, val);
            buf[e2 - val] = 0;
            g_names[g_nnames++] = buf;
            if (!push_ptr(&o->node_attrs, o->nnode_attrs, buf) || !push_ptr(&o->node_attrs, o->nnode_attrs + 1, buf + (e2 - val) + 1))
                return fail("out of memory");
            o->nnode_attrs += 2;
        } else if (!strcmp(flag, "--input")) {
            const char *e2 = strchr(val, '=');
            char *buf;
            if (!e2 || e2 == val || !e2[1]) return usage_error("bad --input '%s' (expected NAME=FILE.npy)", val);
            if (g_nnames >= (int)(sizeof g_names / sizeof g_names[0])) return usage_error("too many --input options");
            buf = (char *)malloc(strlen(val) + 1);
            if (!buf) return fail("out of memory");
            strcpy(buf, val);
            buf[e2 - val] = 0;
            g_names[g_nnames++] = buf;
            if (!push_ptr(&o->in_names, o->nin, buf) || !push_ptr(&o->in_files, o->nin, buf + (e2 - val) + 1))
                return fail("out of memory");
            o->nin++;
        } else if (!strcmp(flag, "--json")) o->json = 1;
        else if (!strcmp(flag, "--hide-weights")) o->show_weights = 0;
        else if (!strcmp(flag, "--show-weights")) o->show_weights = 1;
        else if (!strcmp(flag, "--train")) o->train = 1;
        else if (!strcmp(flag, "--backward")) o->backward = 1;
        else if (!strcmp(flag, "--quiet")) o->quiet = 1;
        else if (!strcmp(flag, "--allow-extra")) o->allow_extra = 1;
        else if (!strcmp(flag, "--params")) o->params = val;
        else if (!strcmp(flag, "-o") || !strcmp(flag, "--output")) o->output = val;
        else if (!strcmp(flag, "--title")) o->title = val;
        else if (!strcmp(flag, "--name")) o->name = val;
        else if (!strcmp(flag, "--format")) o->format = val;
        else if (!strcmp(flag, "--iters") || !strcmp(flag, "--warmup") || !strcmp(flag, "--threads") ||
                 !strcmp(flag, "--line-length") || !strcmp(flag, "--seed")) {
            char *end;
            long long v;
            errno = 0;
            v = strtoll(val, &end, 10);
            if (errno || end == val || *end || v < 0 || v > 1000000000LL) return usage_error("bad %s '%s'", flag, val);
            if (!strcmp(flag, "--iters")) { if (v < 1) return usage_error("--iters must be >= 1"); o->iters = (int)v; }
            else if (!strcmp(flag, "--warmup")) o->warmup = (int)v;
            else if (!strcmp(flag, "--threads")) {
                if (v < 1 || v > 256) return usage_error("--threads must be 1..256");
                o->threads = (int)v;
            } else if (!strcmp(flag, "--line-length")) {
                if (v < 1 || v > 100000) return usage_error("--line-length must be 1..100000");
                o->line_length = (int)v;
            } else o->seed = (unsigned long long)v;
        } else return usage_error("unknown option '%s'", flag);
    }
    if (!o->model) return usage_error("missing MODEL.json");
    return EX_OK;
}

/* ------------------------------------------------------------- helpers ---- */

static sg_symbol *load_model(sg_graph *g, const char *path) {
    sg_symbol *s;
    if (!g) { fail("out of memory"); return NULL; }
    s = sg_load(g, path);
    if (!s) fail("cannot load %s: %s", path, sg_graph_error(g));
    return s;
}

static void fmt_shape(char *buf, size_t n, const sg_shape *s) {
    size_t k = 0;
    int i;
    if (s->ndim < 0) { snprintf(buf, n, "?"); return; }
    k += (size_t)snprintf(buf + k, n - k, "(");
    for (i = 0; i < s->ndim && k + 24 < n; i++) {
        if (s->dims[i] < 0) k += (size_t)snprintf(buf + k, n - k, i ? ", ?" : "?");
        else k += (size_t)snprintf(buf + k, n - k, i ? ", %lld" : "%lld", (long long)s->dims[i]);
    }
    snprintf(buf + k, n - k, s->ndim == 1 ? ",)" : ")");
}

static int ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}
static int find_name(const char *const *names, int n, const char *name) {
    int i;
    for (i = 0; i < n; i++)
        if (!strcmp(names[i], name)) return i;
    return -1;
}

/* JSON string as Python's json.dumps(ensure_ascii=False) writes it. */
static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        default:
            if (c < 0x20) fprintf(f, "\\u%04x", c);
            else fputc(c, f);
        }
    }
    fputc('"', f);
}
static void json_shape(FILE *f, const sg_shape *s) {
    int i;
    if (s->ndim < 0) { fputs("null", f); return; }
    fputc('[', f);
    for (i = 0; i < s->ndim; i++) fprintf(f, i ? ", %lld" : "%lld", (long long)(s->dims[i] < 0 ? -1 : s->dims[i]));
    fputc(']', f);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ----------------------------------------------------------------- info ---- */

static int cmd_info(opts *o) {
    sg_graph *g = sg_graph_create();
    sg_symbol *s = load_model(g, o->model);
    const char *const *args, *const *outs, *const *aux;
    int na, no, nx, i, rc = EX_BAD, st, complete = 1, count_known = 1;
    sg_shape *as = NULL, *os = NULL, *xs = NULL;
    int *at = NULL, *ot = NULL, *xt = NULL, *tt = NULL;
    const char **tn = NULL;
    int nt = 0;
    long long params = 0, pargs = 0, paux = 0;
    if (!s) goto done;
    if (sg_list_arguments(g, s, &args, &na) || sg_list_outputs(g, s, &outs, &no) ||
        sg_list_auxiliary_states(g, s, &aux, &nx)) {
        fail("%s: %s", o->model, sg_graph_error(g));
        goto done;
    }
    as = (sg_shape *)calloc((size_t)na + 1, sizeof *as);
    os = (sg_shape *)calloc((size_t)no + 1, sizeof *os);
    xs = (sg_shape *)calloc((size_t)nx + 1, sizeof *xs);
    at = (int *)calloc((size_t)na + 1, sizeof *at);
    ot = (int *)calloc((size_t)no + 1, sizeof *ot);
    xt = (int *)calloc((size_t)nx + 1, sizeof *xt);
    tn = (const char **)calloc((size_t)(o->nshapes + o->ntypes) + 1, sizeof *tn);
    tt = (int *)calloc((size_t)(o->nshapes + o->ntypes) + 1, sizeof *tt);
    if (!as || !os || !xs || !at || !ot || !xt || !tn || !tt) { fail("out of memory"); goto done; }
    st = sg_infer_shape(g, s, o->nshapes, o->shape_names, o->shapes, 1, as, os, xs);
    if (st != SG_OK) { fail("%s", sg_graph_error(g)); goto done; }
    /* dtypes: the shaped inputs are float32 unless --dtype names them */
    for (i = 0; i < o->ntypes; i++) { tn[nt] = o->type_names[i]; tt[nt++] = o->types[i]; }
    for (i = 0; i < o->nshapes; i++)
        if (find_name(tn, o->ntypes, o->shape_names[i]) < 0) {
            tn[nt] = o->shape_names[i];
            tt[nt++] = SG_FLOAT32;
        }
    st = sg_infer_type(g, s, nt, tn, tt, 1, at, ot, xt);
    if (st != SG_OK) { fail("%s", sg_graph_error(g)); goto done; }
    for (i = 0; i < na; i++) {
        int64_t c;
        int d;
        for (d = 0; d < as[i].ndim; d++) if (as[i].dims[d] < 0) complete = 0;
        if (as[i].ndim < 0) complete = 0;
        if (find_name(o->shape_names, o->nshapes, args[i]) >= 0 || ends_with(args[i], "label")) continue;
        if (sg_shape_size(&as[i], &c) != SG_OK) { count_known = 0; continue; }
        pargs += (long long)c;
    }
    for (i = 0; i < nx; i++) {
        int64_t c;
        if (sg_shape_size(&xs[i], &c) != SG_OK) { count_known = 0; complete = 0; continue; }
        paux += (long long)c;
    }
    for (i = 0; i < no; i++) {
        int64_t c;
        if (sg_shape_size(&os[i], &c) != SG_OK) complete = 0;
    }
    params = pargs + paux;
    if (o->json) {
        FILE *f = stdout;
        const char *const *lists[3];
        int ns[3], k;
        lists[0] = args; lists[1] = outs; lists[2] = aux;
        ns[0] = na; ns[1] = no; ns[2] = nx;
        fputs("{", f);
        for (k = 0; k < 3; k++) {
            static const char *const keys[3] = {"arguments", "outputs", "aux_states"};
            fprintf(f, "%s\"%s\": [", k ? ", " : "", keys[k]);
            for (i = 0; i < ns[k]; i++) { if (i) fputs(", ", f); json_str(f, lists[k][i]); }
            fputs("]", f);
        }
        for (k = 0; k < 3; k++) {
            static const char *const keys[3] = {"arg_shapes", "out_shapes", "aux_shapes"};
            const sg_shape *sh = k == 0 ? as : k == 1 ? os : xs;
            fprintf(f, ", \"%s\": {", keys[k]);
            for (i = 0; i < ns[k]; i++) {
                if (i) fputs(", ", f);
                json_str(f, lists[k][i]);
                fputs(": ", f);
                json_shape(f, &sh[i]);
            }
            fputs("}", f);
        }
        for (k = 0; k < 3; k++) {
            static const char *const keys[3] = {"arg_dtypes", "out_dtypes", "aux_dtypes"};
            const int *t = k == 0 ? at : k == 1 ? ot : xt;
            fprintf(f, ", \"%s\": {", keys[k]);
            for (i = 0; i < ns[k]; i++) {
                const char *dn = sg_dtype_name(t[i]);
                if (i) fputs(", ", f);
                json_str(f, lists[k][i]);
                fputs(": ", f);
                if (dn) json_str(f, dn); else fputs("null", f);
            }
            fputs("}", f);
        }
        if (count_known) fprintf(f, ", \"num_params\": %lld}\n", params);
        else fputs(", \"num_params\": null}\n", f);
    } else {
        int w = 4, k;
        char buf[256];
        for (i = 0; i < na; i++) if ((int)strlen(args[i]) > w) w = (int)strlen(args[i]);
        for (i = 0; i < no; i++) if ((int)strlen(outs[i]) > w) w = (int)strlen(outs[i]);
        for (i = 0; i < nx; i++) if ((int)strlen(aux[i]) > w) w = (int)strlen(aux[i]);
        if (w > 48) w = 48;
        printf("model: %s\n", o->model);
        for (k = 0; k < 3; k++) {
            static const char *const titles[3] = {"arguments", "outputs", "auxiliary states"};
            const char *const *l = k == 0 ? args : k == 1 ? outs : aux;
            const sg_shape *sh = k == 0 ? as : k == 1 ? os : xs;
            const int *t = k == 0 ? at : k == 1 ? ot : xt;
            int n = k == 0 ? na : k == 1 ? no : nx;
            printf("%s (%d):\n", titles[k], n);
            for (i = 0; i < n; i++) {
                const char *role = "";
                const char *dn = sg_dtype_name(t[i]);
                if (k == 0 && find_name(o->shape_names, o->nshapes, l[i]) >= 0) role = "input";
                else if (k == 0 && ends_with(l[i], "label")) role = "label";
                fmt_shape(buf, sizeof buf, &sh[i]);
                printf("  %-*s  %-22s %-8s %s\n", w, l[i], buf, dn ? dn : "?", role);
            }
        }
        if (count_known)
            printf("parameters: %lld (arguments %lld + auxiliary states %lld)\n", params, pargs, paux);
        else
            printf("parameters: unknown (give the input shapes with --shape NAME=D1,D2,...)\n");
        if (!complete && o->nshapes > 0) note("some shapes stay unknown ('?'): give more input shapes");
    }
    rc = EX_OK;
done:
    free(as); free(os); free(xs); free(at); free(ot); free(xt); free((void *)tn); free(tt);
    sg_graph_free(g);
    return rc;
}

/* ------------------------------------------------------- summary / dot ---- */

static int cmd_summary(opts *o) {
    sg_graph *g = sg_graph_create();
    sg_symbol *s = load_model(g, o->model);
    char *text = NULL;
    int rc = EX_BAD;
    if (s) {
        if (sg_print_summary(g, s, o->nshapes, o->shape_names, o->shapes, o->line_length, &text) != SG_OK)
            fail("%s", sg_graph_error(g));
        else { fputs(text, stdout); rc = EX_OK; }
    }
    free(text);
    sg_graph_free(g);
    return rc;
}

static char *make_dot(opts *o, sg_graph *g) {
    sg_symbol *s = load_model(g, o->model);
    char *text = NULL;
    if (!s) return NULL;
    if (sg_plot_network(g, s, o->title, o->nshapes, o->shape_names, o->shapes, o->ntypes, o->type_names, o->types,
                        o->node_attrs, !o->show_weights, &text) != SG_OK) {
        fail("%s", sg_graph_error(g));
        return NULL;
    }
    return text;
}

static int write_file(const char *path, const char *text, size_t n, int newline) {
    FILE *f = fopen(path, "wb");
    if (!f) return fail("cannot open %s for writing: %s", path, strerror(errno));
    if (fwrite(text, 1, n, f) != n || (newline && fputc('\n', f) == EOF)) { fclose(f); return fail("cannot write %s", path); }
    if (fclose(f) != 0) return fail("cannot write %s: %s", path, strerror(errno));
    return EX_OK;
}

static int cmd_dot(opts *o) {
    sg_graph *g = sg_graph_create();
    char *text = g ? make_dot(o, g) : NULL;
    int rc = EX_BAD;
    if (text) {
        if (o->output) rc = write_file(o->output, text, strlen(text), 1);
        else {
            fputs(text, stdout);
            fputc('\n', stdout);
            rc = EX_OK;
        }
    }
    free(text);
    sg_graph_free(g);
    return rc;
}

static void shell_quote(char *dst, size_t n, const char *s) {
    size_t k = 0;
    if (n < 3) { if (n) dst[0] = 0; return; }
    dst[k++] = '\'';
    for (; *s && k + 6 < n; s++) {
        if (*s == '\'') { memcpy(dst + k, "'\\''", 4); k += 4; }
        else dst[k++] = *s;
    }
    dst[k++] = '\'';
    dst[k] = 0;
}

static int cmd_render(opts *o) {
    const char *dotprog = getenv("SYMGRAPH_DOT"), *fmt = o->format, *ext;
    char qprog[1200], qout[2400], cmd[4000];
    sg_graph *g;
    char *text;
    int rc = EX_BAD, st;
    FILE *p;
    if (!o->output) return usage_error("render needs -o FILE.png|svg|pdf");
    if (!fmt) {
        ext = strrchr(o->output, '.');
        if (!ext || !ext[1] || strchr(ext, '/')) return usage_error("cannot tell the format of '%s': use --format png|svg|pdf", o->output);
        fmt = ext + 1;
    }
    {
        const char *f;
        if (!*fmt) return usage_error("empty --format");
        for (f = fmt; *f; f++)
            if (!((*f >= 'a' && *f <= 'z') || (*f >= 'A' && *f <= 'Z') || (*f >= '0' && *f <= '9') || *f == ':'))
                return usage_error("bad format '%s'", fmt);
    }
    if (!dotprog || !*dotprog) dotprog = "dot";
    if (strlen(dotprog) > 256 || strlen(o->output) > 512) return usage_error("path too long");
    shell_quote(qprog, sizeof qprog, dotprog);
    snprintf(cmd, sizeof cmd, "%s -V >/dev/null 2>&1", qprog);
    st = system(cmd);
    if (st != 0) {
        return fail("Graphviz's `dot` program was not found (%s). Install Graphviz:\n"
                    "  Debian/Ubuntu: sudo apt-get install graphviz\n"
                    "  Fedora/RHEL:   sudo dnf install graphviz\n"
                    "  macOS:         brew install graphviz\n"
                    "  Windows:       choco install graphviz (or https://graphviz.org/download/)\n"
                    "or write the DOT text with `symgraph dot %s > graph.dot` and render it elsewhere.",
                    dotprog, o->model);
    }
    g = sg_graph_create();
    text = g ? make_dot(o, g) : NULL;
    if (text) {
        shell_quote(qout, sizeof qout, o->output);
        snprintf(cmd, sizeof cmd, "%s -q -T%s -o %s", qprog, fmt, qout); /* -q: no size warnings */
        fflush(stdout);
        p = popen(cmd, "w");
        if (!p) rc = fail("cannot run %s: %s", dotprog, strerror(errno));
        else {
            fputs(text, p);
            fputc('\n', p);
            st = pclose(p);
            if (st != 0) rc = fail("%s failed (exit status %d) writing %s", dotprog, st, o->output);
            else { rc = EX_OK; if (!o->quiet) printf("wrote %s\n", o->output); }
        }
    }
    free(text);
    sg_graph_free(g);
    return rc;
}

/* -------------------------------------------------------------- convert ---- */

static int cmd_convert(opts *o) {
    sg_graph *g = sg_graph_create();
    sg_symbol *s = load_model(g, o->model);
    const char *json;
    int rc = EX_BAD;
    if (s) {
        if (sg_tojson(g, s, &json) != SG_OK) fail("%s", sg_graph_error(g));
        else if (o->output) rc = write_file(o->output, json, strlen(json), 0);
        else { fputs(json, stdout); fputc('\n', stdout); rc = EX_OK; }
    }
    sg_graph_free(g);
    return rc;
}

/* ------------------------------------------------------------------ run ---- */

/* The parameters of a .params file, by bare name (arg:/aux: stripped). */
typedef struct paramset {
    int n;
    sg_ndarray **arrays;
    char **names;
    const char **bare;
    int *kind; /* 0: no prefix, 1: arg:, 2: aux: */
} paramset;

static void paramset_free(paramset *p) {
    if (p->arrays) sg_nd_list_free(p->n, p->arrays, p->names);
    free((void *)p->bare);
    free(p->kind);
    memset(p, 0, sizeof *p);
}
static int paramset_load(paramset *p, const char *path) {
    int i;
    memset(p, 0, sizeof *p);
    if (!path) return EX_OK;
    if (sg_nd_load(path, &p->n, &p->arrays, &p->names) != SG_OK) return fail("cannot load %s: %s", path, sg_last_error());
    if (!p->names && p->n > 0) {
        fail("%s holds an unnamed list of %d arrays; a checkpoint names them (arg:NAME, aux:NAME)", path, p->n);
        paramset_free(p);
        return EX_BAD;
    }
    p->bare = (const char **)calloc((size_t)p->n + 1, sizeof(char *));
    p->kind = (int *)calloc((size_t)p->n + 1, sizeof(int));
    if (!p->bare || !p->kind) { paramset_free(p); return fail("out of memory"); }
    for (i = 0; i < p->n; i++) {
        const char *nm = p->names[i];
        if (!strncmp(nm, "arg:", 4)) { p->bare[i] = nm + 4; p->kind[i] = 1; }
        else if (!strncmp(nm, "aux:", 4)) { p->bare[i] = nm + 4; p->kind[i] = 2; }
        else { p->bare[i] = nm; p->kind[i] = 0; }
    }
    return EX_OK;
}
/* The array for an argument (aux = 0) or aux state (aux = 1), or NULL. */
static sg_ndarray *paramset_get(const paramset *p, const char *name, int aux, int *used) {
    int i;
    for (i = p->n - 1; i >= 0; i--)
        if (!strcmp(p->bare[i], name) && (p->kind[i] == 0 || p->kind[i] == (aux ? 2 : 1))) {
            if (used) used[i] = 1;
            return p->arrays[i];
        }
    return NULL;
}

static void print_values(const sg_ndarray *a) {
    int64_t i, row = a->shape.ndim > 0 ? a->shape.dims[a->shape.ndim - 1] : 1;
    if (row <= 0) row = 1;
    for (i = 0; i < a->size; i++) {
        double v = sg_nd_get(a, i);
        if (i % row == 0) fputs("  ", stdout);
        if (a->dtype == SG_FLOAT64) printf("%.17g", v);
        else if (a->dtype == SG_FLOAT32 || a->dtype == SG_FLOAT16 || a->dtype == SG_BFLOAT16) printf("%.9g", v);
        else printf("%lld", (long long)v);
        fputc(i % row == row - 1 || i == a->size - 1 ? '\n' : ' ', stdout);
    }
}

/* Inputs whose dtype differs from what the parameters imply (np.save writes
 * float64 by default) are converted, as Executor.forward's copy does. */
static int convert_inputs(opts *o, sg_graph *g, sg_symbol *s, const char *const *args, int na, sg_ndarray **argv_,
                          sg_ndarray **inputs) {
    const char **tn = (const char **)calloc((size_t)na + 1, sizeof(char *));
    int *tt = (int *)calloc((size_t)na + 1, sizeof(int)), *at = (int *)calloc((size_t)na + 1, sizeof(int));
    int i, nt = 0, rc = EX_OK;
    if (!tn || !tt || !at) { free((void *)tn); free(tt); free(at); return fail("out of memory"); }
    for (i = 0; i < na; i++)
        if (argv_[i] && find_name(o->in_names, o->nin, args[i]) < 0) { tn[nt] = args[i]; tt[nt++] = argv_[i]->dtype; }
    if (sg_infer_type(g, s, nt, tn, tt, 1, at, NULL, NULL) == SG_OK) {
        for (i = 0; i < na && rc == EX_OK; i++) {
            int k = find_name(o->in_names, o->nin, args[i]);
            sg_ndarray *c;
            if (k < 0 || at[i] < 0 || inputs[k]->dtype == at[i]) continue;
            c = sg_nd_zeros_shape(&inputs[k]->shape, at[i]);
            if (!c || sg_nd_copy_to(inputs[k], c) != SG_OK) { sg_nd_free(c); rc = fail("cannot convert %s: %s", o->in_files[k], sg_last_error()); break; }
            note("note: input %s converted from %s to %s", args[i], sg_dtype_name(inputs[k]->dtype) ? sg_dtype_name(inputs[k]->dtype) : "?",
                 sg_dtype_name(at[i]) ? sg_dtype_name(at[i]) : "?");
            sg_nd_free(inputs[k]);
            inputs[k] = argv_[i] = c;
        }
    }
    sg_graph_clear_error(g);
    free((void *)tn); free(tt); free(at);
    return rc;
}

static int cmd_run(opts *o) {
    sg_graph *g = sg_graph_create();
    sg_symbol *s = load_model(g, o->model);
    paramset P;
    const char *const *args, *const *aux, *const *outs;
    int na, nx, no, i, rc = EX_BAD, nmiss = 0;
    sg_ndarray **inputs = NULL, **argv_ = NULL, **auxv = NULL, **zeros = NULL;
    int *used = NULL;
    sg_executor *ex = NULL;
    sg_bind_desc d;
    char miss[2048];
    memset(&P, 0, sizeof P);
    miss[0] = 0;
    if (!s) goto done;
    if (sg_list_arguments(g, s, &args, &na) || sg_list_auxiliary_states(g, s, &aux, &nx) ||
        sg_list_outputs(g, s, &outs, &no)) { fail("%s", sg_graph_error(g)); goto done; }
    if (paramset_load(&P, o->params) != EX_OK) goto done;
    inputs = (sg_ndarray **)calloc((size_t)o->nin + 1, sizeof *inputs);
    argv_ = (sg_ndarray **)calloc((size_t)na + 1, sizeof *argv_);
    zeros = (sg_ndarray **)calloc((size_t)na + 1, sizeof *zeros);
    auxv = (sg_ndarray **)calloc((size_t)nx + 1, sizeof *auxv);
    used = (int *)calloc((size_t)P.n + 1, sizeof *used);
    if (!inputs || !argv_ || !auxv || !used || !zeros) { fail("out of memory"); goto done; }
    for (i = 0; i < o->nin; i++) {
        if (find_name(args, na, o->in_names[i]) < 0) {
            fail("--input %s: the model has no argument of that name (arguments: %d, e.g. %s)", o->in_names[i], na,
                 na ? args[0] : "none");
            goto done;
        }
        if (find_name(o->in_names, i, o->in_names[i]) >= 0) { fail("--input %s given twice", o->in_names[i]); goto done; }
        inputs[i] = sg_nd_load_npy(o->in_files[i]);
        if (!inputs[i]) { fail("cannot load %s: %s", o->in_files[i], sg_last_error()); goto done; }
    }
    for (i = 0; i < na; i++) {
        int k = find_name(o->in_names, o->nin, args[i]);
        argv_[i] = k >= 0 ? inputs[k] : paramset_get(&P, args[i], 0, used);
    }
    if (convert_inputs(o, g, s, args, na, argv_, inputs) != EX_OK) goto done;
    for (i = 0; i < nx; i++) auxv[i] = paramset_get(&P, aux[i], 1, used);
    if (!o->allow_extra) {
        char extra[1024];
        int nextra = 0;
        extra[0] = 0;
        for (i = 0; i < P.n; i++)
            if (!used[i]) {
                /* a name that another entry of the same name shadowed is fine */
                if (find_name(args, na, P.bare[i]) >= 0 || find_name(aux, nx, P.bare[i]) >= 0) continue;
                if (strlen(extra) + strlen(P.names[i]) + 3 < sizeof extra)
                    snprintf(extra + strlen(extra), sizeof extra - strlen(extra), "%s%s", nextra ? ", " : "", P.names[i]);
                nextra++;
            }
        if (nextra) {
            fail("%s has %d parameter%s that the model does not have: %s (--allow-extra ignores them)", o->params,
                 nextra, nextra > 1 ? "s" : "", extra);
            goto done;
        }
    }
    /* labels with no value: zero-filled when their shape follows from the others */
    for (i = 0; i < na; i++)
        if (!argv_[i] && ends_with(args[i], "label")) break;
    if (i < na) {
        const char **kn = (const char **)calloc((size_t)na + 1, sizeof(char *));
        sg_shape *ks = (sg_shape *)calloc((size_t)na + 1, sizeof(sg_shape)), *as = (sg_shape *)calloc((size_t)na + 1, sizeof(sg_shape));
        int nk = 0;
        if (!kn || !ks || !as) { free((void *)kn); free(ks); free(as); fail("out of memory"); goto done; }
        for (i = 0; i < na; i++)
            if (argv_[i]) { kn[nk] = args[i]; ks[nk++] = argv_[i]->shape; }
        if (sg_infer_shape(g, s, nk, kn, ks, 1, as, NULL, NULL) != SG_OK) {
            fail("%s", sg_graph_error(g));
            free((void *)kn); free(ks); free(as);
            goto done;
        } else {
            for (i = 0; i < na; i++) {
                int64_t c;
                char b[128];
                if (argv_[i] || !ends_with(args[i], "label") || sg_shape_size(&as[i], &c) != SG_OK) continue;
                zeros[i] = sg_nd_zeros_shape(&as[i], SG_FLOAT32);
                if (!zeros[i]) continue;
                argv_[i] = zeros[i];
                fmt_shape(b, sizeof b, &as[i]);
                note("note: label %s not given; zero-filled with shape %s", args[i], b);
            }
        }
        sg_graph_clear_error(g);
        free((void *)kn); free(ks); free(as);
    }
    for (i = 0; i < na; i++)
        if (!argv_[i]) {
            if (strlen(miss) + strlen(args[i]) + 3 < sizeof miss)
                snprintf(miss + strlen(miss), sizeof miss - strlen(miss), "%s%s", nmiss ? ", " : "", args[i]);
            nmiss++;
        }
    if (nmiss) {
        fail("no value for %d argument%s: %s (give inputs with --input NAME=FILE.npy and parameters with --params)",
             nmiss, nmiss > 1 ? "s" : "", miss);
        goto done;
    }
    for (i = 0; i < nx; i++)
        if (!auxv[i]) {
            if (strlen(miss) + strlen(aux[i]) + 3 < sizeof miss)
                snprintf(miss + strlen(miss), sizeof miss - strlen(miss), "%s%s", nmiss ? ", " : "", aux[i]);
            nmiss++;
        }
    if (nmiss) { fail("no value for %d auxiliary state%s: %s (they come from --params, as aux:NAME)", nmiss, nmiss > 1 ? "s" : "", miss); goto done; }
    memset(&d, 0, sizeof d);
    d.nargs = na;
    d.args = argv_;
    d.naux = nx;
    d.aux = auxv;
    if (sg_bind(g, s, SG_CPU, &d, &ex) != SG_OK) { fail("%s", sg_graph_error(g)); goto done; }
    if (sg_forward(ex, o->train) != SG_OK) { fail("forward: %s", sg_executor_error(ex)); goto done; }
    {
        sg_ndarray *const *ov;
        int n;
        if (sg_executor_outputs(ex, &ov, &n) != SG_OK) { fail("%s", sg_executor_error(ex)); goto done; }
        for (i = 0; i < n; i++) {
            char b[256];
            const char *dn = sg_dtype_name(ov[i]->dtype);
            fmt_shape(b, sizeof b, &ov[i]->shape);
            if (o->output) {
                char path[4096];
                snprintf(path, sizeof path, "%s%d.npy", o->output, i);
                if (sg_nd_save_npy(path, ov[i]) != SG_OK) { fail("cannot write %s: %s", path, sg_last_error()); goto done; }
                printf("wrote %s: %s %s %s\n", path, i < no ? outs[i] : "?", b, dn ? dn : "?");
            } else {
                printf("%s: %s %s\n", i < no ? outs[i] : "?", b, dn ? dn : "?");
                if (ov[i]->size <= 1000) print_values(ov[i]);
                else {
                    double mn = HUGE_VAL, mx = -HUGE_VAL, sum = 0;
                    int64_t k;
                    for (k = 0; k < ov[i]->size; k++) {
                        double v = sg_nd_get(ov[i], k);
                        if (v < mn) mn = v;
                        if (v > mx) mx = v;
                        sum += v;
                    }
                    printf("  %lld values: min %.9g, max %.9g, mean %.9g (write them with --output PREFIX)\n",
                           (long long)ov[i]->size, mn, mx, sum / (double)ov[i]->size);
                }
            }
        }
    }
    rc = EX_OK;
done:
    sg_executor_free(ex);
    if (inputs) for (i = 0; i < o->nin; i++) sg_nd_free(inputs[i]);
    if (zeros) for (i = 0; i < na; i++) sg_nd_free(zeros[i]);
    free(inputs); free(argv_); free(auxv); free(used); free(zeros);
    paramset_free(&P);
    sg_graph_free(g);
    return rc;
}

/* ---------------------------------------------------------------- bench ---- */

typedef struct bench_job {
    const opts *o;
    const char *json;
    int id;
    double *fwd, *fb;   /* per-iteration seconds */
    double t0, t1, t2, t3; /* timed regions: forward, forward+backward */
    size_t planned, unplanned;
    char err[1200];
} bench_job;

static int progress_tty;
static void progress(const bench_job *j, const char *what, int k, int n) {
    if (j->o->quiet || j->id != 0) return;
    if (progress_tty) {
        fprintf(stderr, "\rsymgraph bench: %s %d/%d ", what, k, n);
        if (k == n) fputc('\n', stderr);
    } else if (k == n) fprintf(stderr, "symgraph bench: %s %d/%d done\n", what, k, n);
    fflush(stderr);
}

static void *bench_thread(void *arg) {
    bench_job *j = (bench_job *)arg;
    const opts *o = j->o;
    sg_graph *g = sg_graph_create();
    sg_symbol *s = g ? sg_load_json(g, j->json, (size_t)-1) : NULL;
    sg_executor *ex = NULL;
    sg_ndarray **og = NULL;
    sg_ndarray *const *arr;
    const char *const *names;
    const char **nograd = NULL;
    sg_rng r;
    int n, i, k, it, nout = 0;
    if (!s) { snprintf(j->err, sizeof j->err, "%s", g ? sg_graph_error(g) : "out of memory"); goto done; }
    /* --backward: gradients for every argument but the shaped inputs and the labels, as a training Module */
    if (sg_list_arguments(g, s, &names, &n) != SG_OK) { snprintf(j->err, sizeof j->err, "%s", sg_graph_error(g)); goto done; }
    nograd = (const char **)calloc((size_t)n + 1, sizeof *nograd);
    if (!nograd) { snprintf(j->err, sizeof j->err, "out of memory"); goto done; }
    for (i = 0, k = 0; i < n; i++)
        if (ends_with(names[i], "label") || find_name(o->shape_names, o->nshapes, names[i]) >= 0) nograd[k++] = names[i];
    if (sg_simple_bind_ex(g, s, SG_CPU, o->nshapes, o->shape_names, o->shapes, NULL,
                          o->backward ? SG_REQ_WRITE : SG_REQ_NULL, nograd, &ex) != SG_OK) {
        snprintf(j->err, sizeof j->err, "%s", sg_graph_error(g));
        goto done;
    }
    sg_rng_seed(&r, o->seed * 1000003ULL + (unsigned long long)j->id);
    sg_list_arguments(g, s, &names, &n);
    if (sg_executor_arrays(ex, SG_ARGS, &arr, &n) == SG_OK)
        for (i = 0; i < n; i++) {
            if (!arr[i] || arr[i]->size == 0) continue;
            if (ends_with(names[i], "label")) sg_nd_fill(arr[i], 0);
            else if (find_name(o->shape_names, o->nshapes, names[i]) >= 0) sg_nd_random_uniform(arr[i], 0, 1, &r);
            else sg_nd_random_uniform(arr[i], -0.07, 0.07, &r);
        }
    sg_list_auxiliary_states(g, s, &names, &n);
    if (sg_executor_arrays(ex, SG_AUX, &arr, &n) == SG_OK)
        for (i = 0; i < n; i++)
            if (arr[i]) sg_nd_fill(arr[i], ends_with(names[i], "var") ? 1.0 : 0.0);
    sg_executor_memory(ex, &j->planned, &j->unplanned);
    if (o->backward) {
        sg_ndarray *const *ov;
        if (sg_executor_outputs(ex, &ov, &nout) != SG_OK) { snprintf(j->err, sizeof j->err, "%s", sg_executor_error(ex)); goto done; }
        og = (sg_ndarray **)calloc((size_t)nout + 1, sizeof *og);
        if (!og) { snprintf(j->err, sizeof j->err, "out of memory"); goto done; }
        for (i = 0; i < nout; i++) {
            og[i] = sg_nd_full(ov[i]->shape.ndim, ov[i]->shape.dims, ov[i]->dtype, 1.0);
            if (!og[i]) { snprintf(j->err, sizeof j->err, "%s", sg_last_error()); goto done; }
        }
    }
    for (it = 0; it < o->warmup; it++) {
        if (sg_forward(ex, o->backward) != SG_OK || (o->backward && sg_backward(ex, nout, og) != SG_OK)) {
            snprintf(j->err, sizeof j->err, "%s", sg_executor_error(ex));
            goto done;
        }
        progress(j, "warmup", it + 1, o->warmup);
    }
    j->t0 = now_s();
    for (it = 0; it < o->iters; it++) {
        double a = now_s(), b;
        if (sg_forward(ex, 0) != SG_OK) { snprintf(j->err, sizeof j->err, "forward: %s", sg_executor_error(ex)); goto done; }
        b = now_s();
        j->fwd[it] = b - a;
        progress(j, "forward", it + 1, o->iters);
    }
    j->t1 = now_s();
    j->t2 = now_s();
    if (o->backward) {
        for (it = 0; it < o->iters; it++) {
            double a = now_s(), b;
            if (sg_forward(ex, 1) != SG_OK || sg_backward(ex, nout, og) != SG_OK) {
                snprintf(j->err, sizeof j->err, "forward+backward: %s", sg_executor_error(ex));
                goto done;
            }
            b = now_s();
            j->fb[it] = b - a;
            progress(j, "forward+backward", it + 1, o->iters);
        }
    }
    j->t3 = now_s();
done:
    if (og) for (i = 0; i < nout; i++) sg_nd_free(og[i]);
    free(og);
    free(nograd);
    sg_executor_free(ex);
    sg_graph_free(g);
    return NULL;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static double quantile(const double *v, int n, double q) { /* v sorted; linear interpolation */
    double pos = q * (n - 1);
    int lo = (int)floor(pos);
    if (lo >= n - 1) return v[n - 1];
    return v[lo] + (pos - lo) * (v[lo + 1] - v[lo]);
}
static void report(const char *what, double *v, int n, long long batch, int threads, double wall) {
    double med, iqr;
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    med = quantile(v, n, 0.5);
    iqr = quantile(v, n, 0.75) - quantile(v, n, 0.25);
    printf("%-17s median %.3f ms per batch (min %.3f, max %.3f, IQR %.3f; %d runs)", what, med * 1e3, v[0] * 1e3,
           v[n - 1] * 1e3, iqr * 1e3, n);
    if (batch > 0 && med > 0) {
        if (threads > 1 && wall > 0) printf(", %.1f samples/s over %d threads\n", (double)batch * n / wall, threads);
        else printf(", %.1f samples/s\n", (double)batch / med);
    } else printf("\n");
}

static int cmd_bench(opts *o) {
    sg_graph *g = sg_graph_create();
    sg_symbol *s = load_model(g, o->model);
    const char *json;
    char *text = NULL;
    bench_job *jobs = NULL;
    pthread_t *th = NULL;
    double *all = NULL;
    int i, rc = EX_BAD, k, n;
    long long batch = 0;
    if (!s) goto done;
    if (o->nshapes == 0) { sg_graph_free(g); return usage_error("bench needs the input shapes: --shape NAME=D1,D2,..."); }
    if (sg_tojson(g, s, &json) != SG_OK) { fail("%s", sg_graph_error(g)); goto done; }
    text = (char *)malloc(strlen(json) + 1);
    jobs = (bench_job *)calloc((size_t)o->threads, sizeof *jobs);
    th = (pthread_t *)calloc((size_t)o->threads, sizeof *th);
    all = (double *)calloc((size_t)o->threads * (size_t)o->iters + 1, sizeof(double));
    if (!text || !jobs || !th || !all) { fail("out of memory"); goto done; }
    strcpy(text, json);
    progress_tty = isatty(2);
    for (i = 0; i < o->threads; i++) {
        jobs[i].o = o;
        jobs[i].json = text;
        jobs[i].id = i;
        jobs[i].fwd = (double *)calloc((size_t)o->iters, sizeof(double));
        jobs[i].fb = (double *)calloc((size_t)o->iters, sizeof(double));
        if (!jobs[i].fwd || !jobs[i].fb) { fail("out of memory"); goto done; }
    }
    if (o->threads == 1) bench_thread(&jobs[0]);
    else {
        for (i = 0; i < o->threads; i++)
            if (pthread_create(&th[i], NULL, bench_thread, &jobs[i]) != 0) {
                int k2;
                for (k2 = 0; k2 < i; k2++) pthread_join(th[k2], NULL);
                fail("cannot start thread %d", i);
                goto done;
            }
        for (i = 0; i < o->threads; i++) pthread_join(th[i], NULL);
    }
    for (i = 0; i < o->threads; i++)
        if (jobs[i].err[0]) { fail("%s", jobs[i].err); goto done; }
    batch = o->shapes[0].ndim > 0 ? (long long)o->shapes[0].dims[0] : 0;
    {
        char b[256];
        fmt_shape(b, sizeof b, &o->shapes[0]);
        printf("model: %s\ninput: %s %s, batch %lld; %d thread%s, %d warmup + %d timed runs\n", o->model,
               o->shape_names[0], b, batch, o->threads, o->threads > 1 ? "s" : "", o->warmup, o->iters);
        printf("memory: planned %.3f MiB, unplanned %.3f MiB", jobs[0].planned / 1048576.0, jobs[0].unplanned / 1048576.0);
        if (jobs[0].unplanned > 0)
            printf(" (planning saves %.1f%%)\n", 100.0 * (1.0 - (double)jobs[0].planned / (double)jobs[0].unplanned));
        else printf("\n");
    }
    for (k = 0; k < (o->backward ? 2 : 1); k++) {
        double t0 = HUGE_VAL, t1 = 0;
        n = 0;
        for (i = 0; i < o->threads; i++) {
            memcpy(all + n, k ? jobs[i].fb : jobs[i].fwd, (size_t)o->iters * sizeof(double));
            n += o->iters;
            if ((k ? jobs[i].t2 : jobs[i].t0) < t0) t0 = k ? jobs[i].t2 : jobs[i].t0;
            if ((k ? jobs[i].t3 : jobs[i].t1) > t1) t1 = k ? jobs[i].t3 : jobs[i].t1;
        }
        /* several threads: the combined rate over the wall time of the region */
        report(k ? "forward+backward:" : "forward:", all, n, batch, o->threads, t1 - t0);
    }
    rc = EX_OK;
done:
    if (jobs) for (i = 0; i < o->threads; i++) { free(jobs[i].fwd); free(jobs[i].fb); }
    free(jobs); free(th); free(all); free(text);
    sg_graph_free(g);
    return rc;
}

/* ---------------------------------------------------------------- embed ---- */

static void c_string_lit(FILE *f, const char *s, size_t n) {
    size_t i;
    fputc('"', f);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') fputs("\\\"", f);
        else if (c == '\\') fputs("\\\\", f);
        else if (c == '\n') fputs("\\n", f);
        else if (c == '\t') fputs("\\t", f);
        else if (c == '?') fputs("\\?", f);
        else if (c < 0x20 || c >= 0x7f) fprintf(f, "\\%03o", c);
        else fputc(c, f);
    }
    fputc('"', f);
}
static void c_string_piece(FILE *f, const char *s, size_t n) {
    fputs("    ", f);
    c_string_lit(f, s, n);
    fputs(",\n", f);
}
/* text for inside a C comment: no comment terminator */
static void c_comment_text(FILE *f, const char *s) {
    for (; *s; s++) {
        if (s[0] == '*' && s[1] == '/') { fputs("* /", f); s++; }
        else fputc(*s, f);
    }
}
static void c_float(FILE *f, float v) {
    char b[48];
    if (v != v) { fputs("NAN", f); return; }
    if (isinf(v)) { fputs(v > 0 ? "INFINITY" : "-INFINITY", f); return; }
    snprintf(b, sizeof b, "%.9g", (double)v);
    if (!strpbrk(b, ".en")) strcat(b, ".0");
    fputs(b, f);
    fputc('f', f);
}

static int cmd_embed(opts *o) {
    sg_graph *g = sg_graph_create();
    sg_symbol *s = load_model(g, o->model);
    paramset P;
    const char *json, *const *args, *const *aux;
    char name[128], upper[128];
    int na, nx, i, k, rc = EX_BAD, np = 0, *pidx = NULL, *pis_aux = NULL;
    FILE *f = stdout;
    sg_ndarray **conv = NULL;
    memset(&P, 0, sizeof P);
    if (!s) goto done;
    /* NAME: --name, else the file name without -symbol.json / .json, as a C identifier */
    {
        const char *base = o->name, *sl;
        size_t l, j = 0;
        char tmp[128];
        if (!base) {
            sl = strrchr(o->model, '/');
            base = sl ? sl + 1 : o->model;
            snprintf(tmp, sizeof tmp, "%s", base);
            l = strlen(tmp);
            if (l > 12 && !strcmp(tmp + l - 12, "-symbol.json")) tmp[l - 12] = 0;
            else if (l > 5 && !strcmp(tmp + l - 5, ".json")) tmp[l - 5] = 0;
            base = tmp;
        }
        for (l = 0; base[l] && j < sizeof name - 1; l++) {
            char c = base[l];
            int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (o->name && !ok) { sg_graph_free(g); return usage_error("--name must be a C identifier"); }
            name[j++] = ok ? c : '_';
        }
        name[j] = 0;
        if (!j) snprintf(name, sizeof name, "model");
        if (name[0] >= '0' && name[0] <= '9') {
            if (o->name) { sg_graph_free(g); return usage_error("--name must be a C identifier"); }
            memmove(name + 1, name, strlen(name) + 1 < sizeof name - 1 ? strlen(name) + 1 : sizeof name - 2);
            name[0] = 'm';
            name[sizeof name - 1] = 0;
        }
        for (j = 0; name[j]; j++) upper[j] = (char)(name[j] >= 'a' && name[j] <= 'z' ? name[j] - 'a' + 'A' : name[j]);
        upper[j] = 0;
    }
    if (sg_list_arguments(g, s, &args, &na) || sg_list_auxiliary_states(g, s, &aux, &nx)) { fail("%s", sg_graph_error(g)); goto done; }
    if (paramset_load(&P, o->params) != EX_OK) goto done;
    pidx = (int *)calloc((size_t)P.n + 1, sizeof(int));
    pis_aux = (int *)calloc((size_t)P.n + 1, sizeof(int));
    conv = (sg_ndarray **)calloc((size_t)P.n + 1, sizeof(sg_ndarray *));
    if (!pidx || !pis_aux || !conv) { fail("out of memory"); goto done; }
    /* the parameters in the model's order: arguments, then aux states */
    for (k = 0; k < 2; k++) {
        const char *const *l = k ? aux : args;
        int n = k ? nx : na;
        for (i = 0; i < n; i++) {
            int j;
            for (j = P.n - 1; j >= 0; j--)
                if (!strcmp(P.bare[j], l[i]) && (P.kind[j] == 0 || P.kind[j] == (k ? 2 : 1))) break;
            if (j < 0) continue;
            pidx[np] = j;
            pis_aux[np++] = k;
        }
    }
    for (i = 0; i < P.n; i++) {
        int j, found = 0;
        for (j = 0; j < np; j++) if (pidx[j] == i) found = 1;
        if (!found && !o->allow_extra && find_name(args, na, P.bare[i]) < 0 && find_name(aux, nx, P.bare[i]) < 0) {
            fail("%s: parameter %s is not in the model", o->params, P.names[i]);
            goto done;
        }
    }
    for (i = 0; i < np; i++) {
        sg_ndarray *a = P.arrays[pidx[i]];
        if (a->dtype != SG_FLOAT32) {
            conv[i] = sg_nd_zeros_shape(&a->shape, SG_FLOAT32);
            if (!conv[i] || sg_nd_copy_to(a, conv[i]) != SG_OK) { fail("cannot convert %s to float32: %s", P.names[pidx[i]], sg_last_error()); goto done; }
            note("note: %s (%s) converted to float32", P.names[pidx[i]], sg_dtype_name(a->dtype) ? sg_dtype_name(a->dtype) : "?");
        }
    }
    if (sg_tojson(g, s, &json) != SG_OK) { fail("%s", sg_graph_error(g)); goto done; }
    if (o->output) {
        f = fopen(o->output, "wb");
        if (!f) { fail("cannot open %s for writing: %s", o->output, strerror(errno)); f = stdout; goto done; }
    }
    {
        long long total = 0;
        for (i = 0; i < np; i++) total += (long long)P.arrays[pidx[i]]->size;
        fprintf(f, "/* %s_model.h - generated by `symgraph embed` (symgraph.h, MXNet %d.%d.%d) from\n *   ", name,
                SYMGRAPH_VERSION / 10000, SYMGRAPH_VERSION / 100 % 100, SYMGRAPH_VERSION % 100);
        c_comment_text(f, o->model);
        if (o->params) { fputs("\n *   ", f); c_comment_text(f, o->params); }
        fprintf(f, "\n * Do not edit: regenerate it.\n"
                   " *\n"
                   " * The symbol JSON and every parameter as static const data, so the model needs\n"
                   " * no file I/O. %d parameter arrays, %lld float32 values (%lld bytes).\n"
                   " *\n"
                   " * Use, with symgraph.h's implementation compiled into the program:\n"
                   " *     #include \"symgraph.h\"\n"
                   " *     #include \"%s_model.h\"\n"
                   " *     %s_model m;\n"
                   " *     const char *names[1] = {\"data\"};\n"
                   " *     sg_ndarray *x = sg_nd_from_data(2, dims, SG_FLOAT32, buffer);\n"
                   " *     if (%s_model_bind(&m, 1, names, &x) != SG_OK) puts(m.error);\n"
                   " *     else if (sg_forward(m.ex, 0) == SG_OK) { ... sg_executor_outputs(m.ex, ...) ... }\n"
                   " *     %s_model_free(&m);\n"
                   " * The parameter arrays are wrapped, not copied: forward only (backward and\n"
                   " * optimizer updates would write into read-only memory).\n"
                   " *\n"
                   " * Inputs to pass (the arguments that are not embedded):\n *  ",
                np, total, total * 4, name, name, name, name);
        for (i = 0, k = 3; i < na; i++) {
            int j, embedded = 0;
            for (j = 0; j < np; j++)
                if (!pis_aux[j] && !strcmp(P.bare[pidx[j]], args[i])) embedded = 1;
            if (embedded) continue;
            k += (int)strlen(args[i]) + 1;
            if (k > 78) { fputs("\n *  ", f); k = 3 + (int)strlen(args[i]) + 1; }
            fputc(' ', f);
            c_comment_text(f, args[i]);
        }
        fprintf(f, "\n */\n#ifndef %s_MODEL_H\n#define %s_MODEL_H\n\n#include <math.h>\n#include <stdint.h>\n"
                   "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include \"symgraph.h\"\n\n",
                upper, upper);
        fprintf(f, "#if defined(__GNUC__) || defined(__clang__)\n#define %s_UNUSED __attribute__((unused))\n#else\n"
                   "#define %s_UNUSED\n#endif\n\n", upper, upper);
    }
    /* the JSON as string pieces of at most 1000 bytes (a line each where possible) */
    fprintf(f, "/* The symbol JSON (MXNet 1.9 tojson), in pieces joined at bind time. */\n"
               "static const char *const %s_json[] = {\n", name);
    {
        const char *p = json;
        int npieces = 0;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
            if (len > 1000) len = 1000;
            c_string_piece(f, p, len);
            p += len;
            npieces++;
        }
        fprintf(f, "};\n#define %s_JSON_PIECES %d\n\n", upper, npieces);
    }
    for (i = 0; i < np; i++) {
        const sg_ndarray *a = conv[i] ? conv[i] : P.arrays[pidx[i]];
        const float *v = (const float *)a->data;
        char b[256];
        int64_t e;
        int d;
        fmt_shape(b, sizeof b, &a->shape);
        fprintf(f, "/* %s", pis_aux[i] ? "aux:" : "arg:");
        c_comment_text(f, P.bare[pidx[i]]);
        fprintf(f, " %s */\nstatic const int64_t %s_p%d_shape[%d] = {", b, name, i, a->shape.ndim > 0 ? a->shape.ndim : 1);
        for (d = 0; d < a->shape.ndim; d++) fprintf(f, d ? ", %lld" : "%lld", (long long)a->shape.dims[d]);
        if (a->shape.ndim == 0) fputs("0", f);
        fprintf(f, "};\nstatic const float %s_p%d[%lld] = {", name, i, (long long)(a->size > 0 ? a->size : 1));
        for (e = 0; e < a->size; e++) {
            fputs(e % 8 == 0 ? "\n    " : " ", f);
            c_float(f, v[e]);
            if (e + 1 < a->size) fputc(',', f);
        }
        if (a->size == 0) fputs("0.0f", f);
        fputs("\n};\n", f);
    }
    fprintf(f, "\ntypedef struct %s_param {\n    const char *name;\n    int is_aux;\n    int ndim;\n"
               "    const int64_t *shape;\n    const float *data;\n} %s_param;\n\n#define %s_NUM_PARAMS %d\n",
            name, name, upper, np);
    fprintf(f, "static const %s_param %s_params[%d] = {\n", name, name, np > 0 ? np : 1);
    for (i = 0; i < np; i++) {
        const sg_ndarray *a = P.arrays[pidx[i]];
        fputs("    {", f);
        c_string_lit(f, P.bare[pidx[i]], strlen(P.bare[pidx[i]]));
        fprintf(f, ", %d, %d, %s_p%d_shape, %s_p%d},\n", pis_aux[i], a->shape.ndim, name, i, name, i);
    }
    if (np == 0) fputs("    {NULL, 0, 0, NULL, NULL}\n", f);
    fputs("};\n\n", f);
    fprintf(f,
            "/* A bound model: free it with %s_model_free even when bind failed. */\n"
            "typedef struct %s_model {\n"
            "    sg_graph *g;\n"
            "    sg_symbol *sym;\n"
            "    sg_executor *ex;\n"
            "    sg_ndarray *params[%s_NUM_PARAMS + 1];\n"
            "    char error[1024];\n"
            "} %s_model;\n\n",
            name, name, upper, name);
    fprintf(f,
            "static %s_UNUSED void %s_model_free(%s_model *m) {\n"
            "    int i;\n"
            "    sg_executor_free(m->ex);\n"
            "    for (i = 0; i < %s_NUM_PARAMS; i++) sg_nd_free(m->params[i]);\n"
            "    sg_graph_free(m->g);\n"
            "    memset(m, 0, sizeof *m);\n"
            "}\n\n",
            upper, name, name, upper);
    fprintf(f,
            "/* Load the symbol, wrap the parameters and bind on the CPU with the inputs\n"
            " * (ninputs arrays named input_names, borrowed until %s_model_free). Every\n"
            " * other argument must be one of the embedded parameters. Returns SG_OK or a\n"
            " * negative sg_status with m->error set. Then: sg_forward(m->ex, 0). */\n"
            "static %s_UNUSED int %s_model_bind(%s_model *m, int ninputs, const char *const *input_names,\n"
            "                                   sg_ndarray *const *inputs) {\n"
            "    const char **an = NULL, **xn = NULL;\n"
            "    sg_ndarray **av = NULL, **xv = NULL;\n"
            "    sg_bind_desc d;\n"
            "    size_t len = 0;\n"
            "    char *text;\n"
            "    int i, na = 0, nx = 0, st;\n"
            "    memset(m, 0, sizeof *m);\n"
            "    for (i = 0; i < %s_JSON_PIECES; i++) len += strlen(%s_json[i]);\n"
            "    text = (char *)malloc(len + 1);\n"
            "    m->g = sg_graph_create();\n"
            "    if (!text || !m->g) { free(text); snprintf(m->error, sizeof m->error, \"out of memory\"); return SG_ERR_NOMEM; }\n"
            "    text[0] = 0;\n"
            "    for (i = 0, len = 0; i < %s_JSON_PIECES; i++) { size_t l = strlen(%s_json[i]); memcpy(text + len, %s_json[i], l + 1); len += l; }\n"
            "    m->sym = sg_load_json(m->g, text, len);\n"
            "    free(text);\n"
            "    if (!m->sym) { snprintf(m->error, sizeof m->error, \"%%s\", sg_graph_error(m->g)); return sg_graph_status(m->g); }\n"
            "    an = (const char **)malloc(sizeof(char *) * (size_t)(ninputs + %s_NUM_PARAMS + 1));\n"
            "    av = (sg_ndarray **)malloc(sizeof(sg_ndarray *) * (size_t)(ninputs + %s_NUM_PARAMS + 1));\n"
            "    xn = (const char **)malloc(sizeof(char *) * (size_t)(%s_NUM_PARAMS + 1));\n"
            "    xv = (sg_ndarray **)malloc(sizeof(sg_ndarray *) * (size_t)(%s_NUM_PARAMS + 1));\n"
            "    if (!an || !av || !xn || !xv) { st = SG_ERR_NOMEM; snprintf(m->error, sizeof m->error, \"out of memory\"); goto out; }\n"
            "    for (i = 0; i < ninputs; i++) { an[na] = input_names[i]; av[na++] = inputs[i]; }\n"
            "    for (i = 0; i < %s_NUM_PARAMS; i++) {\n"
            "        const %s_param *p = &%s_params[i];\n"
            "        /* read-only data, wrapped without a copy (the cast drops const) */\n"
            "        m->params[i] = sg_nd_from_data(p->ndim, p->shape, SG_FLOAT32, (void *)(uintptr_t)p->data);\n"
            "        if (!m->params[i]) { st = SG_ERR_NOMEM; snprintf(m->error, sizeof m->error, \"%%s\", sg_last_error()); goto out; }\n"
            "        if (p->is_aux) { xn[nx] = p->name; xv[nx++] = m->params[i]; }\n"
            "        else { an[na] = p->name; av[na++] = m->params[i]; }\n"
            "    }\n"
            "    memset(&d, 0, sizeof d);\n"
            "    d.nargs = na;\n"
            "    d.arg_names = an;\n"
            "    d.args = av;\n"
            "    d.naux = nx;\n"
            "    d.aux_names = xn;\n"
            "    d.aux = xv;\n"
            "    st = sg_bind(m->g, m->sym, SG_CPU, &d, &m->ex);\n"
            "    if (st != SG_OK) snprintf(m->error, sizeof m->error, \"%%s\", sg_graph_error(m->g));\n"
            "out:\n"
            "    free((void *)an);\n"
            "    free(av);\n"
            "    free((void *)xn);\n"
            "    free(xv);\n"
            "    return st;\n"
            "}\n\n#endif /* %s_MODEL_H */\n",
            upper, upper, name, name, upper, name, upper, name, name, upper, upper, upper, upper, upper, name, name,
            upper);
    if (o->output) {
        if (fclose(f) != 0) { f = stdout; fail("cannot write %s", o->output); goto done; }
        f = stdout;
    } else fflush(stdout);
    rc = EX_OK;
done:
    if (f != stdout) fclose(f);
    if (conv) for (i = 0; i < P.n; i++) sg_nd_free(conv[i]);
    free(conv); free(pidx); free(pis_aux);
    paramset_free(&P);
    sg_graph_free(g);
    return rc;
}

/* ----------------------------------------------------------------- main ---- */

int main(int argc, char **argv) {
    static const struct { const char *cmd, *allowed; int (*fn)(opts *); } table[] = {
        {"info", "|--shape=|--dtype=|--json|", cmd_info},
        {"summary", "|--shape=|--line-length=|", cmd_summary},
        {"dot", "|--shape=|--dtype=|--hide-weights|--show-weights|--title=|--node-attr=|-o=|--output=|", cmd_dot},
        {"render", "|--shape=|--dtype=|--hide-weights|--show-weights|--title=|--node-attr=|-o=|--output=|--format=|--quiet|",
         cmd_render},
        {"convert", "|-o=|--output=|", cmd_convert},
        {"run", "|--params=|--input=|--output=|-o=|--train|--allow-extra|", cmd_run},
        {"bench", "|--shape=|--iters=|--warmup=|--backward|--threads=|--seed=|--quiet|", cmd_bench},
        {"embed", "|--params=|--name=|-o=|--output=|--allow-extra|", cmd_embed},
    };
    opts o;
    int i, k, rc;
    if (argc < 2) { print_overview(stderr); return EX_USAGE; }
    if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        if (argc > 2) return print_help(argv[2]);
        print_overview(stdout);
        return EX_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("symgraph (symgraph.h, MXNet %d.%d.%d semantics)\n", SYMGRAPH_VERSION / 10000,
               SYMGRAPH_VERSION / 100 % 100, SYMGRAPH_VERSION % 100);
        return EX_OK;
    }
    for (k = 0; k < (int)(sizeof table / sizeof table[0]); k++)
        if (!strcmp(argv[1], table[k].cmd)) break;
    if (k == (int)(sizeof table / sizeof table[0])) {
        fprintf(stderr, "symgraph: unknown command '%s'\nRun 'symgraph help' for the list of commands.\n", argv[1]);
        return EX_USAGE;
    }
    g_cmd = table[k].cmd;
    for (i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return print_help(g_cmd);
    rc = parse_opts(argc - 2, argv + 2, &o, table[k].allowed);
    if (rc == EX_OK) rc = table[k].fn(&o);
    opts_free(&o);
    for (i = 0; i < g_nnames; i++) free(g_names[i]);
    fflush(stdout);
    if (ferror(stdout) && rc == EX_OK) rc = fail("cannot write to standard output");
    return rc;
}
