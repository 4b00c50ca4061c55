"""The one place the environment is read (django-environ)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py is optional; the real environment wins over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
