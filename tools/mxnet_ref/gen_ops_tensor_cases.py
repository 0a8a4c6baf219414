# Generates the MXNet 1.9.1 known-answer cases of tests/test_ops_tensor.c (paste the output
# between its 'known answers' markers): forward values of every group-T operator and, where
# og is given, MXNet's own gradients (mx.autograd) for that head gradient.
# usage: /work/mxvenv/bin/python tools/mxnet_ref/gen_ops_tensor_cases.py > cases.inc
import mxnet as mx, numpy as np
from mxnet import autograd as ag
rs = np.random.RandomState(1234)
DT = {'float32': 'SG_FLOAT32', 'float64': 'SG_FLOAT64', 'int32': 'SG_INT32', 'uint8': 'SG_UINT8',
      'int8': 'SG_INT8', 'float16': 'SG_FLOAT16', 'bool': 'SG_BOOL', 'int64': 'SG_INT64'}
out = []
counter = [0]
sections = []
def section(name, doc):
    sections.append((name, doc, len(out)))
def fmt(v):
    v = float(v)
    if np.isnan(v): return 'NAN'
    if np.isinf(v): return 'INFINITY' if v > 0 else '-INFINITY'
    return repr(v)
def arr(vals):
    return '{' + ', '.join(fmt(v) for v in np.asarray(vals, dtype='float64').ravel()) + '}'
def dims(shape):
    return '{' + ', '.join(str(int(d)) for d in shape) + '}' if len(shape) else '{1}'
def U(shape, lo=-2, hi=2, nd=2):
    return np.round(rs.uniform(lo, hi, shape), nd)
def case(op, params, ins, call, dtype='float32', idx=0, og=None, what=None, grads=True):
    """ins: numpy arrays; call(*nd_arrays) -> NDArray or list."""
    counter[0] += 1
    nds = [mx.nd.array(x, dtype=dtype) for x in ins]
    if og is not None:
        for x in nds: x.attach_grad()
        with ag.record():
            y = call(*nds)
        ys = y if isinstance(y, (list, tuple)) else [y]
        ograd = mx.nd.array(og, dtype=ys[idx].dtype)
        ag.backward([ys[idx]], [ograd])
        gr = [x.grad.asnumpy() for x in nds]
    else:
        y = call(*nds)
        ys = y if isinstance(y, (list, tuple)) else [y]
    r = ys[idx]
    rv = r.asnumpy()
    odt = np.dtype(r.dtype).name
    L = []
    L.append('    {   /* MXNet 1.9.1: %s */' % (what or op))
    pk = []
    for k, v in params:
        pk += ['"%s"' % k, '"%s"' % v]
    L.append('        static const char *const p[] = {%s};' % ', '.join(pk + ['NULL']))
    L.append('        static const int64_t %s;' % ', '.join(['d%d[] = %s' % (i, dims(np.shape(x))) for i, x in enumerate(ins)] + ['dw[] = %s' % dims(rv.shape)]))
    for i, x in enumerate(ins):
        L.append('        static const double v%d[] = %s;' % (i, arr(x)))
    L.append('        static const double w[] = %s;' % arr(rv.astype('float64')))
    n = len(ins)
    if n:
        L.append('        static const int nds[] = {%s};' % ', '.join(str(np.ndim(x)) for x in ins))
        L.append('        const int64_t *dd[] = {%s};\n        const double *vv[] = {%s};' % (', '.join('d%d' % i for i in range(n)), ', '.join('v%d' % i for i in range(n))))
    else:
        L.append('        static const int nds[] = {0};')
        L.append('        const int64_t *dd[] = {NULL};')
        L.append('        const double *vv[] = {NULL};')
    if og is not None:
        L.append('        static const double og[] = %s;' % arr(og))
        for i, gv in enumerate(gr):
            L.append('        static const double g%d[] = %s;' % (i, arr(gv)))
        L.append('        const double *gg[] = {%s};' % ', '.join('g%d' % i for i in range(n)))
        ogs, ggs = 'og', 'gg'
    else:
        ogs, ggs = 'NULL', 'NULL'
    L.append('        CHECK(ka_run("%s", p, %d, nds, dd, vv, %s, %d, %s, %d, dw, w, %s, %s));' %
             (op, n, DT[dtype], idx, DT[odt], rv.ndim, ogs, ggs))
    L.append('    }')
    out.append('\n'.join(L))

