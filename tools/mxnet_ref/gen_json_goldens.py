"""Golden symbol JSON written by real MXNet 1.9.1, for tests/test_json.c.

Run from the repository root with a Python that has mxnet==1.9.1 installed
(pip install mxnet==1.9.1 'numpy<1.24'):

    python tools/mxnet_ref/gen_json_goldens.py [path/to/shared/interop/mxnet-json]

It writes tests/data/mxnet_golden/built_<name>.json: tojson() of graphs that
tests/test_json.c builds the same way through the C API, and, when the interop
folder is given, <file> = tojson(load(<file>)) for every interop file MXNet loads, and
<name>.lists: its list_arguments, list_outputs, list_auxiliary_states, a line each.
Never run by CI: the outputs are committed.
"""
import glob, os, sys
import mxnet as mx

OUT = 'tests/data/mxnet_golden'

def graphs():
    g = {}
    with mx.name.NameManager():
        A, B, C, D = [mx.sym.Variable(n) for n in 'ABCD']
        g['abcd'] = (A * B) + (C * D)
    with mx.name.NameManager():
        data = mx.sym.Variable('data')
        fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=128)
        relu1 = mx.sym.Activation(data=fc1, name='relu1', act_type='relu')
        fc2 = mx.sym.FullyConnected(relu1, name='fc2', num_hidden=10)
        g['mlp'] = mx.sym.SoftmaxOutput(fc2, name='out')
        g['mlp_group'] = mx.sym.Group([fc1, g['mlp']])
    with mx.name.NameManager():
        d1, d2 = mx.sym.Variable('data1'), mx.sym.Variable('data2')
        g['data12'] = mx.sym.FullyConnected(data=d1 + d2, name='fc1', num_hidden=64)
    with mx.name.NameManager():
        w = mx.sym.Variable('myweight')
        g['myweight'] = mx.sym.FullyConnected(data=mx.sym.Variable('data'), weight=w, name='fc1', num_hidden=32)
    with mx.name.NameManager():
        net = mx.sym.Variable('data')
        fc = mx.sym.FullyConnected(net, num_hidden=128, name='fc1')
        out1 = mx.sym.SoftmaxOutput(data=fc, name='softmax')
        out2 = mx.sym.LinearRegressionOutput(data=fc, name='regression')
        g['group'] = mx.sym.Group([out1, out2])
    with mx.name.NameManager():
        net = mx.sym.Variable('data')
        fc = mx.sym.FullyConnected(net, num_hidden=128)
        out1 = mx.sym.SoftmaxOutput(data=fc)
        out2 = mx.sym.LinearRegressionOutput(data=fc)
        g['group_auto'] = mx.sym.Group([out1, out2])
    with mx.name.NameManager():
        x = mx.sym.Variable('x', shape=(2, 3), lr_mult=0.5, attr={'mood': 'angry'})
        g['bn_var'] = mx.sym.BatchNorm(x, name='bn')
    with mx.name.NameManager():
        data = mx.sym.Variable('data', attr={'mood': 'angry'})
        g['mood_conv'] = mx.sym.Convolution(data=data, name='conv', kernel=(1, 1), num_filter=1,
                                            attr={'__mood__': 'so so'})
        a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
        g['mood_add'] = mx.sym.elemwise_add(a, b, attr={'mood': 'so so'})
    with mx.name.NameManager():
        with mx.AttrScope(group='4', data='great'):
            data = mx.sym.Variable('data', attr={'dtype': 'data', 'group': '1', 'force_mirroring': 'True'}, lr_mult=1)
            gdata = mx.sym.Variable('data2')
        g['attrscope'] = mx.sym.Group([data, gdata])
    with mx.name.NameManager():
        with mx.AttrScope(__group__='4', __data__='great'):
            fc = mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=10, name='fc1')
        g['attrscope_op'] = fc
    with mx.name.NameManager():
        data = mx.sym.Variable('data')
        with mx.name.Prefix('layer1_'):
            net = mx.sym.FullyConnected(data=data, name='fc', num_hidden=100)
        with mx.name.Prefix('layer2_'):
            net = mx.sym.FullyConnected(data=net, name='fc', num_hidden=10)
        g['prefix'] = net
    with mx.name.NameManager():
        data = mx.sym.Variable('data')
        net1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=10)
        net1 = mx.sym.FullyConnected(data=net1, name='fc2', num_hidden=100)
        net2 = mx.sym.FullyConnected(name='fc3', num_hidden=10)
        net2 = mx.sym.Activation(data=net2, act_type='relu')
        net2 = mx.sym.FullyConnected(data=net2, name='fc4', num_hidden=20)
        g['compose'] = net2(fc3_data=net1, name='composed')
    with mx.name.NameManager():
        a = mx.sym.Variable('a')
        g['scalars'] = mx.sym.Group([a + 1, 1 + a, a - 1, 1 - a, a * 2, -a, a / 2, 2 / a, a ** 2, 2 ** a, a - 127.5])
    with mx.name.NameManager():
        data = mx.sym.Variable('data')
        s = mx.sym.SliceChannel(data, num_outputs=3, name='slice')
        g['concat_slice'] = mx.sym.Concat(s[0], s[1], s[2], dim=1)
    with mx.name.NameManager():
        data = mx.sym.Variable('data')
        c = mx.sym.Convolution(data, kernel=(3, 3), num_filter=8, pad=(1, 1), name='conv')
        b = mx.sym.BatchNorm(c, fix_gamma=False, name='bn')
        r = mx.sym.LeakyReLU(b, act_type='prelu', name='prelu')
        p = mx.sym.Pooling(r, kernel=(2, 2), stride=(2, 2), pool_type='max', name='pool')
        q = mx.sym.Pooling(p, global_pool=True, pool_type='avg', kernel=(1, 1), name='gap')
        d = mx.sym.Dropout(mx.sym.Flatten(q), p=0.5)
        g['convnet'] = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(d, num_hidden=10), name='softmax')
    with mx.name.NameManager():
        data = mx.sym.Variable('data')
        fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=10)
        fc2 = mx.sym.FullyConnected(data=fc1, name='fc2', num_hidden=10)
        internals = fc2.get_internals()
        g['internals_pick'] = mx.sym.FullyConnected(internals['fc1_output'], num_hidden=3, name='head')
    return g

def main():
    os.makedirs(OUT, exist_ok=True)
    for name, sym in graphs().items():
        with open(os.path.join(OUT, 'built_%s.json' % name), 'w') as f:
            f.write(sym.tojson())
    if len(sys.argv) > 1:
        for path in sorted(glob.glob(os.path.join(sys.argv[1], '*.json'))):
            try:
                s = mx.sym.load(path)
            except mx.base.MXNetError:
                continue
            with open(os.path.join(OUT, os.path.basename(path)), 'w') as f:
                f.write(s.tojson())
            with open(os.path.join(OUT, os.path.basename(path)[:-5] + '.lists'), 'w') as f:
                for lst in (s.list_arguments(), s.list_outputs(), s.list_auxiliary_states()):
                    f.write(' '.join(lst) + '\n')

if __name__ == '__main__':
    main()
