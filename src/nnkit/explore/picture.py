"""The picture of an explorer in the browser: a canvas redrawn from the parts that changed.

An explorer's figure is drawn in the kernel at twice the resolution it is
shown at, so that it is sharp on a HiDPI screen. Sending all of it after each
step of a slider would cost more time than drawing it (encoding a two-megapixel
picture, sending it, decoding it), while a step usually changes a small part:
a point, a line, one panel. So :class:`Picture` compares the new pixels with
those the browser already shows and sends only the rectangles that changed, as
JPEG; a few lines of JavaScript draw them onto a ``<canvas>``.

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
import numpy as np
import traitlets
from PIL import Image

# Draws what the kernel sends: the whole picture first, then the rectangles that changed.
_FRONT_END = """
export default {
  render({ model, el }) {
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d");
    canvas.style.display = "block";
    canvas.style.width = "100%";
    el.classList.add("nnkit-picture");
    el.appendChild(canvas);
    let drawn = Promise.resolve();  // pictures are drawn in the order they came

    function size() {
      canvas.width = model.get("width");
      canvas.height = model.get("height");
      canvas.style.maxWidth = `${model.get("width") / model.get("scale")}px`;
    }
    function draw(message, buffers) {
      const decoded = Promise.all(buffers.map(
        (buffer) => createImageBitmap(new Blob([buffer], { type: message.type }))));
      drawn = drawn.then(() => decoded).then((pictures) => {
        pictures.forEach((picture, i) => context.drawImage(picture, ...message.at[i]));
      });
    }

    size();
    model.on("change:width change:height change:scale", size);
    model.on("msg:custom", draw);
    if (model.get("saved").byteLength) {
      draw({ type: "image/jpeg", at: [[0, 0]] }, [model.get("saved")]);
    }
    model.send({ type: "ready" });  // the kernel answers with the whole picture as it is
    return () => model.off("msg:custom", draw);
  },
};
"""


class Picture(anywidget.AnyWidget):
    """A canvas in the browser that shows an RGBA pixel array, sent in changed rectangles.

    ``show(pixels)`` sends what differs from the pixels shown before; a view
    that opens later asks for the whole picture. ``saved`` is the first
    picture: what a notebook saved with its widgets shows before its kernel runs.
    """

    _esm = _FRONT_END
    width = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(0).tag(sync=True)
    scale = traitlets.Float(2.0).tag(sync=True)  # pixels per CSS pixel
    saved = traitlets.Bytes(b"").tag(sync=True)

    def __init__(self, image_format="jpeg", changes_only=True, **traits):
        super().__init__(**traits)
        self.image_format = image_format
        self.changes_only = changes_only
        self._shown = None
        self.on_msg(self._answer)

    def show(self, pixels):
        """Send the rectangles of ``pixels`` (height × width × 4) that the browser does not show."""
        height, width = pixels.shape[:2]
        if self._shown is None or self._shown.shape != pixels.shape or not self.changes_only:
            boxes = [(0, 0, width, height)]
        else:
            boxes = changed_rectangles(self._shown, pixels)
        self._shown = np.array(pixels)
        if self.saved == b"":
            self.saved = encode(self._shown, "jpeg")
        self.width, self.height = width, height
        if boxes:
            self._send_boxes(boxes)

    @property
    def value(self):
        """The picture the browser shows, as JPEG bytes."""
        return encode(self._shown, "jpeg")

    def _send_boxes(self, boxes):
        self.send(
            {"type": f"image/{self.image_format}", "at": [[x, y] for x, y, _, _ in boxes]},
            buffers=[encode(self._shown[y:y + h, x:x + w], self.image_format)
                     for x, y, w, h in boxes],
        )

    def _answer(self, _, message, buffers):
        if message.get("type") == "ready" and self._shown is not None:
            height, width = self._shown.shape[:2]
            self._send_boxes([(0, 0, width, height)])


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
