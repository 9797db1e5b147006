"""Drawing ahead: the pictures one input away are the pictures the input will show.

Every explorer draws, while the learner looks, the states one input away and
sends them to the browser, which shows one at once when its controls reach
that state. These tests check, for every explorer and every such state, that
the picture drawn ahead is exactly the picture the kernel draws when the
control really moves there, that drawing ahead leaves the explorer as it was,
and the messages that tell the browser which picture to show.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pytest

from nnkit.explore import all_explorers
from nnkit.explore.ahead import browser_state, one_input_away, same_state
from nnkit.explore.picture import Picture


class Sent:
    """The messages a picture sends, in order (the browser's side of the comm)."""

    def __init__(self, picture):
        self.messages = []
        picture.send = lambda content, buffers=None: self.messages.append((content, buffers))


def drawn_ahead_picture(explorer, message):
    """The picture the browser shows for an ``ahead`` message: patches over the picture shown."""
    _, boxes, patches = explorer.image._ahead[message["number"]]
    pixels = np.array(explorer.image._shown)
    for (x, y, w, h), patch in zip(boxes, patches, strict=True):
        pixels[y:y + h, x:x + w] = patch
    return pixels


@pytest.mark.parametrize("name", sorted(all_explorers()))
def test_every_picture_drawn_ahead_is_the_picture_of_that_state(name):
    explorer = all_explorers()[name]()
    start_values, start_results = explorer.values(), explorer.results()
    start_pixels = np.array(explorer.image._shown)
    moves = one_input_away(explorer.controls)
    assert moves, f"{name}: nothing to draw ahead"
    for values in moves:
        sent = Sent(explorer.image)
        explorer.draw_ahead(values)
        (message, buffers), = sent.messages
        assert message["ahead"]["state"] == browser_state(explorer.controls, values)
        assert message["base"] == explorer.image._number
        assert len(buffers) == len(message["at"])
        expected = drawn_ahead_picture(explorer, message)
        # drawing ahead moved nothing
        assert explorer.values() == start_values and explorer.results() == start_results
        assert np.array_equal(explorer.image._shown, start_pixels)

        explorer.set(**values)
        assert np.array_equal(explorer.image._shown, expected), (
            f"{name}: the picture drawn ahead for {values} is not the one shown there")
        assert message["ahead"]["readout"] == explorer.readout.value
        explorer.set(**{key: start_values[key] for key in values})
        assert np.array_equal(explorer.image._shown, start_pixels), (
            f"{name}: moving back after {values} does not give the first picture again")


def test_explorer_stays_drawn_as_it_was_after_drawing_ahead():
    from nnkit.explore.neuron import neuron_explorer

    explorer = neuron_explorer()
    before = explorer.png()
    explorer.draw_ahead({"activation": "step"})
    assert explorer.png() == before


def test_the_state_reached_is_shown_from_the_picture_drawn_ahead_in_one_short_message():
    from nnkit.explore.neuron import neuron_explorer

    explorer = neuron_explorer()
    sent = Sent(explorer.image)
    explorer.draw_ahead({"w1": explorer.values()["w1"] + 0.1})
    number = sent.messages[-1][0]["number"]
    explorer.controls["w1"].value += 0.1  # as the browser's slider does
    (show, buffers), = sent.messages[1:]
    assert show == {"show": number} and buffers is None
    assert explorer.image._number == number and explorer.image._ahead == {}


def test_a_state_not_drawn_ahead_is_sent_as_changes_to_the_picture_shown():
    from nnkit.explore.neuron import neuron_explorer

    explorer = neuron_explorer()
    shown = explorer.image._number
    sent = Sent(explorer.image)
    explorer.draw_ahead({"w1": explorer.values()["w1"] + 0.1})
    explorer.controls["w2"].value += 0.5
    message, buffers = sent.messages[-1]
    assert "ahead" not in message and message["base"] == shown
    assert message["number"] > shown and len(buffers) == len(message["at"]) > 0


def test_a_new_view_gets_the_whole_picture():
    picture = Picture()
    picture.show(np.zeros((64, 64, 4), dtype=np.uint8))
    sent = Sent(picture)
    picture._answer(picture, {"type": "ready"}, [])
    (message, buffers), = sent.messages
    assert message["base"] is None and message["at"] == [[0, 0]] and len(buffers) == 1


def test_one_input_away_knows_each_kind_of_control():
    controls = {
        "rate": widgets.FloatLogSlider(value=0.1, base=10, min=-3, max=0, step=1),
        "range": widgets.FloatRangeSlider(value=(-1.0, 1.0), min=-2, max=2, step=1),
        "n": widgets.IntSlider(value=10, min=0, max=10),
        "kind": widgets.ToggleButtons(options=[("a", 1), ("b", 2)], value=2),
        "on": widgets.Checkbox(value=False),
        "text": widgets.Text(value="784, 10"),
    }
    moves = one_input_away(controls)
    assert {"n": 9} in moves and {"n": 11} not in moves
    rates = [move["rate"] for move in moves if "rate" in move]
    assert np.allclose(rates, [1.0, 0.01])
    assert {"range": (-2.0, 1.0)} in moves and {"range": (0.0, 1.0)} in moves
    assert {"range": (-1.0, 2.0)} in moves and {"range": (-1.0, 0.0)} in moves
    assert {"kind": 1} in moves and {"on": True} in moves
    assert not any("text" in move for move in moves)
    assert browser_state(controls, {"kind": 1}) == [0.1, [-1.0, 1.0], 10, 0, False, "784, 10"]


def test_states_agree_up_to_what_javascript_adds_differently():
    assert same_state([0.1 + 0.2], [0.3])
    assert not same_state([0.3], [0.31])
    assert not same_state([[1.0, 2.0]], [[1.0]])


def test_drawing_another_number_of_neurons_ahead_keeps_the_training_done():
    from nnkit.explore.learning import training_explorer

    explorer = training_explorer().advance(20)
    before = explorer.results()
    explorer.draw_ahead({"neurons": 15})
    assert explorer.results() == before and explorer.trainer.steps_done == 20
    explorer.set(neurons=15)
    assert explorer.results()["step"] == 0  # a new number of neurons starts again


@pytest.mark.parametrize("model", ["(your layer sizes)", "GPT-2 small"])
def test_layer_sizes_typed_are_drawn_ahead_and_shown_on_enter(model):
    from nnkit.explore.counting import parameter_counter

    counter = parameter_counter(model=model)
    sent = Sent(counter.image)
    counter.controls["sizes"].draft = "2, 3, 1"  # typed, not entered
    assert counter.results()["total"] != 13
    (values,) = [move for move in one_input_away(counter.controls) if "sizes" in move]
    assert values == {"sizes": "2, 3, 1"}
    counter.draw_ahead(values)
    number = sent.messages[-1][0]["number"]
    counter.controls["sizes"].value = "2, 3, 1"  # Enter
    assert {"show": number} in [message for message, _ in sent.messages]
    assert counter.results()["total"] == 13 and counter.image._number == number


def test_one_queue_draws_the_explorer_moved_last_first_and_the_rest_after_a_pause():
    import asyncio
    import time

    from nnkit.explore.ahead import Queue

    class Drawn:
        def __init__(self, name, log):
            self.name, self.log = name, log

        def draw_ahead(self, values):
            self.log.append((self.name, values, time.monotonic()))

    async def plan_and_wait():
        queue, log = Queue(), []
        queue.pause = 0.5
        first, second = Drawn("first", log), Drawn("second", log)
        queue.plan(first, [{"a": 1}, {"a": 2}])
        queue.plan(second, [{"b": 1}])
        started = time.monotonic()
        queue.plan(first, [{"a": 3}], after_a_pause=[{"c": 1}])  # what was planned is stale
        await queue._task
        return started, log

    started, log = asyncio.run(plan_and_wait())
    assert [(name, values) for name, values, _ in log] == [
        ("first", {"a": 3}), ("second", {"b": 1}), ("first", {"c": 1})]
    assert log[-1][2] - started >= 0.5 > log[1][2] - started


def test_outside_an_event_loop_nothing_is_drawn_ahead():
    from nnkit.explore.neuron import neuron_explorer

    explorer = neuron_explorer()
    sent = Sent(explorer.image)
    explorer.controls["w1"].value += 0.1
    assert all("ahead" not in message for message, _ in sent.messages)


def test_the_way_back_is_the_picture_before():
    from nnkit.explore.neuron import neuron_explorer

    explorer = neuron_explorer()
    before, readout, w1 = np.array(explorer.image.shown), explorer.readout.value, \
        explorer.values()["w1"]
    explorer.controls["w1"].value = w1 + 0.1
    sent = Sent(explorer.image)

    def not_drawn_again():
        raise AssertionError("the picture before was drawn again")

    explorer._refresh = not_drawn_again
    explorer.draw_ahead({"w1": w1})
    (message, _), = sent.messages
    assert message["ahead"]["readout"] == readout
    assert np.array_equal(drawn_ahead_picture(explorer, message), before)


def test_after_a_move_that_controls_states_come_now_the_next_controls_after_a_pause(
        monkeypatch):
    from nnkit.explore import explorer as explorer_module
    from nnkit.explore.neuron import neuron_explorer

    planned = []
    monkeypatch.setattr(explorer_module.AHEAD, "plan",
                        lambda explorer, moves, after_a_pause=(): planned.append(
                            ([name for move in moves for name in move],
                             [name for move in after_a_pause for name in move])))
    explorer = neuron_explorer()
    explorer.controls["b"].value += 0.1
    now, later = planned[-1]
    assert set(now) == {"b"}
    assert list(dict.fromkeys(later)) == ["activation", "x1", "x2", "w1", "w2"]
    explorer._on_view_ready(explorer.image, {"type": "ready"}, [])  # shown: every control now
    now, later = planned[-1]
    assert set(now) == set(explorer.controls) and later == []


def test_a_new_plan_is_drawn_at_once_while_others_wait_for_a_pause():
    import asyncio
    import time

    from nnkit.explore.ahead import Queue

    drawn = []

    class Drawn:
        def draw_ahead(self, values):
            drawn.append((values, time.monotonic()))

    async def plan_twice():
        queue, explorer = Queue(), Drawn()
        queue.pause = 3600.0  # a queue that waited for the pause would never draw here
        queue.plan(explorer, [], after_a_pause=[{"later": 1}])
        await asyncio.sleep(0.1)  # the queue waits for the pause
        started = time.monotonic()
        queue.plan(Drawn(), [{"now": 1}])
        while not drawn and time.monotonic() - started < 20:
            await asyncio.sleep(0.01)

    asyncio.run(plan_twice())
    assert [values for values, _ in drawn] == [{"now": 1}]
