"""`thruway install`: a folder standing in for the CIRCUITPY drive gets exactly what changed, written whole."""

import collections
import errno
import glob
import os
import shutil
import sys

import pytest

from thruway_host import install
from thruway_host.cli import main
from thruway_host.install import (
    InstallError,
    Installer,
    check_board,
    circup_command,
    manifest_files,
    module_name,
    parse_boot_out,
    read_requirements,
    source_root,
)

ROOT = source_root()
PICO_9_2_1 = (
    "Adafruit CircuitPython 9.2.1 on 2024-11-20; Raspberry Pi Pico with rp2040\n"
    "Board ID:raspberry_pi_pico\n"
    "UID:E6614C311B7E9F35\n"
    "boot.py output:\n"
)


def boot_out(version, board="Raspberry Pi Pico with rp2040", board_id="raspberry_pi_pico"):
    return "Adafruit CircuitPython %s on 2025-01-01; %s\nBoard ID:%s\nUID:0123456789AB\n" % (version, board, board_id)


@pytest.fixture
def source(tmp_path):
    """A checkout: the real core and board shell (sources, and the bytecode made of them under
    mpy/), stand-in entry points, the shipped settings."""
    src = tmp_path / "checkout"
    for package in ("thruway", "thruway_board"):
        (src / "lib" / package).mkdir(parents=True)
        for path in glob.glob(os.path.join(ROOT, "lib", package, "*.py")):
            shutil.copy(path, src / "lib" / package)
        (src / "mpy" / "lib" / package).mkdir(parents=True)
        for path in glob.glob(os.path.join(ROOT, "mpy", "lib", package, "*.mpy")):
            shutil.copy(path, src / "mpy" / "lib" / package)
    (src / "code.py").write_text('"""code.py stand-in."""\nprint("Thruway")\n')
    (src / "boot.py").write_text('"""boot.py stand-in."""\n')
    shutil.copy(os.path.join(ROOT, "thruway.toml"), src / "thruway.toml")
    # Things that must never reach the drive.
    (src / "tests").mkdir()
    (src / "tests" / "test_x.py").write_text("def test_x(): pass\n")
    (src / "host" / "thruway_host").mkdir(parents=True)
    (src / "host" / "thruway_host" / "cli.py").write_text("# host only\n")
    (src / "lib" / "thruway" / "__pycache__").mkdir()
    (src / "lib" / "thruway" / "__pycache__" / "core.cpython-311.pyc").write_bytes(b"\0")
    return src


@pytest.fixture
def drive(tmp_path):
    d = tmp_path / "CIRCUITPY"
    d.mkdir()
    (d / "boot_out.txt").write_text(PICO_9_2_1)
    return d


def run(drive, source, **kw):
    said = []
    status = Installer(str(drive), root=str(source), say=said.append, **kw).install()
    return status, "\n".join(said)


def tree(folder):
    """Every file under `folder`, relative, with its bytes."""
    found = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, folder).replace(os.sep, "/")] = f.read()
    return found


def test_fresh_install_puts_the_manifest_and_the_default_settings(drive, source):
    """A new drive gets code.py, boot.py, lib/thruway, lib/thruway_board (as the bytecode under
    mpy/) and the studio's settings, each byte for byte, and nothing else: no sources, tests,
    host code or caches."""
    status, said = run(drive, source)
    assert status == 0
    on_drive = tree(drive)
    expected = {"boot_out.txt", "code.py", "boot.py", "thruway.toml"}
    for package in ("thruway", "thruway_board"):
        expected |= {"lib/%s/%s" % (package, os.path.basename(p)) for p in glob.glob(str(source / "mpy" / "lib" / package / "*.mpy"))}
    assert set(on_drive) == expected
    for rel in expected - {"boot_out.txt"}:
        in_checkout = source / ("mpy/" + rel if rel.endswith(".mpy") else rel)
        assert on_drive[rel] == in_checkout.read_bytes(), rel
    assert "  new     code.py" in said
    assert "  new     thruway.toml (the default settings: the studio's)" in said
    assert "done: %d written, 0 removed, 0 unchanged" % (len(expected) - 1) in said


