"""The pages, one module each; dashboard.py routes them with st.navigation."""
