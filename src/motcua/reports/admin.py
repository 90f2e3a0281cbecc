"""The administrator edits the Decision 766 index as data: versions with validity dates, groups, indicators."""

from django.contrib import admin

from .models import IndexGroup, IndexIndicator, IndexVersion


class IndexGroupInline(admin.TabularInline):
    model = IndexGroup
    extra = 0
    fields = ("position", "key", "label", "max_points")


class IndexIndicatorInline(admin.TabularInline):
    model = IndexIndicator
    extra = 0
    fields = ("position", "key", "label", "max_points", "threshold_percent", "measure", "evidence", "formula")


@admin.register(IndexVersion)
class IndexVersionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "valid_from", "valid_to")
    inlines = [IndexGroupInline]


@admin.register(IndexGroup)
class IndexGroupAdmin(admin.ModelAdmin):
    list_display = ("label", "version", "max_points", "position")
    list_filter = ("version",)
    inlines = [IndexIndicatorInline]


@admin.register(IndexIndicator)
class IndexIndicatorAdmin(admin.ModelAdmin):
    list_display = ("key", "label", "group", "max_points", "threshold_percent", "measure", "evidence")
    list_filter = ("group__version", "evidence")
