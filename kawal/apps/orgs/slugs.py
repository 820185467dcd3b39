"""Unique organisation slugs from names."""

from django.utils.text import slugify

from kawal.apps.orgs.models import Organization


def unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "org"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
