#!/bin/sh
# Smoke run of the main job on a subset: the loss must fall and the test accuracy
# beat chance (0.1) by a wide margin. Not a timing test.
bin=build/examples/fashion_mnist
dir=/usr/share/datasets/fashion-mnist
if [ ! -f "$dir/train-images-idx3-ubyte.gz" ]; then
    echo "fashion_smoke: skipped: $dir missing (apt-get install dataset-fashion-mnist)"
    echo "fashion_smoke: 0 passed, 0 failed"
    exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if "$bin" --model mlp --subset 3000 --epochs 3 --batch-size 50 --check --quiet --prefix "$tmp/mlp" --svg "$tmp/mlp.svg"; then
    echo "fashion_smoke: 1 passed, 0 failed"
else
    echo "fashion_smoke: 0 passed, 1 failed"; exit 1
fi
