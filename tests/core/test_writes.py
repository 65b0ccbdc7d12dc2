import os
import stat

from contract_discovery.commands.common import atomic_write


def test_new_file_gets_the_umask_mode_and_existing_keeps_its_mode(tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "out.json"
        atomic_write(target, "{}")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        os.chmod(target, 0o600)
        atomic_write(target, "[]")
        assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_text() == "[]"
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temp file left behind


def test_device_targets_are_written_in_place():
    atomic_write(os.devnull, "ignored")
    assert os.path.exists(os.devnull) and not os.path.isfile(os.devnull)
