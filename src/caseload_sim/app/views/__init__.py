"""The app's pages, one module each (not named ``pages``: Streamlit would take a ``pages``
folder beside the entry script for pages of its own); each lays out what the other modules of
the app work out."""
