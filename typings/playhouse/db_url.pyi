# The part of playhouse.db_url that store/db.py uses.
from typing import Any

def parse(url: str, unquote_password: bool = ..., unquote_user: bool = ...) -> dict[str, Any]: ...
