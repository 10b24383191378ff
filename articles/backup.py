"""Backups: the database as Django fixtures (so a SQLite backup restores into
PostgreSQL and back) plus the photos, in one .tar.gz.

A backup is read with suspicion: only regular files under known names, within
a size and count limit checked before anything is unpacked, and nothing is
put in place until the whole archive has been checked.
"""

import filecmp
import io
import os
import shutil
import tarfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management import call_command

DATA_FILE = "data.json"
# Folder in the archive -> the setting naming where its files belong.
FOLDERS = {"media": "MEDIA_ROOT", "originals": "ORIGINALS_ROOT"}
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


def regular_files(root):
    """(path, path relative to root) of every regular file below root; links
    are not followed nor kept."""
    for directory, folders, files in os.walk(root):
        folders[:] = [name for name in folders if not Path(directory, name).is_symlink()]
        for name in sorted(files):
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root)


def write_backup(path):
    data = dump_data().encode()
    with tarfile.open(path, "w:gz") as archive:
        entry = tarfile.TarInfo(DATA_FILE)
        entry.size = len(data)
        archive.addfile(entry, io.BytesIO(data))
        for folder, setting in FOLDERS.items():
            for file, relative in regular_files(Path(getattr(settings, setting))):
                archive.add(file, arcname=f"{folder}/{relative.as_posix()}", recursive=False)


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
    """(staged file, where it goes) for every photo file in the backup.
    Backups made before originals had a folder of their own hold them in
    media/photos/: they go to the originals too, never to public media."""
    for folder, setting in FOLDERS.items():
        target = Path(getattr(settings, setting))
        for file, relative in regular_files(Path(work_dir) / folder):
            if folder == "media" and relative.parts[0] == "photos":
                yield file, Path(settings.ORIGINALS_ROOT) / relative
            else:
                yield file, target / relative


def clashes(work_dir):
    """Files the backup would overwrite with different content."""
    return [
        str(target)
        for staged, target in staged_files(work_dir)
        if target.exists() and not filecmp.cmp(target, staged, shallow=False)
    ]


def put_files_in_place(work_dir, placed):
    """Copy the staged files to their folders, noting each new one in
    `placed` so that a failure can take them away again."""
    for staged, target in staged_files(work_dir):
        if target.exists():
            continue  # the same file is already there (checked by clashes)
        target.parent.mkdir(parents=True, exist_ok=True)
        placed.append(target)
        shutil.copyfile(staged, target)
