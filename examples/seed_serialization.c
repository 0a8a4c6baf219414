/* seed_serialization.c - the tutorial's save / load / tojson section.
 * Build: cc -std=c99 -I.. seed_serialization.c -o seed_serialization -lm */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    sg_graph *g = sg_graph_create(), *g2 = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b"), *c = sg_add(g, a, b), *c2;
    const char *j1, *j2;
    char *copy;
    int same;
    sg_tojson(g, c, &j1);
    printf("%s\n", j1);
    copy = (char *)malloc(strlen(j1) + 1);
    strcpy(copy, j1);
    if (sg_save(g, c, "seed_serialization-symbol.json") != SG_OK) { fprintf(stderr, "%s\n", sg_graph_error(g)); return 1; }
    c2 = sg_load(g2, "seed_serialization-symbol.json");
    remove("seed_serialization-symbol.json");
    if (!c2) { fprintf(stderr, "%s\n", sg_graph_error(g2)); return 1; }
    sg_tojson(g2, c2, &j2);
    same = !strcmp(copy, j2);
    printf("c.tojson() == c2.tojson(): %s\n", same ? "True" : "False");
    free(copy);
    sg_graph_free(g);
    sg_graph_free(g2);
    return same ? 0 : 1;
}
