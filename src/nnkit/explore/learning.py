"""Training drawn as it happens: the decision map, every hidden neuron, the loss (lesson 7).

The :class:`TrainingExplorer` trains the two-moons network of lesson 4 from
random weights, by plain gradient descent (:class:`nnkit.learning.Trainer`),
and redraws three pictures after every few steps:

- the **decision map**: the probability of class 1 at every point of the plane,
  with the training points on top;
- **every hidden neuron** as a small map of its output over the same plane,
  layer 1 in the top three rows, layer 2 below; each layer-2 tile has a frame
  whose colour says which class that neuron votes for in the output layer
  (blue: class 1, orange: class 0) and whose strength says how much;
- the **loss** at every step so far, on a log scale.

*play* trains until *pause* (about 30 pictures a second, a few steps each),
*one step* takes exactly one step, *reset* starts again from the same random
weights. Moving the learning rate takes effect at the next step; changing the
number of neurons per layer starts a new network.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> explorer = training_explorer()
>>> explorer.advance(10).results()["step"]
10
"""

from __future__ import annotations

import asyncio
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb

from nnkit.examples import two_moons_network
from nnkit.explore.explorer import SLIDER_STYLE, Explorer
from nnkit.explore.style import (
    NEGATIVE,
    NEUTRAL,
    OKABE_ITO,
    POSITIVE,
    label_axes,
    new_axes,
)
from nnkit.learning import two_moons_trainer
from nnkit.network import Network

#: Pale orange (class 0) through white to pale blue (class 1): points stay visible on it.
PROBABILITY = LinearSegmentedColormap.from_list(
    "nnkit_probability", ["#f3b98c", "#ffffff", "#8fc0e3"])

#: White (0) to near-black (the neuron's largest output): one hidden neuron's map.
ACTIVITY = LinearSegmentedColormap.from_list("nnkit_activity", ["#ffffff", "#1a1a1a"])

PLANE_X = (-2.0, 2.0)
PLANE_Y = (-1.5, 1.5)


# ----------------------------------------------------------- the pictures


def class_one_probability(network: Network, points: np.ndarray) -> np.ndarray:
    """The probability of class 1 a two-class softmax network gives each point (lesson 7).

    >>> net = Network.from_sizes([2, 4, 2], output="softmax", seed=0)
    >>> class_one_probability(net, np.zeros((3, 2))).shape
    (3,)
    """
    return network(points)[:, 1]


def hidden_outputs(network: Network, points: np.ndarray) -> list[np.ndarray]:
    """Each hidden layer's outputs at ``points``: one ``(n_points, n_units)`` array per layer.

    >>> net = Network.from_sizes([2, 5, 3, 2], output="softmax", seed=0)
    >>> [a.shape for a in hidden_outputs(net, np.zeros((4, 2)))]
    [(4, 5), (4, 3)]
    """
    return [step.a for step in network.trace(points)[1:-1]]


def output_votes(network: Network) -> np.ndarray:
    """How much each neuron of the last hidden layer pushes towards class 1 (lesson 7).

    For a two-class softmax output the class-1 probability depends only on the
    difference of the two scores, ``z₁ − z₀``; neuron ``i`` adds
    ``(W[1, i] − W[0, i])·aᵢ`` to it. Positive: a vote for class 1.

    >>> net = Network.from_sizes([2, 3, 2], output="softmax", seed=0)
    >>> output_votes(net).shape
    (3,)
    """
    W = network.layers[-1].W
    return W[1] - W[0]


