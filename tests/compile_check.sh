#!/bin/sh
# The header compiles warning-free as C99 under gcc and clang and as C++, and two
# translation units (one with SYMGRAPH_IMPLEMENTATION) link into one program.
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
top=$(pwd)
cat > "$tmp/impl.c" <<'C'
#define SYMGRAPH_IMPLEMENTATION
#include "symgraph.h"
C
cat > "$tmp/user.c" <<'C'
#include "symgraph.h"
#include <stdio.h>
int main(void) {
    sg_graph *g = sg_graph_create();
    sg_symbol *a = sg_variable(g, "a"), *b = sg_variable(g, "b");
    sg_symbol *c = sg_add(g, a, b);
    const char *const *names; int n;
    if (!c || sg_list_arguments(g, c, &names, &n) != SG_OK || n != 2) return 1;
    puts(names[1]);
    sg_graph_free(g);
    return 0;
}
C
pass=0; fail=0
check() { # name command...
    name=$1; shift
    if out=$("$@" 2>&1) && [ -z "$out" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name"; printf '%s\n' "$out" | head -n 20; fi
}
for cc in "gcc -std=c99" "clang -std=c99" "g++ -x c++" "clang++ -x c++"; do
    set -- $cc
    command -v "$1" >/dev/null 2>&1 || { echo "skip: $1 not installed"; continue; }
    check "$cc impl" $cc -O2 -Wall -Wextra -Wpedantic -Werror -I"$top" -c "$tmp/impl.c" -o "$tmp/impl.o"
    check "$cc user" $cc -Wall -Wextra -Wpedantic -Werror -I"$top" -c "$tmp/user.c" -o "$tmp/user.o"
    case "$1" in *++) link=$1 ;; *) link=$1 ;; esac
    check "$cc link" $link "$tmp/impl.o" "$tmp/user.o" -o "$tmp/prog" -lm
    if [ -x "$tmp/prog" ] && [ "$("$tmp/prog")" = "b" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $cc run"; fi
    rm -f "$tmp/prog"
done
# SYMGRAPH_STATIC and the allocator overrides
check "static + custom allocator" gcc -std=c99 -Wall -Wextra -Wpedantic -Werror -I"$top" -DSYMGRAPH_STATIC \
    -DSYMGRAPH_MALLOC=malloc -DSYMGRAPH_REALLOC=realloc -DSYMGRAPH_FREE=free -c "$tmp/impl.c" -o "$tmp/s.o"
if command -v nvcc >/dev/null 2>&1; then
    # symgraph_cuda.cu (sm_80 + sm_90, no warnings) and the GPU test linked with it
    check "nvcc symgraph_cuda.cu" nvcc -O2 -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 \
        -Xcompiler -Wall,-Wextra -c "$top/symgraph_cuda.cu" -o "$tmp/cuda.o"
    check "test_cuda.c" gcc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I"$top" -c "$top/tests/test_cuda.c" -o "$tmp/tc.o"
    if [ -f /usr/include/zlib.h ]; then
        check "nvcc link test_cuda" nvcc "$tmp/tc.o" "$tmp/cuda.o" -lcublas -lz -lm -o "$tmp/test_cuda"
    fi
else
    echo "skip: nvcc not installed"
fi
echo "compile_check: $pass passed, $fail failed"
[ $fail -eq 0 ]
