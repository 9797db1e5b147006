"""A text box whose value is what was entered, and whose draft is what is being typed.

``ipywidgets.Text`` tells the kernel either every key (and the explorer would
count "7", "78", "784" on the way to "784") or only the text entered. This box
tells it both: ``draft`` follows every key, ``value`` changes on Enter or when
the box loses focus. An explorer draws the draft's picture ahead
(:mod:`nnkit.explore.ahead`) while the learner types, and shows it on Enter.

>>> box = TextBox(value="784, 10", description="layer sizes")
>>> box.draft = "784, 128, 10"  # typed, not entered yet
>>> box.value
'784, 10'
"""

from __future__ import annotations

import anywidget
import ipywidgets as widgets
import traitlets

# Looks like ipywidgets' own text box (its classes), so it lines up with the other controls.
_FRONT_END = """
export default {
  render({ model, el }) {
    el.classList.add("widget-inline-hbox", "widget-text");
    const label = document.createElement("label");
    label.className = "widget-label";
    label.textContent = model.get("description");
    label.style.width = "auto";
    label.style.paddingRight = "8px";
    const input = document.createElement("input");
    input.type = "text";
    input.value = model.get("value");
    label.htmlFor = input.id = `nnkit-text-${Math.random().toString(36).slice(2)}`;
    el.append(label, input);

    const send = (name) => {
      model.set(name, input.value);
      model.save_changes();
    };
    input.addEventListener("input", () => send("draft"));
    input.addEventListener("change", () => send("value"));  // Enter, or focus elsewhere
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") send("value");
    });
    const fromKernel = () => {
      if (input.value !== model.get("value")) input.value = model.get("value");
    };
    model.on("change:value", fromKernel);
    return () => model.off("change:value", fromKernel);
  },
};
"""


class TextBox(anywidget.AnyWidget, widgets.ValueWidget):
    """One line of text: ``value`` is entered (Enter or focus elsewhere), ``draft`` is typed."""

    _esm = _FRONT_END
    value = traitlets.Unicode("").tag(sync=True)
    draft = traitlets.Unicode("").tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)

    def __init__(self, value="", **traits):
        super().__init__(value=value, draft=value, **traits)

    @traitlets.observe("value")
    def _entered(self, change):
        self.draft = change["new"]  # entered, from the browser or set from code
