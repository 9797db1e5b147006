"""The shipped two-moons classifier (lesson 4) and the script that trains it.

``scripts/train_two_moons.py`` generates the data, trains the network and writes
``src/nnkit/data/two_moons.npz``; ``nnkit.examples.two_moons_network()`` loads it.
These tests check that the loaded network does what the script reported, and
that running the script again reproduces the shipped file.
"""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnkit import Network
from nnkit.examples import two_moons_network

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "train_two_moons.py"
SHIPPED = ROOT / "src" / "nnkit" / "data" / "two_moons.npz"


@pytest.fixture(scope="module")
def shipped():
    with np.load(SHIPPED) as data:
        return {name: data[name] for name in data.files}


def test_loader_gives_a_2_16_16_2_network_and_the_shipped_points(shipped):
    network, points, labels = two_moons_network()
    assert isinstance(network, Network)
    assert list(network.sizes) == [2, 16, 16, 2]
    assert points.shape == (len(labels), 2)
    np.testing.assert_array_equal(points, shipped["X"])
    np.testing.assert_array_equal(labels, shipped["y"])
    assert sorted(np.unique(labels).tolist()) == [0, 1]


def test_network_classifies_the_points_with_the_accuracy_the_script_reported(shipped):
    network, points, labels = two_moons_network()
    accuracy = float(np.mean(network.predict(points) == labels))
    assert accuracy == pytest.approx(float(shipped["train_accuracy"]), abs=1e-12)
    assert accuracy >= 0.95, f"the shipped classifier only gets {accuracy:.1%} of its points"


def test_outputs_are_probabilities():
    network, points, _ = two_moons_network()
    probabilities = network.forward(points)
    assert probabilities.shape == (len(points), 2)
    assert np.all(probabilities >= 0.0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-12)


def test_shipped_weights_follow_the_one_row_per_neuron_layout(shipped):
    for number, (n_in, n_out) in enumerate([(2, 16), (16, 16), (16, 2)], start=1):
        assert shipped[f"W{number}"].shape == (n_out, n_in)
        assert shipped[f"b{number}"].shape == (n_out,)


def test_shipped_file_is_small():
    assert SHIPPED.stat().st_size < 16_000


def test_the_script_reproduces_the_shipped_file(tmp_path, shipped):
    output = tmp_path / "two_moons.npz"
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--output", str(output)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert f"train accuracy {float(shipped['train_accuracy']):.3f}" in completed.stdout
    with np.load(output) as fresh:
        assert sorted(fresh.files) == sorted(shipped)
        np.testing.assert_array_equal(fresh["y"], shipped["y"])
        for name in fresh.files:
            np.testing.assert_allclose(
                fresh[name],
                shipped[name],
                rtol=1e-7,
                atol=1e-10,
                err_msg=f"{name} differs from the shipped file; re-run the script and commit",
            )
