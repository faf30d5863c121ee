"""Widgets the pages share: sidebar, place card and list, notices."""
