/* seed_type_cast.c - the tutorial's type cast section: int32 (A*B)+(C*D) = 14,
 * float32 -> float16 and int32 -> uint8 casts.
 * Build: cc -std=c99 -I.. seed_type_cast.c -o seed_type_cast -lm */
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

int main(void) {
    sg_graph *g = sg_graph_create();
    sg_symbol *A = sg_variable(g, "A"), *B = sg_variable(g, "B"), *C = sg_variable(g, "C"), *D = sg_variable(g, "D");
    sg_symbol *ab = sg_mul(g, A, B), *cd = sg_mul(g, C, D), *e = sg_add(g, ab, cd);
    const char *names[4] = {"A", "B", "C", "D"}, *an = "a";
    sg_shape s[4];
    int dt[4] = {SG_INT32, SG_INT32, SG_INT32, SG_INT32}, i, n, ok = 1, ta, to;
    sg_executor *ex = NULL;
    sg_ndarray *const *o;
    memset(s, 0, sizeof s);
    for (i = 0; i < 4; i++) { s[i].ndim = 1; s[i].dims[0] = 1; }
    if (sg_simple_bind(g, e, SG_CPU, 4, names, s, dt, SG_REQ_NULL, &ex) != SG_OK) { fprintf(stderr, "%s\n", sg_graph_error(g)); return 1; }
    for (i = 0; i < 4; i++) sg_nd_fill(sg_executor_arg(ex, names[i]), i + 1);
    sg_forward(ex, 0);
    sg_executor_outputs(ex, &o, &n);
    printf("int32: A*B + C*D with A=1, B=2, C=3, D=4 = %d (dtype %s)\n", ((int *)o[0]->data)[0], sg_dtype_name(o[0]->dtype));
    ok = ((int *)o[0]->data)[0] == 14 && o[0]->dtype == SG_INT32;
    sg_executor_free(ex);
    {
        sg_symbol *a = sg_variable(g, "a"), *b = sg_cast(g, NULL, a, "float16"), *c = sg_cast(g, NULL, a, "uint8");
        ta = SG_FLOAT32;
        sg_infer_type(g, b, 1, &an, &ta, 0, NULL, &to, NULL);
        printf("Cast(a, float16) with a float32: output %s\n", sg_dtype_name(to));
        ok = ok && to == SG_FLOAT16;
        ta = SG_INT32;
        sg_infer_type(g, c, 1, &an, &ta, 0, NULL, &to, NULL);
        printf("Cast(a, uint8) with a int32: output %s\n", sg_dtype_name(to));
        ok = ok && to == SG_UINT8;
        /* values: 300 -> 44 and -1 -> 255 in uint8 (C's conversion), 70000 -> inf in float16 */
        {
            int64_t d = 3;
            sg_ndarray *x = sg_nd_zeros(1, &d, SG_INT32), **outs = NULL;
            int no;
            sg_nd_set(x, 0, 300); sg_nd_set(x, 1, -1); sg_nd_set(x, 2, 7);
            if (sg_eval(g, c, 1, &an, &x, &outs, &no) == SG_OK) {
                printf("uint8 values of [300, -1, 7]: [%g %g %g]\n", sg_nd_get(outs[0], 0), sg_nd_get(outs[0], 1), sg_nd_get(outs[0], 2));
                ok = ok && sg_nd_get(outs[0], 0) == 44 && sg_nd_get(outs[0], 1) == 255 && sg_nd_get(outs[0], 2) == 7;
                sg_nd_free(outs[0]);
                free(outs);
            } else ok = 0;
            sg_nd_free(x);
        }
    }
    sg_graph_free(g);
    return ok ? 0 : 1;
}
