"""Known answers of the fused RNN operator (tests/test_ops_rnn.c), from real
MXNet 1.9.1 on the CPU with its native kernels (rnn_impl.h), not oneDNN's:

    MXNET_USE_MKLDNN_RNN=0 MXNET_MKLDNN_ENABLED=0 MXNET_SUBGRAPH_BACKEND=NONE \
        python tools/mxnet_ref/gen_rnn_cases.py > tests/data/rnn_cases.txt
    MXNET_USE_MKLDNN_RNN=0 MXNET_MKLDNN_ENABLED=0 MXNET_SUBGRAPH_BACKEND=NONE \
        python tools/mxnet_ref/gen_rnn_cases.py ../shared/interop/mxnet-json/lstm_ptb_fusedrnn-symbol.json \
        > tests/data/rnn_lstm_ptb.txt

Every input is a formula the C test recomputes: element i of input k (0 data,
1 parameters, 2 state, 3 state_cell, 4.. the head gradients of the outputs) is
scale * sin(0.37 * i + 1.3 * k + 0.1), rounded to the case's dtype. One block
per case:

    case NAME DTYPE T N I SCALE key=value...   (the RNN's parameters)
    NAME COUNT v1 v2 ...                       (out0..out2, d_data, d_parameters, d_state, d_state_cell)
    end
"""
import json
import math
import os
import subprocess
import sys
import numpy as np
import mxnet as mx


def fill(shape, k, scale, dtype):
    n = int(np.prod(shape))
    v = np.array([scale * math.sin(0.37 * i + 1.3 * k + 0.1) for i in range(n)], dtype=np.float64)
    return v.astype(dtype).reshape(shape)


def case(name, T, N, I, scale=0.5, dtype="float32", onednn=False, **kw):
    """onednn: run this case in a child process on MXNet's oneDNN RNN instead of
    the native kernel, which gets the i2h weight gradient of a middle layer
    wrong when num_layers >= 3 (checked against central differences in float64)."""
    if onednn:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MXNET_")}
        env.update(MXNET_USE_MKLDNN_RNN="1", MXNET_STORAGE_FALLBACK_LOG_VERBOSE="0")
        arg = json.dumps([name, T, N, I, scale, dtype, kw])
        out = subprocess.run([sys.executable, __file__, "--case", arg], env=env, check=True, stdout=subprocess.PIPE)
        sys.stdout.write(out.stdout.decode())
        sys.stdout.flush()
        return
    d = mx.sym.var("data")
    sym = mx.sym.RNN(data=d, name="rnn", **kw)
    arg_shapes, out_shapes, _ = sym.infer_shape(data=(T, N, I))
    names = sym.list_arguments()
    args = {nm: mx.nd.array(fill(s, k, scale, dtype), dtype=dtype) for k, (nm, s) in enumerate(zip(names, arg_shapes))}
    grads = {nm: mx.nd.zeros(s, dtype=dtype) for nm, s in zip(names, arg_shapes)}
    ex = sym.bind(mx.cpu(), args, args_grad=grads, grad_req="write")
    ex.forward(is_train=True)
    ogs = [mx.nd.array(fill(s, 4 + j, 1.0, dtype), dtype=dtype) for j, s in enumerate(out_shapes)]
    ex.backward(ogs)
    kv = " ".join("%s=%s" % (k, v) for k, v in kw.items())
    print("case %s %s %d %d %d %g %s" % (name, dtype, T, N, I, scale, kv))
    for j, o in enumerate(ex.outputs):
        a = o.asnumpy().ravel()
        print("out%d %d %s" % (j, a.size, " ".join("%.9g" % x for x in a)))
    for nm in names:
        a = grads[nm].asnumpy().ravel()
        print("d_%s %d %s" % (nm[4:] if nm.startswith("rnn_") else nm, a.size, " ".join("%.9g" % x for x in a)))
    print("end")





