"""Network adapters and command-line tools: Nominatim, the OpenStreetMap import and recorder."""

# First, before anything imports pyogrio: GDAL reads only GeoPackage and GeoJSON, no network.
import layers.safe_files  # noqa: F401
