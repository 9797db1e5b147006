"""The explorers of nnkit.explore: every explorer follows every one of its controls.

Each explorer is built, each control is moved programmatically (as a learner's
slider would), and the test checks that the numbers shown changed as they
should, that the picture changed, and that no new matplotlib figure was made.
The pictures are sharp and readable (twice their CSS size in pixels, fonts as
large as the lessons' other figures), and what is sent to the browser is what
changed and nothing else.
"""

import base64
import io

import ipywidgets
import matplotlib
import matplotlib.figure
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.text import Text
from PIL import Image

from nnkit.explore import (
    activations,
    all_explorers,
    approximation,
    counting,
    layers,
    network,
    neuron,
)
from nnkit.explore.explorer import CSS_DPI, Explorer
from nnkit.explore.picture import changed_rectangles

matplotlib.use("Agg")

# For every explorer: each control and a new value for it.
CHANGES = {
    "neuron_explorer": {
        "w1": 2.5, "w2": -1.5, "b": 0.7, "activation": "tanh", "x1": -2.0, "x2": 1.5,
    },
    "activation_explorer": {"activation": "relu", "range": (-3.0, 4.0), "z": 1.5},
    "softmax_explorer": {"z1": -3.0, "z2": 4.0, "z3": 0.5, "z4": 2.0, "temperature": 0.3},
    "xor_explorer": {
        "W1[0,0]": 0.5, "W1[0,1]": -1.0, "b1[0]": 0.4, "W1[1,0]": 2.0, "W1[1,1]": 0.3,
        "b1[1]": -0.2, "W2[0,0]": -1.2, "W2[0,1]": 2.2, "b2[0]": 0.6,
    },
    "forward_pass_stepper": {"layer": 2, "x1": -1.0, "x2": 0.8},
    "approximation_explorer": {
        "target": "|x|", "n_hidden": 7, "spacing": "adaptive", "parts": "bumps",
    },
    "hidden_unit_maps": {"layer": 2, "x1": -0.5, "x2": 0.25},
    "parameter_counter": {
        "model": "GPT-2 small", "dtype": "float16", "sizes": "2, 3, 1", "parameters": "7e9",
    },
}
FACTORIES = sorted(all_explorers())


def other_value(control):
    """A value a learner could move ``control`` to: another option, or another slider position."""
    options = getattr(control, "options", None)
    if options:
        values = [option[1] if isinstance(option, tuple) else option for option in options]
        return next(value for value in values if value != control.value)
    if isinstance(control.value, tuple):  # a range slider: narrow it
        low, high = control.value
        return (low + (high - low) / 4, high - (high - low) / 4)
    if hasattr(control, "max"):
        step = control.step or (control.max - control.min) / 10
        moved = control.value + 2 * step
        return type(control.value)(moved if moved <= control.max else control.min)
    raise AssertionError(f"give the {type(control).__name__} {control.description!r} a value "
                         "in CHANGES: it cannot be moved automatically")


def changes_for(name):
    """CHANGES for an explorer listed there, else one new value per control, found here."""
    if name in CHANGES:
        return CHANGES[name]
    return {key: other_value(control) for key, control in built(name).controls.items()}


@pytest.fixture
def count_new_figures(monkeypatch):
    """Count matplotlib figures created (through pyplot or directly) after the fixture runs."""
    created = []
    original = matplotlib.figure.Figure.__init__

    def counting_init(self, *args, **kwargs):
        created.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "__init__", counting_init)
    return created


def build(name):
    return all_explorers()[name]()


_BUILT = {}


def built(name):
    """One explorer per kind, shared by the tests that only read it."""
    if name not in _BUILT:
        _BUILT[name] = build(name)
    return _BUILT[name]


@pytest.mark.parametrize("name", FACTORIES)
def test_explorer_is_a_container_with_the_shared_interface(name):
    explorer = built(name)
    assert isinstance(explorer, ipywidgets.Box)
    assert isinstance(explorer, Explorer)
    assert set(explorer.controls) == set(changes_for(name))
    assert all(isinstance(c, ipywidgets.ValueWidget) for c in explorer.controls.values())
    assert explorer.image in explorer.children and explorer.readout in explorer.children
    assert explorer.png().startswith(b"\x89PNG")
    assert bytes(explorer.image.value).startswith(b"\xff\xd8")  # shown as JPEG
    assert explorer.readout.value


