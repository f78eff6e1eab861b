"""Each key term is given in Chinese once: in the chapter that introduces it, and in the contents page's
glossary (术语表), which lists every one of them with that chapter."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "tools"))
import run_notebooks  # noqa: E402  (it writes the glossary's chapter column)
CHINESE = re.compile(r"[A-Za-z]*[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9]*")  # "KL散度" is one term
# Chinese that is not a term given beside an English one: section names and words quoted from the
# sources (for example a misspelling an erratum points out).
QUOTED = {"关于Softmax导数的计算过程", "五", "四", "参考2", "偏执矫正", "凹函数", "对称性破坏", "方差减半", "轮",
          "手动计算第2步", "通常更快", "可以避免"}


def markdown(path: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")


def chapters() -> dict[int, str]:
    return {int(p.name[:2]): markdown(p) for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if p.name[:2] != "00"}


def glossary_cell() -> str:
    cells = [c for c in nbformat.read(NOTEBOOKS / "00_contents.ipynb", as_version=4).cells
             if "glossary" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "the contents page needs one cell tagged 'glossary'"
    return cells[0].source


def glossary_rows() -> list[tuple[str, str, str, str]]:
    """[(English, 中文, chapter number, linked file's prefix)] from the contents page's glossary table."""
    return re.findall(r"^\| (.+?) \| (.+?) \| \[(\d+)\]\((\d\d)_[a-z_]+\.ipynb\) \|$", glossary_cell(), flags=re.M)


def glossary() -> dict[str, int]:
    """{中文: chapter} from the glossary table on the contents page."""
    rows = glossary_rows()
    assert rows, "the glossary table has no rows"
    assert all(int(number) == int(prefix) for _, _, number, prefix in rows), "a glossary link names the wrong chapter"
    return {chinese: int(number) for _, chinese, number, _ in rows}


def test_each_chinese_term_is_given_in_one_chapter_only():
    where: dict[str, set[int]] = {}
    for number, text in chapters().items():
        for term in set(CHINESE.findall(text)) - QUOTED:
            where.setdefault(term, set()).add(number)
    repeated = {term: sorted(numbers) for term, numbers in where.items() if len(numbers) > 1}
    assert repeated == {}, "give a Chinese term once, where the term is introduced (the glossary has them all)"


def test_the_glossary_lists_every_term_with_the_chapter_that_gives_it():
    listed = glossary()
    given = {term: number for number, text in chapters().items() for term in set(CHINESE.findall(text)) - QUOTED}
    assert sorted(set(given) - set(listed)) == [], "terms given in a chapter but missing from the glossary"
    assert sorted(set(listed) - set(given)) == [], "glossary terms that no chapter gives"
    wrong = {term: (listed[term], given[term]) for term in listed if listed[term] != given[term]}
    assert wrong == {}, "glossary entries pointing at the wrong chapter: {term: (glossary, chapter)}"


def test_each_glossary_term_is_given_beside_its_english_term():
    # In the chapter the glossary names, the English term (its first word, give or take an ending: "overfit"
    # for "overfitting") stands within 80 characters before the Chinese, or inside the same brackets.
    texts = chapters()
    far = []
    for english, chinese, number, _ in glossary_rows():
        text = re.sub(r"[*_`]", "", texts[int(number)])
        at = text.find(chinese)
        if at < 0:
            far.append((english, chinese, number))
            continue
        stem = re.sub(r"[^a-z-]", "", english.split()[0].lower())[:5]
        if stem not in re.sub(r"\s+", " ", text[max(0, at - 80):at + 40]).lower():
            far.append((english, chinese, number))
    assert far == [], "Chinese terms whose English term is not beside them: (English, 中文, chapter)"


def test_the_glossary_column_comes_from_the_first_chapter_that_gives_a_term(tmp_path):
    def chapter(name, text):
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_markdown_cell(text)]
        nbformat.write(notebook, tmp_path / name)
        return tmp_path / name

    order = [chapter("01_a.ipynb", "# A\n\nNo Chinese here."),
             chapter("02_b.ipynb", "# B\n\nthe **learning rate** (学习率) $\\eta$"),
             chapter("03_c.ipynb", "# C\n\nthe learning rate (学习率) again, and the gradient (梯度)")]
    table = ("## Glossary\n\n| English | 中文 | introduced in chapter |\n|---|---|---|\n"
             "| learning rate | 学习率 | [9](09_x.ipynb) |\n| gradient | 梯度 | [1](01_a.ipynb) |\n| weight | 权重 | [1](01_a.ipynb) |")
    assert run_notebooks.glossary_markdown(table, order).splitlines()[-3:] == [
        "| gradient | 梯度 | [3](03_c.ipynb) |", "| learning rate | 学习率 | [2](02_b.ipynb) |", "| weight | 权重 | — |"]


def test_the_stored_glossary_is_what_the_notebook_runner_writes():
    order = run_notebooks.chapters()
    assert glossary_cell() == run_notebooks.glossary_markdown(glossary_cell(), order), \
        "re-run `python tools/run_notebooks.py notebooks/00_contents.ipynb` to regenerate the glossary"


# Readers found these terms used (in English) chapters before the chapter that gave their Chinese; each is now
# given where the concept first appears: the forward pass and backpropagation with chapter 1's chain rule as code,
# a batch and full-batch descent with chapter 2's two samples, the mean squared error with chapter 2's epochs.
FIRST_USE = {"前向传播": 1, "反向传播": 1, "标签": 1, "预测值": 1, "样本": 1, "收敛": 1, "发散": 1,
             "批量": 2, "批量梯度下降": 2, "均方误差": 2}


def test_terms_readers_met_early_are_given_in_chinese_where_they_first_appear():
    given = {term: number for number, text in chapters().items() for term in set(CHINESE.findall(text)) - QUOTED}
    assert {term: given.get(term) for term in FIRST_USE} == FIRST_USE
    assert {term: glossary().get(term) for term in FIRST_USE} == FIRST_USE
