"""Generate golden shape/dtype inference cases from REAL MXNet 1.9.1.

Rerun (from the repository root):

    /work/mxvenv/bin/python tools/mxnet_ref/gen_infer_cases.py

This rewrites tests/data/infer_cases.txt (the output is deterministic: the
error-message comments have their [hh:mm:ss] timestamps and "file.cc:123: "
source locations removed, and are cut to 150 chars).  An optional first
argument overrides the output path.

Every single-operator case is built inside a fresh mx.name.NameManager() with
the node name `op`, so auto-created inputs are op_weight, op_bias, op_label,
op_gamma, op_beta, op_moving_mean, ...  Explicit data inputs are variables
named after the operator's argument name (data, lhs, rhs, length, arg0,
arg1, ...).  So in every case: an argument whose name starts with "op_" (or
"<node>_" in chain cases) is auto-created by Compose, every other argument is
an explicit variable, passed positionally in list_arguments() order.

File format (one token per field, space separated):

  # ...                         comment (error message for error cases, section headers)
  case <id>
  op <op name as called>        (single-op cases; a registered name or alias, e.g.
                                 identity, which MXNet's JSON stores as _copy;
                                 mx.sym.zeros/ones are recorded as _zeros/_ones)
  node <name> <op> <inputs>     (chain cases only, instead of `op`; inputs is a
                                 comma separated list, in order, of all the node's
                                 inputs, auto-created ones included: a name that is
                                 an earlier node means its output 0, any other name
                                 is a variable; `-` for none; the param lines that
                                 follow belong to this node; the last node is `op`)
  param <key> <value>           the node's attrs as MXNet stored them (str(v) of
                                 the Python value, spaces removed); includes attrs
                                 Python adds itself (Concat num_args, zeros dtype)
  -- shape cases --
  input <name> <dims|->         one per list_arguments(); `-` = not given,
                                 0 = unknown dim
  expect_arg / expect_out / expect_aux <name> <dims|()>   from infer_shape_partial
  complete <0|1>                1 iff infer_shape returned non-None
  -- dtype cases --
  intype <name> <dtype|->       one per list_arguments()
  expect_argtype / expect_outtype / expect_auxtype <name> <dtype|->   from
                                 infer_type_partial (numpy dtype name, - = unknown)
  -- either --
  expect_error                  inference raised MXNetError (replaces expect lines)
  end
"""
import json
import os
import re
import sys
import warnings

import mxnet as mx

warnings.simplefilter("ignore")
V = mx.sym.var
S = mx.sym

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "..", "tests", "data", "infer_cases.txt")


# ---------------------------------------------------------------- helpers
def dims(shape):
    if shape is None or len(shape) == 0:
        return "()"
    return ",".join(str(int(d)) for d in shape)


def given_dims(shape):
    return ",".join(str(int(d)) for d in shape)


def clean_msg(e):
    msg = str(e)
    msg = re.sub(r"\[\d\d:\d\d:\d\d\] ", "", msg)
    msg = msg.replace("MXNetError: ", "", 1)
    # drop source locations such as "../src/operator/nn/pooling.cc:192: "
    msg = re.sub(r"(\.\./)?[\w./-]+\.(cc|h):\d+: ", "", msg)
    msg = msg.split("Stack trace")[0]
    msg = " ".join(msg.split())
    return msg[:150]


def tname(t):
    if t is None:
        return "-"
    import numpy as np
    return np.dtype(t).name


def node_lines(sym, chain, opname=None):
    """op/param (or node/param) lines from the symbol's JSON."""
    js = json.loads(sym.tojson())
    nodes = js["nodes"]
    out = []
    for n in nodes:
        if n["op"] == "null":
            continue
        attrs = n.get("attrs", {})
        if chain:
            ins = [nodes[i[0]]["name"] for i in n["inputs"]]
            out.append("node %s %s %s" % (n["name"], n["op"], ",".join(ins) if ins else "-"))
        else:
            out.append("op %s" % (opname or n["op"]))
        for k in sorted(attrs):
            out.append("param %s %s" % (k, attrs[k].replace(" ", "")))
    return out


def build(fn):
    with mx.name.NameManager():
        return fn()


# ---------------------------------------------------------------- case tables
SHAPE = []   # (id, builder, given)
DTYPE = []   # (id, builder, given)
CHAIN = []   # (id, kind, builder, given)


def sc(cid, fn, **given):
    SHAPE.append((cid, fn, given))


def tc(cid, fn, **given):
    DTYPE.append((cid, fn, given))


def chain(cid, kind, fn, **given):
    CHAIN.append((cid, kind, fn, given))


def opfn(opname):
    """mx.sym.<op>, or mx.sym._internal.<op> for the underscore (scalar) ops"""
    if hasattr(S, opname):
        return getattr(S, opname)
    return getattr(S._internal, opname)


def called(opname, fn):
    """remember the op name as called (identity is stored as _copy in JSON)"""
    fn.opname = opname
    return fn


def un(opname, **p):
    """unary-input op on variable `data`"""
    return called(opname, lambda: opfn(opname)(V("data"), name="op", **p))


