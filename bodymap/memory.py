"""Memory that a worker frees goes back to the system: large blocks mapped, not kept in the heap.

glibc serves a block above its mmap threshold with its own mapping, given back on free;
but after the first such free it raises the threshold, so the large strings of each page
made (a several-place page is 150 KB or more, several copies while it is rendered and
compressed) come from the heap, whose freed holes it keeps. Under a flood of unique pages
a worker then grew by about twice the page cache's size. A fixed threshold keeps growth
to the cache's bound (bench/attack.py). Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
THRESHOLD = 128 * 1024  # bytes; glibc's own starting value, and kept there


@functools.cache
def map_large_blocks() -> bool:
    """Fix glibc's mmap threshold for this process; whether it could."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = libc.mallopt if libc else None
    except (OSError, AttributeError):
        return False
    return bool(mallopt and mallopt(M_MMAP_THRESHOLD, THRESHOLD) == 1)
