"""The README's Python example works as written in a fresh virtual environment."""

import os
import re
import subprocess
import sys

from conftest import ROOT, TSRS_BIN, run


def readme_example():
    text = (ROOT / "README.md").read_text()
    match = re.search(r"<!-- python-example -->\n```python\n(.*?)```", text, flags=re.S)
    assert match, "README.md has no python-example block"
    return match.group(1)


def test_readme_example_in_fresh_venv(tmp_path):
    run([str(TSRS_BIN), "demo", "--dir", str(tmp_path / "tsa-demo")])
    (tmp_path / "example.py").write_text(readme_example())
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    # A copy of the package, so that pip's build folder stays out of the tree.
    subprocess.run(
        ["cp", "-r", str(ROOT / "bindings" / "python"), str(tmp_path / "package")], check=True
    )
    run([str(venv / "bin" / "pip"), "install", "--quiet", str(tmp_path / "package")])
    environment = dict(os.environ, TSRS_LIBRARY=os.environ["TSRS_LIBRARY"])
    environment.pop("PYTHONPATH", None)
    result = subprocess.run(
        [str(venv / "bin" / "python"), "example.py"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Status: Granted." in result.stdout
    assert "verified: serial 1, time " in result.stdout
