"""Streamlit pages and widgets; the only package besides dashboard.py that imports streamlit."""
