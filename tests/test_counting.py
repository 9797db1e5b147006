"""Tests for nnkit.counting (lesson 6)."""

import dataclasses

import numpy as np
import pytest

import nnkit
from nnkit.counting import (
    DTYPE_BYTES,
    FAMOUS_MODELS,
    TransformerConfig,
    bert_params,
    count_params,
    dense_params,
    gpt2_params,
    human_bytes,
    layer_param_table,
    memory_bytes,
    mlp_params,
    smallest_dtype_that_fits,
)

GPT2_SMALL = (12, 768, 50257, 1024)
GPT2_XL = (48, 1600, 50257, 1024)
GPT3 = (96, 12288, 50257, 2048)


# ------------------------------------------------------------- dense and MLP


def test_dense_params_counts_weights_and_biases():
    assert dense_params(784, 256) == 784 * 256 + 256 == 200_960
    assert dense_params(1, 1) == 2
    assert type(dense_params(np.int64(3), 2)) is int


def test_the_digit_mlp_from_the_course():
    assert [dense_params(784, 256), dense_params(256, 128), dense_params(128, 10)] == [
        200_960,
        32_896,
        1_290,
    ]
    assert mlp_params([784, 256, 128, 10]) == 235_146
    assert mlp_params((784, 256, 128, 10)) == 235_146


def test_mlp_params_of_a_single_layer_is_dense_params():
    assert mlp_params([3, 5]) == dense_params(3, 5) == 20


@pytest.mark.parametrize("sizes", [[], [784], [784, 0, 10], [784, -3, 10]])
def test_mlp_params_rejects_too_few_or_too_small_sizes(sizes):
    with pytest.raises(ValueError, match="sizes"):
        mlp_params(sizes)


@pytest.mark.parametrize("sizes", [[784, 2.5, 10], [784, "256", 10], [784, True], 784, "784,10"])
def test_mlp_params_rejects_sizes_that_are_not_whole_numbers(sizes):
    with pytest.raises(TypeError):
        mlp_params(sizes)


@pytest.mark.parametrize(("args", "error"), [((0, 3), ValueError), ((3.0, 3), TypeError)])
def test_dense_params_rejects_bad_sizes(args, error):
    with pytest.raises(error, match="n_in"):
        dense_params(*args)


def test_layer_param_table_rows_add_up():
    rows = layer_param_table([784, 256, 128, 10])
    assert [row["layer"] for row in rows] == ["784 → 256", "256 → 128", "128 → 10"]
    assert [row["shape"] for row in rows] == [(256, 784), (128, 256), (10, 128)]
    assert [row["weights"] for row in rows] == [200_704, 32_768, 1_280]
    assert [row["biases"] for row in rows] == [256, 128, 10]
    assert all(row["total"] == row["weights"] + row["biases"] for row in rows)
    assert sum(row["total"] for row in rows) == mlp_params([784, 256, 128, 10])


def test_layer_param_table_checks_sizes():
    with pytest.raises(ValueError, match="at least two"):
        layer_param_table([10])


# ------------------------------------------------------------------ memory


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        ("float64", 8_000_000),
        ("float32", 4_000_000),
        ("float16", 2_000_000),
        ("bfloat16", 2_000_000),
        ("int8", 1_000_000),
        ("int4", 500_000),
    ],
)
def test_memory_bytes_for_every_dtype(dtype, expected):
    assert memory_bytes(1_000_000, dtype) == expected
    assert type(memory_bytes(1_000_000, dtype)) is int


def test_memory_bytes_covers_exactly_the_contract_dtypes():
    assert set(DTYPE_BYTES) == {"float64", "float32", "float16", "bfloat16", "int8", "int4"}


def test_int4_rounds_half_bytes_up():
    assert [memory_bytes(n, "int4") for n in range(5)] == [0, 1, 1, 2, 2]


def test_memory_bytes_matches_numpy_itemsize():
    for dtype in ("float64", "float32", "float16", "int8"):
        assert memory_bytes(7, dtype) == np.zeros(7, dtype=dtype).nbytes


def test_memory_bytes_is_exact_for_huge_counts():
    n = count_params("GPT-3 175B")
    assert memory_bytes(n, "float16") == 2 * n
    assert memory_bytes(n + 1, "int4") == (n + 2) // 2


@pytest.mark.parametrize("dtype", ["float8", "Float32", "fp16", "int2"])
def test_memory_bytes_names_the_known_dtypes(dtype):
    with pytest.raises(ValueError) as raised:
        memory_bytes(10, dtype)
    message = str(raised.value)
    assert repr(dtype) in message
    assert all(name in message for name in DTYPE_BYTES)


def test_memory_bytes_rejects_bad_counts_and_dtype_types():
    with pytest.raises(ValueError, match="0 or more"):
        memory_bytes(-1, "float32")
    with pytest.raises(TypeError, match="whole number"):
        memory_bytes(1.5, "float32")
    with pytest.raises(TypeError, match="dtype must be a name"):
        memory_bytes(10, np.float32)