def test_second_install_writes_nothing(drive, source):
    """Installing the same version again touches no file on the drive."""
    run(drive, source)
    old = 1_000_000_000
    for dirpath, _, names in os.walk(drive):
        for name in names:
            os.utime(os.path.join(dirpath, name), (old, old))
    status, said = run(drive, source)
    assert status == 0
    for dirpath, _, names in os.walk(drive):
        for name in names:
            assert os.stat(os.path.join(dirpath, name)).st_mtime == old, name
    assert "Nothing to do: the box already runs this version." in said
    assert "  new" not in said and "  update" not in said


def test_only_what_changed_is_written(drive, source, monkeypatch):
    """After one source file changes, install rewrites that file alone."""
    run(drive, source)
    compiled = source / "mpy" / "lib" / "thruway" / "routes.mpy"
    compiled.write_bytes(compiled.read_bytes() + b"\0")
    written = []
    real = install.write_whole
    monkeypatch.setattr(install, "write_whole", lambda s, t: (written.append(t), real(s, t)))
    status, said = run(drive, source)
    assert status == 0
    assert written == [os.path.join(str(drive), "lib", "thruway", "routes.mpy")]
    assert "  update  lib/thruway/routes.mpy" in said
    assert (drive / "lib" / "thruway" / "routes.mpy").read_bytes() == compiled.read_bytes()


def test_code_py_is_written_last(drive, source, monkeypatch):
    """The core and the board shell go first, then boot.py, then code.py: a new code.py only
    appears once everything it imports is on the drive."""
    written = []
    real = install.write_whole
    monkeypatch.setattr(install, "write_whole", lambda s, t: (written.append(os.path.relpath(t, str(drive))), real(s, t)))
    run(drive, source)
    assert written[-3:] == ["boot.py", "code.py", "thruway.toml"]
    assert all(w.startswith("lib" + os.sep) for w in written[:-3])


def test_existing_settings_are_kept_and_checked(drive, source):
    """The musician's thruway.toml is never overwritten; its mistakes are shown with their lines,
    and the install, done, exits 1: the box will not use that file until it is fixed."""
    mine = '[inputs]\nin1 = "Keys"\n[[route]]\nfrom = "Keys"\nto = "Typhoon"\n'
    (drive / "thruway.toml").write_text(mine)
    status, said = run(drive, source)
    assert status == 1
    assert (drive / "code.py").exists() and (drive / "lib" / "thruway" / "core.mpy").exists()
    assert "the box will not use it until they are fixed" in said
    assert (drive / "thruway.toml").read_text() == mine
    assert '%s:5: unknown output "Typhoon"' % (drive / "thruway.toml") in said
    assert "keep    thruway.toml (your settings, kept as they are: 1 error above" in said


def test_existing_good_settings_are_kept(drive, source):
    mine = '[inputs]\nin1 = "Keys"   # my keyboard\n'
    (drive / "thruway.toml").write_text(mine)
    status, said = run(drive, source)
    assert status == 0 and (drive / "thruway.toml").read_text() == mine
    assert "keep    thruway.toml (your settings, kept as they are: checked, ok)" in said


@pytest.mark.parametrize("version", ["8.2.10", "9.0.0", "9.1.4", "9.2.0-beta.1", "9.2.0-rc.0"])
def test_older_circuitpython_is_refused(drive, source, version):
    """CircuitPython before 9.2.0 (its pre-releases too) is refused before anything is written."""
    (drive / "boot_out.txt").write_text(boot_out(version))
    with pytest.raises(InstallError) as e:
        run(drive, source)
    assert "runs CircuitPython %s; Thruway needs 9.2.0 or newer" % version in str(e.value)
    assert set(tree(drive)) == {"boot_out.txt"}


@pytest.mark.parametrize("version", ["9.2.0", "9.2.1", "9.2.8", "10.0.0-alpha.2", "10.2.1"])
def test_supported_circuitpython_is_accepted(version):
    board = parse_boot_out(boot_out(version))
    assert board.text == version
    assert check_board(board) == []


def test_boot_out_is_read_like_circuitpython_writes_it():
    board = parse_boot_out(PICO_9_2_1)
    assert (board.version, board.board_id, board.description) == ((9, 2, 1), "raspberry_pi_pico", "Raspberry Pi Pico with rp2040")