def bi(opname, **p):
    return called(opname, lambda: opfn(opname)(V("lhs"), V("rhs"), name="op", **p))


# elemwise binary
for o, s in [("elemwise_add", "eadd"), ("elemwise_sub", "esub"),
             ("elemwise_mul", "emul"), ("elemwise_div", "ediv")]:
    sc(s + "_fwd", bi(o), lhs=(2, 3), rhs=(2, 3))
    sc(s + "_back", bi(o), lhs=(0, 10), rhs=(12, 0))
    sc(s + "_err", bi(o), lhs=(2, 3), rhs=(3, 2))
    sc(s + "_partial", bi(o), lhs=(0, 3), rhs=(0, 3))
sc("eadd_fill_rhs", bi("elemwise_add"), lhs=(4, 5))
sc("eadd_ndim_err", bi("elemwise_add"), lhs=(2, 3), rhs=(2, 3, 1))
sc("eadd_none", bi("elemwise_add"))

# scalar family
for o, v in [("_plus_scalar", 2.0), ("_minus_scalar", 1.5), ("_rminus_scalar", 3),
             ("_mul_scalar", 0.5), ("_div_scalar", 4.0), ("_rdiv_scalar", 1.0),
             ("_power_scalar", 2.0), ("_rpower_scalar", 2.5)]:
    sid = o.strip("_").replace("_scalar", "")
    sc(sid + "_fwd", un(o, scalar=v), data=(2, 3))
    sc(sid + "_partial", un(o, scalar=v), data=(0, 3, 0))
sc("mul_1d", un("_mul_scalar", scalar=-2), data=(7,))

# broadcast
for o, s in [("broadcast_add", "badd"), ("broadcast_sub", "bsub"),
             ("broadcast_mul", "bmul"), ("broadcast_div", "bdiv")]:
    sc(s + "_fwd", bi(o), lhs=(2, 1, 3), rhs=(4, 3))
    sc(s + "_err", bi(o), lhs=(2, 3), rhs=(4, 3))
    sc(s + "_partial", bi(o), lhs=(0, 3), rhs=(1, 3))
    if o == "broadcast_add":
        sc(s + "_onlylhs", bi(o), lhs=(2, 3))
sc("badd_same", bi("broadcast_add"), lhs=(2, 3), rhs=(2, 3))
sc("badd_partial2", bi("broadcast_add"), lhs=(2, 0), rhs=(2, 5))
sc("badd_partial3", bi("broadcast_add"), lhs=(0, 1), rhs=(1, 5))

# dot
sc("dot_fwd", bi("dot"), lhs=(2, 3), rhs=(3, 4))
sc("dot_ta", bi("dot", transpose_a=True), lhs=(3, 2), rhs=(3, 4))
sc("dot_tb", bi("dot", transpose_b=True), lhs=(2, 3), rhs=(4, 3))
sc("dot_1d", bi("dot"), lhs=(5,), rhs=(5,))
sc("dot_nd", bi("dot"), lhs=(2, 3, 4), rhs=(4, 5, 6))
sc("dot_nd_ta", bi("dot", transpose_a=True), lhs=(4, 2, 3), rhs=(4, 5))
sc("dot_back", bi("dot"), lhs=(2, 3), rhs=(0, 4))
sc("dot_back2", bi("dot"), lhs=(2, 0), rhs=(3, 4))
sc("dot_partial", bi("dot"), lhs=(0, 3, 4), rhs=(4, 5))
sc("dot_err", bi("dot"), lhs=(2, 3), rhs=(4, 5))
sc("dot_onlylhs", bi("dot"), lhs=(2, 3))

# batch_dot
sc("bdot_fwd", bi("batch_dot"), lhs=(5, 2, 3), rhs=(5, 3, 4))
sc("bdot_ta", bi("batch_dot", transpose_a=True), lhs=(5, 3, 2), rhs=(5, 3, 4))
sc("bdot_tb", bi("batch_dot", transpose_b=True), lhs=(5, 2, 3), rhs=(5, 4, 3))
sc("bdot_4d", bi("batch_dot"), lhs=(2, 5, 2, 3), rhs=(2, 5, 3, 4))
sc("bdot_partial", bi("batch_dot"), lhs=(0, 2, 3), rhs=(5, 3, 4))
sc("bdot_back", bi("batch_dot"), lhs=(5, 2, 3), rhs=(0, 0, 4))
sc("bdot_err_inner", bi("batch_dot"), lhs=(5, 2, 3), rhs=(5, 4, 4))
sc("bdot_err_batch", bi("batch_dot"), lhs=(5, 2, 3), rhs=(6, 3, 4))
sc("bdot_err_ndim", bi("batch_dot"), lhs=(2, 3), rhs=(3, 4))

