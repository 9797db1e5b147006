"""The picture of an explorer in the browser: a canvas redrawn from the parts that changed.

An explorer's figure is drawn in the kernel at twice the resolution it is
shown at, so that it is sharp on a HiDPI screen. Sending all of it after each
step of a slider would cost more time than drawing it (encoding a two-megapixel
picture, sending it, decoding it), while a step usually changes a small part:
a point, a line, one panel. So :class:`Picture` compares the new pixels with
those the browser already shows and sends only the rectangles that changed, as
JPEG; a few lines of JavaScript draw them onto a ``<canvas>``. Pictures drawn
ahead wait in the browser, decoded, until the controls read their state.

>>> import numpy as np
>>> before = np.zeros((64, 128, 4), dtype=np.uint8)
>>> after = before.copy()
>>> after[40, 100] = 255
>>> changed_rectangles(before, after, tile=32)
[(96, 32, 32, 32)]
"""

from __future__ import annotations

import io

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets
from PIL import Image

from nnkit.explore.ahead import same_state

# Draws what the kernel sends: the whole picture first, then the rectangles that changed.
# Each picture has a number; a message of changes names the picture it changes
# (its base), and is drawn only over that one. Pictures drawn ahead wait, decoded,
# until the controls read the state they show (see nnkit.explore.ahead).
_FRONT_END = """
function sameState(one, other) {
  if (Array.isArray(one) && Array.isArray(other)) {
    return one.length === other.length && one.every((item, i) => sameState(item, other[i]));
  }
  if (typeof one === "number" && typeof other === "number") {
    return Math.abs(one - other) <= 1e-9 * Math.max(1, Math.abs(one), Math.abs(other));
  }
  return one === other;
}

export default {
  async render({ model, el }) {
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d");
    canvas.style.display = "block";
    canvas.style.width = "100%";
    el.classList.add("nnkit-picture");
    el.appendChild(canvas);
    let shown = null;  // the number of the picture on the canvas
    let drawn = Promise.resolve();  // messages are dealt with in the order they came
    const ahead = new Map();  // number → {base, state, readout, at, pictures}
    const manager = model.widget_manager;
    const byId = (reference) => manager.get_model(reference.slice("IPY_MODEL_".length));
    // (a notebook saved by an older nnkit has no controls here: it only shows its picture)
    const controls = await Promise.all((model.get("controls") ?? []).map(byId));
    const readout = model.get("readout") ? await byId(model.get("readout")) : null;
    const attributes = model.get("attributes") ?? [];

    function size() {
      canvas.width = model.get("width");
      canvas.height = model.get("height");
      canvas.style.maxWidth = `${model.get("width") / model.get("scale")}px`;
    }
    function paint(at, pictures, number) {
      pictures.forEach((picture, i) => context.drawImage(picture, ...at[i]));
      shown = number;
      for (const [key, entry] of ahead) {
        if (entry.base !== shown) {
          entry.pictures.forEach((picture) => picture.close());
          ahead.delete(key);
        }
      }
      el.dataset.ahead = ahead.size;  // how many pictures wait, ready to be shown
    }
    function showAhead(number) {
      const entry = ahead.get(number);
      if (!entry || entry.base !== shown) return false;
      paint(entry.at, entry.pictures, number);
      if (readout) readout.set("value", entry.readout);  // the kernel sends the same soon
      return true;
    }
    function onInput() {
      const state = controls.map((control, i) => control.get(attributes[i]));
      for (const [number, entry] of ahead) {
        if (sameState(entry.state, state) && showAhead(number)) return;
      }
    }
    function askForTheWholePicture() {
      shown = null;
      model.send({ type: "ready" });
    }
    function receive(message, buffers) {
      const decoded = Promise.all(buffers.map(
        (buffer) => createImageBitmap(new Blob([buffer], { type: message.type }))));
      drawn = drawn.then(() => decoded).then((pictures) => {
        if (message.ahead) {
          ahead.set(message.number, { ...message.ahead, base: message.base,
                                      at: message.at, pictures });
          el.dataset.ahead = ahead.size;
        } else if (message.show !== undefined) {
          if (shown !== message.show && !showAhead(message.show)) askForTheWholePicture();
        } else if (message.base === null || message.base === shown) {
          paint(message.at, pictures, message.number);
          pictures.forEach((picture) => picture.close());
        } else if (shown !== null) {
          askForTheWholePicture();  // changes to a picture this canvas no longer shows
        }
      }).catch((error) => {  // e.g. a picture that does not decode: start again from a whole one
        console.error("nnkit picture:", error);
        askForTheWholePicture();
      });
    }

    size();
    model.on("change:width change:height change:scale", size);
    model.on("msg:custom", receive);
    controls.forEach((control, i) => control.on(`change:${attributes[i]}`, onInput));
    if (model.get("saved").byteLength) {
      receive({ type: "image/jpeg", at: [[0, 0]], base: null, number: null },
              [model.get("saved")]);
    }
    model.send({ type: "ready" });  // the kernel answers with the whole picture as it is
    return () => {
      model.off("msg:custom", receive);
      controls.forEach((control, i) => control.off(`change:${attributes[i]}`, onInput));
    };
  },
};
"""


