"""Each key term is given in Chinese once: in the chapter that introduces it, and in the contents page's
glossary (术语表), which lists every one of them with that chapter."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
CHINESE = re.compile(r"[A-Za-z]*[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9]*")  # "KL散度" is one term
# Chinese that is not a term given beside an English one: section names and words quoted from the
# sources (for example a misspelling an erratum points out).
QUOTED = {"关于Softmax导数的计算过程", "五", "四", "参考2", "偏执矫正", "凹函数", "对称性破坏", "方差减半", "轮"}


def markdown(path: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")


def chapters() -> dict[int, str]:
    return {int(p.name[:2]): markdown(p) for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if p.name[:2] != "00"}


def glossary() -> dict[str, int]:
    """{中文: chapter} from the glossary table on the contents page."""
    cells = [c for c in nbformat.read(NOTEBOOKS / "00_contents.ipynb", as_version=4).cells
             if "glossary" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "the contents page needs one cell tagged 'glossary'"
    rows = re.findall(r"^\| (.+?) \| (.+?) \| \[(\d+)\]\((\d\d)_[a-z_]+\.ipynb\) \|$", cells[0].source, flags=re.M)
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