# FullyConnected
FC = lambda **p: un("FullyConnected", **p)
sc("fc_fwd", FC(num_hidden=10), data=(2, 3, 4))
sc("fc_noflatten", FC(num_hidden=10, flatten=False), data=(2, 3, 4))
sc("fc_nobias", FC(num_hidden=7, no_bias=True), data=(4, 5))
sc("fc_back_batch", FC(num_hidden=10), data=(0, 5))
sc("fc_bias_2d", FC(num_hidden=10), data=(2, 5), op_bias=(10, 1))
sc("fc_err_weight", FC(num_hidden=10), data=(2, 3), op_weight=(10, 4))
sc("fc_err_bias", FC(num_hidden=10), data=(2, 3), op_bias=(9,))
sc("fc_partial_feat", FC(num_hidden=10), data=(2, 0))
sc("fc_partial_noflat", FC(num_hidden=10, flatten=False), data=(2, 0), op_weight=(10, 5))
sc("fc_onlyweight", FC(num_hidden=10), op_weight=(10, 5))
sc("fc_none", FC(num_hidden=3))
sc("fc_noflatten_1d", FC(num_hidden=3, flatten=False), data=(5,))
sc("fc_noflatten_1d_nobias", FC(num_hidden=3, flatten=False, no_bias=True), data=(5,))
sc("fc_flatten_1d", FC(num_hidden=3), data=(5,))

# Activation & friends
for a in ["relu", "sigmoid", "tanh", "softrelu", "softsign"]:
    sc("act_" + a, un("Activation", act_type=a), data=(2, 3, 4))
sc("act_partial", un("Activation", act_type="relu"), data=(0, 3))
for a in ["relu", "sigmoid", "tanh"]:
    sc(a + "_fwd", un(a), data=(3, 4))
    sc(a + "_partial", un(a), data=(3, 0, 2))

# LeakyReLU
LR = lambda **p: un("LeakyReLU", **p)
sc("lrelu_leaky", LR(act_type="leaky", slope=0.1), data=(2, 3, 4))
sc("lrelu_default", LR(), data=(2, 3))
sc("lrelu_prelu", LR(act_type="prelu"), data=(2, 3, 4))
sc("lrelu_prelu_gamma1", LR(act_type="prelu"), data=(2, 3, 4), op_gamma=(1,))
sc("lrelu_prelu_gamma5", LR(act_type="prelu"), data=(2, 3, 4), op_gamma=(5,))
sc("lrelu_prelu_partial", LR(act_type="prelu"), data=(2, 0, 4))
sc("lrelu_prelu_onlygamma", LR(act_type="prelu"), op_gamma=(3,))
sc("lrelu_elu", LR(act_type="elu", slope=1.0), data=(2, 3))
sc("lrelu_selu", LR(act_type="selu"), data=(2, 3))
sc("lrelu_gelu", LR(act_type="gelu"), data=(2, 3))
sc("lrelu_rrelu", LR(act_type="rrelu", lower_bound=0.1, upper_bound=0.3), data=(2, 3))
sc("lrelu_partial", LR(act_type="leaky"), data=(0, 3))

# SoftmaxOutput
SO = lambda **p: un("SoftmaxOutput", **p)
sc("smo_fwd", SO(), data=(4, 10))
sc("smo_prob_label", SO(), data=(4, 10), op_label=(4, 10))
sc("smo_multi", SO(multi_output=True), data=(2, 3, 5))
sc("smo_multi_4d", SO(multi_output=True), data=(2, 3, 4, 5))
sc("smo_multi_label_flat", SO(multi_output=True), data=(2, 3, 4, 5), op_label=(2, 20))
sc("smo_preserve", SO(preserve_shape=True), data=(2, 3, 5))
sc("smo_3d_default", SO(), data=(2, 3, 5))
sc("smo_err_label", SO(), data=(4, 10), op_label=(5,))
sc("smo_multi_err", SO(multi_output=True), data=(2, 3, 5), op_label=(2, 4))
sc("smo_partial", SO(), data=(0, 10))
sc("smo_onlylabel", SO(), op_label=(4,))
sc("smo_norm", SO(normalization="valid", use_ignore=True, ignore_label=-1), data=(4, 10))

# softmax / log_softmax
for o in ["softmax", "log_softmax"]:
    sc(o + "_fwd", un(o), data=(2, 5))
    sc(o + "_axis0", un(o, axis=0, temperature=2.0), data=(2, 5, 3))
    sc(o + "_partial", un(o), data=(0, 5))
    if o == "softmax":
        sc(o + "_axis_oob", un(o, axis=5), data=(2, 5))
sc("softmax_length", lambda: S.softmax(V("data"), V("length"), axis=1, use_length=True, name="op"),
   data=(2, 5))
sc("softmax_length_given", lambda: S.softmax(V("data"), V("length"), axis=1, use_length=True,
                                              name="op"), data=(2, 5), length=(2,))

# regression outputs
for o, s in [("LinearRegressionOutput", "linreg"), ("LogisticRegressionOutput", "logreg"),
             ("MAERegressionOutput", "maereg")]:
    sc(s + "_fwd_n1", un(o), data=(4, 1))
    sc(s + "_fwd", un(o), data=(4, 3))
    sc(s + "_err", un(o), data=(4, 3), op_label=(5, 3))
    sc(s + "_partial", un(o), data=(0, 3))
    if o == "LinearRegressionOutput":
        sc(s + "_onlylabel", un(o), op_label=(4, 3))
