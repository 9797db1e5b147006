"""What the figures and explorers of lessons 4 to 6 show, and the facts their challenges rest on.

tests/test_widgets.py checks that every explorer follows every control; these
tests check that what is drawn is true: one colour scale for a whole network
diagram, a bar chart that spans the units of the layer shown, hidden-unit maps
that are the units' outputs, hats counted apart from hidden units, a dot plot in
the parameter counter's order, and legends beside the curves, not on them.
"""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnkit import examples
from nnkit.approximation import approximate, max_error
from nnkit.explore import all_explorers
from nnkit.explore.approximation import approximation_explorer, plot_sawtooth
from nnkit.explore.counting import famous_parameter_counts, parameter_counter, plot_parameter_counts
from nnkit.explore.network import (
    UNIT_OUTPUT,
    draw_network,
    forward_pass_stepper,
    hidden_unit_maps,
)
from nnkit.tutor.challenges import check_answer
from nnkit.tutor.exercises import e04_forward_pass, e05_universal_approximation

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _lightness(rgba):
    return float(np.mean(np.asarray(rgba)[:3]))


# --- lesson 4: the network diagram and the stepper ------------------------------------------


def test_the_diagram_colours_every_layer_on_one_scale_and_writes_the_values():
    net = examples.tiny_network()
    values = [step.a for step in net.trace(examples.TINY_X)]  # [1, 2], [0.1, 0.8, 0.7], [0.28]
    ax = draw_network(net, node_values=values)
    colours = ax.collections[1].get_facecolors()
    by_value = dict(zip([1.0, 2.0, 0.1, 0.8, 0.7, 0.28], colours, strict=True))
    # one scale: 0.28 is lighter than 0.7 although it is the largest of its own layer
    assert _lightness(by_value[0.28]) > _lightness(by_value[0.7])
    assert _lightness(by_value[0.1]) > _lightness(by_value[0.8]) > _lightness(by_value[2.0])
    assert sorted(text.get_text() for text in ax.texts) == sorted(
        ["1.00", "2.00", "0.10", "0.80", "0.70", "0.28"])
    colour_bar = ax.figure.axes[-1]
    assert colour_bar is not ax and colour_bar.get_ylim() == pytest.approx((-2.0, 2.0))


def test_the_stepper_bars_span_the_units_of_the_layer_shown():
    stepper = forward_pass_stepper()
    bars = stepper._bar_ax
    stepper.set(layer=3)
    assert list(bars.get_xticks()) == [0, 1]
    assert bars.get_xlim() == pytest.approx((-0.6, 1.6))
    stepper.set(layer=1)
    assert list(bars.get_xticks()) == list(range(16))
    assert sum(bar.get_visible() for bar in stepper._bars) == 16


def test_the_stepper_colours_all_layers_on_one_scale():
    stepper = forward_pass_stepper()
    stepper.set(layer=3, x1=0.3, x2=-0.5)
    values = np.concatenate([step.a for step in stepper.network.trace([0.3, -0.5])])
    low, high = stepper._colour_bar.mappable.get_clim()
    assert low == -high and np.abs(values).max() <= high < 2 * np.abs(values).max()


# --- lesson 4: what each hidden unit computes -----------------------------------------------


def test_hidden_unit_maps_is_an_explorer_the_registry_finds():
    assert "hidden_unit_maps" in all_explorers()


def test_each_tile_is_the_units_output_over_the_plane_grey_where_it_is_off():
    maps = hidden_unit_maps(layer=2)
    outputs = maps._grid_steps[2].a
    mosaic = maps._image.get_array()
    for unit in (0, 6, 10, 15):
        left, bottom = maps._corner(unit)
        tile = mosaic[bottom:bottom + maps.resolution, left:left + maps.resolution]
        assert np.array_equal(tile, outputs[:, unit].reshape(maps.resolution, maps.resolution))
    # off (exactly 0) is below the colour scale, drawn grey; on is blue
    norm = maps._image.norm
    assert norm(0.0) < 0 and 0 < norm(outputs.max() / 2) < 1
    assert UNIT_OUTPUT(-0.1) != UNIT_OUTPUT(0.0)


