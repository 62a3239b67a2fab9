"""Admin for the unit tree, people and their posts (labels come from the models' Chinese names). Posts are
appointment history: ended, never deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Person, Post, Unit


class UnitPostInline(admin.TabularInline):
    """A unit's posts: who held them, from when to when."""

    model = Post
    extra = 0
    can_delete = False  # appointment history: a post ends (its end date), it is never deleted
    fields = ("person", "title", "is_head", "start", "end")
    autocomplete_fields = ("person",)
    ordering = ("-start",)


class PersonPostInline(admin.TabularInline):
    """A person's posts: where, as what, from when to when."""

    model = Post
    extra = 0
    can_delete = False
    fields = ("unit", "title", "is_head", "start", "end")
    autocomplete_fields = ("unit",)
    ordering = ("-start",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "kind", "parent", "sort_order", "active")
    list_filter = ("kind", "active", ("parent", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "short_name", "name_en")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    ordering = ("sort_order", "code")
    inlines = [UnitPostInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "gender", "current_posts", "note")
    search_fields = ("name", "note", "posts__unit__name")
    inlines = [PersonPostInline]

    @admin.display(description=_("现任"))
    def current_posts(self, obj):
        return "；".join(f"{p.unit} {p.title}" for p in obj.posts.all() if p.end is None)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("posts__unit")


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("unit", "title", "person", "is_head", "start", "end")
    list_filter = ("is_head", "unit__kind", ("end", admin.EmptyFieldListFilter))
    search_fields = ("person__name", "unit__name", "unit__code", "title")
    list_select_related = ("unit", "person")
    autocomplete_fields = ("person", "unit")
    date_hierarchy = "start"

    def has_delete_permission(self, request, obj=None):
        return False