def hidden_mosaic(layers_outputs, shape, columns=8, rows_per_layer=2, votes=None) -> np.ndarray:
    """One RGB picture of many hidden neurons' maps: a tile per neuron, a layer per band.

    ``layers_outputs`` holds, per hidden layer, the outputs at the points of a
    grid of ``shape = (rows, columns)`` points, as ``grid_points`` orders them
    (row by row, lowest ``y`` first).
    Each tile is scaled to its own largest value (white 0, black the largest);
    a neuron that is 0 everywhere (a "dead" ReLU) stays white. Slots without a
    neuron are light grey; ``votes`` (one per neuron of the last layer) colour
    that layer's frames. Returns an array ``(height, width, 3)`` of floats in [0, 1].

    >>> outputs = [np.ones((6, 3)), np.zeros((6, 2))]
    >>> hidden_mosaic(outputs, shape=(2, 3), columns=2, rows_per_layer=2).shape
    (24, 14, 3)
    """
    frame = 2
    height, width = shape[0] + 2 * frame, shape[1] + 2 * frame
    n_layers = len(layers_outputs)
    picture = np.empty((n_layers * rows_per_layer * height, columns * width, 3))
    picture[:] = 0.92  # empty slots: light grey
    for layer, outputs in enumerate(layers_outputs):
        outputs = np.asarray(outputs, dtype=float)
        largest = outputs.max(axis=0)
        scaled = np.divide(outputs, largest, out=np.zeros_like(outputs), where=largest > 0)
        last = layer == n_layers - 1
        for unit in range(min(outputs.shape[1], columns * rows_per_layer)):
            row, column = divmod(unit, columns)
            top = (layer * rows_per_layer + row) * height
            left = column * width
            tile = scaled[:, unit].reshape(shape)[::-1]  # highest y at the top
            frame_colour = _vote_colour(votes, unit) if last and votes is not None else \
                to_rgb(NEUTRAL)
            picture[top:top + height, left:left + width] = frame_colour
            picture[top + frame:top + height - frame, left + frame:left + width - frame] = \
                ACTIVITY(tile)[..., :3]
    return picture


def plane_grid(rows, columns):
    """The points of a ``rows × columns`` grid over the explorer's plane, lowest ``y`` first.

    >>> plane_grid(3, 4).shape
    (12, 2)
    """
    gx, gy = np.meshgrid(np.linspace(*PLANE_X, columns), np.linspace(*PLANE_Y, rows))
    return np.column_stack([gx.ravel(), gy.ravel()])


def plot_probability(network, points=None, labels=None, ax=None, resolution=80):
    """The probability of class 1 over the plane, the points on top (lesson 7).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> net = Network.from_sizes([2, 4, 2], output="softmax", seed=0)
    >>> len(plot_probability(net).images)
    1
    """
    ax = new_axes(ax, figsize=(4.0, 3.2))
    probability = class_one_probability(network, plane_grid(resolution, resolution))
    ax.imshow(probability.reshape(resolution, resolution), origin="lower",
              extent=(*PLANE_X, *PLANE_Y), cmap=PROBABILITY, vmin=0.0, vmax=1.0, aspect="auto")
    if points is not None:
        for label, marker, colour in ((0, "o", NEGATIVE), (1, "s", POSITIVE)):
            chosen = np.asarray(points)[np.asarray(labels) == label]
            ax.plot(*chosen.T, marker, color=colour, markersize=3.5, markeredgecolor="k",
                    markeredgewidth=0.3, linestyle="none")
    label_axes(ax, "probability of class 1", "x1", "x2")
    return ax


def plot_hidden_units(network, ax=None, tile_shape=(18, 24), columns=8, rows_per_layer=2):
    """Every hidden neuron's output over the plane, one tile each, a band per layer (lesson 7).

    See :func:`hidden_mosaic`; the last hidden layer's frames show the output's votes.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> net = Network.from_sizes([2, 5, 3, 2], output="softmax", seed=0)
    >>> [label.get_text() for label in plot_hidden_units(net).get_yticklabels()]
    ['layer 1', 'layer 2']
    """
    ax = new_axes(ax, figsize=(8.0, 3.2))
    outputs = hidden_outputs(network, plane_grid(*tile_shape))
    ax.imshow(hidden_mosaic(outputs, tile_shape, columns, rows_per_layer,
                            output_votes(network)))
    band = rows_per_layer * (tile_shape[0] + 4)
    ax.set_yticks([band * (layer + 0.5) - 0.5 for layer in range(len(outputs))],
                  [f"layer {layer + 1}" for layer in range(len(outputs))])
    ax.set_xticks([])
    ax.set_title("every hidden neuron's output")
    return ax