sc("linreg_label_reshaped", un("LinearRegressionOutput", grad_scale=2.0), data=(4, 6), op_label=(4, 2, 3))
sc("linreg_label_size_err", un("LinearRegressionOutput"), data=(4, 6), op_label=(4, 5))

# Convolution
CV = lambda **p: un("Convolution", **p)
sc("conv1d", CV(kernel=(3,), num_filter=8), data=(2, 3, 10))
sc("conv2d", CV(kernel=(3, 3), num_filter=16), data=(2, 3, 28, 28))
sc("conv2d_stride_pad", CV(kernel=(3, 3), num_filter=4, stride=(2, 2), pad=(1, 1)), data=(1, 3, 7, 8))
sc("conv2d_dilate", CV(kernel=(3, 3), num_filter=4, dilate=(2, 2)), data=(1, 3, 10, 10))
sc("conv2d_group", CV(kernel=(3, 3), num_filter=8, num_group=2), data=(2, 4, 9, 9))
sc("conv2d_nobias", CV(kernel=(1, 1), num_filter=5, no_bias=True), data=(2, 3, 6, 6))
sc("conv3d", CV(kernel=(2, 3, 3), num_filter=4, stride=(1, 2, 2), pad=(0, 1, 1)), data=(1, 2, 5, 9, 9))
sc("conv2d_back_channel", CV(kernel=(3, 3), num_filter=8), data=(2, 0, 10, 10), op_weight=(8, 3, 3, 3))
sc("conv2d_partial_batch", CV(kernel=(3, 3), num_filter=8), data=(0, 3, 10, 10))
sc("conv2d_partial_spatial", CV(kernel=(3, 3), num_filter=8), data=(2, 3, 0, 10))
sc("conv2d_onlyweight", CV(kernel=(3, 3), num_filter=8), op_weight=(8, 3, 3, 3))
sc("conv2d_err_kernel", CV(kernel=(5, 5), num_filter=8), data=(2, 3, 4, 4))
sc("conv2d_err_group", CV(kernel=(3, 3), num_filter=8, num_group=2), data=(2, 3, 9, 9))
sc("conv2d_err_weight", CV(kernel=(3, 3), num_filter=8), data=(2, 3, 9, 9), op_weight=(8, 4, 3, 3))
sc("conv2d_err_ndim", CV(kernel=(3, 3), num_filter=8), data=(2, 3, 9))

# Deconvolution
DC = lambda **p: un("Deconvolution", **p)
sc("deconv2d", DC(kernel=(3, 3), num_filter=4), data=(2, 3, 5, 5))
sc("deconv2d_stride_pad_adj", DC(kernel=(4, 4), num_filter=4, stride=(2, 2), pad=(1, 1), adj=(1, 1)),
   data=(2, 3, 5, 5))
sc("deconv2d_target", DC(kernel=(4, 4), num_filter=4, stride=(2, 2), target_shape=(11, 11)),
   data=(2, 3, 5, 5))
sc("deconv2d_bias", DC(kernel=(3, 3), num_filter=4, no_bias=False), data=(2, 3, 5, 5))
sc("deconv2d_group", DC(kernel=(3, 3), num_filter=4, num_group=3), data=(2, 6, 5, 5))
sc("deconv1d", DC(kernel=(3,), num_filter=2, stride=(2,)), data=(1, 3, 7))
sc("deconv3d", DC(kernel=(2, 2, 2), num_filter=2, stride=(2, 2, 2)), data=(1, 3, 2, 3, 4))
sc("deconv2d_partial", DC(kernel=(3, 3), num_filter=4), data=(0, 3, 5, 5))
sc("deconv2d_back_channel", DC(kernel=(3, 3), num_filter=4), data=(2, 0, 5, 5), op_weight=(3, 4, 3, 3))
sc("deconv2d_err_weight", DC(kernel=(3, 3), num_filter=4), data=(2, 3, 5, 5), op_weight=(3, 5, 3, 3))
sc("deconv2d_err_group", DC(kernel=(3, 3), num_filter=4, num_group=2), data=(2, 3, 5, 5))

# Pooling
PL = lambda **p: un("Pooling", **p)
sc("pool_max", PL(kernel=(2, 2), stride=(2, 2)), data=(2, 3, 8, 8))
sc("pool_max_odd", PL(kernel=(3, 3), stride=(2, 2)), data=(2, 3, 8, 8))
sc("pool_avg_full", PL(kernel=(3, 3), stride=(2, 2), pool_type="avg", pooling_convention="full"),
   data=(2, 3, 8, 8))
