"""Health checks for load balancers and monitors."""

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import DatabaseError


def database_error(conn: BaseDatabaseWrapper) -> str:
    """Empty when `conn` answers a trivial query, else the reason it does not."""
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return str(exc)[:200] or type(exc).__name__
    return ""
