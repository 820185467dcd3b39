from django.contrib import admin

from kawal.apps.social.models import SocialAccount


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    # Credentials are not editable here (nor shown): use the Accounts page, which encrypts them.
    list_display = ("handle", "platform", "organization", "is_executive", "paused")
    list_filter = ("platform", "organization", "paused")
    exclude = ("credentials",)
