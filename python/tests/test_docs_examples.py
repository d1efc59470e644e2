"""The Python examples of the README and docs/byo-model.md run offline exactly as printed: each
```python block is taken from the page and run in a fresh folder, with the exporter importable
and uvis-cli (when CTest names it) checking what the exporter writes."""
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
PAGES = ["README.md", os.path.join("docs", "byo-model.md")]


def blocks(page):
    with open(os.path.join(ROOT, page), encoding="utf-8") as f:
        text = f.read()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


EXAMPLES = [(page, i, code) for page in PAGES for i, code in enumerate(blocks(page))]


def test_the_pages_have_examples():
    assert {page for page, _, _ in EXAMPLES} == set(PAGES)


@pytest.mark.parametrize("page, index, code", EXAMPLES, ids=[f"{p}#{i}" for p, i, _ in EXAMPLES])
def test_example_runs_as_printed(tmp_path, page, index, code):
    env = dict(os.environ, PYTHONPATH=os.path.abspath(os.path.join(ROOT, "python")))
    script = tmp_path / "example.py"  # a file, as a user saves it: TorchScript compiles from source
    script.write_text(code, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, f"{page} example {index}:\n{run.stderr[-3000:]}"
    written = [f for f in os.listdir(tmp_path) if f.endswith(".pt")]
    assert written, f"{page} example {index} wrote no model"