I = mx.nd._internal
section('ka_binary', 'elementwise binary operators, float32 / int32 / float64, and gradients')
a23 = U((2, 3)); b23 = U((2, 3), 0.5, 2)
t1 = np.array([[1.0, -0.5, 2.0], [0.25, 3.0, -1.5]]); t2 = np.array([[1.0, 0.5, -2.0], [0.25, 2.0, -1.0]])
for op in ['elemwise_add', 'elemwise_sub', 'elemwise_mul', 'elemwise_div']:
    case(op, [], [a23, b23], getattr(mx.nd, op), what='mx.nd.%s(x0, x1)' % op)
case('_power', [], [U((2, 3), 0.5, 2), U((2, 3), -1, 2)], I._power, what='mx.nd._internal._power(x0, x1)')
for op in ['_maximum', '_minimum', '_equal', '_not_equal', '_greater', '_greater_equal', '_lesser', '_lesser_equal']:
    case(op, [], [t1, t2], getattr(I, op), what='mx.nd._internal.%s(x0, x1) (ties included)' % op)
ia = np.array([[7, -7, 3], [1, 5, -9]]); ib = np.array([[2, 2, -2], [3, -4, 4]])
for op in ['elemwise_add', 'elemwise_mul', 'elemwise_div']:
    case(op, [], [ia, ib], getattr(mx.nd, op), dtype='int32', what='mx.nd.%s(x0, x1), int32' % op)
case('_power', [], [np.array([2, 3, -2, 5]), np.array([3, -1, 3, 2])], I._power, dtype='int32', what='_power, int32')
case('_maximum', [], [ia, ib], I._maximum, dtype='int32', what='_maximum, int32')
case('_lesser', [], [ia, ib], I._lesser, dtype='int32', what='_lesser, int32')
case('elemwise_mul', [], [a23, b23], mx.nd.elemwise_mul, dtype='float64', what='mx.nd.elemwise_mul, float64')
case('elemwise_div', [], [a23, b23], mx.nd.elemwise_div, dtype='float64', what='mx.nd.elemwise_div, float64')
# gradients
case('elemwise_div', [], [a23, b23], mx.nd.elemwise_div, og=U((2, 3)), what='elemwise_div and its gradient (autograd)')
case('_power', [], [U((2, 3), 0.5, 2), U((2, 3), -1, 2)], I._power, og=U((2, 3)), what='_power and its gradient (autograd)')
case('_maximum', [], [t1, t2], I._maximum, og=np.ones((2, 3)), what='_maximum gradient at ties (lhs wins)')
case('_minimum', [], [t1, t2], I._minimum, og=np.ones((2, 3)), what='_minimum gradient at ties (lhs wins)')
# scalar family
section('ka_scalar', 'the scalar family, int32 and is_int=False included')
x6 = np.array([-1.5, -0.25, 0.5, 1.0, 2.0, 3.25]); xp6 = np.array([0.25, 0.5, 1.0, 1.5, 2.0, 3.0])
for op, sc, x in [('_plus_scalar', 2.5, x6), ('_minus_scalar', 2.5, x6), ('_rminus_scalar', 2.5, x6),
                  ('_mul_scalar', 2.5, x6), ('_div_scalar', 2.5, x6), ('_rdiv_scalar', 2.5, xp6),
                  ('_power_scalar', 2.5, xp6), ('_rpower_scalar', 1.5, x6), ('_maximum_scalar', 0.5, x6),
                  ('_minimum_scalar', 0.5, x6), ('_equal_scalar', 0.5, x6), ('_not_equal_scalar', 0.5, x6),
                  ('_greater_scalar', 0.5, x6), ('_greater_equal_scalar', 0.5, x6), ('_lesser_scalar', 0.5, x6),
                  ('_lesser_equal_scalar', 0.5, x6)]:
    case(op, [('scalar', repr(sc))], [x], (lambda o, s: lambda a: getattr(I, o)(a, scalar=s))(op, sc),
         what='mx.nd._internal.%s(x0, scalar=%r)' % (op, sc))
