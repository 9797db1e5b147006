"""Forward pass: nnkit against bare NumPy and PyTorch on the same weights.

The network is the course's digit MLP, 784 → 256 → 128 → 10 with ReLU, in
float32 and float64, for one input ``(784,)`` and batches of 64 and 4096.

- *bare NumPy* is the fastest of a few hand-written chains (weights as given,
  weights pre-transposed, ``W @ x`` for one input), measured in the same
  rounds; the fastest one is the practical limit of a NumPy library.
- *PyTorch* is ``torch.nn.Sequential`` of ``Linear``/``ReLU`` holding the same
  numbers, run under ``torch.no_grad()`` with NumPy's BLAS thread count. It is
  optional: without ``torch`` its rows say so and are skipped.

At batch 4096 the note gives the achieved GFLOP/s next to what one matrix
product of the first layer's size reaches on this machine, timed in the same
rounds.
"""

from __future__ import annotations

import itertools

import numpy as np

from benchmarks import blas_threads, check_same, compare, row
from nnkit.network import Network

AREA = "forward"
SIZES = [784, 256, 128, 10]
BATCHES = (1, 64, 4096)
SMOKE_BATCHES = (1, 64, 512)  # the same code paths in a fraction of the time
DTYPES = ("float32", "float64")
# The forward pass is the plain loop a learner reads, with its input checks: at batch 1
# the checks show (no target, the figure is reported), at 64 and up the products dominate.
TARGET_VS_NUMPY = {1: None, 64: 1.10, 512: 1.10, 4096: 1.05}
TARGET_VS_TORCH = {1: 0.70, 64: 1.00, 512: 1.15, 4096: 1.15}
TOLERANCE = {"float32": (1e-4, 1e-5), "float64": (1e-10, 1e-12)}  # rtol, atol


def flops(batch: int) -> int:
    """Multiply-adds of the three matrix products, counted as 2 FLOPs each."""
    return 2 * batch * sum(a * b for a, b in itertools.pairwise(SIZES))


def numpy_chains(net: Network, x: np.ndarray) -> dict:
    """Hand-written NumPy forward passes for copies of the network's weights.

    The weights are held the way one writes them, ``W`` as ``(n_out, n_in)``
    row by row, and, for the second chain, transposed once ahead of time.
    """
    Ws = [np.ascontiguousarray(layer.W) for layer in net.layers]  # (n_out, n_in), rows
    bs = [layer.b.copy() for layer in net.layers]
    transposed = [np.ascontiguousarray(W.T) for W in Ws]
    last = len(Ws) - 1

    def weights_as_given():
        a = x
        for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            a = a @ W.T
            a += b
            if i < last:
                np.maximum(a, 0, out=a)
        return a

    def pre_transposed():
        a = x
        for i, (Wt, b) in enumerate(zip(transposed, bs, strict=True)):
            a = a @ Wt
            a += b
            if i < last:
                np.maximum(a, 0, out=a)
        return a

    def matrix_times_vector():
        a = x
        for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            a = W @ a
            a += b
            if i < last:
                np.maximum(a, 0, out=a)
        return a

    chains = {"NumPy, W.T": weights_as_given, "NumPy, pre-transposed": pre_transposed}
    if x.ndim == 1:
        chains["NumPy, W @ x"] = matrix_times_vector
    return chains


def torch_forward(net: Network, x: np.ndarray):
    """PyTorch's forward pass on the same weights, or ``None`` without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(blas_threads())
    dtype = getattr(torch, net.dtype.name)
    layers = []
    for index, layer in enumerate(net.layers):
        linear = torch.nn.Linear(layer.n_in, layer.n_out, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(layer.W))  # the same (n_out, n_in) layout
            linear.bias.copy_(torch.from_numpy(layer.b))
        layers.append(linear)
        if index < len(net.layers) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers).eval()
    inputs = torch.from_numpy(x)

    def forward():
        with torch.no_grad():
            return model(inputs)

    return forward


def one_matmul(dtype: str, batch: int):
    """One product of the first layer's size, ``(batch, 784) @ (784, 256)``, to time alongside."""
    rng = np.random.default_rng(2)
    a = rng.random((batch, 784)).astype(dtype)
    b = rng.random((784, 256)).astype(dtype)
    return lambda: a @ b


def run(smoke: bool) -> list[dict]:
    rounds, seconds = (1, 0.001) if smoke else (21, 0.05)
    batches = SMOKE_BATCHES if smoke else BATCHES
    rows = []
    for dtype in DTYPES:
        net = Network.from_sizes(SIZES, activation="relu", dtype=dtype, seed=0)
        for batch in batches:
            rng = np.random.default_rng(1)
            x = rng.random((batch, 784) if batch > 1 else 784).astype(dtype)
            variants = {"nnkit": lambda net=net, x=x: net.forward(x), **numpy_chains(net, x)}
            torch_fn = torch_forward(net, x)
            if torch_fn is not None:
                variants["PyTorch"] = torch_fn
            check_same({name: np.asarray(f()) for name, f in variants.items()}, *TOLERANCE[dtype])
            large = batch == batches[-1]
            if large:  # the machine's reference speed, timed in the same rounds
                variants["one matmul"] = one_matmul(dtype, batch)
            times = compare(variants, rounds, seconds)
            rows.extend(_rows(dtype, batch, times, torch_fn is not None, large))
    return rows


def _rows(dtype, batch, times, have_torch, large) -> list[dict]:
    name = f"784→256→128→10 {dtype}, " + ("one input" if batch == 1 else f"batch {batch}")
    chains = {k: v for k, v in times.items() if k.startswith("NumPy")}
    fastest = min(chains, key=chains.get)
    nnkit_s, numpy_s = times["nnkit"], chains[fastest]
    others = ", ".join(f"{k[7:]} {v * 1e6:.1f} µs" for k, v in chains.items())
    rows = [
        row(AREA, name, "bare NumPy", numpy_s, note=f"fastest chain: {fastest[7:]} ({others})"),
        row(AREA, name, "nnkit / bare NumPy", nnkit_s, nnkit_s / numpy_s, TARGET_VS_NUMPY[batch]),
    ]
    if have_torch:
        torch_s = times["PyTorch"]
        rows.append(row(AREA, name, "PyTorch", torch_s))
        rows.append(
            row(AREA, name, "nnkit / PyTorch", nnkit_s, nnkit_s / torch_s, TARGET_VS_TORCH[batch],
                note=f"bare NumPy / PyTorch = {numpy_s / torch_s:.2f}")
        )
    else:
        rows.append(row(AREA, name, "PyTorch", None, note="skipped: torch is not installed "
                        "(pip install -e '.[bench]')"))
    if large:
        achieved = {k: flops(batch) / t / 1e9 for k, t in
                    (("nnkit", nnkit_s), ("bare NumPy", numpy_s)) +
                    ((("PyTorch", times["PyTorch"]),) if have_torch else ())}
        text = ", ".join(f"{k} {v:.1f}" for k, v in achieved.items())
        matmul_s = times["one matmul"]
        matmul_gflops = 2 * batch * 784 * 256 / matmul_s / 1e9
        rows.append(row(AREA, f"one matmul {batch}×784 @ 784×256, {dtype}", "NumPy", matmul_s,
                        note=f"{matmul_gflops:.1f} GFLOP/s: this machine's BLAS, for reference"))
        rows.append(row(AREA, name, "GFLOP/s", None,
                        note=f"{text} GFLOP/s; one matmul reaches {matmul_gflops:.1f}"))
    return rows
