"""Makes the repo's hardware/ package importable when pytest runs from anywhere, without putting the repository root on the import path (its code.py is the board's, not Python's `code`)."""

import importlib.util
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if "hardware" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "hardware", os.path.join(ROOT, "hardware", "__init__.py"), submodule_search_locations=[os.path.join(ROOT, "hardware")]
    )
    _hardware = importlib.util.module_from_spec(_spec)
    sys.modules["hardware"] = _hardware
    _spec.loader.exec_module(_hardware)
