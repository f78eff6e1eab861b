"""The stored outputs' last digits depend on which CPU loops NumPy and OpenBLAS use (Makefile, "The same
last digits on every x86-64 machine"): a test run not started by `make test` on an AVX-512 machine differs
in 11 notebook cells and one test. This says so at once instead."""
from __future__ import annotations

import contextlib
import io
import os
import re
import warnings
from pathlib import Path

import numpy as np

CPU_INFO = Path("/proc/cpuinfo")


def test_numpy_and_openblas_use_the_loops_the_stored_outputs_were_computed_with():
    hint = "run the tests with `make test` (it sets NPY_DISABLE_CPU_FEATURES and OPENBLAS_CORETYPE)"
    disabled = set(os.environ.get("NPY_DISABLE_CPU_FEATURES", "").replace(",", " ").split())
    assert {"X86_V4", "AVX512_ICL", "AVX512_SPR"} <= disabled, hint
    flags = set(CPU_INFO.read_text().split()) if CPU_INFO.exists() else set()
    if {"avx2", "fma"} <= flags:
        assert os.environ.get("OPENBLAS_CORETYPE") == "Haswell", hint
    # NumPy read the variable when it loaded: the AVX-512 loops are off in this process (and its kernels)
    report = io.StringIO()
    with contextlib.redirect_stdout(report), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "threadpoolctl not found"
        np.show_runtime()
    found = re.search(r"'found': \[([^\]]*)\]", report.getvalue())
    assert found and "X86_V4" not in found.group(1), hint