ix = np.array([7, -7, 3, 1, 5, -9])
for op in ['_div_scalar', '_rdiv_scalar', '_mul_scalar', '_power_scalar', '_rminus_scalar', '_maximum_scalar']:
    case(op, [('scalar', '2.5')], [ix], (lambda o: lambda a: getattr(I, o)(a, scalar=2.5))(op), dtype='int32',
         what='mx.nd._internal.%s(x0, scalar=2.5), int32 (is_int True: the scalar is truncated)' % op)
case('_div_scalar', [('scalar', '2.5'), ('is_int', 'False')], [ix], lambda a: I._div_scalar(a, scalar=2.5, is_int=False),
     dtype='int32', what='_div_scalar(int32 x0, scalar=2.5, is_int=False): float64 output')
case('_rpower_scalar', [('scalar', '2.5'), ('is_int', 'False')], [ix], lambda a: I._rpower_scalar(a, scalar=2.5, is_int=False),
     dtype='int32', what='_rpower_scalar(int32 x0, scalar=2.5, is_int=False): float64 output')
case('_rdiv_scalar', [('scalar', '2.5')], [xp6], lambda a: I._rdiv_scalar(a, scalar=2.5), dtype='float64', what='_rdiv_scalar, float64')
case('_rpower_scalar', [('scalar', '1.5')], [x6], lambda a: I._rpower_scalar(a, scalar=1.5), og=np.arange(1, 7) / 4.0,
     what='_rpower_scalar and its gradient (autograd)')
case('_power_scalar', [('scalar', '2.5')], [xp6], lambda a: I._power_scalar(a, scalar=2.5), og=np.arange(1, 7) / 4.0,
     what='_power_scalar and its gradient (autograd)')
case('_rdiv_scalar', [('scalar', '2.5')], [xp6], lambda a: I._rdiv_scalar(a, scalar=2.5), og=np.arange(1, 7) / 4.0,
     what='_rdiv_scalar and its gradient (autograd)')
case('_maximum_scalar', [('scalar', '0.5')], [x6], lambda a: I._maximum_scalar(a, scalar=0.5), og=np.ones(6),
     what='_maximum_scalar gradient (x >= s gets it)')
# broadcast
section('ka_broadcast', 'broadcast_add / sub / mul / div')
case('broadcast_add', [], [U((2, 3)), U((1, 3))], mx.nd.broadcast_add, what='mx.nd.broadcast_add((2,3), (1,3))')
case('broadcast_sub', [], [U((2, 1, 3)), U((4, 1))], mx.nd.broadcast_sub, what='mx.nd.broadcast_sub((2,1,3), (4,1))')
case('broadcast_mul', [], [U((3, 1)), U((1, 4))], mx.nd.broadcast_mul, what='mx.nd.broadcast_mul((3,1), (1,4))')
case('broadcast_div', [], [U((2, 3)), U((3,), 0.5, 2)], mx.nd.broadcast_div, what='mx.nd.broadcast_div((2,3), (3,))')
case('broadcast_mul', [], [U((2, 3)), U((1, 3))], mx.nd.broadcast_mul, og=U((2, 3)), what='broadcast_mul and its gradients (autograd)')
case('broadcast_div', [], [U((2, 1, 3)), U((4, 1), 0.5, 2)], mx.nd.broadcast_div, og=U((2, 4, 3)),
     what='broadcast_div (2,1,3)/(4,1) and its gradients (autograd)')
case('broadcast_add', [], [U((2, 3)), U((2, 3))], mx.nd.broadcast_add, dtype='float64', what='broadcast_add, float64')
# dot / batch_dot
section('ka_dot', 'dot and batch_dot, every transpose combination')
for ta, tb in [(False, False), (True, False), (False, True), (True, True)]:
    A = U((3, 2) if ta else (2, 3)); B = U((4, 3) if tb else (3, 4))
    prm = [('transpose_a', str(ta)), ('transpose_b', str(tb))]
    case('dot', prm, [A, B], (lambda p, q: lambda x, y: mx.nd.dot(x, y, transpose_a=p, transpose_b=q))(ta, tb),
         og=U((2, 4)), what='mx.nd.dot(transpose_a=%s, transpose_b=%s) and its gradients (autograd)' % (ta, tb))
