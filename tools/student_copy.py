"""The student's own copies of the chapters: `make lab` opens these, never the course's files.

    python tools/student_copy.py sync                 # make lab: copy new chapters, refresh untouched ones
    python tools/student_copy.py restore 05           # make restore CHAPTER=05: the course's version back

The copies live in my-work/ (git-ignored), so `git pull` changes notebooks/ only and never meets the
student's answers. A small manifest, my-work/.course-versions.json, records for each copy the course
version it was made from (a hash of the cells' sources: running cells changes outputs, not that).
On every sync:
  - a chapter the student does not have yet is copied (new chapters appear);
  - a copy whose sources are still the ones it was made from is replaced by the course's new version;
  - an edited copy is kept, and the course's new version is put beside it as NN_name.updated.ipynb.
`restore` puts the course's version in place and keeps the student's as NN_name.backup-N.ipynb.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ".course-versions.json"


def sources_hash(path: Path) -> str:
    """Hash of the cells' types and sources: what the student writes, not what running them prints."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = json.dumps([[c["cell_type"], "".join(c["source"])] for c in cells], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(work: Path) -> dict[str, str]:
    path = work / MANIFEST
    return json.loads(path.read_text()) if path.exists() else {}


def write_manifest(work: Path, manifest: dict[str, str]) -> None:
    (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def chapters(course: Path) -> list[Path]:
    return sorted(course.glob("[0-9][0-9]_*.ipynb"))


def updated_name(chapter: Path) -> str:
    return f"{chapter.stem}.updated.ipynb"


def sync(course: Path, work: Path) -> list[str]:
    """Bring `work` up to date with `course` without losing an edit; returns what was done, one line each."""
    work.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(work)
    done = []
    for chapter in chapters(course):
        copy, offered = work / chapter.name, work / updated_name(chapter)
        latest = sources_hash(chapter)
        if not copy.exists():
            shutil.copyfile(chapter, copy)
            manifest[chapter.name] = latest
            done.append(f"new: {copy.name}")
            continue
        mine, made_from = sources_hash(copy), manifest.get(chapter.name)
        if mine == latest:  # same sources as the course (untouched, or the student made the same change)
            manifest[chapter.name] = latest
            offered.unlink(missing_ok=True)
        elif latest == made_from:  # the course has not changed this chapter: nothing to offer
            continue
        elif mine == made_from:  # untouched since it was copied: take the course's update
            shutil.copyfile(chapter, copy)
            manifest[chapter.name] = latest
            offered.unlink(missing_ok=True)
            done.append(f"updated: {copy.name}")
        elif not offered.exists() or sources_hash(offered) != latest:  # edited: keep it, offer the update beside it
            shutil.copyfile(chapter, offered)
            done.append(f"kept your edited {copy.name}; the course's new version is {offered.name}")
    write_manifest(work, manifest)
    return done


def restore(course: Path, work: Path, chapter_number: str) -> str:
    """Put the course's version of chapter NN in `work`, keeping the student's as a numbered backup."""
    matches = [c for c in chapters(course) if c.name[:2] == chapter_number.zfill(2)]
    if len(matches) != 1:
        numbers = ", ".join(c.name[:2] for c in chapters(course))
        raise ValueError(f"CHAPTER must be one of {numbers}; got {chapter_number!r}")
    chapter = matches[0]
    work.mkdir(parents=True, exist_ok=True)
    copy = work / chapter.name
    message = f"restored {copy.name} from the course"
    if copy.exists():
        number = 1
        while (backup := work / f"{chapter.stem}.backup-{number}.ipynb").exists():
            number += 1
        copy.rename(backup)
        message += f"; your version is kept as {backup.name}"
    shutil.copyfile(chapter, copy)
    (work / updated_name(chapter)).unlink(missing_ok=True)
    manifest = read_manifest(work)
    manifest[chapter.name] = sources_hash(chapter)
    write_manifest(work, manifest)
    return message


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["sync", "restore"])
    parser.add_argument("chapter", nargs="?", help="restore: the chapter number, e.g. 05")
    parser.add_argument("--course", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--work", type=Path, default=ROOT / "my-work")
    args = parser.parse_args(argv)
    if args.command == "sync":
        for line in sync(args.course, args.work):
            print(f"my-work: {line}")
        return 0
    try:
        print(f"my-work: {restore(args.course, args.work, args.chapter or '')}")
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
