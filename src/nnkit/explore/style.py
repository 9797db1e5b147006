"""The course's colours and the small drawing helpers every figure shares.

Colours come from one colour-blind-safe palette, Okabe and Ito's, defined
here once; matplotlib's global settings are never changed. Every plotting
function of :mod:`nnkit.explore` takes ``ax=None`` (a new figure is made
when no Axes is given), labels its axes and returns the Axes it drew on;
none calls ``plt.show()``.

>>> PALETTE[0] == OKABE_ITO["blue"]
True
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, ListedColormap
from matplotlib.image import NonUniformImage

# Okabe & Ito (2008), "Color Universal Design": eight colours that stay distinct
# for the common forms of colour blindness.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}


#: The order in which lines and bars take their colours.
PALETTE = [
    OKABE_ITO[name]
    for name in ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue")
]

POSITIVE = OKABE_ITO["blue"]  # positive weights, class 1

NEGATIVE = OKABE_ITO["vermillion"]  # negative weights, class 0

NEUTRAL = "#999999"

HIGHLIGHT = OKABE_ITO["orange"]

#: Orange (low) through white to blue (high): for outputs over the input plane.
DIVERGING = LinearSegmentedColormap.from_list(
    "nnkit_diverging", [OKABE_ITO["vermillion"], "#f7f7f7", OKABE_ITO["blue"]]
)

#: Two light colours for the decision regions of a two-class classifier.
REGIONS = ListedColormap(["#f6c9a6", "#a9cde6"], name="nnkit_regions")


def new_axes(ax, figsize=(5.0, 3.6)):
    """Return ``ax``, or the Axes of a new pyplot figure when ``ax`` is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def label_axes(ax, title, xlabel, ylabel):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def grid_points(xlim, ylim, resolution):
    """Points of a resolution × resolution grid as a (resolution², 2) batch."""
    xs = np.linspace(xlim[0], xlim[1], resolution)
    ys = np.linspace(ylim[0], ylim[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


class GridImage(NonUniformImage):
    """Values on a square grid over ``extent``, coloured; each screen pixel shows the nearest.

    Unlike ``imshow``'s picture, nothing is resampled when it is drawn
    (matplotlib's ``NonUniformImage``, "nearest"): several times quicker at
    the resolution of a HiDPI screen, so an explorer can redraw it at every
    step of a slider. With a fine grid it looks as smooth.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> image = GridImage(new_axes(None), (-3.0, 3.0, -3.0, 3.0), resolution=5)
    >>> image.set_values(np.zeros((5, 5))).get_array().shape
    (5, 5)
    """

    def __init__(self, ax, extent, resolution, **kwargs):
        super().__init__(ax, interpolation="nearest", extent=extent, **kwargs)
        self._grid_x = np.linspace(extent[0], extent[1], resolution)
        self._grid_y = np.linspace(extent[2], extent[3], resolution)
        self.set_values(np.zeros((resolution, resolution)))
        ax.add_image(self)

    def set_values(self, values):
        """New values, one row per grid row from the bottom; returns the image."""
        self.set_data(self._grid_x, self._grid_y, values)
        return self


def scatter_classes(ax, points, labels):
    """Points coloured by their 0/1 label (circles for 0, squares for 1)."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    if labels is None:
        return [ax.scatter(points[:, 0], points[:, 1], c="k", s=30, zorder=3)]
    labels = np.asarray(labels).ravel()
    artists = []
    for value, colour, marker in ((0, NEGATIVE, "o"), (1, POSITIVE, "s")):
        chosen = points[labels == value]
        artists.append(
            ax.scatter(
                chosen[:, 0], chosen[:, 1], c=colour, marker=marker, s=36,
                edgecolors="k", linewidths=0.6, zorder=3, label=f"class {value}",
            )
        )
    return artists
