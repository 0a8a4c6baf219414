#!/usr/bin/env python3
"""Join bench/gemm's scriptable lines with bench/gemm_mxnet.py's into one markdown
table (GFLOP/s; ratios are symgraph / peer, > 1: symgraph faster).

    python3 bench/table.py GEMM_OUTPUT [MXNET_OUTPUT ...]
"""
import re
import sys


def fields(line):
    return dict(re.findall(r"(\w+)=([\w.]+)", line))


def main(argv):
    rows, mx, order = {}, {}, []
    for line in open(argv[1]):
        if line.startswith("gemm "):
            kv = fields(line)
            shape = "%sx%sx%s%s" % (kv["M"], kv["K"], kv["N"], " NT" if " NT " in line else "")
            if shape not in order:
                order.append(shape)
            rows[shape, kv["threads"]] = (float(kv["symgraph"]), float(kv["openblas"]))
    for path in argv[2:]:
        for line in open(path):
            if line.startswith("mxnet "):
                kv = fields(line)
                mx["%sx%sx%s" % (kv["M"], kv["K"], kv["N"]), kv["threads"]] = float(kv["gflops"])
    print("| M x K x N | threads | symgraph | OpenBLAS | sg / OpenBLAS | MXNet | sg / MXNet | sg 2 threads / 1 |")
    print("|---|---|---|---|---|---|---|---|")
    for shape in order:
        for t in ("1", "2"):
            if (shape, t) not in rows:
                continue
            sg, ob = rows[shape, t]
            m = mx.get((shape, t))
            one = rows.get((shape, "1"))
            scale = "%.2f" % (sg / one[0]) if t == "2" and one else ""
            print("| %s | %s | %.1f | %.1f | %.2f | %s | %s | %s |" % (
                shape, t, sg, ob, sg / ob, "%.1f" % m if m else "-", "%.2f" % (sg / m) if m else "-", scale))


if __name__ == "__main__":
    main(sys.argv)
