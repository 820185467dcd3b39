"""The REST API: every app's ``router`` mounted at ``/api/<app>/``, token authentication, OpenAPI schema.

Tokens are created per user in the web UI (Security page), shown once and stored only as SHA-256. Each
token is bound to one organisation; ``request.kawal_org`` carries it to the routers.
"""

from __future__ import annotations

import importlib

from ninja import NinjaAPI

from kawal.apps.orgs.api_auth import TokenAuth

API_APPS = ("orgs", "social", "audit", "publishing", "integrity", "incidents", "notifications", "listening")

api = NinjaAPI(title="Kawal API", version="1", auth=TokenAuth(), urls_namespace="api",
               openapi_url="/openapi.json", docs_url="/docs",
               description="Governed publishing, account integrity and incidents. "
                           "Authenticate with `Authorization: Bearer <token>` (create one on your Security page).")

for _label in API_APPS:
    api.add_router(f"/{_label}/", importlib.import_module(f"kawal.apps.{_label}.api").router, tags=[_label])
