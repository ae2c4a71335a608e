"""Fetch Accord gold exports for ML pipelines: one file, Python's standard library only.

    from accord_client import latest
    path = latest("demo", "bundle")     # ACCORD_URL and ACCORD_TOKEN from the environment

``latest(project, fmt)`` and ``download(export_id)`` return the path of a local copy whose
SHA-256 has been checked against the server's. Copies are cached under
``$ACCORD_CACHE`` (default ``~/.cache/accord``) in a folder named by the export's content
SHA-256, so the same data is downloaded once, whatever its version number or project; a cached
copy is checked again before it is returned. A download whose checksum does not match raises
:class:`ChecksumError` and leaves nothing in the cache.

Install with ``pip install ./clients/python`` (from a checkout of Accord) or copy this file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

__all__ = ["AccordError", "ChecksumError", "Client", "download", "latest"]
__version__ = "1.0.0"

CHUNK = 1 << 20


class AccordError(Exception):
    """The server refused or failed a request (``status`` is the HTTP status, 0 if unreachable)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"{status}: {detail}" if status else detail)
        self.status = status
        self.detail = detail


class ChecksumError(AccordError):
    """A downloaded file's SHA-256 is not the one the server published for it."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


class Client:
    """An Accord server seen with one API token (a viewer's ``exports:read`` token is enough)."""

    def __init__(self, url: str | None = None, token: str | None = None, cache_dir: str | Path | None = None,
                 timeout: float = 60.0) -> None:
        url = url or os.environ.get("ACCORD_URL")
        token = token or os.environ.get("ACCORD_TOKEN")
        if not url:
            raise AccordError(0, "no server: pass url= or set ACCORD_URL (e.g. https://accord.example.org)")
        if not token:
            raise AccordError(0, "no token: pass token= or set ACCORD_TOKEN (POST /api/auth/token/ gives one)")
        self.url = url.rstrip("/")
        self.token = token
        self.cache_dir = Path(cache_dir or os.environ.get("ACCORD_CACHE") or Path.home() / ".cache" / "accord")
        self.timeout = timeout

    # --- HTTP ---

    def _open(self, path: str) -> Any:
        request = urllib.request.Request(  # noqa: S310 - the caller chooses the server
            self.url + path, headers={"Authorization": f"Token {self.token}", "Accept": "application/json"}
        )
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)  # noqa: S310
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read().decode("utf-8")).get("detail") or exc.reason
            except (ValueError, AttributeError):
                detail = str(exc.reason)
            raise AccordError(exc.code, f"{path}: {detail}") from None
        except urllib.error.URLError as exc:
            raise AccordError(0, f"cannot reach {self.url}: {exc.reason}") from None

    def _json(self, path: str) -> Any:
        with self._open(path) as response:
            return json.loads(response.read().decode("utf-8"))

    # --- what to fetch ---

    def project_id(self, project: int | str) -> int:
        """A project's id from its id or slug (among the token's projects)."""
        if isinstance(project, int) or str(project).isdigit():
            return int(project)
        path: str | None = "/api/projects/?page_size=100"
        while path:
            page = self._json(path)
            for item in page["results"]:
                if item["slug"] == project:
                    return int(item["id"])
            nxt = page.get("next")
            path = urllib.parse.urlsplit(nxt)._replace(scheme="", netloc="").geturl() if nxt else None
        raise AccordError(404, f"no project {project!r} among this token's projects")

    def latest_info(self, project: int | str, fmt: str) -> dict[str, Any]:
        """The newest finished export of ``fmt``: id, version, sha256, content_sha256, filename, ..."""
        pid = self.project_id(project)
        return dict(self._json(f"/api/projects/{pid}/exports/latest/{urllib.parse.quote(fmt)}/"))

    def info(self, export_id: int) -> dict[str, Any]:
        return dict(self._json(f"/api/exports/{int(export_id)}/"))

    # --- fetching ---

    def latest(self, project: int | str, fmt: str) -> Path:
        """The local, checked copy of the newest finished ``fmt`` export of ``project``."""
        return self._fetch(self.latest_info(project, fmt))

    def download(self, export_id: int) -> Path:
        """The local, checked copy of one export (it must be done)."""
        return self._fetch(self.info(export_id))

    def _fetch(self, info: dict[str, Any]) -> Path:
        if info.get("state") != "done":
            raise AccordError(409, f"export {info.get('id')} is {info.get('state')}: {info.get('error') or 'not ready'}")
        expected = str(info["sha256"])
        key = str(info.get("content_sha256") or expected)
        folder = self.cache_dir / key
        target = folder / Path(str(info["filename"])).name
        if target.is_file() and sha256_file(target) == expected:
            return target
        folder.mkdir(parents=True, exist_ok=True)
        fd, partial_name = tempfile.mkstemp(prefix=".part-", dir=folder)
        partial = Path(partial_name)
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out, self._open(f"/api/exports/{int(info['id'])}/download/") as response:
                announced = response.headers.get("X-Checksum-SHA256")
                while block := response.read(CHUNK):
                    digest.update(block)
                    out.write(block)
            got = digest.hexdigest()
            if got != expected or (announced and announced != expected):
                raise ChecksumError(0, f"export {info['id']}: downloaded SHA-256 {got} is not the published {expected};"
                                       " the file was discarded")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return target


def latest(project: int | str, fmt: str = "bundle", **client: Any) -> Path:
    """``Client(**client).latest(project, fmt)``; the server and token come from the environment."""
    return Client(**client).latest(project, fmt)


def download(export_id: int, **client: Any) -> Path:
    """``Client(**client).download(export_id)``."""
    return Client(**client).download(export_id)