def _in_chunks(function, points, size=512):
    """``function(points)``, computed on at most ``size`` points at a time.

    Products of small matrices run on one BLAS thread; on a busy machine, the
    threads of one large product wait for each other far longer than they save.
    """
    return np.concatenate([function(points[start:start + size])
                           for start in range(0, len(points), size)])


def _vote_colour(votes, unit):
    strength = abs(votes[unit]) / max(float(np.max(np.abs(votes))), 1e-12)
    colour = np.array(to_rgb(POSITIVE if votes[unit] > 0 else NEGATIVE))
    return 1.0 - strength * (1.0 - colour)  # white for no vote, full colour for the largest


# ----------------------------------------------------------- the explorer


class TrainingExplorer(Explorer):
    """Watch a network learn: gradient descent on two moons, step by step (lesson 7)."""

    name = "training explorer"
    figsize = (9.6, 3.3)
    frames_per_second = 30
    max_steps = 20_000
    map_resolution = 72  # points per side of the decision map
    tile_shape = (18, 24)  # points of each hidden neuron's map, rows × columns (like the plane)
    columns, rows_per_layer = 6, 3  # the mosaic: 18 places per layer, 16 neurons at most

    def __init__(self, controls, points, labels, seed, steps_per_frame, goal):
        self.points, self.labels, self.seed = points, labels, seed
        self.steps_per_frame = steps_per_frame
        self.goal = goal
        self._map_grid = plane_grid(self.map_resolution, self.map_resolution)
        self._tile_grid = plane_grid(*self.tile_shape)
        self._task = None
        self._stopped_because = ""
        self._new_trainer(controls["learning_rate"].value, controls["neurons"].value)
        self.play_button = widgets.ToggleButton(value=False, description="play", icon="play",
                                                tooltip="train until paused")
        self.step_button = widgets.Button(description="one step", icon="step-forward",
                                          tooltip="one step of gradient descent")
        self.reset_button = widgets.Button(description="reset", icon="undo",
                                           tooltip="back to the random start")
        super().__init__(controls)
        self.children = [widgets.HBox([self.play_button, self.step_button, self.reset_button]),
                         *self.children]
        self.play_button.observe(self._on_play, names="value")
        self.step_button.on_click(lambda _button: self.advance(1))
        self.reset_button.on_click(lambda _button: self.reset())

    # -- training -----------------------------------------------------------------

    def _new_trainer(self, learning_rate, neurons):
        self.trainer = two_moons_trainer(float(learning_rate), int(neurons), self.seed)

    def advance(self, steps):
        """Take ``steps`` steps of gradient descent (fewer once it diverges), then redraw."""
        self.trainer.learning_rate = self.values()["learning_rate"]
        self.trainer.train(steps)
        self.update()
        return self

    def reset(self):
        """Pause, and start again from the same random weights."""
        self.pause()
        self._stopped_because = ""
        self._new_trainer(**self.values())
        self.update()
        return self

    # -- play and pause -------------------------------------------------------------

    def play(self):
        """Train and redraw about ``frames_per_second`` times a second until paused.

        The training runs as a task on the event loop of the Jupyter kernel, between
        the messages the kernel handles, so pause and the other controls answer
        while it plays.
        """
        if self._task is not None and not self._task.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.play_button.value = False
            raise RuntimeError("play needs a running event loop, as in a Jupyter kernel; "
                               "outside one, call advance(steps)") from None
        self._stopped_because = ""
        self._task = loop.create_task(self._play())
        self.play_button.value = True

    def pause(self):
        """Stop playing (the task ends before its next frame)."""
        self.play_button.value = False

    @property
    def playing(self) -> bool:
        return bool(self.play_button.value)

    async def _play(self):
        # While it plays, the picture is drawn at its size on screen: a quarter of
        # the pixels, so it keeps up with the training; paused, it is sharp again.
        frame = 1.0 / self.frames_per_second
        self.draw_at(1)
        try:
            while self.playing:
                started = time.perf_counter()
                self.advance(self.steps_per_frame)
                if self.trainer.diverged or self.trainer.steps_done >= self.max_steps:
                    self._stopped_because = ("diverged" if self.trainer.diverged
                                             else f"stopped after {self.max_steps:,} steps")
                    self.pause()
                    break
                await asyncio.sleep(max(frame - (time.perf_counter() - started), 0.001))
        finally:
            self.draw_at(self.scale)
            self.update()

    def _view_now(self):
        return super()._view_now(), self.trainer  # another number of neurons: a new trainer

    def _restore_view(self, saved):
        view, self.trainer = saved
        super()._restore_view(view)

    def _may_draw_ahead(self):
        return super()._may_draw_ahead() and not self.playing  # each frame is a new picture

    def _on_play(self, change):
        button = self.play_button
        button.description, button.icon = ("pause", "pause") if change["new"] else ("play",
                                                                                   "play")
        if change["new"]:
            self.play()

    # -- drawing ----------------------------------------------------------------------

    def _draw(self):
        self._map_ax, self._units_ax, self._loss_ax = self.figure.subplots(
            1, 3, gridspec_kw={"width_ratios": [1.0, 1.6, 1.0]})
        ax = self._map_ax
        side = self.map_resolution
        # Both pictures are given as bytes (RGBA), drawn pixel for pixel ("nearest"):
        # matplotlib then neither normalises nor smooths them, several times faster.
        self._map = ax.imshow(PROBABILITY(np.full((side, side), 0.5), bytes=True),
                              origin="lower", extent=(*PLANE_X, *PLANE_Y), aspect="auto",
                              interpolation="nearest")
        # one marker line per class: drawn on every frame, and much faster than a scatter
        self._points = [
            ax.plot(*self.points[self.labels == label].T, marker, color=colour, markersize=3.5,
                    markeredgecolor="k", markeredgewidth=0.3, linestyle="none")[0]
            for label, marker, colour in ((0, "o", NEGATIVE), (1, "s", POSITIVE))]
        ax.set_xlim(*PLANE_X)
        ax.set_ylim(*PLANE_Y)
        label_axes(ax, "probability of class 1", "x1", "x2")

        ax = self._units_ax
        self._mosaic = ax.imshow(self._mosaic_picture(), aspect="equal",
                                 interpolation="nearest")
        band = self.rows_per_layer * (self.tile_shape[0] + 4)
        ax.set_yticks([band / 2 - 0.5, 1.5 * band - 0.5], ["layer 1", "layer 2"])
        ax.set_xticks([])
        ax.set_title("every hidden neuron's output")
        ax.set_xlabel("layer 2 frames: blue votes class 1, orange class 0")

        ax = self._loss_ax
        self._loss_line, = ax.plot([], [], color=OKABE_ITO["blue"], linewidth=1.5, marker="o",
                                   markersize=3, markevery=[0])  # a dot at the latest loss
        ax.set_yscale("log")
        ax.set_ylim(2e-3, 5.0)
        ax.set_xlim(0, self._steps_shown())
        goal_lines = []
        if self.goal is not None:
            steps, loss = self.goal
            goal_lines = [
                ax.axhline(loss, color=OKABE_ITO["bluish green"], linestyle="--", linewidth=1.0),
                ax.axvline(steps, color=OKABE_ITO["bluish green"], linestyle=":", linewidth=1.0)]
        label_axes(ax, "", "step", "loss (cross-entropy)")
        self._animate(self._map, *self._points, self._mosaic, self._loss_line)
        # a new learning rate (the title) or more steps (the x axis) redraw only these
        self._animate_layout(self._loss_ax.title, self._loss_ax.xaxis, *goal_lines)

    def _steps_shown(self):
        """The loss plot's width: 100 steps, doubled whenever the training goes past it."""
        shown = 100 if self.goal is None else max(100, int(self.goal[0]))
        while shown < self.trainer.steps_done:
            shown *= 2
        return shown

    def _mosaic_picture(self):
        network = self.trainer.network
        with np.errstate(over="ignore", invalid="ignore"):
            outputs = hidden_outputs(network, self._tile_grid)
            votes = output_votes(network)
        outputs = [np.nan_to_num(a, nan=0.0, posinf=0.0, neginf=0.0) for a in outputs]
        picture = hidden_mosaic(outputs, self.tile_shape, self.columns, self.rows_per_layer,
                                np.nan_to_num(votes))
        return (np.dstack([picture, np.ones(picture.shape[:2])]) * 255).astype(np.uint8)

    def _refresh(self):
        values = self.values()
        if int(values["neurons"]) != self.trainer.network.sizes[1]:
            self.pause()
            self._new_trainer(**values)
        self.trainer.learning_rate = values["learning_rate"]
        network, trainer = self.trainer.network, self.trainer
        with np.errstate(over="ignore", invalid="ignore"):
            probability = _in_chunks(lambda chunk: class_one_probability(network, chunk),
                                     self._map_grid)
            right = float(np.mean(network.predict(self.points) == self.labels))
        side = self.map_resolution
        self._map.set_data(PROBABILITY(np.nan_to_num(probability, nan=0.5).reshape(side, side),
                                       bytes=True))
        self._mosaic.set_data(self._mosaic_picture())
        loss = trainer.current_loss()  # after the last step (each of `losses` is before one)
        losses = np.array([*trainer.losses, loss])
        self._loss_line.set_data(np.arange(losses.size), losses)
        self._loss_line.set_markevery([losses.size - 1])
        title = f"learning rate {trainer.learning_rate:.3g}"
        relayout = self._loss_ax.get_title() != title  # drawn with the background: rarely new
        self._loss_ax.set_title(title)
        if self._loss_ax.get_xlim()[1] != self._steps_shown():
            self._loss_ax.set_xlim(0, self._steps_shown())
            relayout = True
        self._results = {"step": trainer.steps_done, "loss": float(loss), "accuracy": right,
                         "diverged": trainer.diverged, "playing": self.playing}
        return self._readout(loss, right), relayout

    def _readout(self, loss, right):
        trainer = self.trainer
        parts = [f"<b>step {trainer.steps_done:,}</b>",
                 f"loss {loss:.4g}",
                 f"{right:.0%} of the {len(self.labels)} points on the right side",
                 f"learning rate {trainer.learning_rate:.3g}",
                 f"{trainer.network.sizes[1]} neurons per layer"]
        text = " · ".join(parts)
        if trainer.diverged:
            text += ("<br><b>Diverged</b>: the loss is no longer a finite number, the steps "
                     "were too large. Press <i>reset</i> and choose a smaller learning rate.")
        elif self._stopped_because:
            text += f"<br>Paused: {self._stopped_because}."
        return text


