"""Exercise 6, parameter counting: from one dense layer to GPT-2, and the memory they take.

The learner counts a dense layer, a whole MLP, the bytes of a dtype, the
parameters of a GPT-2-style decoder, and a model described the way Keras
describes it (an input size, then the units of each dense layer); counts are
compared exactly (:func:`nnkit.tutor.checks.check_count`).

>>> EXERCISE.graded["gpt2_params"](12, 768, 50257, 1024)
124439808
"""

from __future__ import annotations

import itertools

from nnkit.tutor import reference
from nnkit.tutor.challenges import Challenge, Verdict
from nnkit.tutor.exercises import Exercise
from nnkit.tutor.misconceptions import RAISES, Misconceptions

# --- known mistakes ----------------------------------------------------------------------

MISTAKES = Misconceptions()
known = MISTAKES.known


def _n_in_out(t):
    return int(t.arg(0, "n_in")), int(t.arg(1, "n_out"))


@known("dense_params", "weights_only", "only the weights, not the biases",
       "{got:,} = n_in × n_out counts only the weights: each of the {n_out} neurons also has "
       "a bias.",
       "n_in * n_out + n_out.")
def _dp_weights(t):
    n_in, n_out = _n_in_out(t)
    return t.got == n_in * n_out and {"got": t.got, "n_out": n_out}


@known("dense_params", "bias_per_input", "one bias per input instead of per neuron",
       "the count adds n_in biases; there is one bias per neuron, n_out of them.",
       "n_in * n_out + n_out.")
def _dp_bias_inputs(t):
    n_in, n_out = _n_in_out(t)
    return n_in != n_out and t.got == n_in * n_out + n_in


@known("dense_params", "added_not_multiplied", "n_in + n_out instead of n_in × n_out",
       "the sizes were added: every one of the n_out neurons has a weight for each of the "
       "n_in inputs, n_in × n_out weights.",
       "n_in * n_out + n_out.")
def _dp_added(t):
    n_in, n_out = _n_in_out(t)
    return t.got in (n_in + n_out, n_in + 2 * n_out, n_in + n_out + 1)


def _sizes(t):
    return [int(s) for s in t.arg(0, "sizes")]


def _weights(sizes):
    return sum(a * b for a, b in itertools.pairwise(sizes))


@known("mlp_params", "forgot_biases", "the biases were forgotten",
       "{got:,} counts only the weights: the {biases:,} biases (one per neuron of every layer "
       "after the input) were forgotten.",
       "Each layer has n_in × n_out weights and n_out biases.")
def _mlp_biases(t):
    sizes = _sizes(t)
    return t.got == _weights(sizes) and {"got": t.got, "biases": sum(sizes[1:])}


@known("mlp_params", "input_biases", "biases counted for the input layer too",
       "{got:,} is {extra:,} too many: the input layer has no neurons, so no biases.",
       "Biases: sizes[1] + sizes[2] + … (not sizes[0]).")
def _mlp_input_biases(t):
    sizes = _sizes(t)
    return t.got == t.expected + sizes[0] and {"got": t.got, "extra": sizes[0]}


@known("mlp_params", "neurons_counted", "counted neurons, not parameters",
       "{got:,} is the number of neurons (the sum of the sizes); parameters are the weights "
       "between consecutive layers plus the biases.",
       "Sum n_in × n_out + n_out over consecutive pairs of sizes.")
def _mlp_neurons(t):
    return t.got == sum(_sizes(t)) and {"got": t.got}


@known("mlp_params", "last_layer_missing", "the last layer was left out",
       "{got:,} stops one layer early: the loop over consecutive pairs of sizes skipped the "
       "last pair.",
       "for n_in, n_out in zip(sizes[:-1], sizes[1:]).")
def _mlp_last(t):
    sizes = _sizes(t)
    short = sizes[:-1]
    return len(short) >= 2 and t.got == _weights(short) + sum(short[1:]) and {"got": t.got}


@known("mlp_params", "sizes_not_checked", "too few sizes or a size below 1 accepted",
       "it returned a count for sizes that describe no network (fewer than two sizes, or a "
       "size below 1).",
       "if len(sizes) < 2 or min(sizes) < 1: raise ValueError(...) naming the sizes given.",
       modes=RAISES)
def _mlp_unchecked(t):
    return t.error is None


def _n_params_dtype(t):
    return int(t.arg(0, "n_params")), str(t.arg(1, "dtype"))


@known("memory_bytes", "int4_rounds_down", "int4 rounded down",
       "{n:,} int4 numbers need {need:,} bytes: half a byte each, rounded up — {n:,} // 2 "
       "drops the last half byte.",
       "(n_params + 1) // 2, or math.ceil(n_params / 2).")
def _mem_int4_down(t):
    n, dtype = _n_params_dtype(t)
    return dtype == "int4" and n % 2 == 1 and t.got == n // 2 and {"n": n, "need": n // 2 + 1}


