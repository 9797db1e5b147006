"""`import nnkit` stays light: NumPy only, no plotting or widget libraries."""

import subprocess
import sys


def test_import_nnkit_does_not_import_matplotlib_or_ipywidgets():
    code = (
        "import sys, nnkit, nnkit.examples\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'matplotlib', 'ipywidgets', 'IPython', 'scipy', 'pandas'})\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "", f"import nnkit also imported: {result.stdout.strip()}"
