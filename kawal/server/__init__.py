"""The Django project: persistence, workflow, web UI, API, background work and notifications."""
