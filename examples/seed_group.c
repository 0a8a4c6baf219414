/* seed_group.c - the tutorial's "group" section: two heads in one symbol.
 * Build: cc -std=c99 -I.. seed_group.c -o seed_group -lm */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <string.h>

int main(void) {
    sg_graph *g = sg_graph_create();
    sg_symbol *net = sg_variable(g, "data"), *fc, *out[2], *group;
    const char *const *names;
    int n, ok;
    fc = sg_fully_connected(g, "fc1", net, 128);
    out[0] = sg_softmax_output(g, "softmax", fc, NULL);
    out[1] = sg_linear_regression_output(g, "regression", fc, NULL);
    group = sg_group(g, 2, out);
    if (!group) { fprintf(stderr, "error: %s\n", sg_graph_error(g)); return 1; }
    sg_list_outputs(g, group, &names, &n);
    printf("group outputs: ['%s', '%s']\n", names[0], names[1]);
    ok = n == 2 && !strcmp(names[0], "softmax_output") && !strcmp(names[1], "regression_output");
    sg_graph_free(g);
    return ok ? 0 : 1;
}