class Picture(anywidget.AnyWidget):
    """A canvas in the browser that shows an RGBA pixel array, sent in changed rectangles.

    ``show(pixels)`` sends what differs from the pixels shown before; a view
    that opens later asks for the whole picture. ``saved`` is the first
    picture: what a notebook saved with its widgets shows before its kernel runs.

    ``draw_ahead(pixels, state, readout)`` sends a picture that the browser
    keeps until its ``controls`` read ``state`` (as :func:`nnkit.explore.ahead.browser_state`
    writes it); then it shows it at once, and ``readout`` in the ``readout``
    widget. ``show(pixels, state)`` for that state costs one short message.
    """

    _esm = _FRONT_END
    width = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(0).tag(sync=True)
    scale = traitlets.Float(2.0).tag(sync=True)  # pixels per CSS pixel
    saved = traitlets.Bytes(b"").tag(sync=True)
    controls = traitlets.List(traitlets.Instance(widgets.Widget)).tag(
        sync=True, **widgets.widget_serialization)
    attributes = traitlets.List(traitlets.Unicode()).tag(sync=True)  # "value" or "index"
    readout = traitlets.Instance(widgets.Widget, allow_none=True).tag(
        sync=True, **widgets.widget_serialization)

    def __init__(self, image_format="jpeg", changes_only=True, **traits):
        super().__init__(**traits)
        self.image_format = image_format
        self.changes_only = changes_only
        self._shown = None
        self._number = 0  # of the picture the browser shows
        self._last_number = 0
        self._ahead = {}  # number → (state, boxes, the pixels of each box)
        self.state = None  # the controls' state the picture shown was drawn for
        self.on_msg(self._answer)

    @property
    def shown(self):
        """The pixels the browser shows (an array no later change alters), or None."""
        return self._shown

    def show(self, pixels, state=None):
        """Send the rectangles of ``pixels`` (height × width × 4) that the browser does not show.

        If ``state`` is that of a picture drawn ahead, the browser is told to show
        that one (it may have done so already), and then sent what still differs.
        """
        if state is not None:
            self._show_drawn_ahead(state)
        height, width = pixels.shape[:2]
        if self._shown is None or self._shown.shape != pixels.shape or not self.changes_only:
            boxes, base = [(0, 0, width, height)], None
        else:
            boxes, base = changed_rectangles(self._shown, pixels), self._number
        self._shown, self.state = np.array(pixels), state
        if self.saved == b"":
            self.saved = encode(self._shown, "jpeg")
        self.width, self.height = width, height
        if boxes:
            self._now_showing(self._new_number())
            self._send_patches(boxes, self._patches(self._shown, boxes), base, self._number)

    def draw_ahead(self, pixels, state, readout=""):
        """Send ``pixels`` for the browser to show as soon as its controls read ``state``."""
        if self._shown is None or self._shown.shape != pixels.shape:
            return
        boxes = changed_rectangles(self._shown, pixels)
        number, patches = self._new_number(), self._patches(pixels, boxes)
        self._ahead[number] = (state, boxes, patches)
        self._send_patches(boxes, patches, self._number, number,
                           ahead={"state": state, "readout": readout})

    def _show_drawn_ahead(self, state):
        """If a picture was drawn ahead for ``state``, tell the browser to show it."""
        for number, (drawn_for, boxes, patches) in self._ahead.items():
            if same_state(drawn_for, state):
                self._shown = self._shown.copy()  # the picture before may be kept elsewhere
                for (x, y, w, h), patch in zip(boxes, patches, strict=True):
                    self._shown[y:y + h, x:x + w] = patch
                self._now_showing(number)
                self.send({"show": number})
                return

    @property
    def value(self):
        """The picture the browser shows, as JPEG bytes."""
        return encode(self._shown, "jpeg")

    def _new_number(self):
        self._last_number += 1
        return self._last_number

    def _now_showing(self, number):
        self._number = number
        self._ahead.clear()  # drawn ahead of a picture no longer shown

    @staticmethod
    def _patches(pixels, boxes):
        return [pixels[y:y + h, x:x + w].copy() for x, y, w, h in boxes]

    def _send_patches(self, boxes, patches, base, number, **extra):
        """Send ``patches`` to draw at ``boxes`` over picture ``base``: picture ``number``."""
        self.send({"type": f"image/{self.image_format}", "at": [[x, y] for x, y, _, _ in boxes],
                   "base": base, "number": number, **extra},
                  buffers=[encode(patch, self.image_format) for patch in patches])

    def _answer(self, _, message, buffers):
        if message.get("type") == "ready" and self._shown is not None:
            height, width = self._shown.shape[:2]
            self._send_patches([(0, 0, width, height)], [self._shown], None, self._number)


