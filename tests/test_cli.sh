#!/bin/sh
# Tests of the command-line tool (tools/symgraph). Run from the repository root:
#     sh tests/test_cli.sh            (SYMGRAPH_BIN=path picks another build, e.g. ASan)
# - every golden of tests/data/cli/cases.txt (written by real MXNet 1.9.1 with
#   tools/mxnet_ref/gen_cli_goldens.py): `info --json` against list_*/infer_shape/
#   infer_type, `summary` against mx.viz.print_summary and `dot` against
#   mx.viz.plot_network(...).source byte for byte, `convert` against tojson(load());
#   a golden ending in .err means MXNet raised, so the tool must exit 1;
# - the DOT text parsed by Graphviz (when `dot` is installed), render;
# - run of a FullyConnected MLP with MXNet's weights and input, checked to 1e-6;
# - bench, embed, help, and the error exits (1 bad input, 2 usage).
# The interop models come from ../shared/interop/mxnet-json; without it those
# cases are skipped. Prints "test_cli: N passed, N failed".
set -u
bin=${SYMGRAPH_BIN:-tools/symgraph}
D=tests/data/cli
I=${SYMGRAPH_INTEROP:-../shared/interop/mxnet-json}
# Goldens that symgraph does not reproduce yet, with the reason:
known="" # goldens not compared (none at present)
pass=0; fail=0; skip=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
if [ ! -x "$bin" ]; then echo "test_cli: $bin not built (make tools/symgraph)"; echo "test_cli: 0 passed, 1 failed"; exit 1; fi
have_interop=0; [ -d "$I" ] && have_interop=1
have_dot=0; command -v dot >/dev/null 2>&1 && have_dot=1
[ $have_interop = 1 ] || echo "test_cli: skipping the interop models: $I missing (it comes with ../shared)"
[ $have_dot = 1 ] || echo "test_cli: skipping the Graphviz checks: dot not installed (apt-get install graphviz)"

