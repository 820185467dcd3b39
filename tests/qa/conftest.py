"""The core tests' personas (one organisation, one member per role) for the walkthrough fixes."""

from tests.core.conftest import org, other_org, people, web  # noqa: F401
