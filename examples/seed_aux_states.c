/* seed_aux_states.c - the tutorial's auxiliary-state section: BatchNorm's
 * moving mean and variance, allocated by simple_bind and updated by training.
 * Build: cc -std=c99 -I.. seed_aux_states.c -o seed_aux_states -lm */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <string.h>

int main(void) {
    sg_graph *g = sg_graph_create();
    sg_symbol *bn = sg_batch_norm(g, "bn", sg_variable(g, "data"));
    sg_symbol *net = sg_linear_regression_output(g, "out", bn, NULL);
    const char *const *names, *nm = "data";
    int n, ok;
    sg_shape s;
    sg_executor *ex = NULL;
    sg_ndarray *mm;
    sg_list_auxiliary_states(g, net, &names, &n);
    printf("auxiliary states: ['%s', '%s']\n", names[0], names[1]);
    ok = n == 2 && !strcmp(names[0], "bn_moving_mean") && !strcmp(names[1], "bn_moving_var");
    memset(&s, 0, sizeof s);
    s.ndim = 2; s.dims[0] = 4; s.dims[1] = 2;
    if (sg_simple_bind(g, net, SG_CPU, 1, &nm, &s, NULL, SG_REQ_WRITE, &ex) != SG_OK) { fprintf(stderr, "%s\n", sg_graph_error(g)); return 1; }
    mm = sg_executor_aux(ex, "bn_moving_mean");
    printf("bn_moving_mean after simple_bind: [%g %g]\n", sg_nd_get(mm, 0), sg_nd_get(mm, 1));
    {
        int i;
        for (i = 0; i < 8; i++) sg_nd_set(sg_executor_arg(ex, "data"), i, i); /* column means 3 and 4 */
    }
    sg_forward(ex, 1);
    sg_backward(ex, 0, NULL);
    printf("after one training step (momentum 0.9): [%g %g]\n", sg_nd_get(mm, 0), sg_nd_get(mm, 1));
    ok = ok && sg_nd_get(mm, 0) > 0.2999 && sg_nd_get(mm, 0) < 0.3001 && sg_nd_get(mm, 1) > 0.3999 && sg_nd_get(mm, 1) < 0.4001;
    sg_executor_free(ex);
    sg_graph_free(g);
    return ok ? 0 : 1;
}