def training_explorer(learning_rate=0.3, neurons=16, steps_per_frame=5, seed=0, goal=None):
    """Train lesson 4's two-moons network from random weights and watch it learn (lesson 7).

    The network is ``2 → neurons → neurons → 2`` (ReLU hidden layers, softmax
    output), He-initialised from ``seed``, trained on the 200 points of
    ``nnkit.examples.two_moons_network`` with full-batch gradient descent on the
    cross-entropy loss. *play* takes ``steps_per_frame`` steps per picture.
    ``goal = (steps, loss)`` marks a target on the loss plot (the challenge's).

    >>> explorer = training_explorer(learning_rate=0.5)
    >>> explorer.values()
    {'learning_rate': 0.5, 'neurons': 16}
    >>> before = explorer.results()["loss"]
    >>> explorer.advance(50).results()["loss"] < before
    True
    """
    _, points, labels = two_moons_network()  # the same points as two_moons_trainer's
    controls = {
        "learning_rate": widgets.FloatLogSlider(
            value=learning_rate, base=10, min=-3, max=1, step=0.1, description="learning rate",
            readout_format=".3g", continuous_update=True, style=SLIDER_STYLE,
            layout=widgets.Layout(width="320px")),
        "neurons": widgets.IntSlider(
            value=neurons, min=2, max=16, description="neurons per layer",
            continuous_update=False, style=SLIDER_STYLE, layout=widgets.Layout(width="320px")),
    }
    return TrainingExplorer(controls, points, labels, seed, steps_per_frame, goal)
