"""Where the project's data files live: ontology/ and queries/ beside src/, or inside an
installed wheel's shared data (kg/_data) when installed non-editably."""
from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parents[1]
_BUNDLED = _HERE / "_data"
PROJECT_ROOT = _ROOT if (_ROOT / "ontology").is_dir() else _BUNDLED
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
VOCAB_DIR = ONTOLOGY_DIR / "vocab"
DATA_DIR = ONTOLOGY_DIR / "data"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
QUERIES_DIR = PROJECT_ROOT / "queries"
SEEDS_DIR = PROJECT_ROOT / "seeds"
