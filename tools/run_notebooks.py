"""Execute the course notebooks in place, top to bottom, and refresh their generated furniture.

    python tools/run_notebooks.py                 # every notebook in notebooks/
    python tools/run_notebooks.py notebooks/03_*.ipynb   # only these (contents and README untouched)

Before running, it rewrites the cells that are generated rather than written by hand:
the navigation line (previous · contents · next) at the top and bottom of every chapter,
the chapter list in notebooks/00_contents.ipynb and the one in README.md, and the chapter column of
the contents page's glossary (each Chinese term links the first chapter whose text gives it). A chapter's
title is its first '# ' heading; its one-line summary is ``metadata["course"]["summary"]``. The contents
page is refreshed on a full run or when it is named.
Widget state and widget views are not stored (they would only draw sliders that move nothing,
and their random model ids would change every run); no timing metadata is kept, so the stored outputs are what nbval compares and nothing else changes.
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CONTENTS = NOTEBOOKS / "00_contents.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
README_START, README_END = "<!-- chapters:start -->", "<!-- chapters:end -->"
CHINESE_TERM = re.compile(r"[A-Za-z]*[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9]*")  # "KL散度" is one term
GLOSSARY_ROW = re.compile(r"^\| (?!English |---)(.+?) \| (.+?) \| .*\|$", flags=re.MULTILINE)


def chapters() -> list[Path]:
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if p != CONTENTS)


def title_and_summary(path: Path) -> tuple[str, str]:
    notebook = nbformat.read(path, as_version=4)
    summary = notebook.metadata.get("course", {}).get("summary", "")
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and "navigation" not in cell.metadata.get("tags", []):
            match = re.search(r"^# (.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1).strip(), summary
    return path.stem, summary


def navigation_cell(path: Path, order: list[Path], cell_id: str) -> nbformat.NotebookNode:
    index = order.index(path)
    parts = []
    if index > 0:
        parts.append(f"[← {title_and_summary(order[index - 1])[0]}]({order[index - 1].name})")
    parts.append(f"[Contents]({CONTENTS.name})")
    if index + 1 < len(order):
        parts.append(f"[{title_and_summary(order[index + 1])[0]} →]({order[index + 1].name})")
    cell = nbformat.v4.new_markdown_cell(" · ".join(parts))
    cell.id = cell_id  # fixed ids: regenerating the line changes nothing in git when the links are the same
    cell.metadata["tags"] = ["navigation"]
    return cell


def refresh_navigation(path: Path, order: list[Path]) -> None:
    notebook = nbformat.read(path, as_version=4)
    cells = [c for c in notebook.cells if "navigation" not in c.metadata.get("tags", [])]
    notebook.cells = [navigation_cell(path, order, "navigation-top"), *cells,
                      navigation_cell(path, order, "navigation-bottom")]
    nbformat.write(notebook, path)


def chapter_list_markdown(order: list[Path], link_prefix: str) -> str:
    lines = []
    for path in order:
        title, summary = title_and_summary(path)
        lines.append(f"- [{title}]({link_prefix}{path.name})" + (f": {summary}" if summary else ""))
    return "\n".join(lines)


def chapter_markdown(path: Path) -> str:
    cells = nbformat.read(path, as_version=4).cells
    return "\n".join(c.source for c in cells if c.cell_type == "markdown" and "navigation" not in c.metadata.get("tags", []))


def first_chapters(order: list[Path]) -> dict[str, Path]:
    """{Chinese term: the first chapter whose markdown gives it}."""
    first: dict[str, Path] = {}
    for path in order:
        for term in CHINESE_TERM.findall(chapter_markdown(path)):
            first.setdefault(term, path)
    return first


def glossary_markdown(source: str, order: list[Path]) -> str:
    """The glossary table with its rows sorted by the English term and each chapter column regenerated."""
    first = first_chapters(order)
    rows = sorted(GLOSSARY_ROW.findall(source), key=lambda row: row[0].lower())
    missing = [chinese for _, chinese in rows if chinese not in first]
    if missing:
        print(f"glossary: no chapter gives {', '.join(missing)}", file=sys.stderr)
    lines = [f"| {english} | {chinese} | " + (f"[{int(first[chinese].name[:2])}]({first[chinese].name})"
                                              if chinese in first else "—") + " |" for english, chinese in rows]
    head = source[:GLOSSARY_ROW.search(source).start()] if rows else source
    return head + "\n".join(lines)


def refresh_contents(order: list[Path]) -> None:
    if CONTENTS.exists():
        notebook = nbformat.read(CONTENTS, as_version=4)
        for cell in notebook.cells:
            tags = cell.metadata.get("tags", [])
            if "chapter-list" in tags:
                cell.source = chapter_list_markdown(order, "")
            if "glossary" in tags:
                cell.source = glossary_markdown(cell.source, order)
        nbformat.write(notebook, CONTENTS)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if README_START in text:
        head, rest = text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
        listing = chapter_list_markdown(order, "notebooks/")
        readme.write_text(f"{head}{README_START}\n{listing}\n{README_END}{tail}", encoding="utf-8")


def joined_streams(outputs: list) -> list:
    """``outputs`` with each run of consecutive prints to the same stream (stdout, stderr) as one output: how the
    kernel cuts a cell's printed text into messages depends on timing, and the stored notebook should not."""
    joined: list = []
    for output in outputs:
        if (output.get("output_type") == "stream" and joined and joined[-1].get("output_type") == "stream"
                and joined[-1].get("name") == output.get("name")):
            joined[-1]["text"] += output["text"]
        else:
            joined.append(output)
    return joined


def execute(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata.pop("widgets", None)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}},
                            record_timing=False, store_widget_state=False)
    started = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - started
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            # A live widget's view names a model id that is new on every run and means nothing
            # once the kernel is gone; the stored PNG and text stand in for it.
            output.get("data", {}).pop(WIDGET_VIEW, None)
        if "outputs" in cell:
            cell.outputs = joined_streams(cell.outputs)
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    return elapsed


def main(argv: list[str]) -> int:
    order = chapters()
    if argv:  # only the named notebooks: leave every other file alone
        targets = [Path(a).resolve() for a in argv]
        for path in targets:
            if path in order:
                refresh_navigation(path, order)
        if CONTENTS in targets:
            refresh_contents(order)
    else:
        targets = ([CONTENTS] if CONTENTS.exists() else []) + order
        for path in order:
            refresh_navigation(path, order)
        refresh_contents(order)
    for path in targets:
        seconds = execute(path)
        print(f"{path.relative_to(ROOT)}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