@pytest.mark.parametrize(
    "description,board_id",
    [
        ("Adafruit QT Py ESP32S2 with ESP32S2", "adafruit_qtpy_esp32s2"),
        ("Adafruit Feather ESP32-S3 No PSRAM with ESP32S3", "adafruit_feather_esp32s3_nopsram"),
        ("Raspberry Pi Pico 2 with rp2350a", "raspberry_pi_pico2"),
    ],
)
def test_a_board_that_is_not_an_rp2040_is_refused(drive, source, description, board_id):
    """An ESP32-S3 or an RP2350 (Pico 2) is refused, before anything is written, with a line
    saying which boards Thruway runs on."""
    (drive / "boot_out.txt").write_text(boot_out("9.2.1", description, board_id))
    with pytest.raises(InstallError) as e:
        run(drive, source)
    assert "is not an RP2040: Thruway runs on the Raspberry Pi Pico and the Feather RP2040 only" in str(e.value)
    assert set(tree(drive)) == {"boot_out.txt"}


def test_a_folder_that_is_not_a_circuitpy_drive_is_refused(tmp_path, source):
    with pytest.raises(InstallError) as e:
        run(tmp_path, source)
    assert "no boot_out.txt: that is not a CIRCUITPY drive" in str(e.value)
    (tmp_path / "boot_out.txt").write_text("hello\n")
    with pytest.raises(InstallError) as e:
        run(tmp_path, source)
    assert "is this a CIRCUITPY drive?" in str(e.value)


def test_dry_run_shows_the_plan_and_writes_nothing(drive, source):
    before = tree(drive)
    status, said = run(drive, source, dry_run=True)
    assert status == 0
    assert tree(drive) == before
    assert said.startswith("Plan for %s: CircuitPython 9.2.1 on raspberry_pi_pico" % drive)
    assert "  new     code.py" in said and "dry run: nothing was written" in said


def test_a_pulled_cable_leaves_the_old_file_whole(drive, source, monkeypatch):
    """If writing stops half-way, code.py on the drive is still the old one, whole; the next
    install clears the half-written temporary file and finishes."""
    run(drive, source)
    old = (drive / "code.py").read_bytes()
    (source / "code.py").write_text('"""new code.py."""\n' + "x = 1\n" * 200)

    def half_then_fail(src, dst):
        dst.write(src.read(100))
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(install.shutil, "copyfileobj", half_then_fail)
    with pytest.raises(InstallError) as e:
        run(drive, source)
    assert "Input/output error" in str(e.value)
    assert (drive / "code.py").read_bytes() == old
    assert (drive / ("code.py" + install.TEMP_SUFFIX)).exists()
    monkeypatch.undo()
    status, said = run(drive, source)
    assert status == 0
    assert "  remove  code.py%s (left by an interrupted install)" % install.TEMP_SUFFIX in said
    assert (drive / "code.py").read_bytes() == (source / "code.py").read_bytes()
    assert not (drive / ("code.py" + install.TEMP_SUFFIX)).exists()


def test_stale_modules_in_thruways_folders_are_removed(drive, source):
    """A module Thruway no longer has (or an older install's source, which the board would import
    before the new .mpy) is removed from lib/thruway; everything else on the drive is left alone."""
    (drive / "lib" / "thruway").mkdir(parents=True)
    (drive / "lib" / "thruway" / "old.py").write_text("# gone\n")
    (drive / "lib" / "thruway" / "core.py").write_text("# an older install's source\n")
    (drive / "lib" / "adafruit_midi.mpy").write_bytes(b"C\x06")
    (drive / "notes.txt").write_text("mine\n")
    status, said = run(drive, source)
    assert status == 0
    assert "  remove  lib/thruway/old.py (no longer part of Thruway)" in said
    assert not (drive / "lib" / "thruway" / "old.py").exists()
    assert not (drive / "lib" / "thruway" / "core.py").exists()
    assert (drive / "lib" / "thruway" / "core.mpy").exists()
    assert (drive / "lib" / "adafruit_midi.mpy").read_bytes() == b"C\x06"
    assert (drive / "notes.txt").read_text() == "mine\n"


def test_a_read_only_drive_is_explained(drive, source, monkeypatch):
    """A drive the board has taken for itself (read-only to the computer) gets a clear message."""

    def read_only(src, dst):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(install, "write_whole", read_only)
    with pytest.raises(InstallError) as e:
        run(drive, source)
    assert "Read-only file system. If the drive is read-only" in str(e.value)


def test_a_full_drive_is_refused_before_writing(drive, source, monkeypatch):
    """A drive without room for the new files is refused before anything is written."""
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(install.shutil, "disk_usage", lambda path: usage(1024 * 1024, 1004 * 1024, 20 * 1024))
    with pytest.raises(InstallError) as e:
        run(drive, source)
    assert "the drive has 20 kB free and this install needs" in str(e.value)
    assert set(tree(drive)) == {"boot_out.txt"}


