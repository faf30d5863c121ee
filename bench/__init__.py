"""Benchmarks of the app against naive baselines (run with `make bench`).

GDAL is restricted (``layers.safe_files``) before any bench module imports pyogrio: some of
them run the app's own code in this process, which refuses to read a file otherwise.
"""

import layers.safe_files  # noqa: F401  (before pyogrio)