def changed_rectangles(before, after, tile=32):
    """The part of ``after`` that differs from ``before``, as rectangles ``(x, y, width, height)``.

    Both are pixel arrays of the same shape. The picture is cut into square
    tiles; the changed tiles of a row that touch make one run, and runs that
    span the same columns in consecutive rows make one rectangle.

    >>> before = np.zeros((96, 96, 4), dtype=np.uint8)
    >>> after = before.copy()
    >>> after[5:40, 5:10] = 1  # two tiles high, one wide
    >>> after[70, 90] = 1
    >>> changed_rectangles(before, after)
    [(0, 0, 32, 64), (64, 64, 32, 32)]
    """
    height, width = after.shape[:2]
    differs = _words(before) != _words(after)
    tiles = np.logical_or.reduceat(differs, np.arange(0, height, tile), axis=0)
    tiles = np.logical_or.reduceat(tiles, np.arange(0, width, tile), axis=1)
    rows = tiles.shape[0]
    open_runs, rectangles = {}, []
    for row in range(rows + 1):
        runs = _runs(tiles[row]) if row < rows else []
        for run in list(open_runs):
            if run not in runs:
                rectangles.append((run, open_runs.pop(run), row))
        for run in runs:
            open_runs.setdefault(run, row)
    boxes = []
    for (first, last), top, bottom in sorted(rectangles, key=lambda item: (item[1], item[0])):
        x, y = first * tile, top * tile
        boxes.append((x, y, min(last * tile, width) - x, min(bottom * tile, height) - y))
    return boxes


def _words(pixels):
    """One 32-bit number per RGBA pixel: comparing those is four times quicker than bytes."""
    return np.ascontiguousarray(pixels).view(np.uint32)[..., 0]


def _runs(flags):
    """``[False, True, True, False, True]`` → ``[(1, 3), (4, 5)]``: where the flags are set."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(np.int8), [0]])))
    return [(int(start), int(stop)) for start, stop in zip(edges[::2], edges[1::2], strict=True)]


def encode(pixels, image_format="jpeg"):
    """RGBA pixels as JPEG (quality 90) or PNG bytes; the alpha channel is dropped."""
    picture = Image.fromarray(np.ascontiguousarray(pixels[..., :3]))
    buffer = io.BytesIO()
    if image_format == "png":
        picture.save(buffer, format="png", compress_level=1)
    else:
        picture.save(buffer, format=image_format, quality=90)
    return buffer.getvalue()