sc("pool_sum", PL(kernel=(2, 2), pool_type="sum"), data=(1, 2, 5, 5))
sc("pool_pad", PL(kernel=(3, 3), stride=(1, 1), pad=(1, 1)), data=(1, 2, 5, 7))
sc("pool_global", PL(kernel=(3, 3), global_pool=True, pool_type="avg"), data=(2, 3, 7, 9))
sc("pool_global_nokernel", PL(global_pool=True), data=(2, 3, 4, 4))
sc("pool_global_1d", PL(global_pool=True), data=(2, 3, 4))
sc("pool_1d", PL(kernel=(2,), stride=(2,)), data=(2, 3, 9))
sc("pool_1d_same", PL(kernel=(3,), stride=(2,), pooling_convention="same"), data=(2, 3, 9))
sc("pool_1d_same_pad", PL(kernel=(3,), stride=(2,), pad=(1,), pooling_convention="same"), data=(2, 3, 9))
sc("pool_3d", PL(kernel=(2, 2, 2), stride=(2, 2, 2), pool_type="avg"), data=(1, 2, 4, 6, 8))
sc("pool_partial", PL(kernel=(2, 2), stride=(2, 2)), data=(0, 3, 8, 8))
sc("pool_partial_spatial", PL(kernel=(2, 2), stride=(2, 2)), data=(2, 3, 0, 8))
sc("pool_err_kernel", PL(kernel=(5, 5)), data=(1, 1, 4, 4))
sc("pool_err_ndim", PL(kernel=(2, 2)), data=(2, 3))
sc("pool_err_kernel_ndim", PL(kernel=(2, 2)), data=(2, 3, 4))

# L2Normalization: 1-D data is an instance per element; channel and spatial need 3 dims
sc("l2norm_1d", un("L2Normalization", mode="instance"), data=(5,))
sc("l2norm_channel", un("L2Normalization", mode="channel"), data=(2, 3, 4))
sc("l2norm_channel_err_2d", un("L2Normalization", mode="channel"), data=(2, 5))

# BatchNorm
BN = lambda **p: un("BatchNorm", **p)
sc("bn_fwd", BN(), data=(2, 3, 4, 4))
sc("bn_axis_neg1", BN(axis=-1), data=(2, 3, 4, 5))
sc("bn_axis3", BN(axis=3), data=(2, 3, 4, 5))
sc("bn_axis0", BN(axis=0), data=(2, 3, 4, 5))
sc("bn_2d", BN(fix_gamma=False, eps=1e-5), data=(8, 6))
sc("bn_mean_var", BN(output_mean_var=True), data=(2, 3, 4, 4))
sc("bn_back_channel", BN(), data=(2, 0, 4, 4), op_gamma=(3,))
sc("bn_onlygamma", BN(), op_gamma=(3,))
sc("bn_partial", BN(), data=(0, 3, 4, 4))
sc("bn_err_gamma", BN(), data=(2, 3, 4, 4), op_gamma=(4,))

# Dropout
sc("dropout_fwd", un("Dropout", p=0.3), data=(2, 3))
sc("dropout_axes", un("Dropout", p=0.5, axes=(0,)), data=(2, 3, 4))
sc("dropout_partial", un("Dropout"), data=(0, 3))

# Flatten
sc("flatten_fwd", un("Flatten"), data=(2, 3, 4))
sc("flatten_2d", un("Flatten"), data=(5, 7))
sc("flatten_1d", un("Flatten"), data=(5,))
sc("flatten_partial_batch", un("Flatten"), data=(0, 3, 4))
sc("flatten_partial_inner", un("Flatten"), data=(2, 0, 4))

# Reshape
RS = lambda **p: un("Reshape", **p)
for i, (ish, shp, rev, _) in enumerate([
        ((2, 3, 5, 5), (0, -1), False, (2, 75)),
        ((2, 3, 5, 4), (-1, 0, 0), False, (8, 3, 5)),
        ((2, 3, 5, 6), (6, 1, -2), False, (6, 1, 5, 6)),
        ((2, 3, 5, 6), (-3, -3), False, (6, 30)),
        ((64, 1, 2, 3), (-4, 16, -1, -2), False, (16, 4, 1, 2, 3)),
        ((2, 3, 5, 5), (0, -1), True, (5, 30)),
        ((2, 3, 4, 5), (3, -1, 0), True, (3, 8, 5)),
        ((1, 2, 3, 64), (-2, -1, 16, -4), True, (1, 2, 3, 4, 16))]):
    p = {"shape": shp}
    if rev:
        p["reverse"] = True
    sc("reshape_table%d" % (i + 1), RS(**p), data=ish)
sc("reshape_plain", RS(shape=(3, 4)), data=(2, 6))
sc("reshape_split_neg1_first", RS(shape=(-4, -1, 2, 0)), data=(6, 5))
sc("reshape_target_shape", RS(target_shape=(4, 0)), data=(2, 6))
sc("reshape_target_keep_highest", RS(target_shape=(3, 0), keep_highest=True), data=(2, 3, 4))
sc("reshape_err_count", RS(shape=(5, 5)), data=(2, 6))
sc("reshape_err_two_neg1", RS(shape=(-1, -1)), data=(2, 6))
sc("reshape_back", RS(shape=(4, 3)), data=(2, 0))
sc("reshape_back_first", RS(shape=(4, 3)), data=(0, 6))
sc("reshape_partial_neg1", RS(shape=(-1, 3)), data=(0, 6))
sc("reshape_partial_copy", RS(shape=(0, -1)), data=(0, 3, 4))

