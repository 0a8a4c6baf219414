/* fashion_mnist.c - train and evaluate an MLP or a LeNet-style CNN on
 * Fashion-MNIST with symgraph, end to end (the project's main job).
 *
 * Build (from examples/):  cc -O2 -std=c99 -I.. fashion_mnist.c -o fashion_mnist -lz -lm
 *   or, from the repo root: make build/examples/fashion_mnist
 * Data: Debian's package dataset-fashion-mnist (apt-get install dataset-fashion-mnist),
 *       read from /usr/share/datasets/fashion-mnist/ or the directory given by --data.
 *
 * Usage: fashion_mnist [--model mlp|cnn] [--epochs N] [--batch-size N] [--lr X]
 *                      [--optimizer sgd|adam] [--momentum X] [--wd X] [--lr-decay X] [--seed N]
 *                      [--data DIR] [--subset N] [--prefix PATH] [--svg FILE]
 *                      [--check] [--quiet] [--gpu]
 * --gpu trains on an NVIDIA GPU: build with GPU support (make
 * build/examples/fashion_mnist_cuda: -DSYMGRAPH_CUDA and linked with
 * symgraph_cuda.o and -lcublas); otherwise it says GPU support was not built in.
 * It prints a progress bar per epoch (samples per second, running loss), then the
 * train and test accuracy and the epoch time; at the end a summary line, an SVG
 * learning curve, and MXNet checkpoint files (PATH-symbol.json, PATH-%04d.params)
 * that it reloads to re-score the test set. --check (used by `make test` on a
 * subset) exits non-zero unless the loss fell and the test accuracy beats chance
 * by a wide margin. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define DEFAULT_DIR "/usr/share/datasets/fashion-mnist"

typedef struct opts {
    const char *model, *dir, *prefix, *svg, *optimizer;
    int epochs, batch, subset, check, quiet, gpu;
    float lr, momentum, wd, lr_decay;
    unsigned long long seed;
} opts;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Read a gzip'd IDX file (big-endian header: magic, dims) with zlib. */
static unsigned char *read_idx(const char *path, int want_ndim, int64_t *dims) {
    gzFile f = gzopen(path, "rb");
    unsigned char hdr[16], *buf;
    int64_t count = 1;
    int i;
    if (!f) return NULL;
    if (gzread(f, hdr, 4 + 4 * want_ndim) != 4 + 4 * want_ndim || hdr[2] != 0x08 || hdr[3] != want_ndim) {
        fprintf(stderr, "error: %s is not an IDX file of %d dims of bytes\n", path, want_ndim);
        gzclose(f);
        return NULL;
    }
    for (i = 0; i < want_ndim; i++) {
        const unsigned char *p = hdr + 4 + 4 * i;
        dims[i] = ((int64_t)p[0] << 24) | ((int64_t)p[1] << 16) | ((int64_t)p[2] << 8) | p[3];
        count *= dims[i];
    }
    buf = (unsigned char *)malloc((size_t)count);
    if (!buf || gzread(f, buf, (unsigned)count) != (int)count) {
        fprintf(stderr, "error: %s is truncated\n", path);
        free(buf);
        gzclose(f);
        return NULL;
    }
    gzclose(f);
    return buf;
}

