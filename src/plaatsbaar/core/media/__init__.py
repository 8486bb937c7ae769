"""Photos, videos and recordings: safe reading and writing, face blurring, analysis.

- ``io``: load/save photos (bomb- and truncation-safe, metadata stripped).
- ``blur``: blur face boxes in an image.
- ``video``: scan and blur videos with ffmpeg (imageio-ffmpeg), audio kept.
- ``analysis``: faces × consent → :class:`MediaReport` and the ``media.*`` facts.
"""

from plaatsbaar.core.media.io import MediaError

__all__ = ["MediaError"]
