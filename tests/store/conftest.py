from tests.web.conftest import app, db_url, world  # noqa: F401  (the same database fixtures)