# transpose
sc("transpose_default", un("transpose"), data=(2, 3, 4))
sc("transpose_axes", un("transpose", axes=(1, 0, 2)), data=(2, 3, 4))
sc("transpose_partial", un("transpose", axes=(2, 0, 1)), data=(0, 3, 4))
sc("transpose_err_axes", un("transpose", axes=(1, 0)), data=(2, 3, 4))

# expand_dims
sc("expand_dims_0", un("expand_dims", axis=0), data=(2, 3))
sc("expand_dims_neg1", un("expand_dims", axis=-1), data=(2, 3))
sc("expand_dims_neg3", un("expand_dims", axis=-3), data=(2, 3))
sc("expand_dims_end", un("expand_dims", axis=2), data=(2, 3))
sc("expand_dims_partial", un("expand_dims", axis=1), data=(0, 3))
sc("expand_dims_err", un("expand_dims", axis=3), data=(2, 3))
sc("expand_dims_err_neg", un("expand_dims", axis=-4), data=(2, 3))

# broadcast_to
sc("bto_fwd", un("broadcast_to", shape=(4, 3)), data=(1, 3))
sc("bto_keep0", un("broadcast_to", shape=(0, 3)), data=(2, 1))
sc("bto_err", un("broadcast_to", shape=(4, 3)), data=(2, 3))
sc("bto_err_ndim", un("broadcast_to", shape=(4, 3)), data=(3,))
sc("bto_partial", un("broadcast_to", shape=(4, 3)), data=(0, 3))


# Concat
def cat(n, **p):
    return called("Concat", lambda: S.Concat(*[V("arg%d" % i) for i in range(n)], name="op", **p))


sc("concat_dim1", cat(2), arg0=(2, 3), arg1=(2, 4))
sc("concat_dim0", cat(3, dim=0), arg0=(2, 3), arg1=(1, 3), arg2=(4, 3))
sc("concat_dimneg1", cat(2, dim=-1), arg0=(2, 3, 4), arg1=(2, 3, 5))
sc("concat_back", cat(2), arg0=(2, 3), arg1=(0, 4))
sc("concat_back_one_unknown", cat(2), arg0=(2, 3))
sc("concat_partial", cat(2), arg0=(2, 0), arg1=(2, 4))
sc("concat_err", cat(2), arg0=(2, 3), arg1=(3, 4))
sc("concat_err_ndim", cat(2), arg0=(2, 3), arg1=(2, 3, 1))
sc("concat_err_dim", cat(2, dim=2), arg0=(2, 3), arg1=(2, 3))
sc("concat_single", cat(1), arg0=(2, 3))

# SliceChannel
SL = lambda **p: un("SliceChannel", **p)
sc("split_fwd", SL(num_outputs=2), data=(2, 6, 3))
sc("split_axis0", SL(num_outputs=2, axis=0), data=(4, 3))
sc("split_neg", SL(num_outputs=3, axis=-1), data=(2, 4, 6))
sc("split_squeeze", SL(num_outputs=3, axis=1, squeeze_axis=True), data=(2, 3, 4))
sc("split_err_div", SL(num_outputs=4), data=(2, 6))
sc("split_err_squeeze", SL(num_outputs=2, squeeze_axis=True), data=(2, 4))
sc("split_partial", SL(num_outputs=2), data=(0, 6))
sc("split_partial_axis", SL(num_outputs=2), data=(3, 0))

# slice_axis
SA = lambda **p: un("slice_axis", **p)
sc("slice_axis_fwd", SA(axis=1, begin=1, end=3), data=(2, 5))
sc("slice_axis_neg", SA(axis=-1, begin=-3, end=-1), data=(2, 3, 6))
sc("slice_axis_none", SA(axis=0, begin=1, end=None), data=(4, 2))
sc("slice_axis_err", SA(axis=1, begin=3, end=2), data=(2, 5))
sc("slice_axis_err_oob", SA(axis=1, begin=0, end=7), data=(2, 5))
sc("slice_axis_partial", SA(axis=1, begin=0, end=2), data=(0, 5))
sc("slice_axis_partial_axis", SA(axis=1, begin=0, end=2), data=(3, 0))

# reductions
for o in ["sum", "mean", "max"]:
    sc(o + "_all", un(o), data=(2, 3, 4))
    sc(o + "_axis1", un(o, axis=1), data=(2, 3, 4))
    sc(o + "_keepdims", un(o, axis=1, keepdims=True), data=(2, 3, 4))
    sc(o + "_err", un(o, axis=3), data=(2, 3, 4))
    sc(o + "_partial", un(o, axis=1), data=(0, 3, 4))
sc("sum_all_keepdims", un("sum", keepdims=True), data=(2, 3, 4))
sc("sum_exclude", un("sum", axis=1, exclude=True), data=(2, 3, 4))
sc("sum_tuple", un("sum", axis=(0, 2)), data=(2, 3, 4))
sc("sum_neg", un("sum", axis=-1), data=(2, 3, 4))
sc("sum_empty_tuple", un("sum", axis=()), data=(2, 3))
sc("sum_dup_err", un("sum", axis=(1, 1)), data=(2, 3, 4))
sc("mean_tuple_keep", un("mean", axis=(1, -1), keepdims=True), data=(2, 3, 4))
sc("max_exclude_keep", un("max", axis=(0,), exclude=True, keepdims=True), data=(2, 3, 4))
sc("max_1d", un("max", axis=0), data=(5,))

