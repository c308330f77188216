"""Build the MkDocs site (strict), replacing the old one only when the build succeeds."""

import hashlib
import importlib.util
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from .settings import PROJECT_ROOT, Settings

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


class SiteFiles(StaticFiles):
    """The built site, as StaticFiles serves it, but never a dotfile (such as the build stamp)."""

    async def get_response(self, path: str, scope):
        if any(part.startswith(".") for part in Path(path).parts):
            raise HTTPException(404)
        return await super().get_response(path, scope)


@cache
def _deploy_render():
    """deploy/render.py, which derives the Content-Security-Policy for nginx: the embedded
    server sends the same policy, so the two can never disagree."""
    spec = importlib.util.spec_from_file_location("render", PROJECT_ROOT / "deploy" / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def site_content_security_policy(site_dir: Path) -> str:
    """The policy the built site needs; without a site, the strictest one."""
    if not (site_dir / "index.html").is_file():
        return "default-src 'none'; frame-ancestors 'none'"
    return _deploy_render().content_security_policy([site_dir])


class SecurityHeaders:
    """ASGI middleware: the security headers nginx sends, for the embedded server too."""

    def __init__(self, app, policy: str) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", policy.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
        ]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)
