from django.contrib import admin

from .models import SecurityEvent, Tenant, User


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "created_at"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["login_id", "name", "tenant", "is_staff", "is_active"]
    search_fields = ["login_id", "name"]
    exclude = ["password", "session_stamp"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "login_id", "ip_address"]
