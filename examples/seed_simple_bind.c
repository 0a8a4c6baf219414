/* seed_simple_bind.c - the tutorial's simple_bind section: shapes in, arrays out.
 * Build: cc -std=c99 -I.. seed_simple_bind.c -o seed_simple_bind -lm */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <string.h>

int main(void) {
    sg_graph *g = sg_graph_create();
    sg_symbol *data = sg_variable(g, "data"), *fc = sg_fully_connected(g, "fc1", data, 128), *net;
    sg_shape s;
    const char *nm = "data";
    sg_executor *ex = NULL;
    sg_ndarray *const *arrs, *const *outs;
    const char *const *names;
    int n, i, no, ok;
    net = sg_softmax_output(g, "out", sg_fully_connected(g, "fc2", sg_activation(g, "relu1", fc, "relu"), 10), NULL);
    memset(&s, 0, sizeof s);
    s.ndim = 2; s.dims[0] = 100; s.dims[1] = 200;
    if (sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_WRITE, &ex) != SG_OK) { fprintf(stderr, "%s\n", sg_graph_error(g)); return 1; }
    sg_list_arguments(g, net, &names, &n);
    sg_executor_arrays(ex, SG_ARGS, &arrs, &n);
    for (i = 0; i < n; i++) {
        char b[64];
        printf("%-12s %s (zeros)\n", names[i], sg_shape_str(&arrs[i]->shape, b, sizeof b));
    }
    sg_forward(ex, 0);
    sg_executor_outputs(ex, &outs, &no);
    printf("out_output shape [%lld,%lld], first row sums to %.3f\n", (long long)outs[0]->shape.dims[0],
           (long long)outs[0]->shape.dims[1], 10 * sg_nd_get(outs[0], 0));
    ok = arrs[1]->shape.dims[0] == 128 && arrs[1]->shape.dims[1] == 200 && outs[0]->shape.dims[1] == 10 &&
         sg_nd_get(outs[0], 0) > 0.0999 && sg_nd_get(outs[0], 0) < 0.1001;
    sg_executor_free(ex);
    sg_graph_free(g);
    return ok ? 0 : 1;
}
