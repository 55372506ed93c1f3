"""Fill the outside-dataset cache that `mockmle calibrate` / `make eval` read, from git copies of their repositories.

    git clone --bare https://github.com/dbbrandt/short_answer_granding_capstone_project mohler.git
    git clone --bare https://github.com/SebOchs/SAF saf.git
    python tools/eval_data.py mohler.git saf.git          # into $MOCKMLE_EVAL_DATA or ~/.cache/mockmle/eval

Each argument is a git directory (bare, or a clone's .git, or a clone's work tree); which dataset it holds is
recognised from its files. Only what the harness reads is written, with `git show` from HEAD (or --rev):
- mohler/: the UNT short-answer set v2.0 (Mohler, Bunescu, Mihalcea 2011), from
  data/source_data/ShortAnswerGrading_v2.0 (README, data/docs/files, data/raw/*, data/scores/*/{me,other,ave});
- saf/: SAF (Filighera et al. 2022), English part: data/{training,unseen_answers,unseen_questions}/english/*.xml,
  README.md and LICENSE.
The files are copied byte for byte (some of Mohler's are not UTF-8). Never commit them to this repository.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from mockmle.evaluation.datasets import SAF_SPLITS, data_folder

MOHLER_ROOT = "data/source_data/ShortAnswerGrading_v2.0/"


def git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(git_dir), *args], capture_output=True, check=True).stdout


def listing(git_dir: Path, rev: str) -> list[str]:
    return git(git_dir, "ls-tree", "-r", "--name-only", "-z", rev).decode("utf-8").split("\0")


def wanted(paths: list[str]) -> tuple[str, dict[str, str]] | None:
    """Which dataset the repository holds, and {path in the repository: path under the dataset's folder}."""
    if any(p.startswith(MOHLER_ROOT) for p in paths):
        keep = {}
        for path in paths:
            inner = path[len(MOHLER_ROOT):]
            if not path.startswith(MOHLER_ROOT):
                continue
            if inner in ("README", "data/docs/files") or inner.startswith("data/raw/") or (
                    inner.startswith("data/scores/") and inner.rsplit("/", 1)[-1] in ("me", "other", "ave")):
                keep[path] = inner
        return "mohler", keep
    english = [p for p in paths if any(p.startswith(f"data/{s}/english/") for s in SAF_SPLITS) and p.endswith(".xml")]
    if english:
        return "saf", {p: p for p in [*english, "README.md", "LICENSE"] if p in paths}
    return None


def extract(git_dir: Path, rev: str, out: Path) -> str:
    found = wanted(listing(git_dir, rev))
    if found is None:
        raise SystemExit(f"eval_data: {git_dir} holds neither Mohler's ShortAnswerGrading_v2.0 nor SAF's English data")
    name, files = found
    target = out / name
    for source, inner in files.items():
        path = target / inner
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(git(git_dir, "show", f"{rev}:{source}"))
    return f"{name}: {len(files)} files into {target}"


def git_dir_of(given: str) -> Path:
    path = Path(given).expanduser()
    return path / ".git" if (path / ".git").is_dir() else path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("git_dirs", nargs="+", metavar="GIT_DIR")
    parser.add_argument("--data", help="the cache folder (default: $MOCKMLE_EVAL_DATA, else ~/.cache/mockmle/eval)")
    parser.add_argument("--rev", default="HEAD", help="commit to read (default HEAD)")
    args = parser.parse_args(argv)
    out = data_folder(args.data)
    for given in args.git_dirs:
        try:
            print(extract(git_dir_of(given), args.rev, out))
        except subprocess.CalledProcessError as exc:
            raise SystemExit(f"eval_data: {given}: {exc.stderr.decode(errors='replace').strip()}") from None
    return 0


if __name__ == "__main__":
    sys.exit(main())
