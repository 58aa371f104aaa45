"""Executes a notebook in a real Jupyter kernel and exits 1 if any cell fails.

Run with Debian's interpreter, where python3-nbclient and python3-ipykernel install:

    /usr/bin/python3 notebook_runner.py NOTEBOOK [EXECUTED_COPY]

The kernel inherits this process's environment (GANTRY_URL, GANTRY_TOKEN, PYTHONPATH).
"""

import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main() -> int:
    source = sys.argv[1]
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=False)
    try:
        client.execute()
    except CellExecutionError as error:
        print(f"a cell of {source} failed:\n{error}", file=sys.stderr)
        return 1
    finally:
        if len(sys.argv) > 2:
            nbformat.write(notebook, sys.argv[2])
    print(f"executed {sum(c.cell_type == 'code' for c in notebook.cells)} code cells of {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
