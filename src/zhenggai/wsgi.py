"""The WSGI application that gunicorn serves."""

import os

from django.core.wsgi import get_wsgi_application

# Files the workers make (evidence, exports, the SQLite file) are this user's alone,
# whoever starts gunicorn and with whatever umask (settings.py sets the same).
os.umask(0o077)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.settings")
application = get_wsgi_application()