# Cast
sc("cast_fwd", un("Cast", dtype="float16"), data=(2, 3))
sc("cast_partial", un("Cast", dtype="int32"), data=(0, 3))

# unary math
for o in ["sin", "cos", "exp", "log", "sqrt", "square", "abs", "negative"]:
    sc(o + "_fwd", un(o), data=(2, 3))
    sc(o + "_partial", un(o), data=(0, 3))
sc("sin_none", un("sin"))

# clip
sc("clip_fwd", un("clip", a_min=-1.0, a_max=1.0), data=(2, 3))
sc("clip_partial", un("clip", a_min=0, a_max=6), data=(0, 3))

# Embedding
EM = lambda **p: un("Embedding", **p)
sc("emb_fwd", EM(input_dim=10, output_dim=3), data=(4, 5))
sc("emb_1d", EM(input_dim=100, output_dim=8), data=(7,))
sc("emb_partial", EM(input_dim=10, output_dim=3), data=(0, 5))
sc("emb_noinput", EM(input_dim=10, output_dim=3))
sc("emb_err_weight", EM(input_dim=10, output_dim=3), data=(4, 5), op_weight=(10, 4))

# zeros / ones
sc("zeros_fwd", lambda: S.zeros(shape=(2, 3), name="op"))
sc("zeros_partial", lambda: S.zeros(shape=(2, 0), name="op"))
sc("ones_fwd", lambda: S.ones(shape=(4,), dtype="int32", name="op"))
sc("ones_partial", lambda: S.ones(shape=(0, 5), name="op"))
sc("zeros_empty", lambda: S.zeros(shape=(), name="op"))

# BlockGrad / identity
for o in ["BlockGrad", "identity"]:
    sc(o + "_fwd", un(o), data=(2, 3))
    sc(o + "_partial", un(o), data=(0, 3))
    if o == "identity":
        sc(o + "_none", un(o))

# ---------------------------------------------------------------- dtype cases
tc("ty_cast_f32_f16", un("Cast", dtype="float16"), data="float32")
tc("ty_cast_i32_u8", un("Cast", dtype="uint8"), data="int32")
tc("ty_cast_noinput", un("Cast", dtype="float64"))
tc("ty_eadd_f64", bi("elemwise_add"), lhs="float64", rhs="float64")
tc("ty_eadd_fill", bi("elemwise_add"), lhs="float64")
tc("ty_eadd_err", bi("elemwise_add"), lhs="float32", rhs="float16")
tc("ty_badd_f16", bi("broadcast_add"), lhs="float16")
tc("ty_emb_default", EM(input_dim=10, output_dim=3), data="float32")
tc("ty_emb_int_data", EM(input_dim=10, output_dim=3), data="int32")
tc("ty_emb_dtype_f16", EM(input_dim=10, output_dim=3, dtype="float16"), data="float32")
tc("ty_emb_nodata", EM(input_dim=10, output_dim=3))
tc("ty_emb_weight_only", EM(input_dim=10, output_dim=3), op_weight="float32")
tc("ty_bn_f16", BN(), data="float16")
tc("ty_bn_f64", BN(), data="float64")
tc("ty_bn_f32", BN(), data="float32")
tc("ty_bn_err_gamma", BN(), data="float16", op_gamma="float16")
tc("ty_smo_f32", SO(), data="float32")
tc("ty_smo_f16", SO(), data="float16")
tc("ty_smo_label_only", SO(), op_label="int32")
tc("ty_fc_f16", FC(num_hidden=4), data="float16")
tc("ty_fc_err", FC(num_hidden=4), data="float16", op_weight="float32")
tc("ty_fc_back", FC(num_hidden=4), op_weight="float64")
tc("ty_conv_f64", CV(kernel=(3, 3), num_filter=2), data="float64")
tc("ty_plus_int", un("_plus_scalar", scalar=2), data="int32")
tc("ty_plus_int_isint_false", un("_plus_scalar", scalar=2.5, is_int=False), data="int32")
tc("ty_sum_int", un("sum"), data="int32")
tc("ty_zeros_default", lambda: S.zeros(shape=(2, 3), name="op"))
tc("ty_zeros_int32", lambda: S.zeros(shape=(2, 3), dtype="int32", name="op"))
tc("ty_identity_none", un("identity"))
tc("ty_concat_mixed_err", cat(2), arg0="float32", arg1="float64")
tc("ty_concat_fill", cat(2), arg0="float16")
tc("ty_softmax_dtype", un("softmax", dtype="float64"), data="float32")
tc("ty_pool_f16", PL(kernel=(2, 2)), data="float16")
tc("ty_dropout_f16", un("Dropout"), data="float16")
tc("ty_linreg_f64", un("LinearRegressionOutput"), data="float64")
tc("ty_prelu_f16", LR(act_type="prelu"), data="float16")


