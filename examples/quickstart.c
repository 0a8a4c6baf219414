/* quickstart.c - the README's quick start: build (A*B)+(C*D), list it, save it.
 * Build: cc -std=c99 -O2 -I.. quickstart.c -o quickstart -lm   (from examples/)
 *    or: make build/examples/quickstart                          (from the repo root) */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <string.h>

int main(void) {
    sg_graph *g = sg_graph_create();
    sg_symbol *A = sg_variable(g, "A"), *B = sg_variable(g, "B");
    sg_symbol *C = sg_variable(g, "C"), *D = sg_variable(g, "D");
    /* C leaves the order of evaluating function arguments open, so build the
     * products first: MXNet names them _mul0 and _mul1 in creation order. */
    sg_symbol *ab = sg_mul(g, A, B);
    sg_symbol *cd = sg_mul(g, C, D);
    sg_symbol *e = sg_add(g, ab, cd);
    const char *const *names;
    const char *json;
    int n, i, ok;
    if (!e) {
        fprintf(stderr, "error: %s\n", sg_graph_error(g));
        return 1;
    }
    sg_list_arguments(g, e, &names, &n);
    printf("arguments:");
    for (i = 0; i < n; i++) printf(" %s", names[i]);
    ok = n == 4 && !strcmp(names[0], "A") && !strcmp(names[3], "D");
    sg_list_outputs(g, e, &names, &n);
    printf("\noutputs: %s\n", names[0]);
    ok = ok && !strcmp(names[0], "_plus0_output");
    sg_list_outputs(g, sg_get_internals(g, e), &names, &n);
    printf("internals:");
    for (i = 0; i < n; i++) printf(" %s", names[i]);
    printf("\n");
    if (sg_save(g, e, "abcd-symbol.json") != SG_OK || sg_tojson(g, e, &json) != SG_OK) {
        fprintf(stderr, "error: %s\n", sg_graph_error(g));
        return 1;
    }
    printf("saved abcd-symbol.json (%d bytes, loads in MXNet with mx.sym.load)\n", (int)strlen(json));
    remove("abcd-symbol.json");
    sg_graph_free(g);
    return ok ? 0 : 1;
}
