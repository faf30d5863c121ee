"""Declarative map layers: the registry, the generic loader and the generic folium renderer."""

# First: GDAL is restricted before anything imports pyogrio (see layers/safe_files.py).
from layers import safe_files as _safe_files  # noqa: F401
