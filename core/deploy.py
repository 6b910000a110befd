"""The deploy version: what the shared cache's keys start with, so a new release never serves a page or
fragment rendered by the code before it (several servers running one release share their entries)."""

import hashlib
import os
from pathlib import Path

SKIP = {".git", ".venv", "venv", "var", "media", "node_modules", "test-artifacts", "__pycache__", ".ruff_cache"}
SUFFIXES = {".py", ".html", ".txt", ".xml", ".mo", ".css", ".js", ".json", ".svg"}


def deploy_version(base_dir: Path, given: str | None = None) -> str:
    """`given` (DEPLOY_VERSION, e.g. the release's commit) or a digest of the names, sizes and change
    times of the code, templates, translations and static files: a few hundred stat() calls at start-up."""
    if given:
        return given[:40]
    digest = hashlib.sha1(usedforsecurity=False)
    for folder, dirs, files in os.walk(base_dir):
        dirs[:] = sorted(d for d in dirs if d not in SKIP)
        for name in sorted(files):
            if Path(name).suffix in SUFFIXES:
                path = Path(folder, name)
                stat = path.stat()
                digest.update(f"{path.relative_to(base_dir)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]
