"""The exercise bank (helpers/exercises/chapterNN.py) against the solutions kept in tests/exercise_solutions/.

For every code exercise: a correct solution passes; a typical wrong one fails with a hint that names the wrong
output entry and says what to check; the starter (a body of ``...`` or ``raise NotImplementedError``) is
"not written yet"; any bad return or error gets a message, never a traceback or a warning; and a function that
changes its inputs in place cannot spoil later checks. For the notebooks: every id they use exists, and no cell
holds an exercise's answer or worked solution.
"""
from __future__ import annotations

import ast
import copy
import io
import itertools
import json
import re
import tokenize
import warnings
from pathlib import Path

import numpy as np
import pytest

from exercise_solutions import all_solutions
from helpers.exercises import CodeExercise, Feedback, NumberExercise, exercise, registered
from helpers.exercises.core import agrees
from helpers import PANEL_FACTORIES  # every chapter's panels, registered
from helpers.widgets import PANEL_MIME_TYPE

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BANK = registered()
CODE = sorted(key for key, value in BANK.items() if isinstance(value, CodeExercise))
NUMBER = sorted(key for key, value in BANK.items() if isinstance(value, NumberExercise))
WRONG_ANSWERS = [pytest.param(key, number, id=f"{key}-{number}") for key in NUMBER
                 for number in range(len(BANK[key].wrong_answers))]
SOLUTIONS = all_solutions()
CHECKED = re.compile(r"""exercise\(\s*["']([^"']+)["']\s*\)""")


def _check(exercise_, function) -> Feedback:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would print in the student's notebook
        feedback = exercise_.check(function)
    assert isinstance(feedback, Feedback)
    return feedback


def _stub(exercise_, body: str):
    """The starter cell's function: the exercise's signature with ``body``."""
    namespace: dict = {}
    exec(f"def {exercise_.signature}:\n    {body}\n", namespace)
    name = exercise_.signature.split("(")[0]
    return namespace[name]


def test_every_code_exercise_has_a_right_and_a_wrong_solution():
    assert sorted(SOLUTIONS) == CODE, "tests/exercise_solutions/chapterNN.py and the bank disagree"


def test_ids_are_unique_and_numbered_by_chapter():
    assert len(BANK) >= 30
    for key in BANK:
        assert re.fullmatch(r"(0[1-9]|1[0-9])\.[a-z0-9_]+", key), key


def test_an_unknown_id_is_a_value_error_that_suggests_the_near_ones():
    with pytest.raises(ValueError, match="01.loss_after_first_step"):
        exercise("01.loss_after_first_stp")


@pytest.mark.parametrize("key", CODE)
def test_the_right_solution_passes(key):
    feedback = _check(BANK[key], SOLUTIONS[key]["right"])
    assert feedback.correct, feedback.message
    assert "worked example" in feedback.message


def _chapter_imports(key: str) -> dict:
    """The names the chapter's notebook imports (its top-level import statements, run in order): what a worked
    solution pasted into that notebook can use."""
    path = next(path for path in NOTEBOOKS if path.name.startswith(key[:2]))
    namespace: dict = {}
    for cell in _cells(path):
        if cell["cell_type"] == "code":
            try:
                tree = ast.parse(_source(cell))
            except SyntaxError:  # a cell with IPython syntax imports nothing here
                continue
            imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
            exec(compile(ast.Module(body=imports, type_ignores=[]), path.name, "exec"), namespace)
    return namespace


@pytest.mark.parametrize("key", CODE)
def test_the_worked_solution_shown_to_the_student_passes_in_its_chapter(key):
    """The code of ``exercise(key).solution()``, pasted into its chapter's notebook, passes the check."""
    exercise_ = BANK[key]
    blocks = re.findall(r"```python\n(.*?)```", exercise_.solution_text, re.S)
    assert blocks, f"{key}: the worked solution shows no code"
    namespace = _chapter_imports(key)
    for block in blocks:
        exec(block, namespace)
    feedback = _check(exercise_, namespace[exercise_.signature.split("(")[0]])
    assert feedback.correct, feedback.message


@pytest.mark.parametrize("key", CODE)
def test_the_typical_wrong_solution_gets_a_hint_naming_the_wrong_entry(key):
    exercise_, entry = BANK[key], SOLUTIONS[key]
    feedback = _check(exercise_, entry["wrong"])
    assert not feedback.correct
    assert entry["wrong_hint_mentions"] in feedback.message, feedback.message
    named = re.match(r"Your (.+?)(\[[\d, ]+\])? is ", feedback.message)
    assert named and named.group(1) in exercise_.outputs, feedback.message
    assert re.search(r"expected −?\d", feedback.message), feedback.message


