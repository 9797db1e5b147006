"""The *Check my answer* button: its click carries the controls as the browser shows them.

While the kernel is busy with a slider's last value, ipywidgets holds the
slider's newest value back in the browser, but it sends a button's click at
once. A learner who moves a slider and clicks straight away would have the
value before checked. So this button sends, with its click, what the browser's
controls read, and the kernel sets the explorer to that before checking.

>>> import ipywidgets as widgets
>>> slider = widgets.FloatSlider(value=0.5, min=-1, max=1, step=0.1)
>>> button = CheckButton({"w": slider})
>>> button.on_click(print)
>>> button.click()  # from code: the controls as the kernel has them
{'w': 0.5}
>>> button._handle_custom_msg({"type": "click", "state": [0.7]}, [])  # from the browser
{'w': 0.7}
"""

from __future__ import annotations

import anywidget
import ipywidgets as widgets
import traitlets

from nnkit.explore.ahead import browser_attribute, values_from_browser

# Looks like ipywidgets' primary button (its classes), beside the status line.
_FRONT_END = """
export default {
  async render({ model, el }) {
    const manager = model.widget_manager;
    const byId = (reference) => manager.get_model(reference.slice("IPY_MODEL_".length));
    const controls = await Promise.all(model.get("controls").map(byId));
    const attributes = model.get("attributes");
    const button = document.createElement("button");
    button.className = "jupyter-button widget-button mod-primary";
    const icon = document.createElement("i");
    icon.className = "fa fa-check";
    button.append(icon, ` ${model.get("description")}`);
    button.addEventListener("click", () => {
      const state = controls.map((control, i) => control.get(attributes[i]));
      model.send({ type: "click", state });
    });
    el.append(button);
  },
};
"""


class CheckButton(anywidget.AnyWidget):
    """A button whose click gives its callbacks the values the browser's ``controls`` read."""

    _esm = _FRONT_END
    description = traitlets.Unicode("Check my answer").tag(sync=True)
    controls = traitlets.List(traitlets.Instance(widgets.Widget)).tag(
        sync=True, **widgets.widget_serialization)
    attributes = traitlets.List(traitlets.Unicode()).tag(sync=True)  # "value" or "index"

    def __init__(self, controls, **traits):
        super().__init__(controls=list(controls.values()),
                         attributes=[browser_attribute(c) for c in controls.values()], **traits)
        self._named = dict(controls)
        self._callbacks = []
        self.on_msg(self._clicked)

    def on_click(self, callback):
        """Call ``callback(values)`` on every click: a dict from control name to value."""
        self._callbacks.append(callback)

    def click(self):
        """Click from code: the values are the controls' own."""
        self._call({name: control.value for name, control in self._named.items()})

    def _clicked(self, _, message, buffers):
        if message.get("type") == "click":
            self._call(values_from_browser(self._named, message["state"]))

    def _call(self, values):
        for callback in self._callbacks:
            callback(values)