def test_a_checkout_without_the_firmware_is_refused(drive, source):
    os.remove(source / "code.py")
    with pytest.raises(InstallError) as e:
        run(drive, source)
    assert "has no code.py: the firmware is not in this checkout" in str(e.value)
    assert set(tree(drive)) == {"boot_out.txt"}


def test_the_manifest_of_this_checkout_is_the_core_and_the_board_shell():
    """From the real checkout: every lib/thruway and lib/thruway_board module (as .mpy), code.py
    and boot.py once the firmware is there, never host code or tests; code.py last."""
    files, missing = manifest_files(ROOT)
    rels = [rel for rel, _ in files]
    for package in ("thruway", "thruway_board"):
        for path in glob.glob(os.path.join(ROOT, "lib", package, "*.py")):
            assert "lib/%s/%s.mpy" % (package, os.path.basename(path)[:-3]) in rels
    assert all(rel.startswith(("lib/thruway/", "lib/thruway_board/")) or rel in ("code.py", "boot.py") for rel in rels)
    for entry in ("code.py", "boot.py"):
        assert (entry in rels) == os.path.isfile(os.path.join(ROOT, entry))
        assert (entry in missing) != (entry in rels)
    if "code.py" in rels:
        assert rels[-1] == "code.py"


def test_the_command_line(drive, source, capsys):
    assert main(["install", str(drive), "--source", str(source), "--dry-run"]) == 0
    assert "dry run: nothing was written" in capsys.readouterr().out
    assert main(["install", str(drive), "--source", str(source)]) == 0
    (drive / "boot_out.txt").write_text(boot_out("9.1.0"))
    assert main(["install", str(drive), "--source", str(source)]) == 1
    assert "thruway install: the board runs CircuitPython 9.1.0" in capsys.readouterr().err


# ---- CircuitPython libraries ----------------------------------------------------------------


def test_requirements_are_read_like_circup_reads_them(tmp_path):
    req = tmp_path / "requirements-board.txt"
    req.write_text(
        "# CircuitPython libraries the firmware imports\n"
        "adafruit_pioasm==1.3.2   # PIO assembler\n"
        "\n"
        "Adafruit-CircuitPython-PIO-UART>=1.0.0\n"
        "adafruit_pioasm\n"
    )
    assert read_requirements(str(req)) == ["adafruit_pioasm", "adafruit-circuitpython-pio-uart"]
    assert [module_name(n) for n in read_requirements(str(req))] == ["adafruit_pioasm", "adafruit_pio_uart"]


def test_no_requirements_file_means_no_libraries(drive, source):
    status, said = run(drive, source)
    assert status == 0
    assert "libraries: requirements-board.txt not found in %s: no CircuitPython libraries to install" % source in said


def test_an_empty_requirements_file_means_no_libraries(drive, source):
    (source / "requirements-board.txt").write_text("# none yet\n")
    status, said = run(drive, source)
    assert status == 0 and "lists none: the firmware needs no CircuitPython libraries" in said


def make_bundle(root, major):
    """A bundle laid out like the Adafruit one: a folder named for its CircuitPython major
    version with lib/ holding .mpy modules and package folders."""
    lib = root / ("adafruit-circuitpython-bundle-%d.x-mpy-20250101" % major) / "lib"
    (lib / "adafruit_pio_uart").mkdir(parents=True)
    (lib / "adafruit_pioasm.mpy").write_bytes(b"C\x06pioasm")
    (lib / "adafruit_pio_uart" / "__init__.mpy").write_bytes(b"C\x06uart")
    (lib / "adafruit_midi.mpy").write_bytes(b"C\x06midi")
    return root


def test_libraries_come_from_a_bundle(drive, source, tmp_path):
    """With --bundle, each required module (a .mpy or a package folder) is copied to lib/;
    libraries not required are not."""
    (source / "requirements-board.txt").write_text("adafruit_pioasm==1.3.2\nadafruit-circuitpython-pio-uart==1.0.4\n")
    bundle = make_bundle(tmp_path / "bundle", 9)
    status, said = run(drive, source, bundle=str(bundle))
    assert status == 0
    assert (drive / "lib" / "adafruit_pioasm.mpy").read_bytes() == b"C\x06pioasm"
    assert (drive / "lib" / "adafruit_pio_uart" / "__init__.mpy").read_bytes() == b"C\x06uart"
    assert not (drive / "lib" / "adafruit_midi.mpy").exists()
    assert "  new     lib/adafruit_pioasm.mpy" in said
    status, said = run(drive, source, bundle=str(bundle))
    assert "  new" not in said