@pytest.mark.parametrize("body", ["...", "pass", "raise NotImplementedError", "raise NotImplementedError('your code')"])
@pytest.mark.parametrize("key", CODE)
def test_the_starter_function_is_not_written_yet(key, body):
    feedback = _check(BANK[key], _stub(BANK[key], body))
    assert not feedback.correct
    assert feedback.message.lower().startswith("not written yet"), feedback.message
    assert BANK[key].hint not in feedback.message  # the starter's stored output keeps the hint for a first try


def _mutate(value):
    """Change an array, list or dict in place, as a careless function might."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        value *= -3.0
        value += np.nan
    elif isinstance(value, list):
        value.clear()
    elif isinstance(value, dict):
        value.clear()


def _mutating(**arguments):
    for value in arguments.values():
        _mutate(value)
    return None


BAD_FUNCTIONS = {
    "returns None": lambda **arguments: None,
    "returns text": lambda **arguments: "I don't know",
    "returns a dict": lambda **arguments: {"answer": 1.0},
    "returns NaN": lambda **arguments: np.nan,
    "returns a wrong shape": lambda **arguments: np.zeros((7, 3)),
    "returns NaN of every output": None,  # filled per exercise: the right shapes, all NaN
    "returns too many outputs": None,
    "raises ZeroDivisionError": lambda **arguments: 1 / 0,
    "takes other arguments": lambda a, b: a,
    "changes its inputs": _mutating,
    "is not a function": 3.0,
}


def _shaped_like(exercise_, fill):
    wanted = exercise_.reference(**copy.deepcopy(exercise_.cases[0]))
    wanted = [wanted] if len(exercise_.outputs) == 1 else list(wanted)
    values = [np.full(np.shape(w), fill) for w in wanted]
    return values[0] if len(values) == 1 else tuple(values)


@pytest.mark.parametrize("kind", sorted(BAD_FUNCTIONS))
@pytest.mark.parametrize("key", CODE)
def test_a_bad_function_gets_a_message_never_a_traceback(key, kind):
    exercise_ = BANK[key]
    cases = copy.deepcopy(exercise_.cases)
    function = BAD_FUNCTIONS[kind]
    if kind == "returns NaN of every output":
        function = lambda **arguments: _shaped_like(exercise_, np.nan)  # noqa: E731
    elif kind == "returns too many outputs":
        function = lambda **arguments: tuple([_shaped_like(exercise_, 0.0)] * (len(exercise_.outputs) + 1))  # noqa: E731
    feedback = _check(exercise_, function)
    assert not feedback.correct
    assert "Traceback" not in feedback.message and len(feedback.message) < len(exercise_.hint) + 400
    if kind == "changes its inputs":
        # the bank's inputs are untouched, and the right solution still passes afterwards
        for before, after in zip(cases, exercise_.cases):
            for name in before:
                np.testing.assert_equal(after[name], before[name])
        assert _check(exercise_, SOLUTIONS[key]["right"]).correct


def _answer_solution_changes_inputs_then_right(key):
    right = SOLUTIONS[key]["right"]

    def careless(**arguments):
        result = right(**copy.deepcopy(arguments))
        for value in arguments.values():
            _mutate(value)
        return result
    return careless


@pytest.mark.parametrize("key", CODE)
def test_a_right_function_that_changes_its_inputs_after_computing_still_passes(key):
    assert _check(BANK[key], _answer_solution_changes_inputs_then_right(key)).correct


@pytest.mark.parametrize("key, number", WRONG_ANSWERS)
def test_a_typical_wrong_number_gets_its_own_hint_also_when_rounded(key, number):
    exercise_, wrong = BANK[key], BANK[key].wrong_answers[number]
    assert wrong.value.shape == np.shape(exercise_.expected), wrong
    assert not agrees(wrong.value, exercise_.expected, exercise_.tolerance), "a wrong value looks like the answer"
    rounded = np.vectorize(lambda v: float(f"{v:.3g}"))(wrong.value)  # as a student copies it from a calculator
    for answer in (wrong.value, rounded, rounded.tolist()):
        feedback = _check(exercise_, answer)
        assert not feedback.correct and feedback.message == wrong.hint, (answer, feedback.message)



#: How a number exercise's prompt ends: the precision its check wants (a formula's prompt says "in terms of").
_STATED_PRECISION = re.compile(r"(?:, to (?P<decimals>one|two|three|four) decimals?| \((?P<exact>exact|a whole number)\))$")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}


def _decimals_wanted(tolerance: float) -> int:
    """The fewest decimals d whose rounding error, up to ½·10⁻ᵈ, is within ``tolerance`` (16 for 0: exact)."""
    decimals = 0
    while decimals < 16 and 0.5 * 10.0**-decimals > tolerance * (1 + 1e-9):
        decimals += 1
    return decimals


@pytest.mark.parametrize("key", NUMBER)
def test_every_number_prompt_states_the_precision_its_check_wants(key):
    exercise_ = BANK[key]
    if exercise_.symbolic:  # a formula: no decimals to state
        assert "in terms of" in exercise_.prompt, exercise_.prompt
        return
    stated = _STATED_PRECISION.search(exercise_.prompt)
    assert stated, f"{key}: {exercise_.prompt!r} ends with none of ', to N decimals', ' (exact)', ' (a whole number)'"
    if stated["decimals"]:
        decimals = _NUMBER_WORDS[stated["decimals"]]
        assert decimals == _decimals_wanted(exercise_.tolerance), (exercise_.prompt, exercise_.tolerance)
        assert _check(exercise_, np.round(exercise_.expected, decimals).tolist()).correct  # that many decimals pass
    elif stated["exact"] == "a whole number":
        assert exercise_.tolerance < 0.5 and np.array_equal(exercise_.expected, np.round(exercise_.expected))
    else:  # exact: the check wants five decimals or more, more than a rounded answer would carry
        assert _decimals_wanted(exercise_.tolerance) >= 5, (exercise_.prompt, exercise_.tolerance)

# -- the notebooks ---------------------------------------------------------------------------------
def _cells(path: Path) -> list:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell) -> str:
    return "".join(cell["source"])


def _outputs(cell) -> str:
    text = []
    for output in cell.get("outputs", []):
        text.append("".join(output.get("text", "")))
        for value in output.get("data", {}).values():
            text.append(value if isinstance(value, str) else "".join(value) if isinstance(value, list) else "")
    return "\n".join(text)


def _number_literals(source: str) -> list:
    """Every number written in the code (strings and comments left out), with its sign."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    numbers = []
    for i, token in enumerate(tokens):
        if token.type == tokenize.NUMBER and not token.string.endswith(("j", "J")):
            value = float(token.string.replace("_", ""))
            negative = i > 0 and tokens[i - 1].string == "-"
            numbers.append(-value if negative else value)
    return numbers


