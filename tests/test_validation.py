import math

import numpy as np
import pytest

from helpers import as_float_array, check_choice, check_decay_rate, check_integer, check_positive, check_same_shape


@pytest.mark.parametrize("bad", [0, -0.1, math.nan, math.inf, -math.inf, "0.1", None, True, [0.1]])
def test_positive_rejects_and_names_the_parameter(bad):
    with pytest.raises(ValueError, match=r"lr must be a finite number in \(0, inf\)"):
        check_positive("lr", bad)


def test_positive_accepts_numpy_and_python_numbers():
    assert check_positive("lr", np.float32(0.5)) == 0.5
    assert check_positive("lr", 2) == 2.0


@pytest.mark.parametrize("bad", [-0.01, 1.0, 1.5, math.nan])
def test_decay_rate_is_half_open_unit_interval(bad):
    with pytest.raises(ValueError, match=r"beta1 must be a finite number in \[0, 1\)"):
        check_decay_rate("beta1", bad)
    assert check_decay_rate("beta1", 0.0) == 0.0


@pytest.mark.parametrize("bad", [0, 2.5, "3", None, True])
def test_integer_range(bad):
    with pytest.raises(ValueError, match=r"steps must be a whole number in \[1, 100\]"):
        check_integer("steps", bad, low=1, high=100)


def test_choice_lists_the_allowed_names():
    with pytest.raises(ValueError, match="optimizer must be one of 'sgd', 'adam'; got 'adamw'"):
        check_choice("optimizer", "adamw", ["sgd", "adam"])


@pytest.mark.parametrize("bad, message", [
    (None, "array of finite numbers"), ("abc", "array of finite numbers"), ([], "must not be empty"),
    ([1.0, math.nan], "finite numbers"), ([[1.0, 2.0]], "1 dimension"), ([1.0, {}], "array of finite numbers"),
])
def test_arrays_reject_bad_values(bad, message):
    with pytest.raises(ValueError, match=message):
        as_float_array("x", bad, ndim=1)


def test_arrays_are_copied_as_float64():
    original = np.array([1, 2])
    result = as_float_array("x", original, shape=(2,))
    result[0] = 9
    assert result.dtype == np.float64 and original[0] == 1


def test_same_shape_names_both_arrays():
    with pytest.raises(ValueError, match=r"y_true and y_pred must have the same shape; got y_true \(3,\), y_pred \(2,\)"):
        check_same_shape(y_true=np.zeros(3), y_pred=np.zeros(2))
