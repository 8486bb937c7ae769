"""plaatsbaar: a school's social media protocol, enforced before a post goes out."""

__version__ = "0.1.0"
