/* seed_bind_execute.c - the tutorial's bind and execute section: a + b on ones.
 * Build: cc -std=c99 -I.. seed_bind_execute.c -o seed_bind_execute -lm */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

int main(void) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b"), *c = sg_add(g, a, b);
    int64_t d[2] = {2, 2};
    sg_ndarray *args[2], *const *outs;
    sg_executor *ex = NULL;
    sg_bind_desc bd;
    int n, i, ok = 1;
    args[0] = sg_nd_ones(2, d, SG_FLOAT32);
    args[1] = sg_nd_ones(2, d, SG_FLOAT32);
    memset(&bd, 0, sizeof bd);
    bd.nargs = 2;
    bd.args = args;
    if (sg_bind(g, c, SG_CPU, &bd, &ex) != SG_OK || sg_forward(ex, 0) != SG_OK) {
        fprintf(stderr, "error: %s\n", sg_graph_error(g));
        return 1;
    }
    sg_executor_outputs(ex, &outs, &n);
    printf("number of outputs = %d\n[", n);
    for (i = 0; i < 4; i++) { printf("%s%g", i ? " " : "", sg_nd_get(outs[0], i)); ok = ok && sg_nd_get(outs[0], i) == 2; }
    printf("]\n");
    sg_executor_free(ex);
    sg_nd_free(args[0]);
    sg_nd_free(args[1]);
    sg_graph_free(g);
    return ok ? 0 : 1;
}
