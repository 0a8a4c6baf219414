/* seed_gradients.c - the tutorial's gradient section: c = a * b, dc/da = b, dc/db = a.
 * Build: cc -std=c99 -I.. seed_gradients.c -o seed_gradients -lm */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <string.h>

int main(void) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b"), *c = sg_mul(g, a, b);
    int64_t d = 3;
    sg_ndarray *args[2], *grads[2], *og = sg_nd_ones(1, &d, SG_FLOAT32);
    sg_executor *ex = NULL;
    sg_bind_desc bd;
    int i, ok = 1;
    args[0] = sg_nd_zeros(1, &d, SG_FLOAT32);
    args[1] = sg_nd_zeros(1, &d, SG_FLOAT32);
    grads[0] = sg_nd_zeros(1, &d, SG_FLOAT32);
    grads[1] = sg_nd_zeros(1, &d, SG_FLOAT32);
    for (i = 0; i < 3; i++) { sg_nd_set(args[0], i, i + 1); sg_nd_set(args[1], i, i + 4); }
    memset(&bd, 0, sizeof bd);
    bd.nargs = 2; bd.args = args; bd.ngrads = 2; bd.grads = grads;
    if (sg_bind(g, c, SG_CPU, &bd, &ex) != SG_OK || sg_forward(ex, 1) != SG_OK || sg_backward(ex, 1, &og) != SG_OK) {
        fprintf(stderr, "error: %s\n", sg_graph_error(g));
        return 1;
    }
    printf("a = [1 2 3], b = [4 5 6], out_grad = ones\ngrad a = [");
    for (i = 0; i < 3; i++) { printf("%s%g", i ? " " : "", sg_nd_get(grads[0], i)); ok = ok && sg_nd_get(grads[0], i) == i + 4; }
    printf("]  (= b)\ngrad b = [");
    for (i = 0; i < 3; i++) { printf("%s%g", i ? " " : "", sg_nd_get(grads[1], i)); ok = ok && sg_nd_get(grads[1], i) == i + 1; }
    printf("]  (= a)\n");
    /* a non-loss head needs an out_grad: MXNet 1.9 never supplies ones */
    if (sg_backward(ex, 0, NULL) == SG_OK) ok = 0;
    else printf("backward() without out_grads: %s\n", sg_executor_error(ex));
    sg_executor_free(ex);
    for (i = 0; i < 2; i++) { sg_nd_free(args[i]); sg_nd_free(grads[i]); }
    sg_nd_free(og);
    sg_graph_free(g);
    return ok ? 0 : 1;
}