# ---------------------------------------------------------------- chains
def ch_mlp():
    d = V("data")
    h = S.FullyConnected(d, num_hidden=16, name="fc1")
    h = S.Activation(h, act_type="relu", name="relu1")
    h = S.FullyConnected(h, num_hidden=4, name="fc2")
    return S.SoftmaxOutput(h, name="op")


def ch_conv():
    d = V("data")
    h = S.Convolution(d, kernel=(3, 3), num_filter=8, pad=(1, 1), name="conv")
    h = S.Pooling(h, kernel=(2, 2), stride=(2, 2), name="pool")
    return S.Flatten(h, name="op")


def ch_zeros_add():
    z = S.zeros(shape=(2, 0), name="z")
    return S.elemwise_add(V("data"), z, name="op")


def ch_cast_fc_smo():
    d = V("data")
    h = S.Cast(d, dtype="float32", name="cast")
    h = S.FullyConnected(h, num_hidden=5, name="fc")
    return S.SoftmaxOutput(h, name="op")


def ch_reshape_fc():
    d = V("data")
    h = S.FullyConnected(d, num_hidden=12, name="fc")
    return S.Reshape(h, shape=(0, 3, 4), name="op")


chain("ch_mlp", "shape", ch_mlp, data=(8, 20))
chain("ch_mlp_partial", "shape", ch_mlp, data=(0, 20))
chain("ch_conv_pool_flat", "shape", ch_conv, data=(2, 3, 8, 8))
chain("ch_zeros_add", "shape", ch_zeros_add, data=(2, 5))
chain("ch_reshape_fc", "shape", ch_reshape_fc, data=(2, 7))
chain("ch_mlp_err", "shape", ch_mlp, data=(8, 20), fc2_weight=(4, 15))
chain("ch_cast_fc_smo_type", "dtype", ch_cast_fc_smo, data="float16")
chain("ch_mlp_type_f64", "dtype", ch_mlp, data="float64")


# ---------------------------------------------------------------- runners
def run_shape(sym, given, lines):
    args = sym.list_arguments()
    for a in args:
        lines.append("input %s %s" % (a, given_dims(given[a]) if a in given else "-"))
    unknown = set(given) - set(args)
    assert not unknown, unknown
    try:
        arg_s, out_s, aux_s = sym.infer_shape_partial(**given)
    except mx.base.MXNetError as e:
        return clean_msg(e)
    try:
        full = sym.infer_shape(**given)
        complete = full[0] is not None
    except mx.base.MXNetError as e:  # never observed; keep the record honest
        raise RuntimeError("infer_shape raised but partial did not: %s" % e)
    for n, s in zip(args, arg_s):
        lines.append("expect_arg %s %s" % (n, dims(s)))
    for n, s in zip(sym.list_outputs(), out_s):
        lines.append("expect_out %s %s" % (n, dims(s)))
    for n, s in zip(sym.list_auxiliary_states(), aux_s):
        lines.append("expect_aux %s %s" % (n, dims(s)))
    lines.append("complete %d" % (1 if complete else 0))
    return None


def run_type(sym, given, lines):
    args = sym.list_arguments()
    for a in args:
        lines.append("intype %s %s" % (a, given.get(a, "-")))
    assert not (set(given) - set(args))
    try:
        arg_t, out_t, aux_t = sym.infer_type_partial(**given)
    except mx.base.MXNetError as e:
        return clean_msg(e)
    for n, t in zip(args, arg_t):
        lines.append("expect_argtype %s %s" % (n, tname(t)))
    for n, t in zip(sym.list_outputs(), out_t):
        lines.append("expect_outtype %s %s" % (n, tname(t)))
    for n, t in zip(sym.list_auxiliary_states(), aux_t):
        lines.append("expect_auxtype %s %s" % (n, tname(t)))
    return None


def emit(out, cid, sym, given, kind, is_chain, opname=None):
    body = node_lines(sym, is_chain, opname)
    rest = []
    err = (run_shape if kind == "shape" else run_type)(sym, given, rest)
    if err is not None:
        rest = [l for l in rest if l.startswith(("input ", "intype "))]
        rest.append("expect_error")
        out.append("# " + err)
    out.append("case " + cid)
    out.extend(body)
    out.extend(rest)
    out.append("end")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    ids = [c[0] for c in SHAPE] + [c[0] for c in DTYPE] + [c[0] for c in CHAIN]
    assert len(ids) == len(set(ids)), "duplicate case id"
    out = ["# Generated by tools/mxnet_ref/gen_infer_cases.py from MXNet %s; do not edit."
           % mx.__version__,
           "# Format: see the docstring of the generator.",
           "# section shape: single-op shape inference"]
    for cid, fn, given in SHAPE:
        emit(out, cid, build(fn), given, "shape", False, getattr(fn, "opname", None))
    out.append("# section dtype: single-op dtype inference")
    for cid, fn, given in DTYPE:
        emit(out, cid, build(fn), given, "dtype", False, getattr(fn, "opname", None))
    out.append("# section chain: multi-op graphs (node lines instead of op)")
    for cid, kind, fn, given in CHAIN:
        emit(out, cid, build(fn), given, kind, True)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote %d cases to %s" % (len(ids), os.path.normpath(path)))


if __name__ == "__main__":
    main()
