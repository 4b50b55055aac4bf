"""`make test` leaves the work tree as it found it: compare `git status --porcelain` with before.

Usage: python scripts/check_worktree.py BEFORE_FILE (the output of `git status --porcelain`
saved before the suite ran). Exit 1, listing the paths, when the suite changed anything tracked
or left an untracked file that git does not ignore.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main(before_file: str) -> int:
    before = set(Path(before_file).read_text().splitlines())
    after = subprocess.run(
        ["git", "status", "--porcelain"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    changed = sorted(set(after) - before)
    if changed:
        print("make test changed the work tree:\n" + "\n".join(changed), file=sys.stderr)
        return 1
    print("work tree: as the suite found it")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
