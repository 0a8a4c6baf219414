/* seed_attributes.c - the tutorial's attribute section: the `mood` examples,
 * the recursive listing, AttrScope.
 * Build: cc -std=c99 -I.. seed_attributes.c -o seed_attributes -lm */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <string.h>

int main(void) {
    sg_graph *g = sg_graph_create();
    sg_var_opts vo;
    sg_symbol *data, *op, *gdata;
    const char *v, *const *kv;
    int n, i, ok = 1;
    memset(&vo, 0, sizeof vo);
    vo.attr = SG_KV("mood", "angry");
    data = sg_variable_ex(g, "data", &vo);
    /* attributes and parameters are separate arguments in C */
    op = sg_op_ex(g, "Convolution", "conv", SG_KV("kernel", "(1, 1)", "num_filter", "1"), SG_KV("mood", "so so"), 1, &data, NULL);
    if (!op) { fprintf(stderr, "error: %s\n", sg_graph_error(g)); return 1; }
    sg_attr(g, data, "mood", &v);
    printf("data.attr('mood') = '%s'\n", v);
    ok = ok && !strcmp(v, "angry");
    sg_attr(g, op, "mood", &v);
    printf("op.attr('mood') = '%s'\n", v);
    ok = ok && !strcmp(v, "so so");
    sg_list_attr(g, op, 1, &kv, &n);
    printf("op.list_attr(recursive=True) = {");
    for (i = 0; i < n; i++) printf("%s'%s': '%s'", i ? ", " : "", kv[2 * i], kv[2 * i + 1]);
    printf("}\n");
    ok = ok && n == 4 && !strcmp(kv[0], "data_mood") && !strcmp(kv[2], "conv_weight_mood");
    sg_attr_scope_push(g, SG_KV("group", "4", "data", "great"));
    memset(&vo, 0, sizeof vo);
    vo.attr = SG_KV("dtype", "data", "group", "1");
    data = sg_variable_ex(g, "data", &vo);
    gdata = sg_variable(g, "data2");
    sg_attr_scope_pop(g);
    sg_attr(g, gdata, "group", &v);
    printf("with AttrScope(group='4', data='great'): data2.attr('group') = '%s'", v);
    ok = ok && !strcmp(v, "4");
    sg_attr(g, data, "group", &v);
    printf(", data.attr('group') = '%s'", v);
    ok = ok && !strcmp(v, "1");
    sg_attr(g, data, "data", &v);
    printf(", data.attr('data') = '%s'\n", v);
    ok = ok && !strcmp(v, "great");
    sg_graph_free(g);
    return ok ? 0 : 1;
}
