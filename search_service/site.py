"""Build the MkDocs site (strict), replacing the old one only when the build succeeds."""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from .settings import Settings

STAMP = ".kennisbank-build"


class SiteBuildFailed(RuntimeError):
    pass


def site_inputs(settings: Settings) -> list[Path]:
    """Every file the site is built from: the config, docs/, hooks/ and overrides/."""
    root = settings.mkdocs_config.parent
    files = [settings.mkdocs_config]
    for folder in (settings.docs_dir, root / "hooks", root / "overrides"):
        if folder.is_dir():
            files.extend(p for p in sorted(folder.rglob("*")) if p.is_file())
    return files


def site_fingerprint(settings: Settings) -> str:
    root = settings.mkdocs_config.parent
    digest = hashlib.sha256()
    for path in site_inputs(settings):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def site_is_current(settings: Settings) -> bool:
    stamp = settings.site_dir / STAMP
    return stamp.exists() and stamp.read_text().strip() == site_fingerprint(settings)


def build_site(settings: Settings) -> None:
    """Run ``mkdocs build --strict`` into a fresh folder, then swap it into place."""
    fingerprint = site_fingerprint(settings)
    fresh = settings.site_dir.with_name(settings.site_dir.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--config-file",
            str(settings.mkdocs_config),
            "--site-dir",
            str(fresh),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SiteBuildFailed(f"mkdocs build --strict failed:\n{result.stderr.strip()}")
    (fresh / STAMP).write_text(fingerprint)
    old = settings.site_dir.with_name(settings.site_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if settings.site_dir.exists():
        settings.site_dir.rename(old)
    fresh.rename(settings.site_dir)
    shutil.rmtree(old, ignore_errors=True)
