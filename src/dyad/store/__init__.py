"""dyad.store: coded articles, events, ties and actors in SQLite or PostgreSQL via SQLAlchemy Core."""

from dyad.store.errors import StoreError
from dyad.store.queries import EventFilter
from dyad.store.store import Store, StoreSummary

__all__ = ["EventFilter", "Store", "StoreError", "StoreSummary"]
