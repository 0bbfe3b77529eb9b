"""Directory admin: metadata about employees, as the HRIS holds it."""

from django.contrib import admin

from upward.people.models import Department, Person


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = [
        "employee_id",
        "full_name",
        "email",
        "title",
        "level",
        "department",
        "is_active",
    ]
    list_filter = ["is_active", "department"]
    search_fields = ["employee_id", "full_name", "email"]
    raw_id_fields = ["manager", "user"]
    # The HRIS import owns manager links and keeps the chain index consistent.
    readonly_fields = ["employee_id", "manager", "chain_path"]
    list_select_related = ["department"]
