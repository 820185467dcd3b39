"""Platform connectors: one module per platform behind :class:`kawal.sources.platforms.base.Platform`."""