def test_the_readout_lists_the_units_on_at_the_point_and_those_never_on():
    maps = hidden_unit_maps()
    maps.set(layer=2, x1=-0.5, x2=0.0)
    on = np.flatnonzero(maps.network.trace([-0.5, 0.0])[2].a > 0).tolist()
    assert maps.results()["on"] == on
    assert "units on here: " + ", ".join(map(str, on)) in maps.readout.value
    assert "Off on the whole plane shown: 10, 13." in maps.readout.value
    first = maps._image.get_array().copy()
    maps.set(layer=1)
    assert not np.array_equal(first, maps._image.get_array())


def test_hidden_unit_maps_refuses_a_network_it_cannot_draw():
    with pytest.raises(ValueError, match="2 inputs and at least one hidden layer"):
        hidden_unit_maps(examples.digit_network())


# --- lesson 5: hats are not hidden units; legends beside the curves ------------------------


def test_the_approximation_explorer_counts_hats_and_bumps_apart_from_units():
    explorer = approximation_explorer("sin", n_hidden=8)
    assert "8 hidden ReLU units → 9 hats" in explorer.readout.value
    explorer.set(parts="bumps", n_hidden=7)
    assert "7 hidden sigmoid units → 3 bumps of 2 units, 1 unused" in explorer.readout.value


def test_the_sawtooth_legend_sits_beside_the_curves():
    ax = plot_sawtooth((1, 2, 3, 4))
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1


# --- lesson 6: counts as dots, in the counter's order ---------------------------------------


def test_the_parameter_chart_is_a_dot_plot_in_the_counters_order():
    ax = plot_parameter_counts()
    assert ax.get_xscale() == "log" and not ax.patches  # dots, no bars with a start
    names = [label.get_text() for label in ax.get_yticklabels()]
    assert names == list(famous_parameter_counts())
    counter = parameter_counter()
    counter_names = [label.get_text() for label in counter._ax.get_yticklabels()]
    assert counter_names == ["yours", *names]
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # first name at the top, in both
    assert counter._ax.get_ylim()[0] > counter._ax.get_ylim()[1]


# --- the facts the challenges rest on -------------------------------------------------------


def test_ten_evenly_spaced_units_are_the_fewest_below_the_sin_hats_target():
    target = e05_universal_approximation.TARGET_ERROR
    fewest = e05_universal_approximation.FEWEST_UNITS

    def error(n, spacing):
        return max_error(np.sin, approximate(np.sin, -np.pi, np.pi, n, spacing=spacing),
                         -np.pi, np.pi)

    assert error(fewest, "uniform") < target
    assert all(error(n, spacing) >= target
               for n in range(1, fewest) for spacing in ("uniform", "adaptive"))
    assert error(fewest, "adaptive") >= target


def test_the_hidden_unit_challenge_has_answers_on_the_sliders_grid():
    network = examples.two_moons_network()[0]
    xs = np.round(np.arange(-2.0, 2.0001, 0.05), 2)
    ys = np.round(np.arange(-1.5, 1.5001, 0.05), 2)
    grid = np.array([[x, y] for x in xs for y in ys])
    steps = network.trace(grid)
    unit = steps[e04_forward_pass.CHALLENGE_LAYER].a[:, e04_forward_pass.CHALLENGE_UNIT]
    answers = grid[(unit == 0) & (network.predict(grid) == 1)]
    assert 20 < len(answers) < 0.1 * len(grid)  # findable, but only by looking at the map
    assert check_answer("forward-prediction", {"layer": 2, "x1": float(answers[0][0]),
                                               "x2": float(answers[0][1])}).passed


@pytest.mark.parametrize(("dtype", "passes"), [("float64", False), ("float32", False),
                                               ("float16", True), ("bfloat16", True),
                                               ("int8", False), ("int4", False)])
def test_only_the_two_byte_dtypes_answer_the_7b_challenge(dtype, passes):
    values = {"sizes": "784, 256, 128, 10", "parameters": "7e9",
              "model": "(a parameter count)", "dtype": dtype}
    assert check_answer("dtype-7b", values).passed is passes
