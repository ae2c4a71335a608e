"""Settings are chosen by DJANGO_SETTINGS_MODULE; see base.py for every environment variable."""
