"""Framework-free judgement: profiles, scoring, tone, leaks, surges.

Nothing under ``kawal.engine`` imports Django; the Django apps call the engine, never the reverse.
"""
