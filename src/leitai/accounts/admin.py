from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class LeitaiUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name")
    fieldsets = UserAdmin.fieldsets + ((_("角色与单位"), {"fields": ("role", "unit", "display_name")}),)
    add_fieldsets = UserAdmin.add_fieldsets + ((_("角色与单位"), {"fields": ("role", "unit", "display_name")}),)
