/* seed_weight_tying.c - the tutorial's weight tying section: two
 * FullyConnected layers share shared_weight and shared_bias.
 * Build: cc -std=c99 -I.. seed_weight_tying.c -o seed_weight_tying -lm */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <string.h>

int main(void) {
    sg_graph *g = sg_graph_create();
    sg_symbol *l = sg_variable(g, "inputs_left"), *r = sg_variable(g, "inputs_right");
    sg_symbol *in[3], *fl, *fr, *pair[2], *combined, *output;
    const char *keys[3] = {"data", "weight", "bias"}, *names[2] = {"inputs_left", "inputs_right"}, *const *an;
    sg_shape s[2];
    sg_executor *ex = NULL;
    sg_ndarray *const *o;
    int64_t d[2] = {1, 4};
    sg_ndarray *og = sg_nd_ones(2, d, SG_FLOAT32);
    int n, i, ok = 1;
    in[1] = sg_variable(g, "shared_weight");
    in[2] = sg_variable(g, "shared_bias");
    in[0] = l;
    fl = sg_op(g, "FullyConnected", "fc_left", SG_KV("num_hidden", "2"), 3, in, keys);
    in[0] = r;
    fr = sg_op(g, "FullyConnected", "fc_right", SG_KV("num_hidden", "2"), 3, in, keys);
    pair[0] = fl; pair[1] = fr;
    combined = sg_op(g, "concat", NULL, NULL, 2, pair, NULL);
    output = sg_softmax_output(g, "softmax", combined, sg_variable(g, "labels"));
    sg_list_arguments(g, output, &an, &n);
    printf("arguments: [");
    for (i = 0; i < n; i++) printf("%s'%s'", i ? ", " : "", an[i]);
    printf("]\n");
    memset(s, 0, sizeof s);
    s[0].ndim = s[1].ndim = 2; s[0].dims[0] = s[1].dims[0] = 1; s[0].dims[1] = s[1].dims[1] = 2;
    if (sg_simple_bind(g, combined, SG_CPU, 2, names, s, NULL, SG_REQ_WRITE, &ex) != SG_OK) { fprintf(stderr, "%s\n", sg_graph_error(g)); return 1; }
    sg_nd_set(sg_executor_arg(ex, "inputs_left"), 0, 1); sg_nd_set(sg_executor_arg(ex, "inputs_left"), 1, 2);
    sg_nd_set(sg_executor_arg(ex, "inputs_right"), 0, 3); sg_nd_set(sg_executor_arg(ex, "inputs_right"), 1, 4);
    sg_nd_set(sg_executor_arg(ex, "shared_weight"), 0, 1); sg_nd_set(sg_executor_arg(ex, "shared_weight"), 3, 1);
    sg_nd_set(sg_executor_arg(ex, "shared_bias"), 0, 10); sg_nd_set(sg_executor_arg(ex, "shared_bias"), 1, 20);
    sg_forward(ex, 1);
    sg_executor_outputs(ex, &o, &n);
    printf("concat output: [%g %g %g %g]\n", sg_nd_get(o[0], 0), sg_nd_get(o[0], 1), sg_nd_get(o[0], 2), sg_nd_get(o[0], 3));
    ok = sg_nd_get(o[0], 0) == 11 && sg_nd_get(o[0], 3) == 24;
    sg_backward(ex, 1, &og);
    {
        sg_ndarray *gw = sg_executor_grad(ex, "shared_weight"), *gb = sg_executor_grad(ex, "shared_bias");
        printf("grad shared_weight (sum of both uses): [[%g %g] [%g %g]], grad shared_bias: [%g %g]\n", sg_nd_get(gw, 0),
               sg_nd_get(gw, 1), sg_nd_get(gw, 2), sg_nd_get(gw, 3), sg_nd_get(gb, 0), sg_nd_get(gb, 1));
        ok = ok && sg_nd_get(gw, 0) == 4 && sg_nd_get(gw, 1) == 6 && sg_nd_get(gb, 0) == 2;
    }
    sg_nd_free(og);
    sg_executor_free(ex);
    sg_graph_free(g);
    return ok ? 0 : 1;
}
