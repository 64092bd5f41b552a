"""The WSGI app for `flask --app app run` and `gunicorn app:app`.

The content file comes from $BODYMAP_REGIONS (default: regions.yaml here). An invalid
file with a last good copy kept (docs/deploy.md) starts the map on that copy and logs the
problems as errors (/healthz shows them too); with no copy kept, start-up stops with one
`FILE:LINE:COL: message` line per problem and exit code 1.
"""

import sys

from bodymap import create_app
from bodymap.problems import ContentError

try:
    app = create_app()
except ContentError as error:
    print(error, file=sys.stderr)
    sys.exit(1)
