"""REST API routes of this app (mounted by the project's NinjaAPI)."""

from ninja import Router

router = Router()
