"""Top layer: the `briefing` CLI and the Streamlit web chat. Shells only."""
