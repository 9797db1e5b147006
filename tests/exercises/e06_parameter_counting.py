"""Test data of 06-parameter-counting: one failing check per recognised mistake."""

from __future__ import annotations

import itertools

from nnkit.tutor.checks import check_count, check_raises
from tests.exercises.common import GPT2_SMALL, gpt2, memory_table

TABULAR = (10, [64, 32, 3])  # Input(10) → Dense(64) → Dense(32) → Dense(3)


def mlp(sizes):
    return sum(a * b + b for a, b in itertools.pairwise(sizes))


MISTAKES = {
    "dense_params.weights_only": lambda: check_count(
        "dense_params", lambda n_in, n_out: n_in * n_out, (784, 256), expected=200_960),
    "dense_params.bias_per_input": lambda: check_count(
        "dense_params", lambda n_in, n_out: n_in * n_out + n_in, (784, 256), expected=200_960),
    "dense_params.added_not_multiplied": lambda: check_count(
        "dense_params", lambda n_in, n_out: n_in + n_out, (784, 256), expected=200_960),
    "mlp_params.forgot_biases": lambda: check_count(
        "mlp_params", lambda s: sum(a * b for a, b in itertools.pairwise(s)),
        ([784, 256, 128, 10],), expected=235_146),
    "mlp_params.input_biases": lambda: check_count(
        "mlp_params", lambda s: sum(a * b for a, b in itertools.pairwise(s)) + sum(s),
        ([784, 256, 128, 10],), expected=235_146),
    "mlp_params.neurons_counted": lambda: check_count(
        "mlp_params", sum, ([784, 256, 128, 10],), expected=235_146),
    "mlp_params.last_layer_missing": lambda: check_count(
        "mlp_params", lambda s: sum(a * b + b for a, b in itertools.pairwise(s[:-1])),
        ([784, 256, 128, 10],), expected=235_146),
    "mlp_params.sizes_not_checked": lambda: check_raises(
        "mlp_params", lambda s: sum(a * b + b for a, b in itertools.pairwise(s)), ([784],)),
    "memory_bytes.int4_rounds_down": lambda: check_count(
        "memory_bytes", lambda n, dtype: int(n * memory_table(dtype)), (7, "int4"), expected=4),
    "memory_bytes.int4_not_rounded": lambda: check_count(
        "memory_bytes", lambda n, dtype: n * memory_table(dtype), (7, "int4"), expected=4),
    "memory_bytes.bits_not_bytes": lambda: check_count(
        "memory_bytes", lambda n, dtype: n * 32, (10, "float32"), expected=40),
    "memory_bytes.int4_full_byte": lambda: check_count(
        "memory_bytes", lambda n, dtype: n * max(1, int(memory_table(dtype))), (7, "int4"),
        expected=4),
    "memory_bytes.bfloat16_missing": lambda: check_count(
        "memory_bytes", lambda n, dtype: n * memory_table(dtype, bfloat16=False),
        (10, "bfloat16"), expected=20),
    "memory_bytes.unknown_dtype_accepted": lambda: check_raises(
        "memory_bytes", lambda n, dtype: n * {"float32": 4}.get(dtype, 4), (10, "float8")),
    "memory_bytes.key_error": lambda: check_raises(
        "memory_bytes", lambda n, dtype: n * {"float32": 4}[dtype], (10, "float8")),
    "gpt2_params.head_counted_twice": lambda: check_count(
        "gpt2_params", lambda L, d, V, P: gpt2(L, d, V, P) + V * d, GPT2_SMALL,
        expected=124_439_808),
    "gpt2_params.positions_missing": lambda: check_count(
        "gpt2_params", lambda L, d, V, P: gpt2(L, d, V, P) - P * d, GPT2_SMALL,
        expected=124_439_808),
    "gpt2_params.mlp_width_d": lambda: check_count(
        "gpt2_params", lambda L, d, V, P: gpt2(L, d, V, P) - L * (6 * d * d + 3 * d), GPT2_SMALL,
        expected=124_439_808),
    "gpt2_params.biases_missing": lambda: check_count(
        "gpt2_params", lambda L, d, V, P: gpt2(L, d, V, P) - 9 * d * L, GPT2_SMALL,
        expected=124_439_808),
    "gpt2_params.layernorms_missing": lambda: check_count(
        "gpt2_params", lambda L, d, V, P: gpt2(L, d, V, P) - 4 * d * L - 2 * d, GPT2_SMALL,
        expected=124_439_808),
    "sequential_params.input_size_left_out": lambda: check_count(
        "sequential_params", lambda n, units: mlp(units), TABULAR),
    "sequential_params.input_counted_as_layer": lambda: check_count(
        "sequential_params", lambda n, units: mlp([n, n, *units]), TABULAR),
    "sequential_params.units_summed": lambda: check_count(
        "sequential_params", lambda n, units: n + sum(units), TABULAR),
}
"""Each recognised mistake, made on purpose: the check must name it."""