@known("memory_bytes", "int4_not_rounded", "int4 gives half a byte, not a whole number",
       "the result {value} is not a whole number of bytes: int4 takes half a byte per "
       "parameter, rounded up to a whole byte.",
       "(n_params + 1) // 2.", modes=frozenset({"value"}))
def _mem_int4_half(t):
    n, dtype = _n_params_dtype(t)
    value = t.details.get("not_whole")
    return dtype == "int4" and value is not None and value == n / 2 and {"value": value}


@known("memory_bytes", "bits_not_bytes", "counted bits, not bytes",
       "the result is 8 times too large: it counts bits; a byte is 8 bits "
       "(float32 is 4 bytes).",
       "float64: 8, float32: 4, float16/bfloat16: 2, int8: 1 byte per parameter.")
def _mem_bits(t):
    return t.expected is not None and t.got == 8 * t.expected and t.got != 0


@known("memory_bytes", "int4_full_byte", "a whole byte per int4 number",
       "int4 was counted as one byte per parameter; 4 bits are half a byte.",
       "(n_params + 1) // 2.")
def _mem_int4_byte(t):
    n, dtype = _n_params_dtype(t)
    return dtype == "int4" and n > 1 and t.got == n


@known("memory_bytes", "bfloat16_missing", "bfloat16 not recognised",
       "bfloat16 (the 'brain float' of TPUs and modern GPUs) was not recognised: it is a "
       "2-byte format like float16.",
       "Add \"bfloat16\": 2 to the table of sizes.")
def _mem_bfloat16(t):
    return t.arg(1, "dtype") == "bfloat16" and t.error is not None


@known("memory_bytes", "unknown_dtype_accepted", "an unknown dtype name accepted",
       "it returned a size for a dtype it does not know (a dict.get with a default?).",
       "Raise ValueError naming the known dtypes when the name is not in the table.",
       modes=RAISES)
def _mem_unknown(t):
    return t.error is None


@known("memory_bytes", "key_error", "a KeyError instead of a ValueError",
       "an unknown dtype raised KeyError (a plain dictionary lookup); the exercise asks for "
       "a ValueError that names the known dtypes.",
       "if dtype not in SIZES: raise ValueError(f\"unknown dtype {dtype!r}; known: …\").",
       modes=RAISES)
def _mem_key_error(t):
    return isinstance(t.error, KeyError)


def _gpt2(t):
    names = ("n_layers", "d_model", "vocab_size", "n_positions")
    return [int(t.arg(i, k)) for i, k in enumerate(names)]


def _gpt2_off_by(t, amount):
    return t.got is not None and t.expected is not None and t.got - t.expected == amount


@known("gpt2_params", "head_counted_twice", "the tied output head counted again",
       "{diff:,} too high, exactly vocab_size × d_model: the output head was counted as well "
       "as the token embedding, but GPT-2 ties them (the same matrix is used twice).",
       "Count the token embedding once; the output head adds no parameters.")
def _gpt2_head(t):
    L, d, V, P = _gpt2(t)  # noqa: RUF059 (the four numbers, named as in the exercise)
    return _gpt2_off_by(t, V * d) and {"diff": V * d}


@known("gpt2_params", "positions_missing", "the position embeddings were left out",
       "{diff:,} too few, exactly n_positions × d_model: the learned position embeddings "
       "are missing.",
       "Add n_positions * d_model.")
def _gpt2_positions(t):
    L, d, V, P = _gpt2(t)  # noqa: RUF059 (the four numbers, named as in the exercise)
    return _gpt2_off_by(t, -P * d) and {"diff": P * d}


@known("gpt2_params", "mlp_width_d", "MLP of width d_model instead of 4·d_model",
       "the MLP was counted with width d_model; GPT-2's MLP is 4·d_model wide "
       "(d → 4d → d, with biases).",
       "Per block the MLP has d·4d + 4d + 4d·d + d parameters.")
def _gpt2_mlp(t):
    L, d, V, P = _gpt2(t)  # noqa: RUF059 (the four numbers, named as in the exercise)
    return _gpt2_off_by(t, -L * (6 * d * d + 3 * d))


@known("gpt2_params", "biases_missing", "the linear layers' biases were left out",
       "{diff:,} too few, 9·d_model per block: the biases of Q, K, V, the attention output "
       "and the two MLP layers are missing.",
       "Q, K, V and output: 4 biases of d; MLP: 4d + d.")
def _gpt2_biases(t):
    L, d, V, P = _gpt2(t)  # noqa: RUF059 (the four numbers, named as in the exercise)
    return _gpt2_off_by(t, -9 * d * L) and {"diff": 9 * d * L}


@known("gpt2_params", "layernorms_missing", "the LayerNorms were left out",
       "{diff:,} too few: the LayerNorms (a scale and a shift of d_model each; two per "
       "block and a final one) are missing.",
       "2 · 2 · d_model per block, plus 2 · d_model at the end.")
def _gpt2_layernorms(t):
    L, d, V, P = _gpt2(t)  # noqa: RUF059 (the four numbers, named as in the exercise)
    for diff in (4 * d * L + 2 * d, 4 * d * L, 2 * d):
        if _gpt2_off_by(t, -diff):
            return {"diff": diff}
    return False


