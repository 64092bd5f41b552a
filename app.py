"""The WSGI app for `flask --app app run` and `gunicorn app:app`.

The content file comes from $BODYMAP_REGIONS (default: regions.yaml here). An
invalid file stops start-up with one `FILE:LINE:COL: message` line per problem.
"""

import sys

from bodymap import create_app
from bodymap.problems import ContentError

try:
    app = create_app()
except ContentError as error:
    print(error, file=sys.stderr)
    sys.exit(1)
