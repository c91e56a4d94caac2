from django.contrib import admin

from .models import PushSubscription, Reminder, ReminderSettings


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "local_date", "status", "due_at", "finished_at", "attempts"]
    list_filter = ["kind", "status"]
    search_fields = ["user__username"]
    date_hierarchy = "local_date"
    readonly_fields = [field.name for field in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "enabled", "send_at", "by_email", "by_push"]
    search_fields = ["user__username"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_used_at"]
    search_fields = ["user__username"]
    readonly_fields = ["endpoint", "p256dh", "auth", "user_agent", "created_at", "last_used_at"]
