"""Benchmark of the map page against a naive st_folium baseline (run with `make bench`)."""