/* images (n, 1, 28, 28) float32 in [0, 1] and labels (n,) float32 */
static int load_set(const char *dir, const char *kind, int subset, sg_ndarray **x, sg_ndarray **y) {
    char ip[1024], lp[1024];
    int64_t id[3], ld[1], n, i, xd[4];
    unsigned char *img, *lab;
    snprintf(ip, sizeof ip, "%s/%s-images-idx3-ubyte.gz", dir, kind);
    snprintf(lp, sizeof lp, "%s/%s-labels-idx1-ubyte.gz", dir, kind);
    img = read_idx(ip, 3, id);
    lab = img ? read_idx(lp, 1, ld) : NULL;
    if (!img || !lab) {
        fprintf(stderr,
                "error: cannot read the Fashion-MNIST files %s and %s.\n"
                "They come with Debian's package dataset-fashion-mnist: run\n"
                "    sudo apt-get install dataset-fashion-mnist\n"
                "or pass the directory that holds them with --data DIR.\n",
                ip, lp);
        free(img);
        free(lab);
        return 1;
    }
    n = id[0] < ld[0] ? id[0] : ld[0];
    if (subset > 0 && subset < n) n = subset;
    xd[0] = n; xd[1] = 1; xd[2] = id[1]; xd[3] = id[2];
    *x = sg_nd_zeros(4, xd, SG_FLOAT32);
    *y = sg_nd_zeros(1, &n, SG_FLOAT32);
    if (!*x || !*y) { free(img); free(lab); fprintf(stderr, "error: %s\n", sg_last_error()); return 1; }
    for (i = 0; i < n * id[1] * id[2]; i++) ((float *)(*x)->data)[i] = img[i] / 255.0f;
    for (i = 0; i < n; i++) ((float *)(*y)->data)[i] = lab[i];
    free(img);
    free(lab);
    return 0;
}

static sg_symbol *build_mlp(sg_graph *g) {
    sg_symbol *x = sg_flatten(g, "flatten0", sg_variable(g, "data"));
    x = sg_activation(g, "relu1", sg_fully_connected(g, "fc1", x, 256), "relu");
    x = sg_activation(g, "relu2", sg_fully_connected(g, "fc2", x, 128), "relu");
    x = sg_fully_connected(g, "fc3", x, 10);
    return sg_softmax_output(g, "softmax", x, NULL);
}
static sg_symbol *build_cnn(sg_graph *g) {
    sg_symbol *x = sg_variable(g, "data");
    x = sg_op(g, "Convolution", "conv1", SG_KV("kernel", "(5, 5)", "num_filter", "32"), 1, &x, NULL);
    x = sg_op(g, "BatchNorm", "bn1", SG_KV("fix_gamma", "False"), 1, &x, NULL);
    x = sg_activation(g, "relu1", x, "relu");
    x = sg_pooling(g, "pool1", x, "max", 2, 2);
    x = sg_op(g, "Convolution", "conv2", SG_KV("kernel", "(5, 5)", "num_filter", "64"), 1, &x, NULL);
    x = sg_op(g, "BatchNorm", "bn2", SG_KV("fix_gamma", "False"), 1, &x, NULL);
    x = sg_activation(g, "relu2", x, "relu");
    x = sg_pooling(g, "pool2", x, "max", 2, 2);
    x = sg_flatten(g, "flatten0", x);
    x = sg_activation(g, "relu3", sg_fully_connected(g, "fc1", x, 256), "relu");
    x = sg_dropout(g, "drop1", x, "0.3");
    x = sg_fully_connected(g, "fc2", x, 10);
    return sg_softmax_output(g, "softmax", x, NULL);
}

typedef struct progress { int quiet; double t0; int64_t batch; double loss; } progress;
static void on_batch(void *user, int b, int nb, const sg_metrics *m) {
    progress *p = (progress *)user;
    int i, w = 30, done = (int)((double)(b + 1) * w / nb);
    double el = now() - p->t0;
    if (p->quiet || (b % 10 != 9 && b + 1 != nb)) return;
    printf("\r  [");
    for (i = 0; i < w; i++) putchar(i < done ? '=' : i == done ? '>' : ' ');
    printf("] %3d%%  %7.0f samples/s  loss %.4f  acc %.4f", (int)(100.0 * (b + 1) / nb),
           el > 0 ? (double)(b + 1) * p->batch / el : 0.0, m->cross_entropy, m->accuracy);
    fflush(stdout);
}

