"""One notation for the whole course (the contents page's Notation section): y the label, ŷ the
prediction, superscript [l] for layers, η the learning rate, B the batch size, μ the momentum
coefficient and u Momentum's velocity (v is Adam's second moment), "step" one update, "epoch" one pass.

This scans every chapter's markdown (and its one-line summary, which the contents page and README
show) for the forms the course retired. Allowed: the Notation section itself, words in quotation
marks, and what a source is reported to call something ("the source calls its velocity $v$", "what
the source calls a round")."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXEMPT_CELLS = {"notation", "chapter-list", "navigation"}  # the chapter list repeats the summaries checked below

# name: (what to write instead, [(pattern, topic)]): a pattern counts in a sentence that also matches
# its topic (None: in any sentence).
RETIRED = {
    "α as the learning rate": ("η", [(r"\\alpha\b|α", None)]),
    "b as the batch size": ("B", [(r"batch size \$?b\b|\bof \$?b\$? samples|(?<![\w\\])1/b\b|\bN\s*-\s*b\b|\bb\s*\(N", None),
                                  (r"\bb = [1-9]\d*(?![.\d])", r"batch|noise")]),
    "a layer index as a subscript": ("W^{[1]}, z^{[1]}, a^{[1]}", [(r"\bW_?\{?\d|\\mathbf\{?W\}?_\{?\d", None),
                                                                  (r"\b[za]_\{?\d", r"\blayer \$?\d|\blayer \$?l\b|\bhidden\b|\bdepth\b")]),
    "t as the BCE label": ("y the label, ŷ the prediction",
                           [(r"\\sigma\(z\)\s*-\s*t\b|σ\(z\)\s*[−-]\s*t\b|\bt\s*\\log|\(1\s*-\s*t\)"
                             r"|\b(?:label|target) \$?t\b", None)]),
    "v as Momentum's velocity": ("u (v is Adam's second moment)",
                                 [(r"\\mu\\?,?\s*v(?![A-Za-z])|μ\s*·?\s*v(?![A-Za-z])|velocity \$?v(?![A-Za-z])", None)]),
    "'round' or 'iteration' for one update": ("step", [(r"(?i)\brounds?\b(?! numbers?| to\b|-trip| off\b)|\biterations?\b", None)]),
}
# What a source is said to call something, and words in quotation marks, are quotes, not our notation.
QUOTED = re.compile(r"(?:the |what the |source \d{3}'?s? ?)source(?:'s)? (?:calls?|writes?|names?|uses?)[^.;:)]*"
                    r"|what source \d{3} calls[^.;:)]*|\"[^\"\n]*\"|“[^”]*”|‘[^’]*’|\(the way round it\)|way round\b")


def findings(text: str) -> list[tuple[str, str]]:
    """[(retired form, excerpt)] in a piece of markdown, quotes removed first."""
    text = QUOTED.sub(" ", text)
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n\n", text):
        for name, (_, patterns) in RETIRED.items():
            for pattern, topic in patterns:
                if topic and not re.search(topic, sentence):
                    continue
                for match in re.finditer(pattern, sentence):
                    found.append((name, sentence[max(0, match.start() - 40):match.end() + 30].replace("\n", " ")))
    return found


def markdown_of(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    texts = [c.source for c in notebook.cells
             if c.cell_type == "markdown" and not EXEMPT_CELLS & set(c.metadata.get("tags", []))]
    return texts + [notebook.metadata.get("course", {}).get("summary", "")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_chapter_uses_a_retired_form(path):
    found = [f for text in markdown_of(path) for f in findings(text)]
    report = "\n".join(f"  {name} (write {RETIRED[name][0]}): …{excerpt}…" for name, excerpt in found)
    assert not found, f"{path.name} uses retired notation:\n{report}"


@pytest.mark.parametrize("text", [
    "$$v_t = \\mu\\, v_{t-1} + g_t$$", "The velocity $v$ piles up gradients", "with $\\alpha = 0.01$ (the learning rate)",
    "For a batch of $b$ samples", "the noise falls like $1/b$", "Try $b = 1$ (one sample per batch)", "BCE with σ(z) − t",
    "$$L = -[t \\log y + (1 - t)\\log(1 - y)]$$", "(W1 blue, b1 sky blue)", "$z_1 = W_1 x$ for the first layer", "$a_2 = \\tanh(z_2)$ in hidden layer 2",
    "two SGD iterations", "the loss over 25 rounds", "Iteration 1 uses sample 1."])
def test_the_scan_finds_each_retired_form(text):
    assert findings(text), text


@pytest.mark.parametrize("text", [
    "$$u_t = \\mu\\, u_{t-1} + g_t$$", "(the source calls its velocity $v$)", "what the source calls a round (轮)",
    "the last layer gives logits $z_1, \\dots, z_n$ and probabilities $a_1, \\dots, a_n$", "start from $w = 1$, $b = 0$",
    "$b = 0.16$", "the mini-batch gradient at $w = 0, b = 0$", "a batch of $B$ samples", "the limits sit on round numbers", "a probability would round to 0",
    "$\\hat v_t$ is Adam's second moment", "BCE with σ(z) − y", "$W^{[2]}$ after step 1", "one epoch, 50 steps"])
def test_the_scan_leaves_the_course_notation_alone(text):
    assert findings(text) == [], text
