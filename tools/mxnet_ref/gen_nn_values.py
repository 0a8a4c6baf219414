"""Known answers of the neural-network kernels (tests/test_ops_nn.c), from real
MXNet 1.9.1 on the CPU. Prints C array literals, pasted into the test file.

Run with the native CPU kernels, not the oneDNN (MKLDNN) ones, whose few
corner cases differ (LeakyReLU leaky with a negative slope):
    MXNET_MKLDNN_ENABLED=0 MXNET_SUBGRAPH_BACKEND=NONE \
    MXNET_STORAGE_FALLBACK_LOG_VERBOSE=0 python gen_nn_values.py
"""
import numpy as np
import mxnet as mx


def lit(name, a):
    a = np.asarray(a, dtype=np.float64).ravel()
    body = ", ".join("%.9g" % v for v in a)
    print("static const double %s[%d] = {%s};" % (name, len(a), body))


def run(sym, args, aux=None, train=True, og=None, grads=None, reqs=None):
    """bind, forward, backward; returns the executor."""
    grads = grads if grads is not None else [k for k in args]
    ag = {k: mx.nd.zeros(v.shape) for k, v in args.items() if k in grads}
    req = {k: ("write" if k in grads else "null") for k in args}
    ex = sym.bind(mx.cpu(), {k: mx.nd.array(v, dtype=v.dtype) for k, v in args.items()}, args_grad=ag, grad_req=req,
                  aux_states={k: mx.nd.array(v) for k, v in (aux or {}).items()})
    ex.forward(is_train=train)
    if og is not False:
        ex.backward([mx.nd.array(o) for o in og] if og is not None else None)
    return ex


d = mx.sym.Variable("data")
l = mx.sym.Variable("label")

# Activation
x = np.array([[-1.5, -0.3, 0.2, 2.0]], dtype=np.float32)
g = np.array([[0.5, -1.0, 2.0, 1.5]], dtype=np.float32)
lit("act_x", x)
lit("act_g", g)
for a in ["relu", "sigmoid", "tanh", "softrelu", "softsign"]:
    ex = run(mx.sym.Activation(d, act_type=a), {"data": x}, og=[g])
    lit("act_%s_y" % a, ex.outputs[0].asnumpy())
    lit("act_%s_dx" % a, ex.grad_dict["data"].asnumpy())

# LeakyReLU (leaky with a negative slope: the native kernel's gradient is 1 where y > 0)
for a, kw in [("leaky", dict(slope=0.3)), ("leakyneg", dict(slope=-0.5)), ("elu", dict(slope=0.7)),
              ("selu", {}), ("gelu", {})]:
    ex = run(mx.sym.LeakyReLU(d, act_type=a if a != "leakyneg" else "leaky", **kw), {"data": x}, og=[g])
    lit("leaky_%s_y" % a, ex.outputs[0].asnumpy())
    lit("leaky_%s_dx" % a, ex.grad_dict["data"].asnumpy())
xp = np.array([[[-1.0, 2.0], [-3.0, 0.5]], [[1.5, -2.0], [-0.5, -1.0]]], dtype=np.float32)  # (2,2,2)
gp = np.arange(8, dtype=np.float32).reshape(2, 2, 2) * 0.5 - 1
lit("prelu_x", xp)
lit("prelu_g", gp)
ex = run(mx.sym.LeakyReLU(d, act_type="prelu", name="pr"), {"data": xp, "pr_gamma": np.array([0.1, 0.4], np.float32)}, og=[gp])
lit("prelu_y", ex.outputs[0].asnumpy())
lit("prelu_dx", ex.grad_dict["data"].asnumpy())
lit("prelu_dgamma", ex.grad_dict["pr_gamma"].asnumpy())
ex = run(mx.sym.LeakyReLU(d, act_type="rrelu"), {"data": x}, train=False, og=False)
lit("rrelu_inf_y", ex.outputs[0].asnumpy())

