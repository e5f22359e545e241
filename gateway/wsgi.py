"""The WSGI entry point gunicorn loads (``gateway.wsgi:app``): the app built from the environment
(``$CERTMUTUAL_GATEWAY_CONFIG`` and ``CERTMUTUAL_*``). ``certmutual serve`` sets those."""

from __future__ import annotations

import logging
import os

from gateway import create_app

logging.basicConfig(level=os.environ.get("CERTMUTUAL_LOG_LEVEL", "INFO").upper(),
                    format="%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s")
app = create_app()
