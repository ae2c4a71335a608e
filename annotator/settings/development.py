"""Local development on the embedded defaults (``make run``)."""

from .base import *  # noqa: F403
