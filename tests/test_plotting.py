"""The figures of nnkit.explore: each helper draws the artists its figure needs.

Every helper must title its figure, label its axes, use the Okabe–Ito palette,
draw on the Axes it is given (and return it), and never show or change
matplotlib's global settings.
"""

import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_hex
from matplotlib.image import AxesImage

from nnkit.explore import activations, approximation, counting, layers, network, neuron, style

matplotlib.use("Agg")

PALETTE_HEX = {colour.lower() for colour in style.OKABE_ITO.values()}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def ax():
    _, ax = plt.subplots()
    return ax


def assert_labelled(ax, title=None):
    assert ax.get_title(), "the figure has no title"
    if title is not None:
        assert title in ax.get_title()
    assert ax.get_xlabel(), "the x axis has no label"


def line_colours(ax):
    return {to_hex(line.get_color()) for line in ax.get_lines()}


# --- the palette and the module's manners ---------------------------------------------


def test_palette_is_okabe_ito():
    assert style.OKABE_ITO["blue"] == "#0072B2"
    assert style.OKABE_ITO["vermillion"] == "#D55E00"
    assert {c.lower() for c in style.PALETTE} <= PALETTE_HEX
    assert style.POSITIVE != style.NEGATIVE


def test_importing_plotting_leaves_rcparams_alone():
    code = (
        "import matplotlib; before = dict(matplotlib.rcParams);"
        "import nnkit.explore.style, nnkit.explore.approximation;"
        "changed = [k for k, v in matplotlib.rcParams.items() if before.get(k) != v];"
        "print(changed)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_import_nnkit_does_not_import_matplotlib():
    code = "import sys, nnkit; print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False False"


def test_helpers_never_call_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() was called"))
    activations.plot_activation("relu")
    activations.plot_gradient_factors({"w = 1": [0.25, 0.0625]})
    network.draw_network([2, 3, 1])


@pytest.mark.parametrize(
    "draw",
    [
        lambda ax: activations.plot_activation("tanh", ax=ax),
        lambda ax: activations.plot_activations(ax=ax),
        lambda ax: activations.plot_gradient_factors({"w = 1": [0.25]}, ax=ax),
        lambda ax: activations.plot_softmax_bars([1.0, 2.0], ax=ax),
        lambda ax: neuron.plot_output_plane(lambda X: X[:, 0], ax=ax, colorbar=False),
        lambda ax: neuron.plot_decision_boundary([1.0, -1.0], 0.2, ax=ax),
        lambda ax: layers.plot_decision_regions(lambda X: X[:, :1], ax=ax),
        lambda ax: network.draw_network([3, 4, 2], ax=ax),
        lambda ax: network.plot_layer_values([[1.0, 2.0], [0.5]], ax=ax),
        lambda ax: approximation.plot_approximation(np.sin, -np.pi, np.pi, 6, ax=ax),
        lambda ax: approximation.plot_error_curve([2, 4, 8], [0.4, 0.1, 0.025], ax=ax),
        lambda ax: approximation.plot_sawtooth((1, 3), ax=ax),
        lambda ax: counting.plot_parameter_counts({"a": 10, "b": 10_000}, ax=ax),
    ],
)
def test_every_helper_draws_on_the_given_axes_and_returns_it(draw, ax):
    figures = plt.get_fignums()
    assert draw(ax) is ax
    assert plt.get_fignums() == figures
    assert_labelled(ax)


# --- lesson 1 and 2 ----------------------------------------------------------------------


def test_plot_activation_draws_function_and_derivative():
    ax = activations.plot_activation("sigmoid", xlim=(-4, 4))
    assert_labelled(ax, "sigmoid")
    labels = [line.get_label() for line in ax.get_lines()]
    assert "sigmoid" in labels and "sigmoid'" in labels
    curves = {line.get_label(): line for line in ax.get_lines()}
    assert np.max(curves["sigmoid'"].get_ydata()) == pytest.approx(0.25, abs=1e-3)
    assert ax.get_legend() is not None
    assert line_colours(ax) & PALETTE_HEX


def test_plot_activations_one_line_each():
    ax = activations.plot_activations(["sigmoid", "tanh", "relu"])
    curves = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert [line.get_label() for line in curves] == ["sigmoid", "tanh", "relu"]
    assert len({to_hex(line.get_color()) for line in curves}) == 3


def test_gradient_factors_on_a_log_scale_with_the_line_one():
    ax = activations.plot_gradient_factors({"w = 1": [0.25**d for d in range(1, 7)],
                                            "w = 8": [2.0**d for d in range(1, 7)]})
    curves = {line.get_label(): line for line in ax.get_lines()}
    assert list(curves)[:2] == ["w = 1", "w = 8"]
    assert curves["w = 8"].get_ydata()[-1] == pytest.approx(64.0)
    assert ax.get_yscale() == "log"
    assert any(list(line.get_ydata()) == [1.0, 1.0] for line in ax.get_lines())
    assert_labelled(ax, "chain")


def test_softmax_bars_sum_to_one_and_show_their_values():
    ax = activations.plot_softmax_bars([3.0, 1.0, 0.0, -1.0], temperature=2.0)
    heights = [patch.get_height() for patch in ax.patches]
    assert sum(heights) == pytest.approx(1.0)
    assert heights == sorted(heights, reverse=True)
    assert len(ax.texts) == 4
    assert "temperature 2" in ax.get_title()


def test_boundary_segment_lies_on_the_line_and_in_the_box():
    xs, ys = neuron.boundary_segment([2.0, -1.0], 0.5, (-3, 3), (-3, 3))
    assert np.allclose(2.0 * np.array(xs) - np.array(ys) + 0.5, 0.0)
    assert all(-3 <= v <= 3 for v in xs + ys)
    assert neuron.boundary_segment([0.0, 0.0], 1.0, (-3, 3), (-3, 3)) == ([], [])
    assert neuron.boundary_segment([1.0, 0.0], -10.0, (-3, 3), (-3, 3)) == ([], [])


def test_decision_boundary_has_plane_line_points_and_colorbar():
    ax = neuron.plot_decision_boundary([1.0, 1.0], -1.5, points=[[0, 0], [1, 1]],
                                         labels=[0, 1])
    assert len(ax.images) == 1 and isinstance(ax.images[0], AxesImage)
    (line,) = [line for line in ax.get_lines() if "boundary" in line.get_label()]
    xs, ys = line.get_data()
    assert np.allclose(np.add(xs, ys), 1.5)
    assert sum(isinstance(c, PathCollection) for c in ax.collections) == 2
    assert len(ax.figure.axes) == 2  # the plot and its colour bar
    assert ax.get_xlabel() == "x1" and ax.get_ylabel() == "x2"


def test_output_plane_contour_at_threshold():
    ax = neuron.plot_output_plane(lambda X: X[:, 0] - X[:, 1], threshold=0.0,
                                    colorbar=False)
    assert len(ax.images) == 1
    assert ax.collections, "no contour drawn for the threshold"


# --- lessons 3 and 4 ------------------------------------------------------------------------


def test_decision_regions_of_the_xor_network():
    from nnkit.layers import xor_network

    ax = layers.plot_decision_regions(xor_network(), xlim=(-0.5, 1.5), ylim=(-0.5, 1.5),
                                        resolution=41)
    regions = ax.images[0].get_array()
    corner = {(0, 0): regions[0, 0], (1, 1): regions[-1, -1]}
    assert corner == {(0, 0): 0, (1, 1): 0}
    assert regions[0, -1] == 1 and regions[-1, 0] == 1


def test_predicted_classes_threshold_and_argmax():
    X = np.array([[0.0, 0.0], [1.0, 0.0]])
    assert layers.predicted_classes(lambda X: X[:, 0], X).tolist() == [0, 1]
    two_outputs = lambda X: np.column_stack([X[:, 0], 1 - X[:, 0]])  # noqa: E731
    assert layers.predicted_classes(two_outputs, X).tolist() == [1, 0]


def test_draw_network_edges_coloured_by_sign_and_sized_by_magnitude():
    W1 = np.array([[1.0, -2.0], [0.5, 0.0]])
    W2 = np.array([[-1.0, 3.0]])
    ax = network.draw_network([(W1, np.zeros(2)), (W2, np.zeros(1))])
    edges = next(c for c in ax.collections if isinstance(c, LineCollection))
    assert len(edges.get_segments()) == 6
    colours = [to_hex(c) for c in edges.get_colors()]
    widths = np.asarray(edges.get_linewidths())
    # edge order: layer by layer, input node by input node, then output node
    weights = [W1[0, 0], W1[1, 0], W1[0, 1], W1[1, 1], W2[0, 0], W2[0, 1]]
    for colour, weight in zip(colours, weights, strict=True):
        expected = style.POSITIVE if weight > 0 else style.NEGATIVE
        assert colour == expected.lower()
    assert np.argmax(widths) == 5 and np.argmin(widths) == 3
    nodes = next(c for c in ax.collections if isinstance(c, PathCollection))
    assert len(nodes.get_offsets()) == 5
    assert ax.get_title() == "A 2-2-1 network"


def test_draw_network_node_values_and_wide_layers():
    ax = network.draw_network([30, 4, 2], node_values=[np.ones(30), -np.ones(4), [0.0, 1.0]],
                               upto=1, max_nodes=6)
    nodes = next(c for c in ax.collections if isinstance(c, PathCollection))
    assert len(nodes.get_offsets()) == 6 + 4 + 2
    faces = nodes.get_facecolors()
    assert np.allclose(faces[-1], faces[-2])  # after `upto`: both grey
    assert not np.allclose(faces[0], faces[6])  # positive and negative layers differ
    assert any(text.get_text() == "⋮" for text in ax.texts)


def test_draw_network_rejects_what_is_not_a_network():
    with pytest.raises(TypeError, match=r"expected an nnkit\.Network"):
        network.draw_network("784-10")


def test_layer_values_one_bar_per_value_current_layer_opaque():
    ax = network.plot_layer_values([[1.0, -1.0], [0.5, 0.2, 0.1], [0.9]], current=1)
    assert len(ax.patches) == 6
    alphas = [patch.get_alpha() for patch in ax.patches]
    assert alphas[2:5] == [1.0, 1.0, 1.0] and alphas[0] < 1.0
    assert [t.get_text() for t in ax.get_xticklabels()] == ["input", "layer 1", "layer 2"]


# --- lessons 5 and 6 ------------------------------------------------------------------------


def test_approximation_shows_target_approximation_parts_and_worst_error():
    ax = approximation.plot_approximation(np.sin, -np.pi, np.pi, n_hidden=8)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["sin(x)", "approximation"]
    assert any(label.startswith("max error") for label in labels)
    parts = next(c for c in ax.collections if isinstance(c, LineCollection))
    assert len(parts.get_segments()) == 9  # 8 units: 9 knots, one hat each
    assert_labelled(ax, "8 hidden units")


@pytest.mark.parametrize("parts", ["hats", "bumps"])
def test_approximation_parts_add_up(parts):
    curves = approximation.approximation_curves(np.sin, -np.pi, np.pi, 12, parts=parts)
    assert np.allclose(curves.parts.sum(axis=0), curves.approximation, atol=1e-9)
    error = np.abs(curves.target - curves.approximation)
    assert curves.max_error == pytest.approx(error.max())


def test_approximation_curves_rejects_unknown_parts():
    with pytest.raises(ValueError, match="'hats' or 'bumps'"):
        approximation.approximation_curves(np.sin, 0, 1, 4, parts="squares")


def test_error_curve_is_log_log_with_reference():
    ax = approximation.plot_error_curve([2, 4, 8, 16], [0.5, 0.12, 0.03, 0.008])
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert len(ax.get_lines()) == 2
    assert_labelled(ax, "Error")


def test_parameter_counts_default_spans_digit_mlp_to_gpt3():
    ax = counting.plot_parameter_counts(highlight="GPT-2 small")
    dots = ax.collections[0]
    counts = list(dots.get_offsets()[:, 0])
    assert min(counts) < 1e6 and max(counts) > 1e11
    assert counts == sorted(counts)
    names = [t.get_text() for t in ax.get_yticklabels()]
    colours = [to_hex(colour) for colour in dots.get_facecolors()]
    assert colours[names.index("GPT-2 small")] == style.HIGHLIGHT.lower()
    assert colours.count(style.HIGHLIGHT.lower()) == 1
    assert ax.get_xscale() == "log"


def test_short_count():
    assert counting._short_count(235_146) == "235K"
    assert counting._short_count(175_000_000_000) == "175B"
    assert counting._short_count(12) == "12"