@pytest.mark.parametrize("name", FACTORIES)
def test_values_are_plain_and_complete(name):
    values = built(name).values()
    assert set(values) == set(changes_for(name))
    for value in values.values():
        items = value if isinstance(value, tuple) else (value,)
        assert all(type(item) in (int, float, str, bool) for item in items), values


@pytest.mark.parametrize("name", FACTORIES)
def test_every_control_changes_the_picture_without_a_new_figure(name, count_new_figures):
    explorer = build(name)
    figures_before = plt.get_fignums()
    count_new_figures.clear()
    for control, value in changes_for(name).items():
        before_image, before_readout = explorer.image.value, explorer.readout.value
        explorer.controls[control].value = value
        assert explorer.values()[control] == value
        assert explorer.image.value != before_image, f"moving {control}: same picture"
        assert explorer.readout.value != before_readout, f"moving {control}: same readout"
    assert count_new_figures == [], "a new matplotlib figure was made for a change"
    assert plt.get_fignums() == figures_before


@pytest.mark.parametrize("name", FACTORIES)
def test_set_moves_several_controls_and_rejects_unknown_names(name):
    explorer = build(name)
    explorer.set(**changes_for(name))
    assert explorer.values() == changes_for(name)
    with pytest.raises(ValueError, match="no_such_control"):
        explorer.set(no_such_control=1.0)


@pytest.mark.parametrize("name", FACTORIES)
def test_static_viewers_get_a_sharp_picture(name):
    bundle, metadata = built(name)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    picture = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert picture.format == "PNG"
    assert picture.width >= 2 * metadata["image/png"]["width"]  # shown at half: sharp on HiDPI
    assert "0x" not in bundle["text/plain"]


# --- sharp, readable pictures, and only what changed sent ------------------------------


def _decoded(png):
    return np.asarray(Image.open(io.BytesIO(png)))


@pytest.mark.parametrize("name", FACTORIES)
def test_pictures_have_twice_as_many_pixels_as_css_pixels_and_fill_a_notebook(name):
    explorer = built(name)
    picture = explorer.image
    css_width = picture.width / picture.scale
    assert picture.scale >= 2
    assert (picture.width, picture.height) == explorer.figure.canvas.get_width_height()
    assert 900 <= css_width <= 1000  # a notebook's width, as the lessons' widest figures


@pytest.mark.parametrize("name", FACTORIES)
def test_fonts_are_at_least_as_large_as_in_the_static_figures(name):
    """Compared as shown, in CSS pixels (a static figure shows one pixel per CSS pixel)."""
    explorer = built(name)
    static_size = matplotlib.rcParams["font.size"] * matplotlib.rcParams["figure.dpi"] / 72
    texts = [text for text in explorer.figure.findobj(Text)
             if text.get_visible() and text.get_text().strip()
             and all(parent.get_visible() for parent in _parents(text))]
    assert texts
    too_small = {text.get_text(): round(text.get_fontsize() * CSS_DPI / 72, 1)
                 for text in texts if text.get_fontsize() * CSS_DPI / 72 < static_size - 1e-9}
    assert not too_small, f"smaller than {static_size:.1f} CSS pixels: {too_small}"


def _parents(artist):
    """The artists that hold ``artist``: a tick label is drawn only if its tick is."""
    from matplotlib.axis import Tick

    tick = next((parent for parent in artist.figure.findobj(Tick)
                 if artist in (parent.label1, parent.label2)), None)
    return [] if tick is None else [tick]


@pytest.mark.parametrize("name", FACTORIES)
def test_a_picture_updated_step_by_step_is_the_picture_drawn_afresh(name):
    """The cached background and the redrawn layout give exactly what a full redraw gives."""
    explorer = build(name)
    for control, value in changes_for(name).items():
        explorer.controls[control].value = value
        stepped = _decoded(explorer.png())
        explorer._static = None  # forget every cached picture: draw everything again
        explorer.update()
        assert np.array_equal(stepped, _decoded(explorer.png())), f"after moving {control}"


def test_moving_the_input_sends_two_small_patches_and_a_weight_the_plane():
    explorer = neuron.neuron_explorer()
    sent = []
    explorer.image.send = lambda message, buffers: sent.append((message, buffers))
    area = explorer.image.width * explorer.image.height
    explorer.controls["x1"].value = 2.0
    (message, buffers), = sent
    assert message["type"] == "image/jpeg"
    assert len(message["at"]) == len(buffers) >= 2  # the dot on the plane and on the curve
    assert all(Image.open(io.BytesIO(b)).width * Image.open(io.BytesIO(b)).height < area / 50
               for b in buffers)
    sent.clear()
    explorer.controls["w1"].value = 2.0
    (message, buffers), = sent
    patched = sum(Image.open(io.BytesIO(b)).width * Image.open(io.BytesIO(b)).height
                  for b in buffers)
    assert area / 5 < patched < area / 2  # the plane changes, the curve's axes do not


