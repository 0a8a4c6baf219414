"""Golden outputs of real MXNet 1.9.1 for the command-line tool (tests/test_cli.sh).

Run from the repository root with a Python that has mxnet==1.9.1 and graphviz
(the Python package; 0.8.4 was used) installed:

    python tools/mxnet_ref/gen_cli_goldens.py [path/to/shared/interop/mxnet-json]

(the interop folder defaults to ../shared/interop/mxnet-json). It writes into
tests/data/cli/:

  <graph>-symbol.json   the test graphs, built with MXNet and saved by it: the
                        seed graphs (abcd, mlp, lenet), the FullyConnected-only
                        MLP that `run` and `embed` use (fcmlp), and small graphs
                        that exercise plot_network's and print_summary's quirks;
  fcmlp-0000.params     its parameters (mx.nd.save, arg: keys, as a checkpoint),
  fcmlp_input.npy       an input batch (np.save), fcmlp_expected.txt the outputs
                        of MXNet's forward pass ("%.9g" per value),
  <case>.info.json      what `symgraph info --json` must print: list_arguments /
                        list_outputs / list_auxiliary_states, infer_shape
                        (infer_shape_partial when incomplete: unknown shape null,
                        unknown dim -1), infer_type with the shaped inputs float32,
                        num_params (arguments other than the shaped inputs and the
                        names ending in "label", plus aux states);
  <case>.summary.txt    mx.viz.print_summary's stdout,
  <case>*.dot           mx.viz.plot_network(...).source plus a newline,
  <golden>.err          instead of <golden>: the exception MXNet raised (the tool
                        must exit 1),
  <golden>.sha256       instead of a golden over 200 kB: its SHA-256,
  cases.txt             one line per golden: the golden file, a tab, the symgraph
                        arguments that must reproduce it (@I@ = the interop folder,
                        @D@ = tests/data/cli).

No normalisation is applied: graphviz's Python package writes the .source
(labels with real newlines, attributes sorted by key) and the C library writes
the same bytes. Never run by CI: the outputs are committed.
"""
import contextlib, hashlib, io, json, os, re, sys, warnings
import numpy as np
import mxnet as mx

warnings.simplefilter('ignore')
OUT = 'tests/data/cli'
INTEROP = sys.argv[1] if len(sys.argv) > 1 else '../shared/interop/mxnet-json'


