"""pipeline.files: bounded reads of regular files only, atomic writes with the umask's modes, temporary
files of killed writers swept, names kept inside their folder, size settings checked."""
import os
import stat
import subprocess
import sys
import threading

import pytest

from pipeline.files import FileReadError, PathError, SettingError, env_limit, inside, read_regular, sweep_temp, \
    write_atomic


def test_atomic_write_leaves_old_file_when_interrupted(tmp_path):
    target = tmp_path / "a.json"
    write_atomic(target, "old")
    with pytest.raises(TypeError):
        write_atomic(target, 42)  # fails while writing
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_written_files_get_the_modes_the_umask_allows(tmp_path, mask, mode):
    code = (f"import os; os.umask({mask}); from pipeline.files import write_atomic; "
            f"write_atomic(__import__('pathlib').Path({str(tmp_path / 'a.json')!r}), 'x')")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == mode


def test_regular_files_are_read_up_to_the_limit(tmp_path):
    data = "Отчёт".encode() * 300_000  # more than one block
    (tmp_path / "a.txt").write_bytes(data)
    assert read_regular(tmp_path / "a.txt", len(data)) == data
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    assert read_regular(tmp_path / "link.txt", len(data)) == data  # a link to a regular file is fine
    with pytest.raises(FileReadError, match=r"^file too large: \d+ bytes, limit 10$"):
        read_regular(tmp_path / "a.txt", 10)


def test_special_files_are_refused_before_anything_is_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nothing.txt")
    result = {}

    def read_all():
        for name in ("pipe.txt", "zero.txt", "gone.txt", "."):
            try:
                read_regular(tmp_path / name, 1 << 30)
            except FileReadError as e:
                result[name] = str(e)

    t = threading.Thread(target=read_all, daemon=True)
    t.start()
    t.join(30)
    assert not t.is_alive(), "a read blocked"
    assert result == {"pipe.txt": "not a regular file: a FIFO; only regular files are read",
                      "zero.txt": "not a regular file: a character device behind a symbolic link; only regular files are read",
                      "gone.txt": "cannot read file: broken symbolic link",
                      ".": "not a regular file: a folder; only regular files are read"}


def test_temporary_files_of_dead_writers_are_swept_and_live_ones_kept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    host = write_atomic.__globals__["_HOST"]
    left = tmp_path / f".a.json.{host}.{dead.stdout.strip()}.k3j_x9ab.tmp"
    live = tmp_path / f".b.json.{host}.{os.getpid()}.abcdefgh.tmp"
    other = tmp_path / ".c.json.otherhost.1.abcdefgh.tmp"
    for p in (left, live, other):
        p.write_text("half")
    (tmp_path / "a.json").write_text("{}")
    assert sweep_temp(tmp_path) == [left]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name, "a.json"])
    os.utime(other, (0, 0))  # another machine's writer, a day old: gone too
    assert sweep_temp(tmp_path) == [other]


def test_names_that_would_leave_their_folder_are_refused(tmp_path):
    assert inside(tmp_path, "omsk.json") == tmp_path / "omsk.json"
    for name in ("../x.json", "/tmp/x.json", "a/b.json", "..", ".", "", "x\0.json"):
        with pytest.raises(PathError):
            inside(tmp_path, name)


@pytest.mark.parametrize("raw, value", [("", 7), ("123", 123), ("10MB", 10_000_000), ("50MiB", 50 << 20),
                                        ("200k", 200_000), (" 5 ", 5)])
def test_size_settings_read_from_the_environment(monkeypatch, raw, value):
    monkeypatch.setenv("X_LIMIT", raw)
    assert env_limit("X_LIMIT", 7) == value


@pytest.mark.parametrize("raw", ["0", "-1", "ten", "10 TB", "1.5MB"])
def test_a_size_setting_that_is_no_size_is_a_one_line_error(monkeypatch, raw):
    monkeypatch.setenv("X_LIMIT", raw)
    with pytest.raises(SettingError, match=r"^X_LIMIT=.*expected a size in bytes above 0") as e:
        env_limit("X_LIMIT", 7)
    assert "\n" not in str(e.value)
