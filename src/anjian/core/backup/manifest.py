"""The backup folder and its manifest, in plain Python (no Django): private folders and files,
copying with a SHA-256 taken of the bytes written, and checking a folder against its manifest."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
FILE_MODE = 0o600
DIR_MODE = 0o700
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A refusal with a stable code and a Chinese message; nothing was changed."""

    def __init__(self, code: str, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or []

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the backup folder, with forward slashes
    size: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


def private_dir(path: Path) -> Path:
    """Creates the folder (and missing parents) readable by the owner only."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    path.chmod(DIR_MODE)
    return path


def private_file(path: Path) -> int:
    """A new file, 0600 whatever the umask; refuses to reuse an existing one."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)
    return descriptor


def digest(path: Path, relative: str) -> FileEntry:
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            sha.update(block)
            size += len(block)
    return FileEntry(relative, size, sha.hexdigest())


def copy_file(source: Path, target: Path, relative: str) -> FileEntry:
    """Copies one file into a new private file and returns the hash of what was written."""
    sha = hashlib.sha256()
    size = 0
    descriptor = private_file(target)
    with source.open("rb") as reader, os.fdopen(descriptor, "wb") as writer:
        while block := reader.read(CHUNK):
            writer.write(block)
            sha.update(block)
            size += len(block)
        writer.flush()
        os.fsync(writer.fileno())
    return FileEntry(relative, size, sha.hexdigest())


def regular_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under root (symbolic links are skipped), in a stable order."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path, path.relative_to(root).as_posix()


def copy_tree(source: Path, target: Path, prefix: str) -> list[FileEntry]:
    """Copies every regular file of source into target (private folders and files); the entries
    name each file as prefix/relative path."""
    private_dir(target)
    entries: list[FileEntry] = []
    for path, relative in regular_files(source):
        destination = target
        for part in PurePosixPath(relative).parts[:-1]:
            destination = destination / part
            if not destination.is_dir():
                private_dir(destination)
        destination = destination / path.name
        entries.append(copy_file(path, destination, f"{prefix}/{relative}"))
    return entries


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    descriptor = private_file(folder / MANIFEST_NAME)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST_NAME
    if not folder.is_dir():
        raise BackupError("NOT_A_BACKUP", f"备份目录不存在：{folder}", [str(folder)])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError("NOT_A_BACKUP", f"目录中没有 {MANIFEST_NAME}：{folder}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError("BAD_MANIFEST", f"无法读取 {MANIFEST_NAME}：{exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise BackupError("BAD_MANIFEST", f"{MANIFEST_NAME} 格式不正确：缺少文件清单")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            "UNSUPPORTED_FORMAT",
            f"不支持的备份格式版本：{data.get('format_version')!r}（本程序支持 {FORMAT_VERSION}）",
        )
    return data


def _safe_relative(raw: object) -> str | None:
    if not isinstance(raw, str) or not raw or "\\" in raw:
        return None
    path = PurePosixPath(raw)
    if path.is_absolute() or ".." in path.parts or raw == MANIFEST_NAME:
        return None
    return raw


def _entry_problem(folder: Path, entry: object) -> tuple[str | None, str | None]:
    """(the entry's path if it is usable, a problem if there is one)."""
    if not isinstance(entry, dict):
        return None, "清单中有无法识别的条目"
    relative = _safe_relative(entry.get("path"))
    if relative is None:
        return None, f"清单中的路径不安全：{entry.get('path')!r}"
    path = folder / relative
    if path.is_symlink() or not path.is_file():
        return relative, f"缺少文件：{relative}"
    found = digest(path, relative)
    if found.size != entry.get("size") or found.sha256 != entry.get("sha256"):
        return relative, f"文件已被改动（SHA-256 或大小与清单不符）：{relative}"
    return relative, None


def check_files(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Every problem with the folder's files against the manifest: a missing, changed or extra
    file, or an unsafe path in the manifest. Empty when the backup is intact."""
    problems: list[str] = []
    listed: set[str] = set()
    for entry in manifest["files"]:
        relative, problem = _entry_problem(folder, entry)
        if relative is not None:
            listed.add(relative)
        if problem is not None:
            problems.append(problem)
    for _path, relative in regular_files(folder):
        if relative != MANIFEST_NAME and relative not in listed:
            problems.append(f"清单之外的文件：{relative}")
    return problems
