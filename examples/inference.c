/* inference.c - load real MXNet model files and infer their shapes.
 * Build: cc -std=c99 -O2 -I.. inference.c -o inference -lm   (from examples/)
 * Run:   ./inference [DIR]   (DIR defaults to ../shared/interop/mxnet-json)
 * For each model it prints the output shape and the parameter count for the
 * input shape the interop README gives, as mx.sym.load + infer_shape would. */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *file; int ndim; int64_t dims[4]; } models[] = {
    {"mlp_v1.4", 2, {64, 784}},
    {"legacy0800_mlp_bn", 2, {1, 200}},
    {"gluon_lenet_v1.4.1", 4, {1, 1, 28, 28}},
    {"gluon_mnist_v1.6", 4, {1, 1, 28, 28}},
    {"squeezenet_v1.1", 4, {1, 3, 224, 224}},
    {"squeezenet_v1.2", 4, {1, 3, 224, 224}},
    {"mobilenet_v2", 4, {1, 3, 224, 224}},
    {"mobilefacenet", 4, {1, 3, 112, 112}},
    {"resnet-18", 4, {1, 3, 224, 224}},
    {"resnet-50", 4, {1, 3, 224, 224}},
    {"vgg16_reduced", 4, {1, 3, 224, 224}},
    {"mkldnn_conv_model1_v1.2", 4, {32, 3, 300, 300}},
};

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "../shared/interop/mxnet-json";
    size_t k;
    int failures = 0, found = 0;
    printf("%-26s %-18s %-16s %12s %8s\n", "model", "input", "output", "params", "aux");
    for (k = 0; k < sizeof models / sizeof models[0]; k++) {
        char path[1024], in[64], outs[64];
        sg_graph *g = sg_graph_create();
        sg_symbol *s;
        sg_shape data, out[4], *arg = NULL, *aux = NULL;
        const char *const *names;
        const char *input = "data";
        int narg, naux, i;
        long long params = 0, auxn = 0;
        snprintf(path, sizeof path, "%s/%s-symbol.json", dir, models[k].file);
        s = sg_load(g, path);
        if (!s) {
            if (sg_graph_status(g) != SG_ERR_IO) { printf("%-26s error: %s\n", models[k].file, sg_graph_error(g)); failures++; }
            sg_graph_free(g);
            continue;
        }
        found++;
        memset(&data, 0, sizeof data);
        data.ndim = models[k].ndim;
        for (i = 0; i < data.ndim; i++) data.dims[i] = models[k].dims[i];
        sg_list_auxiliary_states(g, s, &names, &naux);
        sg_list_arguments(g, s, &names, &narg);
        arg = (sg_shape *)calloc((size_t)narg, sizeof *arg);
        aux = (sg_shape *)calloc((size_t)naux + 1, sizeof *aux);
        if (sg_infer_shape(g, s, 1, &input, &data, 0, arg, out, aux) != SG_OK) {
            printf("%-26s error: %s\n", models[k].file, sg_graph_error(g));
            failures++;
        } else {
            for (i = 0; i < narg; i++) {
                int64_t c;
                size_t l = strlen(names[i]);
                if (!strcmp(names[i], "data") || (l > 5 && !strcmp(names[i] + l - 5, "label"))) continue;
                sg_shape_size(&arg[i], &c);
                params += c;
            }
            for (i = 0; i < naux; i++) { int64_t c; sg_shape_size(&aux[i], &c); auxn += c; }
            printf("%-26s %-18s %-16s %12lld %8lld\n", models[k].file, sg_shape_str(&data, in, sizeof in),
                   sg_shape_str(&out[0], outs, sizeof outs), params, auxn);
        }
        free(arg);
        free(aux);
        sg_graph_free(g);
    }
    if (!found) printf("no model files found in %s (they come with ../shared/interop)\n", dir);
    return failures ? 1 : 0;
}