COUNT = {"sizes": "784, 256, 128, 10", "parameters": "7e9", "model": "(a parameter count)"}

CHALLENGE_CASES = (
    {**COUNT, "dtype": "float16"},
    [({**COUNT, "dtype": "float32"}, "28.0 GB, more than 16 GB"),
     ({**COUNT, "dtype": "int8"}, "keeps more precision"),
     ({**COUNT, "model": "(your layer sizes)", "dtype": "float16"},
      "Type the model's parameter count"),
     ({**COUNT, "parameters": "7e8", "dtype": "float16"}, "Type the model's parameter count"),
     ({**COUNT, "parameters": "seven billion", "dtype": "float16"}, "7 billion")],
)
"""A right answer to the challenge, then wrong ones with words their message must hold."""


WRONG_ANSWERS = {
    "mlp_params forgets the biases": ("mlp_params", """
        def mlp_params(sizes):
            sizes = list(sizes)
            if len(sizes) < 2 or min(sizes) < 1:
                raise ValueError(f"bad sizes {sizes}")
            return sum(a * b for a, b in zip(sizes, sizes[1:]))
        """, {"test_mlp_params", "test_sequential_params"}),
    "memory_bytes rounds int4 down": ("memory_bytes", """
        BYTES = {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2, "int8": 1,
                 "int4": 0.5}

        def memory_bytes(n_params, dtype):
            if dtype not in BYTES:
                raise ValueError(f"unknown dtype {dtype}; known: {', '.join(BYTES)}")
            return int(n_params * BYTES[dtype])
        """, {"test_memory_bytes"}),
    "sequential_params forgets the input features": ("sequential_params", """
        def sequential_params(n_features, units):
            return mlp_params(units) if len(units) > 1 else dense_params(1, units[0])
        """, {"test_sequential_params"}),
    "gpt2_params counts the tied output head again": ("gpt2_params", """
        def gpt2_params(n_layers, d_model, vocab_size, n_positions):
            d = d_model
            block = 4 * d + 4 * (d * d + d) + 8 * d * d + 5 * d
            return 2 * vocab_size * d + n_positions * d + n_layers * block + 2 * d
        """, {"test_gpt2_params"}),
}
"""Wrong answers to the notebook: label → (answer cell, its code, the test cells it loses)."""

OTHER_CORRECT_ANSWERS = {
    "dense_params": """
        def dense_params(n_in, n_out):
            return (n_in + 1) * n_out
        """,
    "mlp_params": """
        def mlp_params(sizes):
            sizes = [int(s) for s in sizes]
            if len(sizes) < 2:
                raise ValueError("need at least an input and an output size")
            for s in sizes:
                if s < 1:
                    raise ValueError(f"layer size {s} is below 1")
            total = 0
            for i in range(len(sizes) - 1):
                total += dense_params(sizes[i], sizes[i + 1])
            return total
        """,
    "memory_bytes": """
        import math
        from fractions import Fraction

        BYTES = {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2, "int8": 1,
                 "int4": Fraction(1, 2)}

        def memory_bytes(n_params, dtype):
            try:
                size = BYTES[dtype]
            except KeyError:
                raise ValueError(f"dtype must be one of {sorted(BYTES)}, "
                                 f"not {dtype!r}") from None
            return math.ceil(n_params * size)
        """,
    "gpt2_params": """
        def gpt2_params(n_layers, d_model, vocab_size, n_positions):
            d = d_model
            parts = {
                "wte": vocab_size * d, "wpe": n_positions * d,
                "ln_1": 2 * d, "attn.c_attn": d * 3 * d + 3 * d, "attn.c_proj": d * d + d,
                "ln_2": 2 * d, "mlp.c_fc": d * 4 * d + 4 * d, "mlp.c_proj": 4 * d * d + d,
                "ln_f": 2 * d,
            }
            block_parts = ("ln_1", "ln_2", "attn", "mlp")
            per_block = sum(v for k, v in parts.items() if k.startswith(block_parts))
            return parts["wte"] + parts["wpe"] + n_layers * per_block + parts["ln_f"]
        """,
    "sequential_params": """
        def sequential_params(n_features, units):
            total, n_in = 0, n_features
            for n_out in units:
                total += n_in * n_out + n_out
                n_in = n_out
            return total
        """,
}
"""Each answer cell written another way; every one must still get full marks."""

CHALLENGE_ANSWER = ("challenge_answer_dtype_7b",
                    "view.explorer.set(parameters='7,000,000,000', dtype='bfloat16')")
"""The challenge's answer cell reached with other values than the solution's."""