def graphs():
    g = {}
    with mx.name.NameManager():
        A, B, C, D = [mx.sym.Variable(n) for n in 'ABCD']
        g['abcd'] = ((A * B) + (C * D), {n: (2, 3) for n in 'ABCD'})
    with mx.name.NameManager():
        data = mx.sym.Variable('data')
        fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=128)
        relu1 = mx.sym.Activation(data=fc1, name='relu1', act_type='relu')
        fc2 = mx.sym.FullyConnected(relu1, name='fc2', num_hidden=10)
        g['mlp'] = (mx.sym.SoftmaxOutput(fc2, name='out'), {'data': (64, 784)})
    with mx.name.NameManager():  # examples/fashion_mnist.c build_cnn
        x = mx.sym.Variable('data')
        x = mx.sym.Convolution(x, kernel=(5, 5), num_filter=32, name='conv1')
        x = mx.sym.BatchNorm(x, fix_gamma=False, name='bn1')
        x = mx.sym.Activation(x, act_type='relu', name='relu1')
        x = mx.sym.Pooling(x, kernel=(2, 2), pool_type='max', stride=(2, 2), name='pool1')
        x = mx.sym.Convolution(x, kernel=(5, 5), num_filter=64, name='conv2')
        x = mx.sym.BatchNorm(x, fix_gamma=False, name='bn2')
        x = mx.sym.Activation(x, act_type='relu', name='relu2')
        x = mx.sym.Pooling(x, kernel=(2, 2), pool_type='max', stride=(2, 2), name='pool2')
        x = mx.sym.Flatten(x, name='flatten0')
        x = mx.sym.Activation(mx.sym.FullyConnected(x, num_hidden=256, name='fc1'), act_type='relu', name='relu3')
        x = mx.sym.Dropout(x, p=0.3, name='drop1')
        x = mx.sym.FullyConnected(x, num_hidden=10, name='fc2')
        g['lenet'] = (mx.sym.SoftmaxOutput(x, name='softmax'), {'data': (64, 1, 28, 28)})
    with mx.name.NameManager():  # FullyConnected only: runs with the FC kernel alone
        x = mx.sym.Variable('data')
        x = mx.sym.FullyConnected(x, num_hidden=3, name='fc1')
        g['fcmlp'] = (mx.sym.FullyConnected(x, num_hidden=2, name='fc2'), {'data': (2, 4)})
    with mx.name.NameManager():  # labels: stride, groups, no_bias, global pool, prelu, split
        x = mx.sym.Variable('data')
        c = mx.sym.Convolution(x, kernel=(3, 3), stride=(2, 2), pad=(1, 1), num_filter=4, no_bias=True,
                               name='conv_s2')
        c = mx.sym.BatchNorm(c, name='bn')
        c = mx.sym.LeakyReLU(c, name='lrelu')
        p = mx.sym.Pooling(c, global_pool=True, pool_type='avg', kernel=(1, 1), name='gpool')
        q = mx.sym.Pooling(c, kernel=(2, 2), pool_type='max', name='pool')
        q = mx.sym.Convolution(q, kernel=(1, 1), num_filter=4, num_group=2, name='conv_g')
        q = mx.sym.LeakyReLU(q, act_type='prelu', name='prelu')
        s = mx.sym.SliceChannel(q, num_outputs=2, axis=1, name='split')
        q = mx.sym.Concat(s[0], s[1], dim=1, name='cat')
        q = mx.sym.Activation(q, act_type='tanh', name='act')
        r = mx.sym.Reshape(p, shape=(0, -1), name='rs')
        f = mx.sym.FullyConnected(q, num_hidden=5, name='fc4d')      # un-flattened 4-D input
        h = mx.sym.FullyConnected(mx.sym.Flatten(q, name='flat'), num_hidden=5, no_bias=True, name='fc_nb')
        g['vizops'] = (mx.sym.Group([f + h, r]), {'data': (2, 3, 8, 8)})
    with mx.name.NameManager():  # names that need quoting, a port-like name, Embedding, heads quirk
        tok = mx.sym.Variable('node')
        e = mx.sym.Embedding(tok, input_dim=10, output_dim=6, name='emb')
        a = mx.sym.Variable('in put')
        b = mx.sym.Variable('a:b')
        c = mx.sym.Variable('say"hi"')
        s = mx.sym.SliceChannel(e, num_outputs=3, axis=2, name='sl')
        t = mx.sym.broadcast_add(s[2], a) * b + c
        g['names'] = (mx.sym.Group([s[1], t]), {'node': (4, 5), 'in put': (4, 5, 1), 'a:b': (4, 5, 2),
                                                'say"hi"': (4, 5, 2)})
    return g


INTEROP_SHAPES = {
    'mlp_v1.4': {'data': (64, 784)},
    'legacy0800_mlp_bn': {'data': (1, 200)},
    'gluon_lenet_v1.4.1': {'data': (1, 1, 28, 28)},
    'gluon_mnist_v1.6': {'data': (1, 1, 28, 28)},
    'squeezenet_v1.1': {'data': (1, 3, 224, 224)},
    'squeezenet_v1.2': {'data': (1, 3, 224, 224)},
    'mobilenet_v2': {'data': (1, 3, 224, 224)},
    'mobilefacenet': {'data': (1, 3, 112, 112)},
    'resnet-18': {'data': (1, 3, 224, 224)},
    'resnet-50': {'data': (1, 3, 224, 224)},
    'vgg16_reduced': {'data': (1, 3, 224, 224)},
    'mkldnn_conv_model1_v1.2': {'data': (32, 3, 300, 300)},
    'lstm_ptb_fusedrnn': {'data': (60, 1)},
    'ssd_300_train': {'data': (1, 3, 300, 300)},
}
_cl = {}
for i in range(129):
    _cl['data/%d' % i] = (32,)
    _cl['label/%d' % i] = (32,)
for l in range(3):
    _cl['l%d_init_h' % l] = (32, 512)
    _cl['l%d_init_c' % l] = (32, 512)
INTEROP_SHAPES['char_lstm_unrolled'] = _cl


LEGACY = """{
  "nodes": [
    {"op": "null", "param": {}, "name": "data", "inputs": [], "backward_source_id": -1, "attr": {"mood": "calm"}},
    {"op": "null", "param": {}, "name": "fc1_weight", "inputs": [], "backward_source_id": -1},
    {"op": "null", "param": {}, "name": "fc1_bias", "inputs": [], "backward_source_id": -1},
    {"op": "FullyConnected", "param": {"no_bias": "False", "num_hidden": "3"}, "name": "fc1", "inputs": [[0, 0], [1, 0], [2, 0]], "backward_source_id": -1},
    {"op": "null", "param": {}, "name": "other", "inputs": [], "backward_source_id": -1},
    {"op": "_Plus", "param": {}, "name": "_plus0", "inputs": [[3, 0], [4, 0]], "backward_source_id": -1},
    {"op": "null", "param": {}, "name": "sm_label", "inputs": [], "backward_source_id": -1},
    {"op": "Softmax", "param": {"grad_scale": "1", "ignore_label": "-1", "multi_output": "False", "normalization": "null", "use_ignore": "False"}, "name": "sm", "inputs": [[5, 0], [6, 0]], "backward_source_id": -1}
  ],
  "arg_nodes": [0, 1, 2, 4, 6],
  "heads": [[7, 0]]
}
"""