# SoftmaxOutput
x1 = np.array([[1, 6, 4, 2]], dtype=np.float32)
ex = run(mx.sym.SoftmaxOutput(d, l), {"data": x1, "label": np.array([1], np.float32)}, grads=["data"])
lit("smo_y", ex.outputs[0].asnumpy())
lit("smo_dx", ex.grad_dict["data"].asnumpy())
x2 = np.array([[1, 6, 4, 2], [0.5, -1, 2, 0], [3, 1, -2, 0.5]], dtype=np.float32)
l2 = np.array([1, 3, 0], np.float32)
for nm, kw in [("batch", dict(normalization="batch", grad_scale=2.0)),
               ("valid_ign", dict(normalization="valid", use_ignore=True, ignore_label=3)),
               ("null_ign", dict(use_ignore=True, ignore_label=0)),
               ("valid_noign", dict(normalization="valid", ignore_label=3)),
               ("smooth", dict(smooth_alpha=0.3)),
               ("outgrad", dict(out_grad=True))]:
    ex = run(mx.sym.SoftmaxOutput(d, l, **kw), {"data": x2, "label": l2}, grads=["data"])
    lit("smo_%s_dx" % nm, ex.grad_dict["data"].asnumpy())
lp = np.array([[0.1, 0.2, 0.3, 0.4], [0, 0, 1, 0], [0.5, 0, 0, 0.5]], np.float32)
ex = run(mx.sym.SoftmaxOutput(d, l, grad_scale=0.5, use_ignore=True, normalization="valid"),
         {"data": x2, "label": lp}, grads=["data"])
lit("smo_prob_dx", ex.grad_dict["data"].asnumpy())
x3 = (np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.37) % 1.3
l3 = np.array([[0, 1, 2, 1], [2, 2, 0, 1]], np.float32)
lit("smo3_x", x3)
for nm, kw in [("null", {}), ("batch", dict(normalization="batch")),
               ("valid", dict(normalization="valid", use_ignore=True, ignore_label=2))]:
    ex = run(mx.sym.SoftmaxOutput(d, l, multi_output=True, **kw), {"data": x3, "label": l3}, grads=["data"])
    if nm == "null":
        lit("smo_multi_y", ex.outputs[0].asnumpy())
    lit("smo_multi_%s_dx" % nm, ex.grad_dict["data"].asnumpy())
ex = run(mx.sym.SoftmaxOutput(d, l, preserve_shape=True), {"data": x3, "label": l3[:, :3]}, grads=["data"])
lit("smo_pres_y", ex.outputs[0].asnumpy())
lit("smo_pres_dx", ex.grad_dict["data"].asnumpy())

# softmax / log_softmax
xs = (np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.37) % 1.3 - 0.4
gs = (np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.23) % 0.9 - 0.3
lit("sm_x", xs)
lit("sm_g", gs)
ex = run(mx.sym.softmax(d, axis=1, temperature=2.0), {"data": xs}, og=[gs])
lit("sm_y", ex.outputs[0].asnumpy())
lit("sm_dx", ex.grad_dict["data"].asnumpy())
ex = run(mx.sym.log_softmax(d, axis=-1), {"data": xs}, og=[gs])
lit("lsm_y", ex.outputs[0].asnumpy())
lit("lsm_dx", ex.grad_dict["data"].asnumpy())
ln = mx.sym.Variable("length")
xl = np.arange(12, dtype=np.float32).reshape(3, 4) * 0.3
ex = run(mx.sym.softmax(data=d, length=ln, axis=-1, use_length=True), {"data": xl, "length": np.array([2, 4, 0], np.int32)},
         og=[np.arange(12, dtype=np.float32).reshape(3, 4) * 0.1 + 1], grads=["data"])
lit("smlen_y", ex.outputs[0].asnumpy())
lit("smlen_dx", ex.grad_dict["data"].asnumpy())

