# Writes the .npy fixtures of NpyArrayTest with NumPy (Debian's python3-numpy): every array holds
# 0, 1, 2, ... in the C order of its logical shape, so sample i of a file of samples of S elements
# holds i*S ... (i+1)*S - 1 whatever the file's byte order, element type or memory order.
import numpy as np
from numpy.lib import format as npf

def values(shape, dtype):
    return (np.arange(np.prod(shape)) % (256 if dtype == np.uint8 else 10**6)).astype(dtype).reshape(shape)

np.save("nhwc-float32.npy", values((2, 3, 4, 2), np.float32))                        # N x H x W x C
np.save("nchw-float32-fortran.npy", np.asfortranarray(values((2, 2, 3, 4), np.float32)))  # N x C x H x W, Fortran order
np.save("nhwc-float32-big-endian.npy", values((2, 3, 4, 2), np.float32).astype(">f4"))
np.save("nhwc-uint8.npy", values((3, 3, 4, 2), np.uint8))
np.save("nhwc-float64.npy", values((2, 3, 4, 2), np.float64))
with open("nhwc-float32-v2.npy", "wb") as f:
    npf.write_array(f, values((2, 3, 4, 2), np.float32), version=(2, 0))
raw = open("nhwc-float32.npy", "rb").read()
open("nhwc-float32-truncated.npy", "wb").write(raw[:-10])
