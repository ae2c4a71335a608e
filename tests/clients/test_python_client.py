"""The Python client (clients/python/accord_client.py) against a live server with a real token."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from annotator.exports.services import export_absolute_path, export_run, export_start

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENT = Path(__file__).resolve().parents[2] / "clients" / "python" / "accord_client.py"


@pytest.fixture(scope="module")
def accord_client() -> Any:
    spec = importlib.util.spec_from_file_location("accord_client", CLIENT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["accord_client"] = module
    spec.loader.exec_module(module)
    return module


def _token(url: str, username: str) -> str:
    body = json.dumps({"username": username, "password": "pw-for-the-client"}).encode()
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        f"{url}/api/auth/token/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return str(json.loads(response.read())["token"])


@pytest.fixture
def served(demo_gold, media_root, live_server, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    project, users = demo_gold
    viewer = users["viewer"]
    viewer.set_password("pw-for-the-client")
    viewer.save()
    export = export_run(export_id=export_start(project=project, format="bundle", created_by=viewer, enqueue=False).pk)
    monkeypatch.setenv("ACCORD_URL", live_server.url)
    monkeypatch.setenv("ACCORD_TOKEN", _token(live_server.url, viewer.username))
    monkeypatch.setenv("ACCORD_CACHE", str(tmp_path / "cache"))
    return project, export


def test_latest_downloads_the_bundle_and_checks_its_sha256(accord_client, served, tmp_path):
    project, export = served
    path = accord_client.latest("demo", "bundle")
    assert path == tmp_path / "cache" / export.content_sha256 / export.filename
    assert hashlib.sha256(path.read_bytes()).hexdigest() == export.sha256
    assert accord_client.download(export.pk) == path
    assert accord_client.latest(project.pk, "bundle") == path


def test_a_second_fetch_comes_from_the_cache(accord_client, served):
    _, export = served
    first = accord_client.latest("demo", "bundle")
    export_absolute_path(export).unlink()  # the server could no longer send it
    assert accord_client.latest("demo", "bundle") == first


def test_a_corrupted_download_is_refused_and_not_cached(accord_client, served, tmp_path):
    _, export = served
    stored = export_absolute_path(export)
    stored.write_bytes(stored.read_bytes()[:-10] + b"corrupted!")
    with pytest.raises(accord_client.ChecksumError, match="is not the published"):
        accord_client.latest("demo", "bundle")
    assert [p for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []


def test_a_corrupted_cached_copy_is_fetched_again(accord_client, served):
    _, export = served
    path = accord_client.latest("demo", "bundle")
    path.write_bytes(b"bit rot")
    assert hashlib.sha256(accord_client.latest("demo", "bundle").read_bytes()).hexdigest() == export.sha256


def test_errors_name_the_problem(accord_client, served, monkeypatch):
    with pytest.raises(accord_client.AccordError, match="no project 'nope'"):
        accord_client.latest("nope", "bundle")
    with pytest.raises(accord_client.AccordError) as missing:
        accord_client.latest("demo", "conll")
    assert missing.value.status == 404 and "no finished 'conll' export" in missing.value.detail
    monkeypatch.setenv("ACCORD_TOKEN", "wrong")
    with pytest.raises(accord_client.AccordError) as refused:
        accord_client.latest("demo", "bundle")
    assert refused.value.status in (401, 403) and "Invalid token" in refused.value.detail
