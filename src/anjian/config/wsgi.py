import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.config.settings")
application = get_wsgi_application()

# A lost key is never silent: gunicorn (and runserver) refuse to serve when the configured keys
# cannot read the encrypted data or verify the audit trail (anjian/crypto/startup.py).
from anjian.crypto.startup import refuse_without_keys  # noqa: E402

refuse_without_keys()