case('dot', [], [U((2, 2, 3)), U((3, 2, 2))], mx.nd.dot, what='mx.nd.dot, N-D (2,2,3)x(3,2,2)')
case('dot', [], [U((4,)), U((4,))], mx.nd.dot, og=np.array([1.5]), what='mx.nd.dot, 1-D x 1-D and its gradients')
case('dot', [], [U((2, 3)), U((3, 4))], mx.nd.dot, dtype='float64', what='mx.nd.dot, float64')
for ta, tb in [(False, False), (True, False), (False, True), (True, True)]:
    A = U((2, 3, 2) if ta else (2, 2, 3)); B = U((2, 4, 3) if tb else (2, 3, 4))
    prm = [('transpose_a', str(ta)), ('transpose_b', str(tb))]
    case('batch_dot', prm, [A, B], (lambda p, q: lambda x, y: mx.nd.batch_dot(x, y, transpose_a=p, transpose_b=q))(ta, tb),
         og=U((2, 2, 4)), what='mx.nd.batch_dot(transpose_a=%s, transpose_b=%s) and its gradients (autograd)' % (ta, tb))
# unary
section('ka_unary', 'unary math')
xu = np.array([-1.5, -0.3, 0.2, 0.7, 1.1, 2.5]); xpu = np.array([0.2, 0.5, 1.0, 1.7, 2.5, 4.0])
for op in ['relu', 'sigmoid', 'tanh', 'sin', 'cos', 'exp', 'log', 'sqrt', 'square', 'abs', 'negative']:
    x = xpu if op in ('log', 'sqrt') else xu
    case(op, [], [x], getattr(mx.nd, op), og=np.arange(1, 7) / 4.0, what='mx.nd.%s and its gradient (autograd)' % op)
case('exp', [], [xu], mx.nd.exp, dtype='float64', what='mx.nd.exp, float64')
case('abs', [], [np.array([-2.0, 0.0, 2.0])], mx.nd.abs, og=np.ones(3), what='abs gradient: 0 at 0')
case('relu', [], [np.array([-2.0, 0.0, 2.0])], mx.nd.relu, og=np.ones(3), what='relu gradient: 0 at 0')
# clip
section('ka_clip_cast', 'clip and Cast')
case('clip', [('a_min', '-0.5'), ('a_max', '0.7')], [np.array([-2.0, -0.5, 0.0, 0.7, 0.9, 0.3])],
     lambda a: mx.nd.clip(a, -0.5, 0.7), og=np.arange(1, 7) / 4.0, what='mx.nd.clip(-0.5, 0.7): the bounds get the gradient')
case('clip', [('a_min', '1'), ('a_max', '-1')], [np.array([-2.0, 0.0, 2.0])], lambda a: mx.nd.clip(a, 1, -1),
     what='mx.nd.clip with a_min > a_max')
# Cast
xc = np.array([1.5, -2.7, 3.99, 260.0, -1.0, 0.0])
for dt in ['int32', 'uint8', 'int8', 'float16', 'bool', 'float64']:
    case('Cast', [('dtype', dt)], [xc], (lambda d: lambda a: mx.nd.Cast(a, dtype=d))(dt), what='mx.nd.Cast(dtype=%s)' % dt)
case('Cast', [('dtype', 'float32')], [np.array([3, -4, 100000])], lambda a: mx.nd.Cast(a, dtype='float32'), dtype='int32',
     what='mx.nd.Cast(int32 -> float32)')
case('Cast', [('dtype', 'float64')], [xc], lambda a: mx.nd.Cast(a, dtype='float64'), og=np.arange(1, 7) / 3.0,
     what='Cast(float64) and its gradient back in float32')
case('Cast', [('dtype', 'float32')], [xc / 3.0], lambda a: mx.nd.Cast(a, dtype='float32'), og=np.arange(1, 7) / 3.0,
     dtype='float64', what='Cast(float64 -> float32) and its gradient back in float64')
