"""Backups: the database as Django fixtures (so a SQLite backup restores into
PostgreSQL and back) plus the photos, in one .tar.gz. The photos come from,
and go back to, wherever the site keeps them: folders, or a bucket
(newsroom/storage.py).

A backup is read with suspicion: only regular files under known names, within
a size and count limit checked before anything is unpacked, and nothing is
put in place until the whole archive has been checked.
"""

import io
import os
import posixpath
import tarfile
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command

from .images import originals_storage

DATA_FILE = "data.json"
# The folders in the archive (see photo_storages).
FOLDERS = ("media", "originals")
# Rebuilt by migrate (content types, permissions) or worthless in a restore
# (sessions, login attempts). Everything refers to them by natural keys.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
]
MAX_MEMBERS = 1_000_000


class BackupError(Exception):
    """The archive is not a backup this site will restore."""


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


def photo_storages():
    """Folder in the archive -> the storage its files belong in."""
    return {"media": default_storage, "originals": originals_storage()}


def regular_files(root):
    """(path, path relative to root) of every regular file below root; links
    are not followed nor kept."""
    for directory, folders, files in os.walk(root):
        folders[:] = [name for name in folders if not Path(directory, name).is_symlink()]
        for name in sorted(files):
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root)


def stored_names(storage):
    """The name of every file a storage holds."""
    if isinstance(storage, FileSystemStorage):
        for _, relative in regular_files(Path(storage.location)):
            yield relative.as_posix()
        return

    def below(folder):
        folders, files = storage.listdir(folder)
        for name in sorted(files):
            yield posixpath.join(folder, name)
        for name in sorted(folders):
            yield from below(posixpath.join(folder, name))

    yield from below("")


def write_backup(path):
    data = dump_data().encode()
    with tarfile.open(path, "w:gz") as archive:
        entry = tarfile.TarInfo(DATA_FILE)
        entry.size = len(data)
        archive.addfile(entry, io.BytesIO(data))
        for folder, storage in photo_storages().items():
            for name in stored_names(storage):
                with storage.open(name, "rb") as file:
                    entry = tarfile.TarInfo(f"{folder}/{name}")
                    entry.size = storage.size(name)
                    archive.addfile(entry, file)


def checked_members(archive, max_bytes):
    """The archive's members, if every one is a regular file or folder under
    a known name and all of them together stay within the limits."""
    members, total = [], 0
    for member in archive:
        parts = PurePosixPath(member.name).parts
        known = member.name == DATA_FILE or (parts and parts[0] in FOLDERS)
        if not known or ".." in parts or member.name.startswith("/"):
            raise BackupError(f"unexpected member {member.name!r}")
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"{member.name!r} is a link or a special file")
        total += member.size
        members.append(member)
        if total > max_bytes or len(members) > MAX_MEMBERS:
            raise BackupError(
                f"it expands past the limit ({max_bytes:,} bytes, {MAX_MEMBERS:,} files)"
            )
    if not any(member.name == DATA_FILE for member in members):
        raise BackupError(f"it has no {DATA_FILE}")
    return members


def read_backup(path, work_dir, max_bytes):
    """Check, then unpack a backup into work_dir; the data file's path."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = checked_members(archive, max_bytes)
            archive.extractall(work_dir, members=members, filter="data")
    except (OSError, EOFError, tarfile.TarError) as error:
        raise BackupError(str(error)) from error
    return Path(work_dir) / DATA_FILE


def staged_files(work_dir):
    """(staged file, its storage, its name there) for every photo file in
    the backup. Backups made before originals had a folder of their own
    hold them in media/photos/: they go to the originals too, never to
    public media."""
    storages = photo_storages()
    for folder, storage in storages.items():
        for file, relative in regular_files(Path(work_dir) / folder):
            legacy = folder == "media" and relative.parts[0] == "photos"
            yield file, storages["originals"] if legacy else storage, relative.as_posix()


def clashes(work_dir):
    """Files the backup would overwrite with different content."""
    found = []
    for staged, storage, name in staged_files(work_dir):
        if storage.exists(name):
            with storage.open(name, "rb") as kept:
                if kept.read() != staged.read_bytes():
                    found.append(name)
    return found


def put_files_in_place(work_dir, placed):
    """Store the staged files, noting each new one in `placed` as (storage,
    name) so that a failure can take them away again."""
    for staged, storage, name in staged_files(work_dir):
        if storage.exists(name):
            continue  # the same file is already there (checked by clashes)
        with staged.open("rb") as file:
            placed.append((storage, storage.save(name, File(file))))
