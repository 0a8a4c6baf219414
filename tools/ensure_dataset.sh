#!/bin/sh
# Make sure Debian's dataset-fashion-mnist is installed (the main job's data).
dir=${1:-/usr/share/datasets/fashion-mnist}
[ -f "$dir/train-images-idx3-ubyte.gz" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's dataset-fashion-mnist (apt-get) ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y dataset-fashion-mnist >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y dataset-fashion-mnist; }
    [ -f "$dir/train-images-idx3-ubyte.gz" ] && exit 0
fi
echo "The Fashion-MNIST files are missing from $dir. Install them with:"
echo "    sudo apt-get install dataset-fashion-mnist"
exit 1
