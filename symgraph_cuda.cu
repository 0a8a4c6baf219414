/* symgraph_cuda.cu - the optional CUDA companion of symgraph.h (v0.1).
 *
 * Build:  nvcc -O2 -c symgraph_cuda.cu -o symgraph_cuda.o   (or: make cuda)
 *
 * WHAT IT DOES NOT YET DO: this version registers no GPU kernels. symgraph.h
 * has no executor yet (it arrives with the executor issue), so there is nothing
 * to register kernels with. sg_cuda_init() only reports whether a CUDA device is
 * present; binding to a GPU device is not possible in this version. The GPU
 * kernels, device NDArrays and the registration call come with the CUDA issue.
 */
#include "symgraph.h"
#include <cuda_runtime.h>
#include <stdio.h>

extern "C" {

/* Returns the number of CUDA devices (0 when none or no driver), and writes
 * CUDA's message to msg (msgsz bytes) when the runtime reports an error. */
int sg_cuda_init(char *msg, size_t msgsz) {
    int n = 0;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
        if (msg && msgsz) snprintf(msg, msgsz, "CUDA: %s", cudaGetErrorString(e));
        return 0;
    }
    if (msg && msgsz) msg[0] = 0;
    return n;
}

}