static void write_svg(const char *path, int n, const double *loss, const double *tra, const double *tea, const char *title) {
    FILE *f = fopen(path, "w");
    int i;
    double maxl = 0, W = 640, H = 360, L = 60, R = 60, T = 40, B = 50;
    if (!f) { fprintf(stderr, "warning: cannot write %s\n", path); return; }
    for (i = 0; i < n; i++) if (loss[i] > maxl) maxl = loss[i];
    if (maxl <= 0) maxl = 1;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H);
    fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<text x=\"%.0f\" y=\"22\" font-size=\"15\">%s</text>\n", L, title);
    fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n", L, H - B, W - R, H - B);
    fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n", L, T, L, H - B);
    fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n", W - R, T, W - R, H - B);
    for (i = 0; i <= 4; i++) {
        double y = H - B - (H - B - T) * i / 4.0;
        fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#c0392b\">%.2f</text>\n", L - 6, y + 4, maxl * i / 4.0);
        fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" fill=\"#2471a3\">%.2f</text>\n", W - R + 6, y + 4, 0.5 + 0.5 * i / 4.0);
        fprintf(f, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#eee\"/>\n", L, y, W - R, y);
    }
    for (i = 0; i < n; i++) {
        double x = L + (W - L - R) * (n > 1 ? (double)i / (n - 1) : 0.5);
        fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%d</text>\n", x, H - B + 16, i + 1);
    }
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">epoch</text>\n", (W + L - R) / 2, H - 12);
    {
        const double *series[3];
        const char *color[3] = {"#c0392b", "#2471a3", "#27ae60"}, *name[3] = {"train loss", "train accuracy", "test accuracy"};
        int s2;
        series[0] = loss; series[1] = tra; series[2] = tea;
        for (s2 = 0; s2 < 3; s2++) {
            fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", color[s2]);
            for (i = 0; i < n; i++) {
                double x = L + (W - L - R) * (n > 1 ? (double)i / (n - 1) : 0.5), v = series[s2][i];
                double y = s2 == 0 ? H - B - (H - B - T) * v / maxl : H - B - (H - B - T) * (v - 0.5) / 0.5;
                if (y > H - B) y = H - B;
                fprintf(f, "%.1f,%.1f ", x, y);
            }
            fprintf(f, "\"/>\n<text x=\"%.0f\" y=\"%d\" fill=\"%s\">%s</text>\n", L + 10 + 150.0 * s2, (int)(H - B) - 8 - 0, color[s2], name[s2]);
        }
    }
    fprintf(f, "</svg>\n");
    fclose(f);
}

static int parse_args(int argc, char **argv, opts *o) {
    int i;
    memset(o, 0, sizeof *o);
    o->model = "mlp";
    o->dir = DEFAULT_DIR;
    o->prefix = "fashion_mnist";
    o->svg = "fashion_mnist_curve.svg";
    o->optimizer = "adam";
    o->epochs = 20;
    o->batch = 100;
    o->lr = -1;
    o->momentum = 0.9f;
    o->wd = 0.0001f;
    o->lr_decay = 0.85f;
    o->seed = 1;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--check")) { o->check = 1; continue; }
        if (!strcmp(a, "--gpu")) { o->gpu = 1; continue; }
        if (!strcmp(a, "--quiet")) { o->quiet = 1; continue; }
        if (!v) { fprintf(stderr, "usage error: %s needs a value\n", a); return 2; }
        if (!strcmp(a, "--model")) o->model = v;
        else if (!strcmp(a, "--epochs")) o->epochs = atoi(v);
        else if (!strcmp(a, "--batch-size")) o->batch = atoi(v);
        else if (!strcmp(a, "--lr")) o->lr = (float)atof(v);
        else if (!strcmp(a, "--optimizer")) o->optimizer = v;
        else if (!strcmp(a, "--momentum")) o->momentum = (float)atof(v);
        else if (!strcmp(a, "--wd")) o->wd = (float)atof(v);
        else if (!strcmp(a, "--lr-decay")) o->lr_decay = (float)atof(v);
        else if (!strcmp(a, "--seed")) o->seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--data")) o->dir = v;
        else if (!strcmp(a, "--subset")) o->subset = atoi(v);
        else if (!strcmp(a, "--prefix")) o->prefix = v;
        else if (!strcmp(a, "--svg")) o->svg = v;
        else { fprintf(stderr, "usage error: unknown option %s\n", a); return 2; }
        i++;
    }
    if (strcmp(o->model, "mlp") && strcmp(o->model, "cnn")) { fprintf(stderr, "usage error: --model mlp|cnn\n"); return 2; }
    if (strcmp(o->optimizer, "sgd") && strcmp(o->optimizer, "adam")) { fprintf(stderr, "usage error: --optimizer sgd|adam\n"); return 2; }
    if (o->epochs < 1 || o->batch < 1) { fprintf(stderr, "usage error: --epochs and --batch-size must be >= 1\n"); return 2; }
    if (o->lr < 0) o->lr = !strcmp(o->optimizer, "adam") ? 0.001f : 0.05f;
    if (o->lr_decay <= 0 || o->lr_decay > 1) { fprintf(stderr, "usage error: --lr-decay must be in (0, 1]\n"); return 2; }
    return 0;
}

