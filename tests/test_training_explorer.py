"""The training explorer of lesson 7: steps, reset, controls, play and pause on an event loop."""

from __future__ import annotations

import asyncio
import warnings

import matplotlib
import numpy as np
import pytest

from nnkit.explore.learning import hidden_mosaic, training_explorer
from nnkit.learning import two_moons_trainer

matplotlib.use("Agg")


def test_one_step_is_one_step_of_gradient_descent():
    explorer = training_explorer(learning_rate=0.5)
    picture = explorer.image.value
    explorer.step_button.click()
    assert explorer.results()["step"] == 1
    assert explorer.image.value != picture
    expected = two_moons_trainer(0.5)
    expected.train(1)
    assert explorer.results()["loss"] == pytest.approx(expected.current_loss())
    assert "<b>step 1</b>" in explorer.readout.value


def test_the_explorer_shows_what_the_challenge_checks():
    explorer = training_explorer(learning_rate=0.631, neurons=8).advance(100)
    trainer = two_moons_trainer(0.631, neurons=8)
    trainer.train(100)
    assert explorer.results()["loss"] == pytest.approx(trainer.current_loss(), rel=1e-12)


def test_reset_starts_again_from_the_same_weights():
    explorer = training_explorer()
    start = explorer.results()["loss"]
    explorer.advance(30)
    assert explorer.results()["loss"] < start
    explorer.reset_button.click()
    assert explorer.results()["step"] == 0
    assert explorer.results()["loss"] == start


def test_the_learning_rate_applies_to_the_next_step_without_a_reset():
    explorer = training_explorer(learning_rate=0.3).advance(10)
    explorer.controls["learning_rate"].value = 0.05
    assert explorer.trainer.learning_rate == 0.05 and explorer.results()["step"] == 10
    assert "learning rate 0.05" in explorer.readout.value


def test_changing_the_neurons_starts_a_new_network():
    explorer = training_explorer().advance(10)
    explorer.controls["neurons"].value = 4
    assert explorer.trainer.network.sizes == [2, 4, 4, 2]
    assert explorer.results()["step"] == 0


def test_a_diverging_run_is_reported_without_warnings():
    explorer = training_explorer(learning_rate=10.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer.advance(20)
    assert explorer.results()["diverged"]
    assert "Diverged" in explorer.readout.value


async def until(condition, timeout=30.0):
    """Let the event loop run until ``condition()`` holds; a busy machine only makes it slower."""
    waited = 0.0
    while not condition():
        assert waited < timeout, f"still not true after {timeout:.0f} s of playing"
        await asyncio.sleep(0.05)
        waited += 0.05


def test_play_trains_on_the_event_loop_until_paused():
    explorer = training_explorer(steps_per_frame=2)
    pictures = set()
    explorer.image.send = lambda message, buffers: pictures.add(b"".join(buffers))

    async def session():
        explorer.play_button.value = True  # as the learner's click does
        await until(lambda: explorer.results()["step"] >= 4)
        explorer.pause()
        await asyncio.sleep(0.2)  # the task sees the pause before its next frame
        return explorer.results()["step"]

    steps = asyncio.run(session())
    assert steps >= 4 and steps % 2 == 0
    assert len(pictures) >= 2
    assert explorer.play_button.description == "play" and not explorer.playing
    assert explorer.results()["step"] == steps


def test_the_picture_is_drawn_at_screen_size_while_playing_and_sharp_when_paused():
    explorer = training_explorer(steps_per_frame=2)
    sharp = (explorer.image.width, explorer.image.height)
    widths = []
    explorer.image.send = lambda message, buffers: widths.append(explorer.image.width)

    async def session():
        explorer.play()
        await until(lambda: len(widths) >= 2)
        explorer.pause()
        await asyncio.sleep(0.2)

    asyncio.run(session())
    assert widths[0] == sharp[0] // 2 and widths[-1] == sharp[0], widths
    assert (explorer.image.width, explorer.image.height) == sharp
    assert explorer.image.scale == explorer.scale == 2


def test_play_stops_by_itself_at_the_last_step():
    explorer = training_explorer(steps_per_frame=5)
    explorer.max_steps = 10

    async def session():
        explorer.play()
        await until(lambda: not explorer.playing)

    asyncio.run(session())
    assert explorer.results()["step"] == 10 and not explorer.playing
    assert "stopped after 10 steps" in explorer.readout.value


def test_play_outside_an_event_loop_says_what_to_do_instead():
    explorer = training_explorer()
    with pytest.raises(RuntimeError, match=r"call advance\(steps\)"):
        explorer.play()
    assert not explorer.playing


def test_the_goal_is_drawn_on_the_loss_plot():
    explorer = training_explorer(goal=(100, 0.065))
    lines = explorer._loss_ax.get_lines()
    assert any(np.allclose(line.get_ydata(), 0.065) for line in lines)
    assert explorer._loss_ax.get_xlim() == (0.0, 100.0)
    explorer.advance(101)
    assert explorer._loss_ax.get_xlim() == (0.0, 200.0)


def test_the_mosaic_leaves_dead_neurons_white_and_empty_places_grey():
    outputs = [np.column_stack([np.linspace(0, 1, 4), np.zeros(4)])]
    picture = hidden_mosaic(outputs, shape=(2, 2), columns=3, rows_per_layer=1)
    tile = slice(2, 4)
    assert np.allclose(picture[tile, 6 + 2:6 + 4], 1.0)  # the dead neuron: all white
    assert np.allclose(picture[tile, 12 + 2:12 + 4], 0.92)  # no third neuron: grey
    assert picture[tile, tile].min() < 0.2  # the live one reaches black at its largest


def test_the_loss_axis_grows_and_the_picture_is_the_one_drawn_afresh():
    """More steps widen the loss plot's axis and move the goal's lines with it."""
    from tests.test_widgets import _decoded

    explorer = training_explorer(goal=(100, 0.065))
    for steps, rate in ((150, 0.2), (400, 0.4)):
        explorer.advance(steps)
        explorer.controls["learning_rate"].value = rate
        stepped = _decoded(explorer.png())
        explorer._static = None  # forget every cached picture: draw everything again
        explorer.update()
        assert np.array_equal(stepped, _decoded(explorer.png())), steps
    assert explorer._loss_ax.get_xlim()[1] > 100
