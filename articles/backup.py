"""Backups: the database as Django fixtures (so a SQLite backup restores into
PostgreSQL and back) plus the uploaded photos, in one .tar.gz."""

import io
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

DATA_FILE = "data.json"
MEDIA_DIR = "media"
# Rebuilt by migrate (content types, permissions) or worthless in a restore
# (sessions, login attempts). Everything refers to them by natural keys.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
]


def dump_data():
    """Every row worth keeping, as JSON text; dumping again after a restore
    gives the same text."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        *(f"--exclude={label}" for label in EXCLUDED),
        natural_foreign=True,
        natural_primary=False,
        indent=1,
        stdout=out,
    )
    return out.getvalue()


def write_backup(path):
    media = Path(settings.MEDIA_ROOT)
    data = dump_data().encode()
    with tarfile.open(path, "w:gz") as archive:
        entry = tarfile.TarInfo(DATA_FILE)
        entry.size = len(data)
        archive.addfile(entry, io.BytesIO(data))
        if media.is_dir():
            archive.add(media, arcname=MEDIA_DIR)


def read_backup(path, work_dir):
    """Unpack a backup into work_dir; the data file's path and the media
    folder's (which may not exist)."""
    with tarfile.open(path, "r:gz") as archive:
        archive.extractall(work_dir, filter="data")  # no absolute paths, no links out
    return Path(work_dir) / DATA_FILE, Path(work_dir) / MEDIA_DIR
