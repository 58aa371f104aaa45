"""examples/quickstart.ipynb runs top to bottom in a real Jupyter kernel against a live gateway."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from support import REPO_ROOT, SDK_PATH, shared_gateway

NOTEBOOK = REPO_ROOT / "examples" / "quickstart.ipynb"
# Debian's interpreter: python3-nbclient and python3-ipykernel install there.
DEBIAN_PYTHON = "/usr/bin/python3"


def _jupyter_missing() -> str:
    """Why the notebook cannot be executed here, or "" when it can (installing the packages as root)."""
    if not os.path.exists(DEBIAN_PYTHON):
        return f"{DEBIAN_PYTHON} does not exist"
    probe = [DEBIAN_PYTHON, "-c", "import nbclient, ipykernel, nbformat"]
    if subprocess.run(probe, capture_output=True).returncode == 0:
        return ""
    if os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "python3-nbclient", "python3-ipykernel"]
        if subprocess.run(install, capture_output=True, env=env).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True, env=env)
            subprocess.run(install, capture_output=True, env=env)
        if subprocess.run(probe, capture_output=True).returncode == 0:
            return ""
    return "python3-nbclient and python3-ipykernel are not installed for /usr/bin/python3 and could not be installed"


class NotebookTests(unittest.TestCase):
    def test_the_notebook_is_valid_nbformat_4(self) -> None:
        data = json.loads(NOTEBOOK.read_text())
        self.assertEqual(data["nbformat"], 4)
        self.assertTrue(all(cell["cell_type"] in ("markdown", "code") for cell in data["cells"]))
        self.assertTrue(all(not cell.get("outputs") for cell in data["cells"] if cell["cell_type"] == "code"))

    def test_quickstart_runs_every_cell_in_a_real_kernel(self) -> None:
        missing = _jupyter_missing()
        if missing:
            self.skipTest(missing)
        gateway = shared_gateway()
        env = {k: v for k, v in os.environ.items() if not k.startswith("GANTRY_")}
        env.update(GANTRY_URL=gateway.url, GANTRY_TOKEN=gateway.admin_token, GANTRY_HOME=tempfile.gettempdir() + "/no-gantry-home",
                   PYTHONPATH=str(SDK_PATH))
        with tempfile.TemporaryDirectory() as tmp:
            executed = Path(tmp) / "executed.ipynb"
            result = subprocess.run(
                [DEBIAN_PYTHON, str(Path(__file__).with_name("notebook_runner.py")), str(NOTEBOOK), str(executed)],
                env=env, cwd=tmp, capture_output=True, text=True, timeout=600,
            )
            self.assertEqual(result.returncode, 0, result.stderr[-4000:])
            outputs = json.loads(executed.read_text())["cells"]
        text = json.dumps(outputs)
        self.assertIn("signed in as admin", text)
        self.assertIn("trained for 40 steps", text)
        self.assertIn("'loss': 40", text)
        self.assertIn("bad fields:", text)
        self.assertIn("gantry-job", text)  # the job rendered as a card


if __name__ == "__main__":
    unittest.main()
