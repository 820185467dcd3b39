"""The ``kawal`` command line: a thin shell over the engine, the sources and the Django project."""
