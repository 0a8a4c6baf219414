#!/bin/sh
# bench/compare.sh [bench/gemm options]: symgraph, OpenBLAS and MXNet 1.9.1 on the
# same GEMM shapes in one session, joined into one markdown table.
#
#   MXNET_PY=/path/to/venv/bin/python sh bench/compare.sh [--quick]
#
# bench/gemm times symgraph and OpenBLAS interleaved in one process; MXNet cannot
# be linked into a C program, so bench/gemm_mxnet.py runs right after it
# (OMP_NUM_THREADS=1, then 2) and bench/table.py joins the three outputs. The raw
# outputs stay in $OUT (default bench/out). MXNet: pip install mxnet==1.9.1 'numpy<1.24'.
set -eu
out=${OUT:-bench/out}
py=${MXNET_PY:-python3}
mkdir -p "$out"
make bench/gemm
bench/gemm "$@" | tee "$out/gemm.txt"
OMP_NUM_THREADS=1 "$py" bench/gemm_mxnet.py | tee "$out/mxnet1.txt"
OMP_NUM_THREADS=2 "$py" bench/gemm_mxnet.py | tee "$out/mxnet2.txt"
python3 bench/table.py "$out/gemm.txt" "$out/mxnet1.txt" "$out/mxnet2.txt"