# ---- goldens ------------------------------------------------------------
tab=$(printf '\t')
while IFS= read -r line; do
    [ -n "$line" ] || continue
    golden=${line%%"$tab"*}
    rest=${line#*"$tab"}
    case " $known " in *" $golden "*) skip=$((skip + 1)); continue ;; esac
    case $rest in *@I@*) [ $have_interop = 1 ] || { skip=$((skip + 1)); continue; } ;; esac
    oldifs=$IFS; IFS=$tab; set -f
    set -- $rest
    IFS=$oldifs; set +f
    n=$#
    for a do
        case $a in @I@/*) a="$I/${a#@I@/}" ;; @D@/*) a="$D/${a#@D@/}" ;; esac
        set -- "$@" "$a"
    done
    shift $n
    "$bin" "$@" > "$tmp/out" 2> "$tmp/err"; rc=$?
    case $golden in
    *.err)
        if [ $rc -eq 1 ] && [ -s "$tmp/err" ]; then ok; else bad "$golden: MXNet raised ($(cat "$D/$golden")); symgraph exited $rc"; fi ;;
    *.sha256) # a big golden kept as its SHA-256
        if [ $rc -eq 0 ] && [ "$(sha256sum < "$tmp/out" | cut -c1-64)" = "$(cat "$D/$golden")" ]; then ok
        else bad "$golden (symgraph $1 ... exit $rc): SHA-256 differs: $(head -c 300 "$tmp/err")"; fi ;;
    *)
        if [ $rc -eq 0 ] && cmp -s "$tmp/out" "$D/$golden"; then ok
        else bad "$golden (symgraph $1 ... exit $rc): $(head -c 300 "$tmp/err")"; diff "$D/$golden" "$tmp/out" | head -n 6; fi
        case $golden in *.dot)
            # Graphviz parses what we wrote (small graphs; the big interop ones are slow)
            if [ $have_dot = 1 ] && [ $rc -eq 0 ] && [ "$(wc -c < "$tmp/out")" -lt 40000 ]; then
                if dot -Tcanon "$tmp/out" > /dev/null 2> "$tmp/doterr"; then ok; else bad "dot cannot parse $golden: $(head -c 200 "$tmp/doterr")"; fi
            fi ;;
        esac ;;
    esac
done < "$D/cases.txt"

# ---- render ----------------------------------------------------------------
if [ $have_dot = 1 ]; then
    if "$bin" render $D/mlp-symbol.json --shape data=64,784 -o "$tmp/mlp.png" --quiet && [ "$(head -c 4 "$tmp/mlp.png" | od -A n -t x1 | tr -d ' ')" = "89504e47" ]; then ok; else bad "render to PNG"; fi
    if "$bin" render $D/lenet-symbol.json --shape data=1,1,28,28 -o "$tmp/lenet.svg" --quiet && grep -q "<svg" "$tmp/lenet.svg"; then ok; else bad "render to SVG"; fi
fi
SYMGRAPH_DOT=/nonexistent/dot "$bin" render $D/mlp-symbol.json -o "$tmp/x.png" 2> "$tmp/err"; rc=$?
if [ $rc -eq 1 ] && grep -q "apt-get install graphviz" "$tmp/err"; then ok; else bad "render without Graphviz: exit $rc, $(head -c 200 "$tmp/err")"; fi

# ---- run: FullyConnected MLP with MXNet's weights and input -----------------
close() { # file-of-values expected-file -> at most 1e-6 apart, same count
    awk 'NR == FNR { e[n++] = $1; next } { for (i = 1; i <= NF; i++) g[m++] = $i }
         END { if (n != m || n == 0) { print "count " m " vs " n; exit 1 }
               for (i = 0; i < n; i++) { d = g[i] - e[i]; if (d < 0) d = -d; if (d > 1e-6) { print "value " i ": " g[i] " vs " e[i]; exit 1 } } }' "$2" "$1"
}
runargs="run $D/fcmlp-symbol.json --params $D/fcmlp-0000.params --input data=$D/fcmlp_input.npy"
if "$bin" $runargs > "$tmp/out" 2> "$tmp/err"; then
    grep -q '^fc2_output: (2, 2) float32$' "$tmp/out" && ok || bad "run: header line: $(head -n 1 "$tmp/out")"
    grep '^  ' "$tmp/out" > "$tmp/vals"
    if msg=$(close "$tmp/vals" $D/fcmlp_expected.txt); then ok; else bad "run output vs MXNet: $msg"; fi
else bad "run exited $?: $(cat "$tmp/err")"; fi
if "$bin" $runargs --train --output "$tmp/pred" > "$tmp/out" 2> "$tmp/err" && [ -f "$tmp/pred0.npy" ]; then
    set -- $(od -A n -t u1 -j 8 -N 2 "$tmp/pred0.npy")
    hdr=$((10 + $1 + 256 * $2))
    if head -c "$hdr" "$tmp/pred0.npy" | grep -q "'shape': (2, 2)"; then ok; else bad "run --output: .npy header"; fi
    od -A n -t f4 -v -j "$hdr" "$tmp/pred0.npy" > "$tmp/vals"
    if msg=$(close "$tmp/vals" $D/fcmlp_expected.txt); then ok; else bad "run --output .npy vs MXNet: $msg"; fi
else bad "run --output: $(cat "$tmp/err")"; fi

# ---- bench, embed, help ------------------------------------------------------
if "$bin" bench $D/fcmlp-symbol.json --shape data=8,4 --iters 3 --warmup 1 --backward --threads 2 > "$tmp/out" 2> "$tmp/err" &&
   grep -q '^forward: .*median' "$tmp/out" && grep -q '^forward+backward: .*samples/s' "$tmp/out" && grep -q '^memory: planned' "$tmp/out"
then ok; else bad "bench: $(cat "$tmp/out" "$tmp/err" | head -c 300)"; fi
if "$bin" embed $D/fcmlp-symbol.json --params $D/fcmlp-0000.params -o "$tmp/fcmlp_model.h" 2> "$tmp/err" &&
   grep -q 'static const float fcmlp_p0\[12\]' "$tmp/fcmlp_model.h"; then
    ok
    cc=${CC:-cc}
    if command -v "$cc" >/dev/null 2>&1; then
        printf '#include "symgraph.h"\n#include "fcmlp_model.h"\nint f(sg_ndarray *x);\nint f(sg_ndarray *x) { fcmlp_model m; const char *n[1] = {"data"}; int r = fcmlp_model_bind(&m, 1, n, &x); fcmlp_model_free(&m); return r; }\n' > "$tmp/use.c"
        if $cc -std=c99 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I. -I"$tmp" "$tmp/use.c" 2> "$tmp/err"; then ok; else bad "embedded header does not compile: $(head -c 300 "$tmp/err")"; fi
    fi
else bad "embed: $(cat "$tmp/err")"; fi
"$bin" help > "$tmp/out" && grep -q 'render' "$tmp/out" && ok || bad "help"
for c in info summary dot render convert run bench embed; do
    "$bin" $c --help > "$tmp/out" 2>&1 && grep -q "^usage: symgraph $c" "$tmp/out" && ok || bad "$c --help"
done
"$bin" info $D/mlp-symbol.json --shape data=64,784 > "$tmp/out" 2>&1 && grep -q '^parameters: 101770 ' "$tmp/out" && ok || bad "info text: $(tail -n 2 "$tmp/out")"
"$bin" convert $D/legacy_plus-symbol.json -o "$tmp/conv.json" && { cat "$tmp/conv.json"; echo; } | cmp -s - $D/legacy_plus.convert.json && ok || bad "convert -o: not the bytes of tojson"

# ---- error exits: 1 bad input, 2 usage ------------------------------------------
head -c 300 $D/mlp-symbol.json > "$tmp/trunc.json"
printf '{"nodes": [{"op": "Frob", "name": "x", "inputs": []}], "arg_nodes": [], "heads": [[0, 0, 0]]}' > "$tmp/unknown_op.json"
printf '{"nodes": [{"op": "null", "name": "x", "inputs": [[5, 0, 0]]}], "arg_nodes": [0], "heads": [[0, 0, 0]]}' > "$tmp/dangling.json"
printf '\223NUMPY\001\000' > "$tmp/trunc.npy"
head -c 100 $D/fcmlp_input.npy > "$tmp/short.npy"
head -c 100 $D/fcmlp-0000.params > "$tmp/trunc.params"
expect() { # code message-substring args...
    want=$1; sub=$2; shift 2
    "$bin" "$@" > "$tmp/out" 2> "$tmp/err"; rc=$?
    if [ $rc -eq "$want" ] && grep -q -- "$sub" "$tmp/err"; then ok
    else bad "symgraph $* : exit $rc (want $want), stderr: $(head -c 300 "$tmp/err")"; fi
}
expect 1 "No such file" info "$tmp/missing.json"
expect 1 "JSON parse error" info "$tmp/trunc.json" --json
expect 1 "JSON parse error" summary "$tmp/trunc.json"
expect 1 "JSON parse error" dot $D/fcmlp_input.npy
expect 1 "Frob" info "$tmp/unknown_op.json"
expect 1 "cannot load" convert "$tmp/dangling.json"
expect 1 "Shape inconsistent" info $D/mlp-symbol.json --shape data=64,784 --shape fc1_weight=3,3
expect 1 "Shape inconsistent" summary $D/mlp-symbol.json --shape data=64,784 --shape fc1_weight=3,3
expect 1 "nothere" info $D/mlp-symbol.json --shape nothere=1,2
expect 1 "incomplete" dot $D/mlp-symbol.json --shape fc1_weight=128,784
expect 1 "no value for 4 arguments: fc1_weight, fc1_bias, fc2_weight, fc2_bias" run $D/fcmlp-symbol.json --input data=$D/fcmlp_input.npy
expect 1 "no value for 1 argument: data" run $D/fcmlp-symbol.json --params $D/fcmlp-0000.params
expect 1 "Shape inconsistent" run $D/fcmlp-symbol.json --params $D/fcmlp-0000.params --input data=$D/fcmlp_expected.npy
expect 1 "does not have" run $D/abcd-symbol.json --params $D/fcmlp-0000.params --input A=$D/fcmlp_input.npy
expect 1 "no argument of that name" run $D/fcmlp-symbol.json --params $D/fcmlp-0000.params --input nothere=$D/fcmlp_input.npy
expect 1 "npy" run $D/fcmlp-symbol.json --params $D/fcmlp-0000.params --input data="$tmp/trunc.npy"
expect 1 "npy" run $D/fcmlp-symbol.json --params $D/fcmlp-0000.params --input data="$tmp/short.npy"
expect 1 "not a .npy" run $D/fcmlp-symbol.json --params $D/fcmlp-0000.params --input data=$D/fcmlp-0000.params
expect 1 "truncated" run $D/fcmlp-symbol.json --params "$tmp/trunc.params" --input data=$D/fcmlp_input.npy
expect 1 "truncated" embed $D/fcmlp-symbol.json --params "$tmp/trunc.params"
expect 1 "Shape inconsistent" bench $D/fcmlp-symbol.json --shape data=8,4 --shape fc1_weight=2,2 --iters 1 --quiet
expect 2 "unknown command" frobnicate
expect 2 "missing MODEL.json" info
expect 2 "unknown option" info $D/mlp-symbol.json --frob
expect 2 "bad --shape" info $D/mlp-symbol.json --shape data=a,b
expect 2 "needs a value" info $D/mlp-symbol.json --shape
expect 2 "needs -o" render $D/mlp-symbol.json
expect 2 "input shapes" bench $D/mlp-symbol.json
expect 2 "bad --iters" bench $D/mlp-symbol.json --shape data=1,784 --iters x

echo "test_cli: skipped $skip goldens"
echo "test_cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