case('Cast', [('dtype', 'int32')], [xc], lambda a: mx.nd.Cast(a, dtype='int32'), og=np.arange(1, 7),
     what='Cast(float32 -> int32) and its gradient back in float32')
# copy-likes
section('ka_shape', 'Flatten, Reshape, expand_dims, _copy, BlockGrad, transpose, broadcast_to, Concat, SliceChannel, slice_axis')
x234 = U((2, 3, 4))
case('Flatten', [], [x234], mx.nd.Flatten, what='mx.nd.Flatten')
case('Reshape', [('shape', '(0, -1)')], [x234], lambda a: mx.nd.Reshape(a, shape=(0, -1)), what='mx.nd.Reshape(shape=(0, -1))')
case('Reshape', [('shape', '(-1, 0)'), ('reverse', 'True')], [x234], lambda a: mx.nd.Reshape(a, shape=(-1, 0), reverse=True),
     what='mx.nd.Reshape(shape=(-1, 0), reverse=True)')
case('expand_dims', [('axis', '-1')], [U((2, 3))], lambda a: mx.nd.expand_dims(a, axis=-1), what='mx.nd.expand_dims(axis=-1)')
case('_copy', [], [U((2, 3))], mx.nd.identity, what='mx.nd.identity (_copy)')
case('BlockGrad', [], [U((2, 3))], mx.nd.BlockGrad, what='mx.nd.BlockGrad (forward)')
# transpose / broadcast_to
case('transpose', [], [x234], mx.nd.transpose, what='mx.nd.transpose (reversed axes)')
case('transpose', [('axes', '(1, 0, 2)')], [x234], lambda a: mx.nd.transpose(a, axes=(1, 0, 2)), og=U((3, 2, 4)),
     what='mx.nd.transpose(axes=(1, 0, 2)) and its gradient')
case('transpose', [('axes', '(2, 0, 1)')], [np.arange(24).reshape((2, 3, 4))], lambda a: mx.nd.transpose(a, axes=(2, 0, 1)), dtype='int32',
     what='mx.nd.transpose(axes=(2, 0, 1)), int32')
case('broadcast_to', [('shape', '(2, 0)')], [U((1, 3))], lambda a: mx.nd.broadcast_to(a, shape=(2, 0)), og=U((2, 3)),
     what='mx.nd.broadcast_to(shape=(2, 0)) and its gradient')
case('broadcast_to', [('shape', '(2, 3, 4)')], [U((2, 1, 1))], lambda a: mx.nd.broadcast_to(a, shape=(2, 3, 4)),
     og=U((2, 3, 4)), what='mx.nd.broadcast_to((2,1,1) -> (2,3,4)) and its gradient')
# Concat / SliceChannel / slice_axis
case('Concat', [('num_args', '2'), ('dim', '0')], [U((1, 3)), U((2, 3))], lambda a, b: mx.nd.Concat(a, b, dim=0),
     what='mx.nd.Concat(dim=0)')
case('Concat', [('num_args', '3'), ('dim', '-1')], [U((2, 1)), U((2, 3)), U((2, 2))],
     lambda a, b, c: mx.nd.Concat(a, b, c, dim=-1), og=U((2, 6)), what='mx.nd.Concat(dim=-1) of 3 and its gradients')
case('SliceChannel', [('num_outputs', '3'), ('axis', '1')], [U((2, 6, 2))],
     lambda a: mx.nd.SliceChannel(a, num_outputs=3, axis=1), idx=1, og=U((2, 2, 2)),
     what='mx.nd.SliceChannel(num_outputs=3, axis=1)[1] and the gradient of that output')
case('SliceChannel', [('num_outputs', '2'), ('axis', '-1'), ('squeeze_axis', 'True')], [U((2, 3, 2))],
     lambda a: mx.nd.SliceChannel(a, num_outputs=2, axis=-1, squeeze_axis=True), idx=0,
     what='mx.nd.SliceChannel(num_outputs=2, axis=-1, squeeze_axis=True)[0]')
