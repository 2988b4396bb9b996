"""Import every table module so SQLModel.metadata is complete (for Alembic and tests).

Table modules are ``storage/models.py`` and any ``storage/*_models.py``; each area keeps its own.
"""

import importlib
import pkgutil

import storage

for _info in pkgutil.iter_modules(storage.__path__):
    if _info.name == "models" or _info.name.endswith("_models"):
        importlib.import_module(f"storage.{_info.name}")