@pytest.mark.parametrize(
    ("n_bytes", "text"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (1_000, "1.0 kB"),
        (1_500, "1.5 kB"),
        (940_584, "940.6 kB"),
        (999_949, "999.9 kB"),
        (999_950, "1.0 MB"),
        (14_000_000_000, "14.0 GB"),
        (350_000_000_000, "350.0 GB"),
        (2 * 10**15, "2.0 PB"),
        (5 * 10**18, "5000.0 PB"),
    ],
)
def test_human_bytes_uses_decimal_units(n_bytes, text):
    assert human_bytes(n_bytes) == text


def test_seven_billion_parameters_in_float16_is_14_gb():
    assert human_bytes(memory_bytes(7_000_000_000, "float16")) == "14.0 GB"


def test_human_bytes_rejects_negative_numbers():
    with pytest.raises(ValueError):
        human_bytes(-1)


@pytest.mark.parametrize(
    ("n_params", "budget", "expected"),
    [
        (1_000, 8_000, "float64"),
        (1_000, 7_999, "float32"),
        (1_000, 2_000, "float16"),
        (1_000, 1_999, "int8"),
        (1_001, 501, "int4"),
        (1_001, 500, None),
        (0, 0, "float64"),
    ],
)
def test_smallest_dtype_that_fits(n_params, budget, expected):
    assert smallest_dtype_that_fits(n_params, budget) == expected


# ------------------------------------------------------------- transformers


def test_gpt2_small_is_124m():
    assert gpt2_params(*GPT2_SMALL) == 124_439_808


def test_gpt2_small_by_hand():
    n_layers, d, vocab, positions = GPT2_SMALL
    embeddings = vocab * d + positions * d  # 38,597,376 + 786,432
    block = 2 * 2 * d + (3 * d * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d)
    assert embeddings + n_layers * block + 2 * d == 124_439_808


def test_counting_the_tied_head_twice_is_the_classic_mistake():
    wrong = gpt2_params(*GPT2_SMALL) + 50257 * 768
    assert wrong - gpt2_params(*GPT2_SMALL) == 38_597_376
    assert wrong == 163_037_184
    assert "38,597,376" in gpt2_params.__doc__ and "tie" in gpt2_params.__doc__


def test_gpt2_xl_is_1_56_billion():
    assert gpt2_params(*GPT2_XL) == 1_557_611_200
    assert round(gpt2_params(*GPT2_XL) / 1e9, 2) == 1.56


def test_gpt3_from_its_published_configuration_is_175_billion():
    n = gpt2_params(*GPT3)
    assert n == 174_604_259_328
    assert round(n / 1e9) == 175


def test_bert_base_is_110m_with_its_pooler():
    assert bert_params() == 109_482_240
    assert bert_params(12, 768, 30522, 512) == 109_482_240
    assert bert_params(pooler=False) == 109_482_240 - (768 * 768 + 768)


def test_bert_large_is_340m():
    assert bert_params(24, 1024) == 335_141_888


@pytest.mark.parametrize("function", [gpt2_params, bert_params])
def test_transformer_counts_reject_bad_configurations(function):
    with pytest.raises(ValueError, match="d_model"):
        function(12, 0, 50257, 1024)
    with pytest.raises(TypeError, match="n_layers"):
        function(12.0, 768, 50257, 1024)


def test_famous_models_and_count_params():
    assert set(FAMOUS_MODELS) == {"digit MLP", "BERT base", "GPT-2 small", "GPT-2 XL", "GPT-3 175B"}
    expected = {
        "digit MLP": 235_146,
        "BERT base": 109_482_240,
        "GPT-2 small": 124_439_808,
        "GPT-2 XL": 1_557_611_200,
        "GPT-3 175B": 174_604_259_328,
    }
    assert {name: count_params(name) for name in FAMOUS_MODELS} == expected


def test_count_params_names_the_known_models():
    with pytest.raises(ValueError, match="did you mean 'GPT-2 small'"):
        count_params("GPT-2 smal")


def test_transformer_config_is_a_small_frozen_dataclass():
    config = FAMOUS_MODELS["GPT-2 small"]
    assert isinstance(config, TransformerConfig)
    assert config.n_params == 124_439_808
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.n_layers = 1
    with pytest.raises(ValueError, match="known kinds"):
        TransformerConfig("llama", 1, 1, 1, 1)


def test_gpt3_does_not_fit_one_80_gb_gpu_even_in_float16():
    n = count_params("GPT-3 175B")
    assert human_bytes(memory_bytes(n, "float16")) == "349.2 GB"
    assert smallest_dtype_that_fits(n, 80 * 10**9) is None


def test_the_contract_functions_are_nnkit_top_level():
    for name in ("dense_params", "mlp_params", "memory_bytes", "gpt2_params", "human_bytes"):
        assert getattr(nnkit, name) is globals()[name]
    assert nnkit.bert_params is bert_params