case('slice_axis', [('axis', '1'), ('begin', '-2'), ('end', 'None')], [U((2, 4, 2))],
     lambda a: mx.nd.slice_axis(a, axis=1, begin=-2, end=None), og=U((2, 2, 2)),
     what='mx.nd.slice_axis(axis=1, begin=-2, end=None) and its gradient')
case('slice_axis', [('axis', '-1'), ('begin', '1'), ('end', '-1')], [U((2, 4))],
     lambda a: mx.nd.slice_axis(a, axis=-1, begin=1, end=-1), what='mx.nd.slice_axis(axis=-1, begin=1, end=-1)')
# reductions
section('ka_reduce', 'sum / mean / max / min')
case('sum', [], [x234], mx.nd.sum, what='mx.nd.sum() of everything')
case('sum', [('axis', '(1,)'), ('keepdims', 'True')], [x234], lambda a: mx.nd.sum(a, axis=(1,), keepdims=True),
     og=U((2, 1, 4)), what='mx.nd.sum(axis=1, keepdims=True) and its gradient')
case('mean', [('axis', '1'), ('exclude', 'True')], [x234], lambda a: mx.nd.mean(a, axis=1, exclude=True), og=U((3,)),
     what='mx.nd.mean(axis=1, exclude=True) and its gradient')
mx_t = np.array([[1.0, 3.0, 3.0], [2.0, 0.5, 2.0]])
case('max', [('axis', '-1')], [mx_t], lambda a: mx.nd.max(a, axis=-1), og=np.array([1.0, 2.0]),
     what='mx.nd.max(axis=-1) with ties and its gradient (every maximum gets it)')
case('min', [('axis', '(0, 2)')], [x234], lambda a: mx.nd.min(a, axis=(0, 2)), og=U((3,)),
     what='mx.nd.min(axis=(0, 2)) and its gradient')
case('max', [], [x234], mx.nd.max, dtype='float64', what='mx.nd.max() of everything, float64')
# creation
section('ka_misc', '_zeros / _ones, add_n, smooth_l1')
case('_zeros', [('shape', '(2, 3)')], [], lambda: mx.nd.zeros((2, 3)), what='mx.nd.zeros((2, 3))')
case('_ones', [('shape', '(2, 2)'), ('dtype', 'float64')], [], lambda: mx.nd.ones((2, 2), dtype='float64'),
     what="mx.nd.ones((2, 2), dtype='float64')")
case('_ones', [('shape', '(3,)'), ('dtype', 'int32')], [], lambda: mx.nd.ones((3,), dtype='int32'),
     what="mx.nd.ones((3,), dtype='int32')")
# add_n / smooth_l1
case('add_n', [('num_args', '3')], [U((2, 3)), U((2, 3)), U((2, 3))], lambda a, b, c: mx.nd.add_n(a, b, c),
     og=U((2, 3)), what='mx.nd.add_n of 3 and its gradients')
xs = np.array([-2.0, -1.0, -0.3, 0.0, 0.1, 0.25, 0.6, 1.0, 3.0])
case('smooth_l1', [('scalar', '1.0')], [xs], lambda a: mx.nd.smooth_l1(a, scalar=1.0), og=np.ones(9),
     what='mx.nd.smooth_l1(scalar=1.0) and its gradient')
case('smooth_l1', [('scalar', '2.0')], [xs], lambda a: mx.nd.smooth_l1(a, scalar=2.0), og=np.arange(1, 10) / 4.0,
     what='mx.nd.smooth_l1(scalar=2.0) and its gradient')
case('smooth_l1', [('scalar', '2.0')], [xs], lambda a: mx.nd.smooth_l1(a, scalar=2.0), dtype='float64',
     what='mx.nd.smooth_l1(scalar=2.0), float64')
print('/* ---- known answers: %d cases generated by tools/mxnet_ref/gen_ops_tensor_cases.py with MXNet 1.9.1 ---- */' % counter[0])
for k, (name, doc, start) in enumerate(sections):
    end = sections[k + 1][2] if k + 1 < len(sections) else len(out)
    print('/* %s */' % doc)
    print('SG_TEST(%s) {' % name)
    print('\n'.join(out[start:end]))
    print('}')
print('/* ---- end of the generated known answers ---- */')