def _keras(t):
    return int(t.arg(0, "n_features")), [int(u) for u in t.arg(1, "units")]


@known("sequential_params", "input_size_left_out", "the input size left out",
       "{got:,} counts only the layers between the units, as if the first dense layer had no "
       "inputs: Dense({first}) reads the {n:,} input features, so it has {n:,} × {first} "
       "weights.",
       "Which layer reads the input features, and how many weights does that give it?")
def _keras_no_input(t):
    n, units = _keras(t)
    return (len(units) >= 2 and t.got == reference.mlp_params(units)
            and {"got": t.got, "first": units[0], "n": n})


@known("sequential_params", "input_counted_as_layer", "the input counted as a dense layer",
       "{got:,} adds a dense layer for the input: the input layer holds the {n:,} features and "
       "computes nothing, so it has no parameters.",
       "Only the layers listed in units have weights and biases.")
def _keras_input_layer(t):
    n, units = _keras(t)
    return t.got == reference.mlp_params([n, n, *units]) and {"got": t.got, "n": n}


@known("sequential_params", "units_summed", "counted neurons, not parameters",
       "{got:,} is the number of neurons (input features plus units); parameters are the "
       "weights between neighbouring layers plus one bias per neuron.",
       "Count each dense layer as in dense_params.")
def _keras_neurons(t):
    n, units = _keras(t)
    return t.got in (n + sum(units), sum(units)) and {"got": t.got}


# --- the slider challenge ---------------------------------------------------------------


GPU_BYTES = 16 * 10**9
MODEL_PARAMS = 7 * 10**9
PARAMETER_COUNT = "(a parameter count)"  # the counter's choice that reads a typed count


def _check_dtype_7b(v):
    from nnkit.counting import DTYPE_BYTES, human_bytes, memory_bytes, parse_count

    try:
        n_params = parse_count(v["parameters"])
    except ValueError:
        n_params = 0
    if v["model"] != PARAMETER_COUNT or n_params != MODEL_PARAMS:
        return Verdict(False, f"Type the model's parameter count, 7 billion, in the "
                              f"parameters box (the model becomes {PARAMETER_COUNT}); now "
                              f"the counter counts {v['model']}.")
    dtype = v["dtype"]
    needed = int(memory_bytes(n_params, dtype))
    if needed > GPU_BYTES:
        return Verdict(False, f"In {dtype} the {n_params:,} parameters need "
                              f"{human_bytes(needed)}, more than 16 GB: choose a smaller dtype.")
    wider = [d for d, size in DTYPE_BYTES.items() if size > DTYPE_BYTES[dtype]
             and memory_bytes(n_params, d) <= GPU_BYTES]
    if wider:
        return Verdict(False, f"{dtype} fits ({human_bytes(needed)}), but {wider[0]} fits too "
                              "and keeps more precision: choose the widest dtype that fits.")
    return Verdict(True, f"Right: in {dtype} the weights need {human_bytes(needed)}, which fits "
                         "in 16 GB. Why: memory is parameters × bytes per parameter; "
                         f"{DTYPE_BYTES[dtype]:g} bytes each is the most that fits, since "
                         f"float32's {DTYPE_BYTES['float32']:g} bytes would need "
                         f"{human_bytes(memory_bytes(n_params, 'float32'))}. Running the "
                         "model needs room beyond the weights too.")


HINTS = {
    "dense_params": "Every input is connected to every neuron: how many connections is that, "
                    "and what else does each neuron have?",
    "mlp_params": "A network is its dense layers one after another: which pairs of sizes "
                  "make a layer, and what is each layer's count?",
    "memory_bytes": "Memory is the number of parameters times the bytes each takes. How many "
                    "bytes does each dtype take, and what happens to half a byte left over?",
    "gpt2_params": "List the pieces the exercise names (embeddings, and per block the "
                   "LayerNorms, attention and MLP, then the final LayerNorm); count each from "
                   "its shape with dense_params where it is a dense layer, then add them up. "
                   "Which matrix is used twice but stored once?",
    "sequential_params": "Which layer reads the input features? Write the model as a list of "
                         "layer sizes from the input to the output, then count it as before.",
}


EXERCISE = Exercise(
    id="06-parameter-counting",
    title="Parameter counting",
    graded={"dense_params": reference.dense_params, "mlp_params": reference.mlp_params,
            "memory_bytes": reference.memory_bytes, "gpt2_params": reference.gpt2_params,
            "sequential_params": reference.sequential_params},
    mistakes=MISTAKES,
    hints=HINTS,
    challenge=Challenge(
        "dtype-7b",
        "A model has 7 billion parameters. Type that count in the parameter counter and "
        "choose the widest dtype (the most bytes per parameter) in which its weights fit in "
        "a GPU with 16 GB of memory.",
        "nnkit.explore.counting:parameter_counter", {"dtype": "float32"}, _check_dtype_7b),
)
