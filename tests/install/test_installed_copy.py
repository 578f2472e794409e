"""A non-editable `pip install .` gives a working `thruway sim`: the virtual board, the firmware and the scenarios are packaged."""

import json
import os
import shutil
import subprocess
import sys
import sysconfig

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# What a fresh clone holds that a build reads (the tests and the hardware stay behind).
SOURCE = ("pyproject.toml", "README.md", "LICENSE", "lib", "host", "code.py", "boot.py", "thruway.toml", "examples")


def test_pip_install_dot_gives_a_working_sim(tmp_path):
    """Installed (not editable) into a fresh environment and run from elsewhere, `thruway sim
    --scenario studio` finds its firmware, virtual board and captures in the installed copy, not
    in the checkout. The new environment borrows the test's site-packages for mido (a path, so
    their .pth hooks, this checkout's editable install among them, are not run)."""
    src = tmp_path / "src"
    for name in SOURCE:
        path = os.path.join(ROOT, name)
        if os.path.isdir(path):
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy(path, src / name)
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = str(env_dir / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], check=True, capture_output=True, text=True).stdout.strip()
    with open(os.path.join(site, "borrowed.pth"), "w") as f:
        f.write(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", str(src)],
        check=True,
        cwd=str(tmp_path),
        timeout=600,
    )
    shutil.rmtree(src)  # nothing may come from the source tree any more
    where = subprocess.run([python, "-c", "import thruway_host, thruway_board; print(thruway_host.__file__)"], check=True, capture_output=True, text=True, cwd=str(tmp_path))
    assert where.stdout.startswith(str(env_dir))
    done = subprocess.run(
        [str(env_dir / "bin" / "thruway"), "sim", "--scenario", "studio", "--json"], capture_output=True, text=True, cwd=str(tmp_path), timeout=300
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["model"]["loop"] == "firmware"
    assert report["outputs"]["out2"]["messages"] > 0
