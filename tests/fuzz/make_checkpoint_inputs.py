#!/usr/bin/env python3
"""Writes the checkpoint fuzzer's hand-made inputs: the seed corpus (corpus/checkpoint/) and the
hand-made regression inputs (regressions/pint_fuzz_checkpoint/), as edit scripts in the format that
fuzz_checkpoint.cpp documents. Inputs found by the fuzzer itself are committed as they were found.

    usage: python3 tests/fuzz/make_checkpoint_inputs.py   (rewrites the files it owns, nothing else)
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# Targets (fuzz_checkpoint.cpp kAttrs, then kDatasets).
ATTRS = ["pint_checkpoint_format", "pint_version", "problem", "fine_signature", "coarse_signature",
         "config_toml", "slices", "unknowns", "tolerance", "t0", "t1", "iteration", "active", "complete"]
DATASETS = ["grid_x", "U", "G", "slice_change", "history", "log"]
A = {n: i for i, n in enumerate(ATTRS)}
D = {n: len(ATTRS) + i for i, n in enumerate(DATASETS)}

# Indices into the value tables (fuzz_checkpoint.cpp read_originals; N = 4 slices, M = 401 unknowns,
# checkpoint after iteration 2).
LONG = {"0": 0, "1": 1, "-1": 2, "2": 3, "N-1": 4, "N": 5, "N+1": 6, "M-1": 7, "M": 8, "M+1": 9, "2M": 10,
        "iter": 11, "iter+1": 12, "INT_MAX": 13, "INT_MAX+1": 14, "INT_MIN": 15, "2^32": 17, "LONG_MAX": 20}
DBL = {"0": 0, "-0": 1, "1": 2, "-1": 3, "0.5": 4, "nan": 5, "-nan": 6, "inf": 7, "-inf": 8, "DBL_MAX": 9,
       "1e-10": 13, "1e300": 14, "2^31": 16, "1e50": 20, "M": 21}
DIM = {"0": 0, "1": 1, "2": 2, "3": 3, "N-1": 4, "N": 5, "N+1": 6, "N+2": 7, "M-1": 8, "M": 9, "M+1": 10,
       "6": 11, "7": 12, "iter": 13, "iter+1": 14, "iter+2": 15, "2^20": 16, "2^31": 17, "2^32": 18,
       "2^40": 20, "2^62": 21, "2^62+1": 22}

# Operations.
DELETE, SET_LONG, SET_DOUBLE, FIXED_STRING, VLEN_STRING, ARRAY, NULL_SPACE, OTHER_CLASS = range(8)
DS_DELETE, SET_ELEMENT, SET_ALL, SET_RANGE, RESHAPE, RETYPE, REPLACE_BY, SCALAR_OR_NULL, CHUNKED = range(9)


def u16(v):
    return list(struct.pack("<H", v))


def u32(v):
    return list(struct.pack("<I", v))


def raw_long(v):
    return [200] + list(struct.pack("<q", v))


def raw_double(v):
    return [200] + list(struct.pack("<d", v))


SEEDS = {
    "unmodified": [],
    "attr_delete_complete": [A["complete"], DELETE],
    "attr_slices_i32_n_plus_1": [A["slices"], SET_LONG, 1, LONG["N+1"]],
    "attr_unknowns_u64": [A["unknowns"], SET_LONG, 2, LONG["M"]],
    "attr_tolerance_f32": [A["tolerance"], SET_DOUBLE, 1, DBL["1e-10"]],
    "attr_t1_big_endian": [A["t1"], SET_DOUBLE, 2, DBL["1"]],
    "attr_problem_truncated": [A["problem"], FIXED_STRING, 0] + u16(12) + [0],
    "attr_fine_signature_spacepad": [A["fine_signature"], FIXED_STRING, 3, 2, 0x20, 0x20, 2],
    "attr_config_vlen_byte_changed": [A["config_toml"], VLEN_STRING, 1] + u16(30) + [ord("#")],
    "attr_coarse_signature_nul": [A["coarse_signature"], VLEN_STRING, 4] + u16(5),
    "attr_version_raw_utf8": [A["pint_version"], FIXED_STRING, 2, 4, 0xF0, 0x9F, 0x98, 0x80, 0x81],
    "attr_iteration_as_double": [A["iteration"], SET_DOUBLE, 0, DBL["1"]],
    "attr_active_as_string": [A["active"], VLEN_STRING, 0] + u16(1),
    "attr_active_null_space": [A["active"], NULL_SPACE, 0],
    "attr_format_compound": [A["pint_checkpoint_format"], OTHER_CLASS, 0, LONG["1"]],
    "attr_complete_enum": [A["complete"], OTHER_CLASS, 2, LONG["1"]],
    "attr_t0_opaque": [A["t0"], OTHER_CLASS, 1, LONG["0"]],
    "attr_slices_reference": [A["slices"], OTHER_CLASS, 5, LONG["0"]],
    "ds_U_one_value_inf": [D["U"], SET_ELEMENT] + u32(1000) + [DBL["inf"]],
    "ds_G_all_zero": [D["G"], SET_ALL, DBL["0"]],
    "ds_slice_change_range_huge": [D["slice_change"], SET_RANGE] + u32(1) + u16(2) + [DBL["1e300"]],
    "ds_history_wrong_width": [D["history"], RESHAPE, 3, DIM["iter+1"], DIM["N+1"], DIM["M+1"], DBL["0"]],
    "ds_log_five_columns": [D["log"], RESHAPE, 2, DIM["3"], 200] + u16(5) + [DBL["0"]],
    "ds_grid_as_int32": [D["grid_x"], RETYPE, 1],
    "ds_U_as_float32": [D["U"], RETYPE, 0],
    "ds_log_as_strings": [D["log"], RETYPE, 5],
    "ds_G_compound": [D["G"], RETYPE, 6],
    "ds_history_group": [D["history"], REPLACE_BY, 0, 0],
    "ds_G_soft_link_to_U": [D["G"], REPLACE_BY, 1, 1],
    "ds_U_dangling_link": [D["U"], REPLACE_BY, 2, 0],
    "ds_log_external_link": [D["log"], REPLACE_BY, 4, 0],
    "ds_slice_change_named_type": [D["slice_change"], REPLACE_BY, 5, 0],
    "ds_grid_scalar": [D["grid_x"], SCALAR_OR_NULL, 0, DBL["0"]],
    "ds_slice_change_null_space": [D["slice_change"], SCALAR_OR_NULL, 1],
    "ds_history_deflate": [D["history"], CHUNKED, 1, 16],
    "ds_U_fletcher32": [D["U"], CHUNKED, 2, 64],
    "multi_consistent_iteration_1": [A["iteration"], SET_LONG, 0, LONG["1"],
                                     D["log"], RESHAPE, 2, DIM["2"], DIM["6"], DBL["0"],
                                     D["history"], RESHAPE, 3, DIM["2"], DIM["N+1"], DIM["M"], DBL["0"]],
}

# Hand-made regression inputs: each makes read_checkpoint at HEAD (2026-12-01) crash, run into undefined
# behaviour or return a state that breaks an invariant; a fixed pint refuses every one with an error.
REGRESSIONS = {
    "attr_t1_array_of_4": [A["t1"], ARRAY, 0, 4, 1] + [DBL["1"]] * 4,
    "attr_slices_array_of_2": [A["slices"], ARRAY, 0, 2, 0, LONG["N"], LONG["N"]],
    "attr_problem_array_of_3_strings": [A["problem"], ARRAY, 0, 3, 2],
    "attr_config_vlen_array_of_2": [A["config_toml"], ARRAY, 0, 2, 3],
    "iteration_minus_1_empty_log": [A["iteration"], SET_LONG, 0, LONG["-1"],
                                    D["log"], RESHAPE, 2, DIM["0"], DIM["6"], DBL["0"]],
    "active_n_plus_1": [A["active"], SET_LONG, 0, LONG["N+1"]],
    "U_nan": [D["U"], SET_ELEMENT] + u32(1000) + [DBL["nan"]],
    "G_inf": [D["G"], SET_ELEMENT] + u32(7) + [DBL["-inf"]],
    "U0_not_initial_value": [D["U"], SET_ELEMENT] + u32(150) + [DBL["1"]],
    "slice_change_nan": [D["slice_change"], SET_ELEMENT] + u32(0) + [DBL["nan"]],
    "history_one_iterate": [D["history"], RESHAPE, 3, DIM["1"], DIM["N+1"], DIM["M"], DBL["0"]],
    "history_nan": [D["history"], SET_ELEMENT] + u32(3000) + [DBL["nan"]],
    "log_nan_first_active": [D["log"], SET_ELEMENT] + u32(2) + [DBL["nan"]],
    "log_calls_1e300": [D["log"], SET_ELEMENT] + u32(9) + [DBL["1e300"]],
    "log_iteration_column_wrong": [D["log"], SET_ELEMENT] + u32(6) + [DBL["M"]],
    "grid_x_2_pow_40_elements": [D["grid_x"], RESHAPE, 1, DIM["2^40"], DBL["0"]],
    "slice_change_2_pow_40_elements": [D["slice_change"], RESHAPE, 1, DIM["2^40"], DBL["0"]],
    "log_2_pow_40_rows": [D["log"], RESHAPE, 2, DIM["2^40"], DIM["6"], DBL["0"]],
    "history_2_pow_31_iterates": [D["history"], RESHAPE, 3, DIM["2^31"], DIM["N+1"], DIM["M"], DBL["0"]],
}


def write(directory, inputs):
    os.makedirs(directory, exist_ok=True)
    for name, script in inputs.items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(bytes(script))


if __name__ == "__main__":
    write(os.path.join(HERE, "corpus", "checkpoint"), SEEDS)
    write(os.path.join(HERE, "regressions", "pint_fuzz_checkpoint"), REGRESSIONS)
    print(f"{len(SEEDS)} seeds, {len(REGRESSIONS)} hand-made regression inputs")