def test_a_bundle_for_another_circuitpython_is_refused(drive, source, tmp_path):
    (source / "requirements-board.txt").write_text("adafruit_pioasm\n")
    bundle = make_bundle(tmp_path / "bundle", 8)
    with pytest.raises(InstallError) as e:
        run(drive, source, bundle=str(bundle))
    assert "is for CircuitPython 8.x but the board runs 9.2.1" in str(e.value)


def test_a_library_missing_from_the_bundle_is_named(drive, source, tmp_path):
    (source / "requirements-board.txt").write_text("adafruit_pioasm\nadafruit_ticks\n")
    with pytest.raises(InstallError) as e:
        run(drive, source, bundle=str(make_bundle(tmp_path / "bundle", 9)))
    assert "has no adafruit_ticks" in str(e.value)


def test_without_circup_install_prints_the_command_and_writes_nothing(drive, source):
    (source / "requirements-board.txt").write_text("adafruit_pioasm==1.3.2\n")
    status, said = run(drive, source, which=lambda name: None)
    assert status == 1
    command = " ".join(circup_command(str(drive), str(source / "requirements-board.txt")))
    assert command in said and "circup is not installed (pip install circup)" in said
    assert set(tree(drive)) == {"boot_out.txt"}


def test_libraries_already_on_the_drive_need_no_circup(drive, source):
    (source / "requirements-board.txt").write_text("adafruit_pioasm==1.3.2\n")
    (drive / "lib").mkdir()
    (drive / "lib" / "adafruit_pioasm.mpy").write_bytes(b"C\x06")
    status, said = run(drive, source, which=lambda name: None)
    assert status == 0 and "adafruit_pioasm already on the drive" in said


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in circup is a shell script")
def test_circup_is_run_with_the_drive_and_the_requirements(drive, source, tmp_path, monkeypatch):
    """When circup is on PATH it is run as `circup --path DRIVE install -r FILE` (--path is
    an option of circup itself, before the subcommand) before Thruway's files are written."""
    (source / "requirements-board.txt").write_text("adafruit_pioasm==1.3.2\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "circup-args"
    circup = bin_dir / "circup"
    circup.write_text('#!/bin/sh\nprintf "%%s\\n" "$@" > "%s"\nmkdir -p "$2/lib" && : > "$2/lib/adafruit_pioasm.mpy"\n' % log)
    circup.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir) + os.pathsep + os.environ["PATH"])
    status, said = run(drive, source)
    assert status == 0
    assert log.read_text().split("\n")[:-1] == ["--path", str(drive), "install", "-r", str(source / "requirements-board.txt")]
    assert (drive / "lib" / "adafruit_pioasm.mpy").exists() and (drive / "code.py").exists()
    # circup failing (no network) stops the install before anything of Thruway's is written.
    circup.write_text("#!/bin/sh\nexit 2\n")
    os.remove(drive / "lib" / "adafruit_pioasm.mpy")
    os.remove(drive / "code.py")
    status, said = run(drive, source)
    assert status == 1 and "circup failed (exit 2" in said
    assert not (drive / "code.py").exists()


def test_this_checkouts_requirements_are_planned(drive):
    """The firmware's requirements file: absent, install says there is nothing to install;
    present, each line names an importable module and install plans to put it on the drive."""
    installer = Installer(str(drive), root=ROOT, which=lambda name: None, say=lambda line: None)
    steps, note = installer.plan_libraries(parse_boot_out(PICO_9_2_1))
    assert steps == []
    path = os.path.join(ROOT, install.REQUIREMENTS)
    if not os.path.exists(path):
        assert note == "libraries: requirements-board.txt not found in %s: no CircuitPython libraries to install" % ROOT
        return
    modules = [module_name(name) for name in read_requirements(path)]
    assert all(m.isidentifier() for m in modules), modules
    if modules:
        assert note == "libraries: %s to install with circup" % ", ".join(modules)
    else:
        assert note == "libraries: requirements-board.txt lists none: the firmware needs no CircuitPython libraries"