def test_every_exercise_a_notebook_checks_is_in_the_bank():
    used = {key for path in NOTEBOOKS for cell in _cells(path) if cell["cell_type"] == "code"
            for key in CHECKED.findall(_source(cell))}
    assert used <= set(BANK), sorted(used - set(BANK))


def _leaks(name: str, cells: list) -> list:
    """What in these cells of notebook ``name`` gives an answer or a worked solution away."""
    found = []
    for number, cell in enumerate(cells):
        source = _source(cell)
        where = f"{name} cell {number}"
        if cell["cell_type"] == "code":
            for pattern in ("Exercise(", "NumberExercise(", "CodeExercise(", "explanation=", "solution=",
                            ".solution()"):
                if pattern in source:
                    found.append(f"{where}: {pattern}")
            for key in CHECKED.findall(source):
                banked = BANK.get(key)
                if isinstance(banked, NumberExercise) and banked.symbolic:
                    if re.sub(r"\s", "", str(banked.expected)) in re.sub(r"\s", "", source):
                        found.append(f"{where}: the answer of {key}")
                elif isinstance(banked, NumberExercise):
                    answers = np.atleast_1d(banked.expected).ravel()
                    for literal in _number_literals(source):
                        if np.any(np.isclose(literal, answers, rtol=5e-4, atol=0)):
                            found.append(f"{where}: {literal!r}, the answer of {key}")
        for key, banked in BANK.items():
            if banked.solution_text.strip() in source or banked.solution_text.strip() in _outputs(cell):
                found.append(f"{where}: the solution of {key}")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_notebook_cell_holds_an_exercise_answer_or_solution(path):
    leaks = _leaks(path.name, _cells(path))
    assert not leaks, leaks


#: Number exercises whose answer is worked out by the student, not read off the chapter (the round answers 0.2 and
#: −4 of chapter 1 are left out: those numbers stand in the chapter in other roles).
COMPUTED_ANSWERS = ["01.loss_after_first_step", "02.prediction_step3_sample1", "02.plain_loss_matching_lr",
                    "02.critical_lr_third_sample_plain", "03.cross_entropy_logit_gradient"]
