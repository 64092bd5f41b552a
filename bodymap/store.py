"""Holds the content currently served."""

from __future__ import annotations

import datetime

from .content import Content, build_content
from .loader import load_file


class ContentStore:
    """The live content of one regions.yaml file."""

    def __init__(self, path: str):
        self.path = path
        self.current: Content = build_content(load_file(path))
        self.loaded_at = datetime.datetime.now(datetime.UTC)
