"""Golden .params and .npy files written by real MXNet 1.9.1 / NumPy, for tests/test_params.c.

Run from the repository root with a Python that has mxnet==1.9.1 installed
(pip install mxnet==1.9.1 'numpy<1.24'):

    python tools/mxnet_ref/gen_params_goldens.py

It writes tests/data/mxnet_golden/:
  params_v2.params     mx.nd.save of a dict: arg:w float32 (2, 3), aux:m float64 (1,)
  params_int32.params  mx.nd.save of a dict: arg:idx int32 (2, 3) with -1 and INT32_MAX
  params_list.params   mx.nd.save of a list (no names, K = 0): float32, uint8, float16,
                       int8, int64, bool
  params_utf8.params   mx.nd.save of a dict with a UTF-8 key
  params_v3.params     mx.npx.save under npx.set_np(): V3 records, a 0-d scalar and a
                       (0, 3) empty array (sg_nd_save writes V2 only: load test only)
  npy_f32.npy          np.save float32 (2, 3)   (v1.0 header identical in every NumPy)
  npy_i64_scalar.npy   np.save int64 0-d array 7
  npy_f64_fortran.npy  np.save of a Fortran-ordered float64 (2, 3)
  npy_i4_big.npy       np.save of a big-endian int32 ('>i4') (3,)
The test checks the values sg_nd_load / sg_nd_load_npy read, and that sg_nd_save /
sg_nd_save_npy of the same arrays reproduce the files byte for byte (V2 and C-order
little-endian ones). Never run by CI: the outputs are committed.
"""
import os
import numpy as np
import mxnet as mx

OUT = 'tests/data/mxnet_golden'


def main():
    os.makedirs(OUT, exist_ok=True)
    p = lambda name: os.path.join(OUT, name)
    mx.nd.save(p('params_v2.params'), {
        'arg:w': mx.nd.array([[1, 2, 3], [4, 5, 6]]),
        'aux:m': mx.nd.array([0.5], dtype='float64')})
    mx.nd.save(p('params_int32.params'), {
        'arg:idx': mx.nd.array(np.array([[-1, 2, 3], [4, 5, 2147483647]], dtype=np.int32), dtype='int32')})
    mx.nd.save(p('params_list.params'), [
        mx.nd.array([1.5, -2.0]),
        mx.nd.array([[7, 255]], dtype='uint8'),
        mx.nd.array([0.5, -1.0, 65504.0], dtype='float16'),
        mx.nd.array([-128, 127], dtype='int8'),
        mx.nd.array(np.array([2 ** 40, -3], dtype=np.int64), dtype='int64'),
        mx.nd.array([True, False, True], dtype='bool')])
    mx.nd.save(p('params_utf8.params'), {'arg:h\u00e9llo_\u65e5\u672c': mx.nd.array([42.0])})
    mx.npx.set_np()
    mx.npx.save(p('params_v3.params'), {'s': mx.np.array(3.5), 'e': mx.np.zeros((0, 3))})
    mx.npx.reset_np()

    np.save(p('npy_f32.npy'), np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float32))
    np.save(p('npy_i64_scalar.npy'), np.array(7, dtype=np.int64))
    np.save(p('npy_f64_fortran.npy'), np.asfortranarray(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float64)))
    np.save(p('npy_i4_big.npy'), np.array([1, -2, 0x01020304], dtype='>i4'))
    for f in sorted(os.listdir(OUT)):
        if f.startswith(('params_', 'npy_')):
            print(f, os.path.getsize(p(f)))


if __name__ == '__main__':
    main()
