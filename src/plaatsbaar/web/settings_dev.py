"""Development and test settings: the base settings with ``PLAATSBAAR_DEV=1``
(DEBUG on, a generated secret key, plain-HTTP cookies, mail to the console)."""

import os

os.environ["PLAATSBAAR_DEV"] = "1"

from plaatsbaar.web.settings import *  # noqa: E402,F401,F403