# regression outputs
xr = np.array([[0.5, -1.0], [2.0, 0.25], [1.0, -0.5]], np.float32)
lr = np.array([[0.5, 0.0], [1.0, 1.0], [-1.0, -0.5]], np.float32)
for op in ["Linear", "Logistic", "MAE"]:
    ex = run(getattr(mx.sym, op + "RegressionOutput")(d, l, grad_scale=3.0), {"data": xr, "label": lr}, grads=["data"])
    lit("reg_%s_y" % op.lower(), ex.outputs[0].asnumpy())
    lit("reg_%s_dx" % op.lower(), ex.grad_dict["data"].asnumpy())

# MakeLoss: batch divides by the rows of the 2-D view
for shp in [(4,), (2, 3), (2, 3, 2)]:
    xm = np.arange(np.prod(shp), dtype=np.float32).reshape(shp) - 2.0
    for nrm in ["batch", "valid"]:
        ex = run(mx.sym.MakeLoss(d, normalization=nrm, grad_scale=2.0, valid_thresh=0.5), {"data": xm})
        lit("mkl_%s_%d_dx0" % (nrm, len(shp)), ex.grad_dict["data"].asnumpy().ravel()[:1])

# Convolution
xc = ((np.arange(32, dtype=np.float32).reshape(1, 2, 4, 4) * 0.37) % 1.1) - 0.5
wc = ((np.arange(54, dtype=np.float32).reshape(3, 2, 3, 3) * 0.29) % 0.8) - 0.4
bc = np.array([0.1, -0.2, 0.3], np.float32)
lit("conv_x", xc)
lit("conv_w", wc)
ex = run(mx.sym.Convolution(d, kernel=(3, 3), num_filter=3, pad=(1, 1), name="cv"),
         {"data": xc, "cv_weight": wc, "cv_bias": bc}, og=False)
lit("conv_y", ex.outputs[0].asnumpy())
w2 = ((np.arange(16, dtype=np.float32).reshape(4, 1, 2, 2) * 0.31) % 0.9) - 0.45
lit("conv_g_w", w2)
ex = run(mx.sym.Convolution(d, kernel=(2, 2), num_filter=4, stride=(2, 1), dilate=(1, 2), num_group=2, no_bias=True, name="cv"),
         {"data": xc, "cv_weight": w2}, og=False)
lit("conv_g_y", ex.outputs[0].asnumpy())

# Deconvolution
xd = ((np.arange(18, dtype=np.float32).reshape(1, 2, 3, 3) * 0.41) % 1.2) - 0.6
wd = ((np.arange(36, dtype=np.float32).reshape(2, 2, 3, 3) * 0.27) % 0.7) - 0.35
lit("deconv_x", xd)
lit("deconv_w", wd)
ex = run(mx.sym.Deconvolution(d, kernel=(3, 3), num_filter=2, stride=(2, 2), pad=(1, 1), adj=(1, 1), name="dc"),
         {"data": xd, "dc_weight": wd}, og=False)
lit("deconv_y", ex.outputs[0].asnumpy())
ex = run(mx.sym.Deconvolution(d, kernel=(3, 3), num_filter=2, stride=(2, 2), target_shape=(6, 5), no_bias=False, name="dc"),
         {"data": xd, "dc_weight": wd, "dc_bias": np.array([0.5, -0.25], np.float32)}, og=False)
lit("deconv_ts_y", ex.outputs[0].asnumpy())

# Pooling, full convention
xx = np.arange(1, 26, dtype=np.float32).reshape(1, 1, 5, 5)
for nm, kw in [("max", dict(pool_type="max")), ("avg", dict(pool_type="avg")),
               ("avgx", dict(pool_type="avg", count_include_pad=False)), ("sum", dict(pool_type="sum"))]:
    ex = run(mx.sym.Pooling(d, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pooling_convention="full", **kw),
             {"data": xx}, og=[np.arange(9, dtype=np.float32).reshape(1, 1, 3, 3) + 1])
    lit("pool_%s_y" % nm, ex.outputs[0].asnumpy())
    lit("pool_%s_dx" % nm, ex.grad_dict["data"].asnumpy())
