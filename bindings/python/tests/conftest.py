"""Fixtures: the tsrs source tree, its binary, openssl and demo TSAs."""

import datetime
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
TSRS_BIN = pathlib.Path(os.environ.get("TSRS_BIN", ROOT / "target" / "release" / "tsrs"))

# The clock that faketime gives openssl and that the TSA's clock callback returns.
FROZEN = "2024-01-02 03:04:05"
FROZEN_TIME = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


def run(argv, cwd=None, check=True, frozen=False):
    """Run a command with the C locale, under the frozen clock when asked."""
    environment = dict(os.environ, LC_ALL="C", TZ="UTC")
    if frozen:
        argv = ["faketime", "-f", f"{FROZEN} x0", *argv]
    result = subprocess.run(argv, cwd=cwd, env=environment, capture_output=True)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{argv} exited with {result.returncode}:\n{result.stderr.decode(errors='replace')}"
        )
    return result


def openssl(*args, cwd=None, check=True, frozen=False):
    return run(["openssl", *args], cwd=cwd, check=check, frozen=frozen)


def make_demo(folder, key="rsa"):
    """Write a demo TSA into folder with `tsrs demo` and return folder."""
    run([str(TSRS_BIN), "demo", "--dir", str(folder), "--key", key])
    return folder


def copy_demo(source, target):
    """Copy a demo TSA folder, pointing its config at the copy."""
    shutil.copytree(source, target)
    config = target / "tsa.cnf"
    config.write_text(config.read_text().replace(str(source), str(target)))
    return target


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    for tool in ("openssl", "faketime"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed; run scripts/install-test-deps.sh")
    if not TSRS_BIN.is_file():
        pytest.fail(f"{TSRS_BIN} is missing; run `make build` first")
    return make_demo(tmp_path_factory.mktemp("template") / "demo")


@pytest.fixture
def demo(demo_template, tmp_path):
    """A fresh copy of the RSA demo TSA, serial file at its start."""
    return copy_demo(demo_template, tmp_path / "demo")


@pytest.fixture
def twin_demos(demo_template, tmp_path):
    """Two identical copies of the demo TSA: one for openssl, one for tsrs."""
    return (
        copy_demo(demo_template, tmp_path / "openssl"),
        copy_demo(demo_template, tmp_path / "tsrs"),
    )