def shape_args(shapes):
    r = []
    for k, v in shapes.items():
        r += ['--shape', '%s=%s' % (k, ','.join(str(d) for d in v))]
    return r


def info(sym, shapes):
    args, outs, aux = sym.list_arguments(), sym.list_outputs(), sym.list_auxiliary_states()
    a, o, x = sym.infer_shape(**shapes)
    if a is None:
        a, o, x = sym.infer_shape_partial(**shapes)
        fix = lambda s: None if len(s) == 0 else [d if d > 0 else -1 for d in s]
    else:
        fix = lambda s: list(s)
    ta, to, tx = sym.infer_type(**{k: np.float32 for k in shapes})
    if ta is None:
        ta, to, tx = sym.infer_type_partial(**{k: np.float32 for k in shapes})
    tn = lambda t: None if t is None else np.dtype(t).name
    res = {'arguments': args, 'outputs': outs, 'aux_states': aux,
           'arg_shapes': {n: fix(s) for n, s in zip(args, a)},
           'out_shapes': {n: fix(s) for n, s in zip(outs, o)},
           'aux_shapes': {n: fix(s) for n, s in zip(aux, x)},
           'arg_dtypes': {n: tn(t) for n, t in zip(args, ta)},
           'out_dtypes': {n: tn(t) for n, t in zip(outs, to)},
           'aux_dtypes': {n: tn(t) for n, t in zip(aux, tx)}}
    total = 0
    for n in [n for n in args if n not in shapes and not n.endswith('label')] + aux:
        s = res['arg_shapes'].get(n) if n in res['arg_shapes'] else res['aux_shapes'].get(n)
        if s is None or any(d < 0 for d in s):
            total = None
            break
        total += int(np.prod(s, dtype=np.int64))
    res['num_params'] = total
    return json.dumps(res, ensure_ascii=False) + '\n'