def model(path, T, N, scale):
    """The interop model lstm_ptb_fusedrnn (Embedding, 2-layer fused LSTM,
    FullyConnected, SoftmaxOutput) at data (T, N): tokens (7919 i + 13) % 10000,
    labels (104729 i + 7) % 10000, every other argument by the formula above
    (k = its index in list_arguments). Prints sampled outputs and gradients
    ("name count index:value ...") into tests/data/rnn_lstm_ptb.txt."""
    sym = mx.sym.load(path)
    names = sym.list_arguments()
    shapes, _, _ = sym.infer_shape(data=(T, N), softmax_label=(T, N))
    args, grads, req = {}, {}, {}
    for k, (nm, s) in enumerate(zip(names, shapes)):
        n = int(np.prod(s))
        if nm == "data":
            v = (np.arange(n) * 7919 + 13) % 10000
        elif nm == "softmax_label":
            v = (np.arange(n) * 104729 + 7) % 10000
        else:
            v = scale * np.sin(0.37 * np.arange(n, dtype=np.float64) + 1.3 * k + 0.1)
        args[nm] = mx.nd.array(v.astype(np.float32).reshape(s))
        grads[nm] = mx.nd.zeros(s)
        req[nm] = "null" if nm in ("data", "softmax_label") else "write"
    ex = sym.bind(mx.cpu(), args, args_grad=grads, grad_req=req)
    ex.forward(is_train=True)
    ex.backward()
    print("model %s %d %d %g" % (path.split("/")[-1], T, N, scale))

    def probe(label, a, idx):
        a = a.asnumpy().ravel()
        print("%s %d %s" % (label, len(idx), " ".join("%d:%.9g" % (i, a[i]) for i in idx)))

    out = ex.outputs[0]
    probe("out0", out, [(i * 99991) % out.size for i in range(64)])
    pw = grads["lstm_parameters"]
    probe("d_lstm_parameters", pw, [(i * 10007) % pw.size for i in range(64)])
    fw = grads["pred_weight"]
    probe("d_pred_weight", fw, [(i * 31337) % fw.size for i in range(32)])
    ew = grads["embed_weight"]
    probe("d_embed_weight", ew, [13 * 200 + i * 7 for i in range(16)] + [7932 * 200 + i * 11 for i in range(16)])
    print("end")


def cases():
    case("lstm", 4, 2, 3, mode="lstm", state_size=3, num_layers=1, state_outputs=True)
    case("lstm_2layer_bidir", 3, 2, 3, mode="lstm", state_size=2, num_layers=2, bidirectional=True, state_outputs=True)
    case("gru", 4, 2, 3, mode="gru", state_size=3, num_layers=1, state_outputs=True)
    case("gru_2layer", 3, 2, 3, mode="gru", state_size=2, num_layers=2, state_outputs=True)
    case("gru_bidir", 3, 3, 2, mode="gru", state_size=2, num_layers=1, bidirectional=True, state_outputs=True)
    case("rnn_tanh_bidir", 3, 2, 2, mode="rnn_tanh", state_size=3, num_layers=1, bidirectional=True, state_outputs=True)
    case("rnn_relu_2layer_bidir", 3, 3, 2, mode="rnn_relu", state_size=2, num_layers=2, bidirectional=True)
    case("rnn_tanh_3layer", 2, 2, 3, onednn=True, mode="rnn_tanh", state_size=2, num_layers=3, state_outputs=True)
    case("lstm_f64", 3, 2, 3, dtype="float64", mode="lstm", state_size=2, num_layers=2, state_outputs=True)
    case("gru_t1", 1, 2, 3, mode="gru", state_size=3, num_layers=1, state_outputs=True)
    case("lstm_big", 5, 3, 4, scale=1.5, mode="lstm", state_size=4, num_layers=2, bidirectional=True, state_outputs=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--case":
        a = json.loads(sys.argv[2])
        case(*a[:6], **a[6])
    elif len(sys.argv) > 1:
        model(sys.argv[1], 12, 2, 0.1)
    else:
        cases()
