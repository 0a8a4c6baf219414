/* seed_compose.c - the Symbol tutorial's "compose" section: net2(fc3_data=net1).
 * Build: cc -std=c99 -I.. seed_compose.c -o seed_compose -lm */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <string.h>

static void show(sg_graph *g, const char *what, const sg_symbol *s) {
    const char *const *n;
    int k, i;
    sg_list_arguments(g, s, &n, &k);
    printf("%s arguments: [", what);
    for (i = 0; i < k; i++) printf("%s'%s'", i ? ", " : "", n[i]);
    printf("]\n");
}

int main(void) {
    sg_graph *g = sg_graph_create();
    sg_symbol *data = sg_variable(g, "data"), *net1, *net2, *composed;
    const char *key = "fc3_data", *const *names;
    int n;
    net1 = sg_fully_connected(g, "fc1", data, 10);
    net1 = sg_fully_connected(g, "fc2", net1, 100);
    show(g, "net1", net1);
    net2 = sg_fully_connected(g, "fc3", NULL, 10); /* data is created as fc3_data */
    net2 = sg_activation(g, NULL, net2, "relu");
    net2 = sg_fully_connected(g, "fc4", net2, 20);
    show(g, "net2", net2);
    composed = sg_compose(g, net2, "composed", 1, &key, &net1);
    if (!composed) { fprintf(stderr, "error: %s\n", sg_graph_error(g)); return 1; }
    show(g, "composed", composed);
    sg_list_outputs(g, composed, &names, &n);
    printf("composed outputs: ['%s']\n", names[0]);
    n = !strcmp(names[0], "composed_output");
    sg_graph_free(g);
    return n ? 0 : 1;
}