xq = np.array([[[-1.5, 2.0, -0.5, 3.0, -2.5]]], np.float32)
for p in [1, 2, 3]:
    ex = run(mx.sym.Pooling(d, kernel=(2,), stride=(2,), pool_type="lp", p_value=p, pooling_convention="full"),
             {"data": xq}, og=[np.ones((1, 1, 3), np.float32)])
    lit("pool_lp%d_y" % p, ex.outputs[0].asnumpy())
    lit("pool_lp%d_dx" % p, ex.grad_dict["data"].asnumpy())
ex = run(mx.sym.Pooling(d, kernel=(2, 2), stride=(2, 2), global_pool=True, pool_type="avg"), {"data": xc}, og=False)
lit("pool_global_y", ex.outputs[0].asnumpy())

# BatchNorm: training output, then the moving statistics after one backward
xb = np.array([[[1.0, 2.0], [0.5, -1.0]], [[3.0, -2.0], [1.5, 0.0]]], dtype=np.float32)
gb = np.arange(8, dtype=np.float32).reshape(2, 2, 2) * 0.1 - 0.3
for fg in [True, False]:
    s = mx.sym.BatchNorm(d, fix_gamma=fg, name="bn")
    ex = run(s, {"data": xb, "bn_gamma": np.array([1.5, 0.5], np.float32), "bn_beta": np.array([0.1, -0.2], np.float32)},
             aux={"bn_moving_mean": np.array([0.2, 0.3], np.float32), "bn_moving_var": np.array([1.2, 0.8], np.float32)},
             og=[gb])
    t = "fix" if fg else "free"
    lit("bn_%s_y" % t, ex.outputs[0].asnumpy())
    lit("bn_%s_dx" % t, ex.grad_dict["data"].asnumpy())
    lit("bn_%s_dgamma" % t, ex.grad_dict["bn_gamma"].asnumpy())
    lit("bn_%s_dbeta" % t, ex.grad_dict["bn_beta"].asnumpy())
    lit("bn_%s_mm" % t, ex.aux_dict["bn_moving_mean"].asnumpy())
    lit("bn_%s_mv" % t, ex.aux_dict["bn_moving_var"].asnumpy())
    lit("bn_%s_gamma" % t, ex.arg_dict["bn_gamma"].asnumpy())
    ex.forward(is_train=False)
    lit("bn_%s_inf_y" % t, ex.outputs[0].asnumpy())
s = mx.sym.BatchNorm(d, fix_gamma=False, axis=-1, output_mean_var=True, name="bn")
ex = run(s, {"data": xb, "bn_gamma": np.array([1.5, 0.5], np.float32), "bn_beta": np.array([0.1, -0.2], np.float32)},
         aux={"bn_moving_mean": np.array([0.2, 0.3], np.float32), "bn_moving_var": np.array([1.2, 0.8], np.float32)}, og=False)
lit("bn_ax_y", ex.outputs[0].asnumpy())
lit("bn_ax_mean", ex.outputs[1].asnumpy())
lit("bn_ax_var", ex.outputs[2].asnumpy())

# Embedding: indices cast to int and clipped
xe = np.array([[-3, 0.7], [2, 9]], np.float32)
we = np.arange(12, dtype=np.float32).reshape(4, 3) * 0.5
ge = np.arange(12, dtype=np.float32).reshape(2, 2, 3) + 1
ex = run(mx.sym.Embedding(d, input_dim=4, output_dim=3, name="em"), {"data": xe, "em_weight": we}, og=[ge],
         grads=["em_weight"])
lit("emb_y", ex.outputs[0].asnumpy())
lit("emb_dw", ex.grad_dict["em_weight"].asnumpy())

# L2Normalization
xn = ((np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.37) % 1.3) - 0.6
gn = ((np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.23) % 0.9) - 0.3
lit("l2_x", xn)
lit("l2_g", gn)
for m in ["instance", "channel", "spatial"]:
    ex = run(mx.sym.L2Normalization(d, mode=m, eps=1e-4), {"data": xn}, og=[gn])
    lit("l2_%s_y" % m, ex.outputs[0].asnumpy())
    lit("l2_%s_dx" % m, ex.grad_dict["data"].asnumpy())