_NUMBER_TEXT = re.compile(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?")


@pytest.mark.parametrize("key", COMPUTED_ANSWERS)
def test_no_cell_of_the_chapter_prints_the_answer_of_a_computed_exercise(key):
    """A cell prints the answer when every entry of it (one for a number) stands among the cell's numbers."""
    exercise_ = BANK[key]
    path = next(path for path in NOTEBOOKS if path.name.startswith(key[:2]))
    entries = np.atleast_1d(exercise_.expected).ravel()
    printed = []
    for number, cell in enumerate(_cells(path)):
        texts = _NUMBER_TEXT.findall(_source(cell) + "\n" + _outputs(cell))
        found = [[text for text in texts if agrees(float(text.replace("−", "-")), entry, exercise_.tolerance)]
                 for entry in entries]
        if all(found):
            printed.append((number, [text for each in found for text in each]))
    assert not printed, f"{path.name} prints the answer of {key}: (cell, texts) {printed}"


def _panel_kwargs(chapter: str, factory: str) -> dict:
    """The keyword arguments the chapter's stored output built the panel ``factory`` with."""
    path = next(path for path in NOTEBOOKS if path.name.startswith(chapter))
    specs = [output["data"][PANEL_MIME_TYPE] for cell in _cells(path) for output in cell.get("outputs", [])
             if PANEL_MIME_TYPE in output.get("data", {})]
    (spec,) = [spec for spec in specs if spec["factory"] == factory]
    return spec["kwargs"]


def test_chapter_3s_gradient_exercise_cannot_be_read_off_the_temperature_panel():
    """Its first version (the worked example's logits, true class 2) was the panel's readout at T = 1, class z2: at
    no temperature the slider reaches and no true class may the gradient labels, or the probability labels minus a
    one-hot y, give the answer."""
    exercise_ = BANK["03.cross_entropy_logit_gradient"]
    panel = PANEL_FACTORIES["softmax-temperature"](**_panel_kwargs("03", "softmax-temperature"))
    slider = panel.sliders["temperature"]
    exponents = np.arange(slider.min, slider.max + slider.step / 2, slider.step)
    probability_ax, gradient_ax = panel.figure.axes[:2]
    assert gradient_ax.get_title().startswith("gradient")
    classes = [value for _, value in panel.sliders["true_class"].options]
    shown = []
    for temperature, true_class in itertools.product(slider.base ** exponents, classes):
        panel.recompute(temperature=temperature, true_class=true_class)
        read = lambda ax: np.array([float(text.get_text()) for text in ax.texts if text.get_text()])  # noqa: E731
        gradient, probabilities = read(gradient_ax), read(probability_ax)
        assert gradient.size == probabilities.size == len(classes)
        shown += [gradient] + [probabilities - np.eye(len(classes))[k] for k in classes]
    assert len(shown) == exponents.size * len(classes) * (1 + len(classes))
    readable = [values for values in shown if agrees(values, exercise_.expected, exercise_.tolerance)]
    assert not readable, f"the panel shows the answer: {readable[:3]}"


def _cell(kind: str, source: str, output: str = "") -> dict:
    return {"cell_type": kind, "source": [source], "outputs": [{"text": [output]}] if output else []}


def test_the_leak_check_itself_finds_a_written_answer_and_not_an_id():
    stored = 'my_answer = None  # replace None with your answer\nexercise("01.loss_after_first_step").check(my_answer)'
    assert _number_literals(stored) == []
    assert _number_literals('exercise("06.adam_first_update").check(-0.001)') == [-0.001]
    assert _number_literals('x = 0.5  # 0.25 in a comment\ns = "0.75"') == [0.5]
    solution = exercise("01.loss_after_first_step").solution_text
    assert _leaks("ok", [_cell("code", stored), _cell("code", "w = 1.4\nb = 0.2")]) == []
    for leaking in [_cell("code", stored.replace("check(my_answer)", "check(1.125)")),
                    _cell("code", 'exercise("03.softmax_jacobian_off_diagonal").check(-a_2 * a_3)'),
                    _cell("code", 'exercise("01.loss_after_first_step").solution()'),
                    _cell("code", 'Exercise("the loss", 0.5, hint="h")'),
                    _cell("markdown", f"Answer: {solution}"),
                    _cell("code", "x = 1", output=solution)]:
        assert _leaks("leaking", [leaking]), leaking["source"]
