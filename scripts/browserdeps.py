"""What the browser tests need from Debian, installed when we may, or one line saying what to run.

    python3 scripts/browserdeps.py       # exit 0 when Chromium, Playwright's driver, the fonts and espeak-ng work

Playwright's own browser download cannot work here, so the tests drive Debian's Chromium; Playwright's
driver (a bundled Node.js) needs libatomic1, honest screenshots of Vietnamese pages need fonts
with Vietnamese glyphs, and the captcha's audio in Vietnamese (tests/test_captcha.py, the form's
"Nghe mã" button) needs espeak-ng, as production does (docs/deploy.md). As root (or with password-less
sudo) the missing packages are installed with apt-get; otherwise the script stops at once with the one
command to run as root.
"""

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Package → how to tell it is there.
PACKAGES = {
    "chromium": lambda: CHROMIUM.exists(),
    "libatomic1": lambda: driver_runs(),
    "fonts-dejavu-core": lambda: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists(),
    "espeak-ng": lambda: shutil.which("espeak-ng") is not None,
}


def driver_runs() -> bool:
    """Playwright's bundled Node.js starts (it does not without libatomic.so.1). Before the venv exists
    (this runs first, with the system's Python, so a user who cannot install is told at once), the
    library itself is looked for."""
    try:
        import playwright
    except ImportError:
        try:
            ctypes.CDLL("libatomic.so.1")
        except OSError:
            return False
        return True
    node = Path(playwright.__file__).parent / "driver" / "node"
    try:
        result = subprocess.run([str(node), "--version"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def missing() -> list[str]:
    return [name for name, present in PACKAGES.items() if not present()]


def installer() -> list[str] | None:
    """How this process may run apt-get: as root, through password-less sudo, or not at all."""
    if shutil.which("apt-get") is None:
        return None
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def main() -> int:
    needed = missing()
    if not needed:
        return 0
    prefix = installer()
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *needed]
    if prefix is None:
        print(
            f"The browser tests need Debian packages this user cannot install: run as root "
            f"`apt-get update && {' '.join(command)}`, then `make test` again.",
            file=sys.stderr,
        )
        return 1
    print(f"Installing {', '.join(needed)} for the browser tests (Debian packages)…", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*prefix, *command], check=True, env=env, stdout=subprocess.DEVNULL)
    still = missing()
    if still:
        print(f"Still missing after apt-get: {', '.join(still)}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
