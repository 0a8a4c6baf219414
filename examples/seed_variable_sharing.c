/* seed_variable_sharing.c - the tutorial's variable sharing section: a + a*a.
 * Build: cc -std=c99 -I.. seed_variable_sharing.c -o seed_variable_sharing -lm */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <string.h>

int main(void) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *aa = sg_mul(g, a, a), *s = sg_add(g, a, aa);
    sg_shape sh;
    const char *nm = "a";
    sg_executor *ex = NULL;
    sg_ndarray *const *o;
    int64_t d[2] = {2, 2};
    sg_ndarray *og = sg_nd_ones(2, d, SG_FLOAT32);
    int n, ok;
    memset(&sh, 0, sizeof sh);
    sh.ndim = 2; sh.dims[0] = 2; sh.dims[1] = 2;
    if (sg_simple_bind(g, s, SG_CPU, 1, &nm, &sh, NULL, SG_REQ_WRITE, &ex) != SG_OK) { fprintf(stderr, "%s\n", sg_graph_error(g)); return 1; }
    sg_nd_fill(sg_executor_arg(ex, "a"), 2);
    sg_forward(ex, 1);
    sg_executor_outputs(ex, &o, &n);
    printf("a = 2: a + a*a = %g\n", sg_nd_get(o[0], 0));
    sg_backward(ex, 1, &og);
    printf("d(a + a*a)/da = 1 + 2a = %g\n", sg_nd_get(sg_executor_grad(ex, "a"), 0));
    ok = sg_nd_get(o[0], 3) == 6 && sg_nd_get(sg_executor_grad(ex, "a"), 3) == 5;
    sg_nd_free(og);
    sg_executor_free(ex);
    sg_graph_free(g);
    return ok ? 0 : 1;
}