def capture(fn):
    f = io.StringIO()
    with contextlib.redirect_stdout(f):
        fn()
    return f.getvalue()


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = []

    def emit(fname, args, fn):
        try:
            text = fn()
            if len(text) > 200000:  # big goldens (char-lstm's DOT) are kept as their SHA-256
                fname += '.sha256'
                text = hashlib.sha256(text.encode('utf-8')).hexdigest() + '\n'
            with open(os.path.join(OUT, fname), 'w', encoding='utf-8', newline='') as f:
                f.write(text)
            cases.append((fname, args))
        except Exception as e:  # MXNet raised: the tool must fail too
            err = fname + '.err'
            msg = re.sub(r'\[\d\d:\d\d:\d\d\] ', '', str(e).splitlines()[0] if str(e) else '')
            with open(os.path.join(OUT, err), 'w') as f:
                f.write('%s: %s\n' % (type(e).__name__, msg))
            cases.append((err, args))

    todo = []
    for name, (sym, shapes) in graphs().items():
        sym.save(os.path.join(OUT, name + '-symbol.json'))
        todo.append((name, '@D@/%s-symbol.json' % name, sym, shapes))
    for name, shapes in sorted(INTEROP_SHAPES.items()):
        path = os.path.join(INTEROP, name + '-symbol.json')
        if not os.path.exists(path):
            print('skip (missing):', path)
            continue
        try:
            sym = mx.sym.load(path)
        except Exception as e:
            sym = e
        todo.append(('interop_' + name, '@I@/%s-symbol.json' % name, sym, shapes))

    for case, path, sym, shapes in todo:
        sa = shape_args(shapes)

        def need():
            if isinstance(sym, Exception):
                raise sym
            return sym
        emit(case + '.info.json', ['info', path] + sa + ['--json'], lambda: info(need(), shapes))
        emit(case + '.summary.txt', ['summary', path] + sa,
             lambda: capture(lambda: mx.viz.print_summary(need(), shape=shapes)))
        emit(case + '.dot', ['dot', path] + sa, lambda: mx.viz.plot_network(need(), shape=shapes).source + '\n')
        emit(case + '.noshape.dot', ['dot', path], lambda: mx.viz.plot_network(need()).source + '\n')
        if not case.startswith('interop_') or case in ('interop_resnet-18', 'interop_mobilefacenet'):
            emit(case + '.weights.dot', ['dot', path] + sa + ['--show-weights'],
                 lambda: mx.viz.plot_network(need(), shape=shapes, hide_weights=False).source + '\n')
            emit(case + '.noshape.summary.txt', ['summary', path],
                 lambda: capture(lambda: mx.viz.print_summary(need())))
    # option variants on the seed MLP
    mlp, shapes = graphs()['mlp']
    p, sa = '@D@/mlp-symbol.json', shape_args(shapes)
    emit('mlp.f16.dot', ['dot', p] + sa + ['--dtype', 'data=float16'],
         lambda: mx.viz.plot_network(mlp, shape=shapes, dtype={'data': np.float16}).source + '\n')
    emit('mlp.f32.noshape.dot', ['dot', p, '--dtype', 'data=float32'],
         lambda: mx.viz.plot_network(mlp, dtype={'data': np.float32}).source + '\n')
    emit('mlp.attrs.dot', ['dot', p] + sa + ['--title', 'my net', '--node-attr', 'fixedsize=false',
                                               '--node-attr', 'fontname=Helvetica'],
         lambda: mx.viz.plot_network(mlp, title='my net', shape=shapes,
                                     node_attrs={'fixedsize': 'false', 'fontname': 'Helvetica'}).source + '\n')
    emit('mlp.ll80.summary.txt', ['summary', p] + sa + ['--line-length', '80'],
         lambda: capture(lambda: mx.viz.print_summary(mlp, shape=shapes, line_length=80)))
    emit('mlp.convert.json', ['convert', p], lambda: mlp.tojson() + '\n')
    if os.path.exists(os.path.join(INTEROP, 'legacy0800_mlp_bn-symbol.json')):
        emit('interop_legacy0800_mlp_bn.convert.json', ['convert', '@I@/legacy0800_mlp_bn-symbol.json'],
             lambda: mx.sym.load(os.path.join(INTEROP, 'legacy0800_mlp_bn-symbol.json')).tojson() + '\n')

    # convert: a hand-written MXNet 0.8 (pre-NNVM) file: `param`, pairs, aliases
    with open(os.path.join(OUT, 'legacy_plus-symbol.json'), 'w') as f:
        f.write(LEGACY)
    emit('legacy_plus.convert.json', ['convert', '@D@/legacy_plus-symbol.json'],
         lambda: mx.sym.load(os.path.join(OUT, 'legacy_plus-symbol.json')).tojson() + '\n')
    emit('legacy_plus.info.json', ['info', '@D@/legacy_plus-symbol.json', '--shape', 'data=2,4', '--json'],
         lambda: info(mx.sym.load(os.path.join(OUT, 'legacy_plus-symbol.json')), {'data': (2, 4)}))

    # run: the FullyConnected-only MLP with known weights and input
    fcmlp, _ = graphs()['fcmlp']
    rng = np.random.RandomState(7)
    params = {'fc1_weight': rng.uniform(-1, 1, (3, 4)), 'fc1_bias': rng.uniform(-1, 1, (3,)),
              'fc2_weight': rng.uniform(-1, 1, (2, 3)), 'fc2_bias': rng.uniform(-1, 1, (2,))}
    params = {k: mx.nd.array(v.astype(np.float32)) for k, v in params.items()}
    mx.nd.save(os.path.join(OUT, 'fcmlp-0000.params'), {'arg:' + k: v for k, v in params.items()})
    x = rng.uniform(-2, 2, (2, 4)).astype(np.float32)
    np.save(os.path.join(OUT, 'fcmlp_input.npy'), x)
    ex = fcmlp.bind(mx.cpu(), dict(params, data=mx.nd.array(x)))
    y = ex.forward()[0].asnumpy()
    with open(os.path.join(OUT, 'fcmlp_expected.txt'), 'w') as f:
        for v in y.reshape(-1):
            f.write('%.9g\n' % v)
    np.save(os.path.join(OUT, 'fcmlp_expected.npy'), y)

    with open(os.path.join(OUT, 'cases.txt'), 'w', encoding='utf-8') as f:
        for fname, args in cases:
            f.write(fname + '\t' + '\t'.join(args) + '\n')
    print('wrote %d goldens to %s' % (len(cases), OUT))


if __name__ == '__main__':
    main()
