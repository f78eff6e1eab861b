"""The student's work is kept apart from the course: `make lab` opens copies in my-work/, and a course
update (a `git pull` that changes notebooks/) never overwrites an answer the student wrote.

Each test builds a small course (two or three chapters) and a student folder in tmp dirs, acts as the
student or as the teacher's update, runs the sync again and reads what the student now has."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import student_copy  # noqa: E402


def write_chapter(path: Path, *sources: str) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(sources[0]),
                      *[nbformat.v4.new_code_cell(source) for source in sources[1:]]]
    nbformat.write(notebook, path)


def sources(path: Path) -> list[str]:
    return [cell.source for cell in nbformat.read(path, as_version=4).cells]


def set_source(path: Path, index: int, text: str) -> None:
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[index].source = text
    nbformat.write(notebook, path)


@pytest.fixture
def course(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    write_chapter(folder / "01_first.ipynb", "# One", "answer = None  # your answer here")
    write_chapter(folder / "02_second.ipynb", "# Two", "x = 1")
    return folder


@pytest.fixture
def work(tmp_path, course):
    folder = tmp_path / "my-work"
    student_copy.sync(course, folder)
    return folder


def test_the_first_sync_copies_every_chapter(course, work):
    assert sorted(p.name for p in work.glob("*.ipynb")) == ["01_first.ipynb", "02_second.ipynb"]
    assert sources(work / "01_first.ipynb") == sources(course / "01_first.ipynb")


def test_an_edited_chapter_is_kept_and_the_update_is_offered_beside_it(course, work):
    set_source(work / "01_first.ipynb", 1, "answer = 42")                  # the student answers
    set_source(course / "01_first.ipynb", 0, "# One (corrected)")          # the teacher's fix arrives
    done = student_copy.sync(course, work)
    assert sources(work / "01_first.ipynb") == ["# One", "answer = 42"]
    assert sources(work / "01_first.updated.ipynb") == ["# One (corrected)", "answer = None  # your answer here"]
    assert done == ["kept your edited 01_first.ipynb; the course's new version is 01_first.updated.ipynb"]
    assert student_copy.sync(course, work) == []  # said once, not on every make lab


def test_an_untouched_chapter_is_refreshed_even_after_its_cells_were_run(course, work):
    notebook = nbformat.read(work / "02_second.ipynb", as_version=4)
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", text="ran\n")]  # running is not editing
    notebook.cells[1].execution_count = 1
    nbformat.write(notebook, work / "02_second.ipynb")
    set_source(course / "02_second.ipynb", 1, "x = 2")
    assert student_copy.sync(course, work) == ["updated: 02_second.ipynb"]
    assert sources(work / "02_second.ipynb") == ["# Two", "x = 2"]
    assert not (work / "02_second.updated.ipynb").exists()


def test_an_edit_with_no_course_update_is_left_alone(course, work):
    set_source(work / "01_first.ipynb", 1, "answer = 42")
    assert student_copy.sync(course, work) == []
    assert sources(work / "01_first.ipynb") == ["# One", "answer = 42"]
    assert not (work / "01_first.updated.ipynb").exists()


def test_a_new_chapter_appears_on_the_next_sync(course, work):
    write_chapter(course / "03_third.ipynb", "# Three", "y = 3")
    assert student_copy.sync(course, work) == ["new: 03_third.ipynb"]
    assert sources(work / "03_third.ipynb") == ["# Three", "y = 3"]


def test_restore_brings_the_course_version_back_and_keeps_the_students_as_a_backup(course, work):
    set_source(work / "01_first.ipynb", 1, "answer = 42")
    set_source(course / "01_first.ipynb", 0, "# One (corrected)")
    student_copy.sync(course, work)
    message = student_copy.restore(course, work, "1")
    assert message == "restored 01_first.ipynb from the course; your version is kept as 01_first.backup-1.ipynb"
    assert sources(work / "01_first.ipynb") == sources(course / "01_first.ipynb")
    assert sources(work / "01_first.backup-1.ipynb") == ["# One", "answer = 42"]
    assert not (work / "01_first.updated.ipynb").exists()
    student_copy.restore(course, work, "01")  # a second restore never overwrites the first backup
    assert (work / "01_first.backup-2.ipynb").exists()
    set_source(course / "01_first.ipynb", 1, "answer = None  # write it here")
    assert student_copy.sync(course, work) == ["updated: 01_first.ipynb"]  # restored = untouched again


def test_restore_of_a_chapter_that_does_not_exist_names_the_choices(course, work):
    with pytest.raises(ValueError, match=r"CHAPTER must be one of 01, 02; got '7'"):
        student_copy.restore(course, work, "7")


def test_make_lab_opens_the_students_copy_and_restore_takes_a_chapter():
    dry_run = subprocess.run(["make", "-n", "lab", "restore", "CHAPTER=05"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    assert "tools/student_copy.py sync --work my-work" in dry_run
    assert "my-work/01_one_sample_one_step.ipynb" in dry_run and "notebooks/01_" not in dry_run
    assert "tools/student_copy.py restore 05 --work my-work" in dry_run


def test_the_students_folder_is_ignored_by_git():
    assert subprocess.run(["git", "check-ignore", "-q", "my-work/01_one_sample_one_step.ipynb"], cwd=ROOT).returncode == 0


def test_helpers_import_from_the_students_folder(tmp_path):
    # The package is installed editable, so a notebook in my-work/ (or anywhere) finds it.
    result = subprocess.run([sys.executable, "-c", "import helpers; print(helpers.__file__)"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0 and Path(result.stdout.strip()).is_relative_to(ROOT / "helpers")
