"""Local servers that speak each platform's documented API, for tests and demos (see docs/platforms.md)."""
