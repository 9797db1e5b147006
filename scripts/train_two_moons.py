"""Train the small two-moons classifier that lesson 4 runs a forward pass through.

Everything here is plain NumPy and seeded, so running the script again writes the
same numbers:

    python scripts/train_two_moons.py            # writes src/nnkit/data/two_moons.npz
    python scripts/train_two_moons.py --output /tmp/check.npz

The data set: two interleaving half circles ("moons") with a little Gaussian
noise, one class each. The network: 2 inputs → 16 ReLU → 16 ReLU → 2 softmax
outputs, trained by plain full-batch gradient descent on the cross-entropy loss.
Weights follow nnkit's layout: one row per neuron, ``W.shape == (n_out, n_in)``.

The file holds the weights (``W1, b1, W2, b2, W3, b3``), the training points
(``X, y``) and the accuracies the script measured (``train_accuracy`` on those
points, ``test_accuracy`` on fresh points from the same distribution that are not
shipped).
"""

from __future__ import annotations

import argparse
from itertools import pairwise
from pathlib import Path

import numpy as np

SEED = 2024
SIZES = (2, 16, 16, 2)
N_TRAIN = 200
N_TEST = 1000
NOISE = 0.15
LEARNING_RATE = 0.2
STEPS = 1000
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "src" / "nnkit" / "data" / "two_moons.npz"


def make_moons(n_points: int, noise: float, rng: np.random.Generator):
    """Two interleaving half circles: class 0 on top, class 1 below, centred near 0."""
    labels = np.arange(n_points) % 2
    angles = rng.uniform(0.0, np.pi, size=n_points)
    upper = np.column_stack([np.cos(angles), np.sin(angles)])
    lower = np.column_stack([1.0 - np.cos(angles), 0.5 - np.sin(angles)])
    points = np.where(labels[:, None] == 0, upper, lower)
    points = points + rng.normal(0.0, noise, size=points.shape)
    points = points - np.array([0.5, 0.25])  # centre the two moons on the origin
    return np.round(points, 3), labels.astype(np.int64)


def init_layers(sizes, rng: np.random.Generator):
    """He-initialised weights (one row per neuron) and zero biases."""
    layers = []
    for n_in, n_out in pairwise(sizes):
        W = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in))
        layers.append([W, np.zeros(n_out)])
    return layers


def softmax(z):
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def forward(X, layers):
    """Every layer's pre-activation and output; ReLU hidden layers, softmax output."""
    outputs, pre_activations = [X], []
    for index, (W, b) in enumerate(layers):
        z = outputs[-1] @ W.T + b
        last = index == len(layers) - 1
        pre_activations.append(z)
        outputs.append(softmax(z) if last else np.maximum(z, 0.0))
    return pre_activations, outputs


def gradient_step(X, y, layers, learning_rate):
    """One step of full-batch gradient descent on the mean cross-entropy; returns the loss."""
    pre_activations, outputs = forward(X, layers)
    probabilities = outputs[-1]
    n = len(X)
    loss = -np.mean(np.log(probabilities[np.arange(n), y]))
    delta = probabilities.copy()
    delta[np.arange(n), y] -= 1.0
    delta /= n
    for index in range(len(layers) - 1, -1, -1):
        W, b = layers[index]
        grad_W = delta.T @ outputs[index]
        grad_b = delta.sum(axis=0)
        if index > 0:
            delta = (delta @ W) * (pre_activations[index - 1] > 0)
        layers[index][0] = W - learning_rate * grad_W
        layers[index][1] = b - learning_rate * grad_b
    return loss


def accuracy(X, y, layers) -> float:
    _, outputs = forward(X, layers)
    return float(np.mean(outputs[-1].argmax(axis=1) == y))


def train(seed: int = SEED):
    """Generate the data, train the network, and return everything the file stores."""
    rng = np.random.default_rng(seed)
    X, y = make_moons(N_TRAIN, NOISE, rng)
    X_test, y_test = make_moons(N_TEST, NOISE, rng)
    layers = init_layers(SIZES, rng)
    losses = [gradient_step(X, y, layers, LEARNING_RATE) for _ in range(STEPS)]
    result = {"X": X, "y": y}
    for number, (W, b) in enumerate(layers, start=1):
        result[f"W{number}"] = W
        result[f"b{number}"] = b
    result["train_accuracy"] = np.float64(accuracy(X, y, layers))
    result["test_accuracy"] = np.float64(accuracy(X_test, y_test, layers))
    result["final_loss"] = np.float64(losses[-1])
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    result = train()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.output, **result)
    sizes = " → ".join(str(s) for s in SIZES)
    print(f"network {sizes}, {STEPS} gradient-descent steps, learning rate {LEARNING_RATE}")
    print(f"final cross-entropy loss {float(result['final_loss']):.4f}")
    print(f"train accuracy {float(result['train_accuracy']):.3f} on {N_TRAIN} shipped points")
    print(f"test accuracy  {float(result['test_accuracy']):.3f} on {N_TEST} fresh points")
    print(f"wrote {args.output} ({args.output.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