def test_a_view_that_opens_gets_the_whole_picture():
    explorer = neuron.neuron_explorer()
    sent = []
    explorer.image.send = lambda message, buffers: sent.append((message, buffers))
    explorer.image._answer(explorer.image, {"type": "ready"}, [])
    (message, (buffer,)), = sent
    assert message["at"] == [[0, 0]]
    whole = Image.open(io.BytesIO(buffer))
    assert (whole.width, whole.height) == (explorer.image.width, explorer.image.height)
    assert bytes(explorer.image.saved).startswith(b"\xff\xd8")  # shown before the kernel runs


def test_changed_rectangles_cover_every_changed_pixel_and_little_else():
    rng = np.random.default_rng(7)
    for _ in range(50):
        height, width = rng.integers(1, 200, size=2)
        before = rng.integers(0, 256, size=(height, width, 4), dtype=np.uint8)
        after = before.copy()
        for _ in range(rng.integers(0, 6)):
            y, x = rng.integers(0, height), rng.integers(0, width)
            after[y:y + rng.integers(1, 40), x:x + rng.integers(1, 40)] ^= 1
        patched = before.copy()
        boxes = changed_rectangles(before, after, tile=16)
        for x, y, w, h in boxes:
            assert 0 <= x < x + w <= width and 0 <= y < y + h <= height
            patched[y:y + h, x:x + w] = after[y:y + h, x:x + w]
        assert np.array_equal(patched, after)
        changed_tiles = sum(-(-w // 16) * -(-h // 16) for *_, w, h in boxes)
        assert changed_tiles <= 6 * 3 * 3  # each change touches at most 3 × 3 tiles
    assert changed_rectangles(before, before) == []


# --- the numbers each explorer shows -------------------------------------------------


def test_neuron_explorer_shows_z_and_the_output():
    explorer = neuron.neuron_explorer(w1=1.0, w2=1.0, b=-1.0, activation="sigmoid",
                                       x=(1.0, 0.5))
    assert explorer.results()["z"] == pytest.approx(0.5)
    explorer.controls["w1"].value = 2.0
    assert explorer.results()["z"] == pytest.approx(1.5)
    assert explorer.results()["output"] == pytest.approx(1 / (1 + np.exp(-1.5)))
    assert "1.500" in explorer.readout.value
    explorer.set(activation="relu", b=-3.0)
    assert explorer.results() == {"z": pytest.approx(-0.5), "output": 0.0}


def test_neuron_explorer_boundary_line_is_where_z_is_zero():
    explorer = neuron.neuron_explorer(w1=1.0, w2=1.0, b=-1.0)
    xs, ys = explorer._boundary.get_data()
    assert np.allclose(np.asarray(xs) + np.asarray(ys), 1.0)


def test_activation_explorer_reads_function_and_derivative():
    explorer = activations.activation_explorer("sigmoid", z=0.0)
    assert explorer.results() == {"z": 0.0, "output": 0.5, "derivative": 0.25}
    explorer.set(activation="relu", z=-1.0)
    assert explorer.results() == {"z": -1.0, "output": 0.0, "derivative": 0.0}
    explorer.controls["range"].value = (-2.0, 2.0)
    explorer.controls["z"].value = 5.0  # outside the range: read at its edge
    assert explorer.results()["z"] == 2.0


def test_softmax_explorer_temperature_flattens_and_sharpens():
    explorer = activations.softmax_explorer(logits=(2.0, 1.0, 0.1))
    assert explorer.results()["probabilities"] == pytest.approx([0.659, 0.242, 0.099], abs=1e-3)
    explorer.controls["temperature"].value = 10.0
    flat = explorer.results()["probabilities"]
    assert max(flat) - min(flat) < 0.1
    explorer.controls["temperature"].value = 0.1
    assert explorer.results()["probabilities"][0] > 0.99
    heights = [bar.get_height() for bar in explorer._bars]
    assert heights == pytest.approx(explorer.results()["probabilities"])


def test_xor_explorer_says_where_it_is_right():
    explorer = layers.xor_explorer()
    assert explorer.results()["right"] == [True, True, True, False]
    assert "3 of 4" in explorer.readout.value
    explorer.set_layers([([[1.0, 1.0], [1.0, 1.0]], [0.0, -1.0]), ([[1.0, -2.0]], [0.0])])
    assert explorer.results()["solved"] is True
    assert "XOR solved" in explorer.readout.value
    widths = np.asarray(explorer._diagram.edges.get_linewidths())
    assert widths.max() == pytest.approx(widths[-1])  # the −2 edge is the widest


def test_xor_explorer_names_its_sliders_after_the_lessons_arrays():
    explorer = layers.xor_explorer()
    assert [control.description for control in explorer.controls.values()] == [
        "W1[0,0]", "W1[0,1]", "b1[0]", "W1[1,0]", "W1[1,1]", "b1[1]",
        "W2[0,0]", "W2[0,1]", "b2[0]"]
    W1, b1, W2, b2 = [[0.5, -1.0], [2.0, 0.3]], [0.4, -0.2], [[-1.2, 2.2]], [0.6]
    explorer.set_layers([(W1, b1), (W2, b2)])
    assert explorer.values()["W1[1,0]"] == 2.0 and explorer.values()["b1[1]"] == -0.2
    (got_W1, got_b1), (got_W2, got_b2) = explorer.layers()
    assert got_W1.tolist() == W1 and got_b1.tolist() == b1
    assert got_W2.tolist() == W2 and got_b2.tolist() == b2
    assert "b1[1] = -0.2" in [text.get_text() for text in explorer._bias_texts]
    with pytest.raises(ValueError, match=r"2-2-1 network.*got W1 \(3, 2\)"):
        explorer.set_layers([(np.ones((3, 2)), np.zeros(3)), (np.ones((1, 3)), np.zeros(1))])


def test_forward_pass_stepper_follows_the_layers_of_any_network():
    from nnkit.network import Network

    net = Network.from_sizes([2, 3, 1], activation="relu", output="sigmoid", seed=0)
    stepper = network.forward_pass_stepper(net, x=[1.0, 0.5])
    assert stepper.results()["values"] == [1.0, 0.5]
    stepper.controls["layer"].value = 1
    assert len(stepper.results()["values"]) == 3
    stepper.controls["layer"].value = 2
    assert stepper.results()["values"] == pytest.approx(net.forward(np.array([1.0, 0.5])))
    assert "predicted" in stepper.readout.value


def test_forward_pass_stepper_takes_a_wide_input_without_sliders():
    from nnkit.network import Network

    net = Network.from_sizes([6, 4, 3], seed=1)
    stepper = network.forward_pass_stepper(net, x=np.arange(6.0))
    assert list(stepper.controls) == ["layer"]
    stepper.controls["layer"].value = 2
    assert len(stepper.results()["output"]) == 3


def test_approximation_explorer_error_falls_with_more_units():
    explorer = approximation.approximation_explorer("sin", n_hidden=4)
    coarse = explorer.results()["max_error"]
    explorer.controls["n_hidden"].value = 32
    assert explorer.results()["max_error"] < coarse / 10
    explorer.controls["parts"].value = "bumps"
    assert explorer.results()["n_parts"] == 16
    assert len(explorer._parts.get_segments()) == 16


def test_parameter_counter_counts_layers_models_and_memory():
    counter = counting.parameter_counter("784, 256, 128, 10", dtype="float32")
    assert counter.results()["total"] == 235_146
    assert counter.results()["memory_bytes"] == 4 * 235_146
    assert "235,146" in counter.readout.value
    counter.controls["model"].value = "GPT-2 small"
    assert counter.results()["total"] == 124_439_808
    counter.controls["dtype"].value = "float16"
    assert counter.results()["memory_bytes"] == 2 * 124_439_808


def test_parameter_counter_counts_a_typed_parameter_count():
    counter = counting.parameter_counter(dtype="float16")
    counter.controls["parameters"].value = "7,000,000,000"  # typing chooses the box
    assert counter.values()["model"] == counting.PARAMETER_COUNT
    assert counter.results()["total"] == 7_000_000_000
    assert counter.results()["memory_bytes"] == 14_000_000_000
    counter.controls["sizes"].value = "2, 3, 1"
    assert counter.values()["model"] == counting.YOUR_NETWORK
    assert counter.results()["total"] == 13


def test_parameter_counter_explains_bad_sizes_instead_of_failing():
    counter = counting.parameter_counter()
    counter.controls["sizes"].value = "784, lots, 10"
    assert "784, lots, 10" in counter.readout.value
    assert counter.results()["total"] == 0
