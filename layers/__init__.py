"""Declarative map layers: the registry, the generic loader and the generic folium renderer."""
