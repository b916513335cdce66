"""The one place that knows where kg's data files live.

The repository keeps `ontology/`, `queries/` and `seeds/` at its top level. A wheel carries
them as package data in `kg/_data/` (mapped at build time, see pyproject.toml); an editable
install (`pip install -e .`) has no `kg/_data/` and reads them in the checkout, so edits to
`ontology/` are seen at once. Package data inside `kg` (the serve and network page assets)
is found the same way, through `importlib.resources`.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

# Wheels are always installed unpacked, so the package is a real folder on disk.
PACKAGE_DIR = Path(str(resources.files("kg")))
_BUNDLED = PACKAGE_DIR / "_data"
_CHECKOUT = PACKAGE_DIR.parents[1]  # src/kg -> the repository root
PROJECT_ROOT = _BUNDLED if (_BUNDLED / "ontology").is_dir() else _CHECKOUT
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
VOCAB_DIR = ONTOLOGY_DIR / "vocab"
DATA_DIR = ONTOLOGY_DIR / "data"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
THEMES_FILE = VOCAB_DIR / "themes.ttl"
QUERIES_DIR = PROJECT_ROOT / "queries"
SEEDS_DIR = PROJECT_ROOT / "seeds"
SERVE_ASSETS = PACKAGE_DIR / "serve" / "assets"
