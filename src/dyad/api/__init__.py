"""dyad.api: the REST API and dashboard as one FastAPI app (`create_app`), served by `dyad serve`."""

from dyad.api.app import create_app
from dyad.api.config import ApiSettings

__all__ = ["ApiSettings", "create_app"]