int main(int argc, char **argv) {
    opts o;
    sg_ndarray *xtr = NULL, *ytr = NULL, *xte = NULL, *yte = NULL;
    sg_graph *g;
    sg_symbol *net;
    sg_module *m = NULL;
    sg_module_opts mo;
    sg_data_iter train, test;
    double *loss, *tra, *tea, t_all = 0, t_start;
    int e, rc;
    sg_metrics tm, vm;
    if ((rc = parse_args(argc, argv, &o)) != 0) return rc;
    if (load_set(o.dir, "train", o.subset, &xtr, &ytr) || load_set(o.dir, "t10k", o.subset ? o.subset / 6 : 0, &xte, &yte))
        return 1;
    printf("Fashion-MNIST: %lld training and %lld test images; model %s, %d epochs, batch %d, %s lr %g (x%g per epoch), seed %llu\n",
           (long long)xtr->shape.dims[0], (long long)xte->shape.dims[0], o.model, o.epochs, o.batch, o.optimizer, o.lr,
           o.lr_decay, o.seed);
    g = sg_graph_create();
    net = !strcmp(o.model, "mlp") ? build_mlp(g) : build_cnn(g);
    if (!net) { fprintf(stderr, "error: %s\n", sg_graph_error(g)); return 1; }
    memset(&mo, 0, sizeof mo);
    mo.data_shape.ndim = 4;
    mo.data_shape.dims[0] = o.batch; mo.data_shape.dims[1] = 1; mo.data_shape.dims[2] = 28; mo.data_shape.dims[3] = 28;
    mo.optimizer = !strcmp(o.optimizer, "adam") ? SG_OPT_ADAM : SG_OPT_SGD;
    mo.learning_rate = o.lr;
    mo.momentum = mo.optimizer == SG_OPT_SGD ? o.momentum : 0;
    mo.wd = o.wd;
    mo.init.type = SG_INIT_XAVIER;
    mo.init.rnd_type = "uniform";
    mo.init.factor_type = "avg";
    mo.init.magnitude = 3;
    mo.seed = o.seed;
    if (o.gpu) { /* the GPU companion: symgraph_cuda.cu */
#ifdef SYMGRAPH_CUDA
        if (sg_cuda_register() != SG_OK) { fprintf(stderr, "error: --gpu: %s\n", sg_cuda_error()); return 1; }
        mo.dev_type = SG_GPU;
        printf("training on the GPU\n");
#else
        fprintf(stderr, "error: --gpu: GPU support was not built in (make build/examples/fashion_mnist_cuda)\n");
        return 2;
#endif
    }
    if (sg_module_create(g, net, &mo, &m) != SG_OK) { fprintf(stderr, "error: %s\n", sg_graph_error(g)); return 1; }
    if (sg_iter_init(&train, xtr, ytr, o.batch, 1, "discard", o.seed) != SG_OK ||
        sg_iter_init(&test, xte, yte, o.batch, 0, "pad", 0) != SG_OK) {
        fprintf(stderr, "error: %s\n", sg_last_error());
        return 1;
    }
    loss = (double *)calloc((size_t)o.epochs, sizeof(double));
    tra = (double *)calloc((size_t)o.epochs, sizeof(double));
    tea = (double *)calloc((size_t)o.epochs, sizeof(double));
    for (e = 0; e < o.epochs; e++) {
        progress p;
        double dt;
        p.quiet = o.quiet;
        p.t0 = t_start = now();
        p.batch = o.batch;
        if (!o.quiet) printf("epoch %d/%d\n", e + 1, o.epochs);
        if (sg_module_fit_epoch(m, &train, &tm, on_batch, &p) != SG_OK) { fprintf(stderr, "\nerror: %s\n", sg_module_error(m)); return 1; }
        dt = now() - t_start;
        t_all += dt;
        if (sg_module_score(m, &test, &vm) != SG_OK) { fprintf(stderr, "\nerror: %s\n", sg_module_error(m)); return 1; }
        sg_module_set_learning_rate(m, sg_module_learning_rate(m) * o.lr_decay); /* lr schedule: decay per epoch */
        loss[e] = tm.cross_entropy;
        tra[e] = tm.accuracy;
        tea[e] = vm.accuracy;
        printf("%sepoch %d: train loss %.4f  train acc %.4f  test acc %.4f  time %.1fs  %.0f samples/s\n", o.quiet ? "" : "\n",
               e + 1, tm.cross_entropy, tm.accuracy, vm.accuracy, dt, (double)tm.samples / dt);
        fflush(stdout);
    }
    printf("summary: %s on Fashion-MNIST, %d epochs: test accuracy %.4f, train accuracy %.4f, %.1f s per epoch, %.0f samples/s\n",
           o.model, o.epochs, tea[o.epochs - 1], tra[o.epochs - 1], t_all / o.epochs,
           (double)(train.num - train.num % o.batch) * o.epochs / t_all);
    {
        char title[128];
        snprintf(title, sizeof title, "symgraph %s on Fashion-MNIST: loss and accuracy per epoch", o.model);
        write_svg(o.svg, o.epochs, loss, tra, tea, title);
        printf("learning curve: %s\n", o.svg);
    }
    /* save an MXNet checkpoint, reload it into a fresh graph and module, re-score */
    rc = 0;
    if (sg_module_save_checkpoint(m, o.prefix, o.epochs) != SG_OK) { fprintf(stderr, "error: %s\n", sg_module_error(m)); rc = 1; }
    else {
        char path[1024];
        sg_graph *g2 = sg_graph_create();
        sg_symbol *s2;
        sg_module *m2 = NULL;
        sg_metrics rm;
        snprintf(path, sizeof path, "%s-symbol.json", o.prefix);
        s2 = sg_load(g2, path);
        if (!s2 || sg_module_create(g2, s2, &mo, &m2) != SG_OK || sg_module_load_params(m2, o.prefix, o.epochs) != SG_OK ||
            sg_module_score(m2, &test, &rm) != SG_OK) {
            fprintf(stderr, "error reloading the checkpoint: %s %s\n", sg_graph_error(g2), m2 ? sg_module_error(m2) : "");
            rc = 1;
        } else {
            printf("checkpoint %s-symbol.json + %s-%04d.params reloaded: test accuracy %.4f (%s)\n", o.prefix, o.prefix,
                   o.epochs, rm.accuracy, rm.accuracy == vm.accuracy ? "same" : "DIFFERENT");
            if (rm.accuracy != vm.accuracy) rc = 1;
        }
        sg_module_free(m2);
        sg_graph_free(g2);
    }
    if (o.check) {
        int ok = loss[o.epochs - 1] < loss[0] && tea[o.epochs - 1] > 0.5;
        printf("check: loss %.4f -> %.4f, test accuracy %.4f (chance 0.1): %s\n", loss[0], loss[o.epochs - 1],
               tea[o.epochs - 1], ok ? "ok" : "FAILED");
        if (!ok) rc = 1;
    }
    free(loss); free(tra); free(tea);
    sg_iter_free(&train);
    sg_iter_free(&test);
    sg_module_free(m);
    sg_graph_free(g);
    sg_nd_free(xtr); sg_nd_free(ytr); sg_nd_free(xte); sg_nd_free(yte);
    return rc;
}
