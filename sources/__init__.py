"""Network adapters and command-line tools: Nominatim, the OpenStreetMap import and recorder."""
