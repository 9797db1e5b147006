"""Counting parameters, and the memory they take (lesson 6).

A dense layer from ``n_in`` to ``n_out`` has one weight per connection and one
bias per neuron: ``n_in·n_out + n_out``. Adding up layers gives an MLP; adding
up embeddings, attention and MLP blocks gives a transformer such as BERT or
GPT-2, from nothing but its published configuration. Multiplying by the bytes
per number gives the memory the weights need, which decides what fits on a
laptop or a GPU.

>>> mlp_params([784, 256, 128, 10])
235146
>>> gpt2_params(12, 768, 50257, 1024)
124439808
>>> human_bytes(memory_bytes(7_000_000_000, "float16"))
'14.0 GB'
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from nnkit._validation import (
    check_count,
    check_known_name,
    check_layer_sizes,
    check_positive_int,
)

# ------------------------------------------------------------ dense and MLP


def dense_params(n_in, n_out) -> int:
    """Weights plus biases of one dense layer: ``n_in·n_out + n_out`` (lesson 6).

    >>> dense_params(784, 256)  # 200,704 weights + 256 biases
    200960
    """
    n_in = check_positive_int(n_in, "n_in")
    n_out = check_positive_int(n_out, "n_out")
    return n_in * n_out + n_out


def mlp_params(sizes) -> int:
    """All parameters of a fully connected network with layer sizes ``sizes`` (lesson 6).

    ``sizes`` lists the inputs, every hidden layer, then the outputs; each pair of
    neighbours is one dense layer. ``ValueError`` for fewer than two sizes or a
    size below 1, ``TypeError`` for a size that is not a whole number.

    >>> mlp_params([784, 256, 128, 10])  # 200,960 + 32,896 + 1,290
    235146
    """
    sizes = check_layer_sizes(sizes)
    return sum(dense_params(n_in, n_out) for n_in, n_out in itertools.pairwise(sizes))


def parse_sizes(text) -> list[int]:
    """Layer sizes typed as text: ``"784, 256, 10"``, ``"784 → 256 → 10"`` or ``"784-256-10"``.

    Used by the parameter counter of lesson 6. ``ValueError`` naming the text
    when a part is not a whole number, or when fewer than two sizes or a size
    below 1 are given.

    >>> parse_sizes("784 → 256, 10")
    [784, 256, 10]
    >>> parse_sizes("784, 2.5")
    Traceback (most recent call last):
    ...
    ValueError: expected layer sizes as whole numbers separated by commas, e.g. '784, 256, 10'; got '784, 2.5'.
    """  # noqa: E501
    parts = [part.strip() for part in re.split(r"[,→-]", str(text)) if part.strip()]
    if not all(part.isdigit() for part in parts):
        raise ValueError(f"expected layer sizes as whole numbers separated by commas, e.g. "
                         f"'784, 256, 10'; got {text!r}.")
    return check_layer_sizes([int(part) for part in parts])


def parse_count(text) -> int:
    """A parameter count typed as text: ``"7000000000"``, ``"7_000_000_000"``, ``"7e9"`` (lesson 6).

    Thousands separators (commas, underscores, spaces) are allowed; the count
    must be a whole number of at least 1. ``ValueError`` naming the text otherwise.

    >>> parse_count("7,000,000,000"), parse_count("7e9"), parse_count("1.5e3")
    (7000000000, 7000000000, 1500)
    >>> parse_count("7 billion")
    Traceback (most recent call last):
    ...
    ValueError: expected a parameter count as a whole number, e.g. '7000000000' or '7e9'; got '7 billion'.
    """  # noqa: E501
    cleaned = re.sub(r"[\s,_]", "", str(text))
    if re.fullmatch(r"\d+", cleaned):
        count = int(cleaned)
    elif re.fullmatch(r"\d+(\.\d+)?[eE]\d+", cleaned):
        mantissa, exponent = cleaned.lower().split("e")
        whole, _, fraction = mantissa.partition(".")
        fraction = fraction.rstrip("0")
        if len(fraction) > int(exponent):
            count = 0  # not a whole number
        else:
            count = int(whole + fraction.ljust(int(exponent), "0"))
    else:
        count = 0
    if count < 1:
        raise ValueError(f"expected a parameter count as a whole number, e.g. '7000000000' or "
                         f"'7e9'; got {text!r}.")
    return count


def layer_param_table(sizes) -> list[dict]:
    """One row per dense layer: layer, shape of W, weights, biases, total (lesson 6).

    ``shape`` is ``(n_out, n_in)``, one row per neuron, as everywhere in the
    course. The totals add up to ``mlp_params(sizes)``.

    >>> for row in layer_param_table([784, 256, 128, 10]):
    ...     print(row["layer"], row["shape"], row["weights"], row["biases"], row["total"])
    784 → 256 (256, 784) 200704 256 200960
    256 → 128 (128, 256) 32768 128 32896
    128 → 10 (10, 128) 1280 10 1290
    """
    sizes = check_layer_sizes(sizes)
    return [
        {
            "layer": f"{n_in} → {n_out}",
            "shape": (n_out, n_in),
            "weights": n_in * n_out,
            "biases": n_out,
            "total": dense_params(n_in, n_out),
        }
        for n_in, n_out in itertools.pairwise(sizes)
    ]


# ---------------------------------------------------------- memory by dtype

DTYPE_BYTES: dict[str, float] = {
    "float64": 8,
    "float32": 4,
    "float16": 2,
    "bfloat16": 2,
    "int8": 1,
    "int4": 0.5,
}
"""Bytes per number for each dtype, widest first (int4 packs two numbers in a byte)."""


def memory_bytes(n_params, dtype) -> int:
    """Bytes needed to hold ``n_params`` numbers of type ``dtype`` (lesson 6).

    ``"float64"`` 8, ``"float32"`` 4, ``"float16"`` and ``"bfloat16"`` 2,
    ``"int8"`` 1, ``"int4"`` half a byte, rounded up to a whole byte.
    ``ValueError`` naming the known dtypes for any other name. Only the
    weights are counted: running a model needs more (activations, caches).

    >>> memory_bytes(235_146, "float32")
    940584
    >>> memory_bytes(3, "int4")  # 1.5 bytes, rounded up
    2
    """
    n_params = check_count(n_params, "n_params")
    dtype = check_known_name(dtype, DTYPE_BYTES, "dtype")
    return math.ceil(n_params * DTYPE_BYTES[dtype])


_DECIMAL_UNITS = ("B", "kB", "MB", "GB", "TB", "PB")


def human_bytes(n_bytes) -> str:
    """A byte count in decimal units: ``14_000_000_000`` → ``"14.0 GB"`` (lesson 6).

    Decimal (1 kB = 1000 B), as disk and GPU makers and model cards write it;
    whole bytes below 1 kB.

    >>> human_bytes(512), human_bytes(1_500), human_bytes(497_759_232)
    ('512 B', '1.5 kB', '497.8 MB')
    >>> human_bytes(999_960)  # rounds up into the next unit
    '1.0 MB'
    """
    n_bytes = check_count(n_bytes, "n_bytes")
    if n_bytes < 1000:
        return f"{n_bytes} B"
    value, unit = float(n_bytes), 0
    while unit < len(_DECIMAL_UNITS) - 1 and round(value, 1) >= 1000:
        value, unit = value / 1000, unit + 1
    return f"{value:.1f} {_DECIMAL_UNITS[unit]}"


def smallest_dtype_that_fits(n_params, budget_bytes) -> str | None:
    """How far weights must shrink to fit a budget: the widest dtype that fits (lesson 6).

    Tries the dtypes of ``DTYPE_BYTES`` from ``float64`` down to ``int4`` and
    returns the first whose ``memory_bytes`` is at most the budget, or
    ``None`` when not even ``int4`` fits.

    >>> smallest_dtype_that_fits(7_000_000_000, 16 * 10**9)  # a 7B model on a 16 GB GPU
    'float16'
    >>> print(smallest_dtype_that_fits(175_000_000_000, 80 * 10**9))
    None
    """
    n_params = check_count(n_params, "n_params")
    budget_bytes = check_count(budget_bytes, "budget_bytes")
    for dtype in DTYPE_BYTES:
        if memory_bytes(n_params, dtype) <= budget_bytes:
            return dtype
    return None


# ------------------------------------------------------------- transformers


def _block_params(d_model: int, d_ff: int) -> int:
    """One transformer block: attention, MLP and two LayerNorms, all with biases."""
    attention = 4 * dense_params(d_model, d_model)  # Q, K, V and the output projection
    mlp = dense_params(d_model, d_ff) + dense_params(d_ff, d_model)
    layer_norms = 2 * 2 * d_model  # a scale and a shift per feature, twice
    return attention + mlp + layer_norms


def gpt2_params(n_layers, d_model, vocab_size, n_positions) -> int:
    """Parameters of a GPT-2-style decoder from its configuration (lesson 6).

    - token embedding ``vocab_size·d_model`` and position embedding
      ``n_positions·d_model``;
    - per block: two LayerNorms (``2·2·d_model``), attention (Q, K, V and output
      projections, ``4·(d_model² + d_model)``) and an MLP of width ``4·d_model``
      (``d_model·4d_model + 4d_model + 4d_model·d_model + d_model``);
    - a final LayerNorm (``2·d_model``).

    The output head, which turns the last hidden state into one score per token
    of the vocabulary, is a ``(vocab_size, d_model)`` matrix: GPT-2 *ties* it to
    the token embedding, reusing the very same numbers, so it adds nothing.
    Counting it a second time is a classic mistake: for GPT-2 small it adds
    ``50,257 × 768 = 38,597,376`` and gives 163,037,184 instead of the true
    124,439,808.

    >>> gpt2_params(12, 768, 50257, 1024)  # GPT-2 small, the "124M"
    124439808
    >>> round(gpt2_params(48, 1600, 50257, 1024) / 1e9, 2)  # GPT-2 XL
    1.56
    """
    n_layers = check_positive_int(n_layers, "n_layers")
    d_model = check_positive_int(d_model, "d_model")
    vocab_size = check_positive_int(vocab_size, "vocab_size")
    n_positions = check_positive_int(n_positions, "n_positions")
    embeddings = (vocab_size + n_positions) * d_model
    final_layer_norm = 2 * d_model
    return embeddings + n_layers * _block_params(d_model, 4 * d_model) + final_layer_norm


def bert_params(
    n_layers=12, d_model=768, vocab_size=30522, n_positions=512, n_segments=2, pooler=True
) -> int:
    """Parameters of a BERT encoder from its configuration; defaults: BERT base (lesson 6).

    - embeddings: token ``vocab_size·d_model``, position ``n_positions·d_model``,
      segment ``n_segments·d_model``, then a LayerNorm (``2·d_model``);
    - per block the same as GPT-2: attention, MLP of width ``4·d_model``, two
      LayerNorms (BERT puts them after, GPT-2 before, with the same count);
    - the pooler, a dense layer ``d_model → d_model`` on the first token
      (``pooler=False`` leaves it out).

    No output head is counted: masked-word prediction reuses the token
    embedding, as in GPT-2.

    >>> bert_params()  # BERT base, the "110M"
    109482240
    >>> bert_params(24, 1024)  # BERT large, the "340M"
    335141888
    """
    n_layers = check_positive_int(n_layers, "n_layers")
    d_model = check_positive_int(d_model, "d_model")
    vocab_size = check_positive_int(vocab_size, "vocab_size")
    n_positions = check_positive_int(n_positions, "n_positions")
    n_segments = check_positive_int(n_segments, "n_segments")
    embeddings = (vocab_size + n_positions + n_segments) * d_model + 2 * d_model
    pooler_params = dense_params(d_model, d_model) if pooler else 0
    return embeddings + n_layers * _block_params(d_model, 4 * d_model) + pooler_params


# ------------------------------------------------------------ famous models


@dataclass(frozen=True)
class TransformerConfig:
    """A transformer's published configuration, enough to count its parameters (lesson 6).

    ``kind`` is ``"gpt2"`` (decoder, counted by ``gpt2_params``) or ``"bert"``
    (encoder, counted by ``bert_params``).

    >>> TransformerConfig("gpt2", 12, 768, 50257, 1024).n_params
    124439808
    """

    kind: str
    n_layers: int
    d_model: int
    vocab_size: int
    n_positions: int

    def __post_init__(self):
        check_known_name(self.kind, ("bert", "gpt2"), "kind")

    @property
    def n_params(self) -> int:
        """All parameters, from the configuration."""
        count = gpt2_params if self.kind == "gpt2" else bert_params
        return count(self.n_layers, self.d_model, self.vocab_size, self.n_positions)


FAMOUS_MODELS: dict[str, TransformerConfig | tuple[int, ...]] = {
    "digit MLP": (784, 256, 128, 10),
    "BERT base": TransformerConfig("bert", 12, 768, 30522, 512),
    "GPT-2 small": TransformerConfig("gpt2", 12, 768, 50257, 1024),
    "GPT-2 XL": TransformerConfig("gpt2", 48, 1600, 50257, 1024),
    "GPT-3 175B": TransformerConfig("gpt2", 96, 12288, 50257, 2048),
}
"""Models the lesson counts: an MLP's layer sizes, or a transformer's configuration.

GPT-3 uses GPT-2's architecture scaled up (its sparse attention layers have
the same parameters), with the configuration published in its paper.
"""


def count_params(model_name) -> int:
    """Parameters of one of ``FAMOUS_MODELS``, by name (lesson 6).

    >>> count_params("digit MLP"), count_params("BERT base")
    (235146, 109482240)
    >>> f"{count_params('GPT-3 175B'):,}"
    '174,604,259,328'
    """
    model = FAMOUS_MODELS[check_known_name(model_name, FAMOUS_MODELS, "model")]
    if isinstance(model, TransformerConfig):
        return model.n_params
    return mlp_params(model)
