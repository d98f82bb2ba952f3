"""The project's own date formats, over Django's per language (FORMAT_MODULE_PATH)."""
