#!/usr/bin/env python3
"""Render the nginx configuration of the deployment from deploy/*.template.

The Content-Security-Policy is derived from the built site: it allows exactly the inline
scripts and styles MkDocs Material wrote (by their SHA-256 hashes), the font host when the
site links to Google Fonts, and the search API's origin when the site was built with
KB_SITE_SEARCH_API. So render again for every new build of the site: deploy/publish-site
does that, and switches builds without a moment in which pages and policy disagree.

    python3 deploy/render.py --site-dir /srv/kennisbank/site \\
        --upstream 127.0.0.1:8101 --upstream 127.0.0.1:8102 \\
        --output /etc/nginx/sites-available/kennisbank

    python3 deploy/render.py --standalone /tmp/kb-nginx --listen 127.0.0.1:8080 ...
    /usr/sbin/nginx -p /tmp/kb-nginx -c /tmp/kb-nginx/nginx.conf

With --tls-cert and --tls-key the server also answers https (TLS 1.2 and 1.3, HSTS) on
--tls-listen, and redirects plain http to it.

Only the standard library: it runs with Debian's python3 on a host without the project's venv.
"""

import argparse
import base64
import grp
import hashlib
import os
import pwd
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

DEPLOY_DIR = Path(__file__).resolve().parent
SITE_TEMPLATE = DEPLOY_DIR / "kennisbank.conf.template"
TLS_TEMPLATE = DEPLOY_DIR / "kennisbank-tls.conf.template"
STANDALONE_TEMPLATE = DEPLOY_DIR / "nginx-standalone.conf.template"

PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
# Paths and names end up unquoted in nginx syntax: refuse anything that could end a directive.
SAFE_VALUE = re.compile(r"[A-Za-z0-9_./:\[\]~+-]+")
SAFE_WORDS = re.compile(r"[A-Za-z0-9_./:\[\]~+-]+( [A-Za-z0-9_./:\[\]~+-]+)*")
INLINE_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script\s*>", re.S | re.I)
INLINE_STYLE = re.compile(r"<style(\s[^>]*)?>(.*?)</style\s*>", re.S | re.I)
ATTRIBUTE = re.compile(r"""([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
# Script types a browser executes; others (application/json data blocks) are never run.
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
SEARCH_API_META = re.compile(
    r"""<meta\s+name=["']kennisbank-search-api["']\s+content=["']([^"']*)["']""", re.I
)


class RenderError(Exception):
    pass


def attributes(tag_attributes: str | None) -> dict[str, str]:
    return {
        m.group(1).lower(): next(v for v in m.groups()[1:] if v is not None)
        for m in ATTRIBUTE.finditer(tag_attributes or "")
    }


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def inline_hashes(site_dir: Path) -> tuple[set[str], set[str]]:
    """CSP hashes of every executable inline script and every inline style of a build."""
    scripts, styles = set(), set()
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for match in INLINE_SCRIPT.finditer(html):
            attrs = attributes(match.group(1))
            if "src" not in attrs and attrs.get("type", "").lower() in EXECUTABLE_TYPES:
                scripts.add(csp_hash(match.group(2)))
        styles.update(csp_hash(m.group(2)) for m in INLINE_STYLE.finditer(html))
    return scripts, styles


def content_security_policy(builds: list[Path]) -> str:
    """A CSP that allows what these builds of the site need (usually one), and nothing else."""
    scripts, styles = set(), set()
    style_src, font_src, connect_src = ["'self'"], ["'self'"], ["'self'"]
    for site_dir in builds:
        index = site_dir / "index.html"
        if not index.is_file():
            raise RenderError(
                f"{index} does not exist: build the site first "
                "(python -m search_service build-site)"
            )
        home = index.read_text(encoding="utf-8")
        build_scripts, build_styles = inline_hashes(site_dir)
        scripts.update(build_scripts)
        styles.update(build_styles)
        if "https://fonts.googleapis.com" in home:
            add_once(style_src, "https://fonts.googleapis.com")
            add_once(font_src, "https://fonts.gstatic.com")
        api = SEARCH_API_META.search(home)
        if api and api.group(1).strip():
            parts = urlsplit(api.group(1).strip())
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise RenderError(f"the site's search API address {api.group(1)!r} is not a URL")
            add_once(connect_src, f"{parts.scheme}://{parts.netloc}")
    style_src[1:1] = sorted(styles)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *sorted(scripts)],
        "style-src": style_src,
        "font-src": font_src,
        # Material's icons are data: URLs in its stylesheet.
        "img-src": ["'self'", "data:"],
        "connect-src": connect_src,
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def add_once(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)


def upstream_address(value: str) -> str:
    """``8101`` or ``host:port`` -> ``host:port`` (a bare port means this machine)."""
    address = f"127.0.0.1:{value}" if value.isdigit() else value
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise RenderError(f"--upstream {value!r}: give a port or host:port")
    return safe(address, "--upstream")


def safe(value: str, name: str, words: bool = False) -> str:
    if not (SAFE_WORDS if words else SAFE_VALUE).fullmatch(value):
        allowed = "letters, digits, ./:_~+-[]" + (" and single spaces" if words else "")
        raise RenderError(f"{name} {value!r}: only {allowed} are allowed")
    return value


def fill(template: Path, values: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        if match.group(1) not in values:
            raise RenderError(f"{template.name}: no value for @{match.group(1)}@")
        return values[match.group(1)]

    return PLACEHOLDER.sub(replace, template.read_text(encoding="utf-8"))


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return int(value)


def tls_settings(args: argparse.Namespace) -> str:
    """The TLS part of the server block, or nothing when no certificate was given."""
    if not args.tls_cert and not args.tls_key:
        return ""
    if not (args.tls_cert and args.tls_key):
        raise RenderError("give both --tls-cert and --tls-key, or neither")
    listen = safe(args.tls_listen, "--tls-listen")
    port = listen.rpartition(":")[2]
    if not port.isdigit():
        raise RenderError(f"--tls-listen {listen!r}: give a port or address:port")
    # With a real server name, redirect to it rather than to whatever Host the client sent.
    names = args.server_name.split()
    host = "$host" if names[0] == "_" or "*" in names[0] or names[0][0] == "~" else names[0]
    return fill(
        TLS_TEMPLATE,
        {
            "TLS_LISTEN": listen,
            "TLS_CERT": safe(os.path.abspath(args.tls_cert), "--tls-cert"),
            "TLS_KEY": safe(os.path.abspath(args.tls_key), "--tls-key"),
            "TLS_HOST": host + ("" if port == "443" else f":{port}"),
        },
    )


def worker_user_line() -> str:
    # Started as root, nginx would run its workers as "nobody", who cannot read a site under a
    # private directory: standalone workers run as whoever renders (and runs) the config.
    if os.geteuid() != 0:
        return ""
    user, group = pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name
    return f"user {user} {group};"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--site-dir",
        type=Path,
        default=DEPLOY_DIR.parent / "site",
        help="nginx's root: the built site, or a symlink to it (default: site/ of this checkout)",
    )
    parser.add_argument(
        "--csp-from",
        type=Path,
        action="append",
        metavar="BUILD",
        help="allow the inline scripts of this build of the site; repeat to allow two builds "
        "while switching (default: the site at --site-dir)",
    )
    parser.add_argument(
        "--upstream",
        action="append",
        required=True,
        help="a replica as port or host:port; repeat once per replica",
    )
    parser.add_argument("--listen", default="80", help="nginx 'listen' value (default: 80)")
    parser.add_argument("--server-name", default="_", help="nginx 'server_name' (default: _)")
    parser.add_argument(
        "--tls-cert", help="certificate chain (PEM): serve https as well, and redirect http to it"
    )
    parser.add_argument("--tls-key", help="the certificate's private key (PEM)")
    parser.add_argument(
        "--tls-listen", default="443", help="nginx 'listen' value for https (default: 443)"
    )
    parser.add_argument(
        "--api-rate",
        type=positive,
        default=5,
        metavar="N",
        help="API requests a second per client address, on average (default: 5)",
    )
    parser.add_argument(
        "--api-burst",
        type=positive,
        default=20,
        metavar="N",
        help="API requests a client may send at once above --api-rate (default: 20)",
    )
    parser.add_argument(
        "--api-connections",
        type=positive,
        default=10,
        metavar="N",
        help="API requests in progress at the same time per client address (default: 10)",
    )
    parser.add_argument(
        "--access-log",
        help="access log path (default: /var/log/nginx/kennisbank.access.log, "
        "or PREFIX/logs/access.log with --standalone)",
    )
    parser.add_argument(
        "--include-dir",
        help="the server block includes DIR/*.conf, for TLS and other local additions "
        "(default: /etc/nginx/kennisbank.d, or PREFIX/kennisbank.d with --standalone)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--output", type=Path, help="write the server config here (default: stdout)")
    where.add_argument(
        "--standalone",
        type=Path,
        metavar="PREFIX",
        help="write PREFIX/nginx.conf, a complete config that keeps all files under PREFIX",
    )
    return parser.parse_args(argv)


def render(args: argparse.Namespace) -> dict[Path | None, str]:
    """The files to write (``None``: standard output) and their contents."""
    prefix = args.standalone.resolve() if args.standalone else None
    default_log = f"{prefix}/logs/access.log" if prefix else "/var/log/nginx/kennisbank.access.log"
    default_include = f"{prefix}/kennisbank.d" if prefix else "/etc/nginx/kennisbank.d"
    # Not resolved: when the root is a symlink, nginx follows it, so switching it switches builds.
    site_dir = Path(os.path.abspath(args.site_dir))
    server = fill(
        SITE_TEMPLATE,
        {
            "UPSTREAM_SERVERS": "\n".join(
                # Three failures within 10 s take a replica out for 10 s (see the template).
                f"    server {upstream_address(u)} max_fails=3 fail_timeout=10s;"
                for u in args.upstream
            ),
            "LISTEN": safe(args.listen, "--listen", words=True),
            "SERVER_NAME": safe(args.server_name, "--server-name", words=True),
            "TLS": tls_settings(args),
            "API_RATE": str(args.api_rate),
            "API_BURST": str(args.api_burst),
            "API_CONNECTIONS": str(args.api_connections),
            "SITE_DIR": safe(str(site_dir), "--site-dir"),
            "ACCESS_LOG": safe(args.access_log or default_log, "--access-log"),
            "INCLUDE_DIR": safe(args.include_dir or default_include, "--include-dir"),
            "CSP": content_security_policy([b.resolve() for b in args.csp_from or [site_dir]]),
        },
    )
    if prefix is None:
        return {args.output: server}
    main = fill(
        STANDALONE_TEMPLATE,
        {"PREFIX": safe(str(prefix), "--standalone"), "USER": worker_user_line()},
    )
    return {prefix / "nginx.conf": main, prefix / "kennisbank.conf": server}


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        files = render(args)
    except RenderError as error:
        print(f"render.py: {error}", file=sys.stderr)
        return 2
    if args.standalone:
        for directory in ("logs", "tmp", "kennisbank.d"):
            (args.standalone / directory).mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        if path is None:
            sys.stdout.write(text)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
