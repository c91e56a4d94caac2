from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def page(request):
    """The floor page: a signed-in user only, and one indexed query (their own row, by primary key)."""
    account = get_user_model().objects.only("username", "date_joined").get(pk=request.user.pk)
    return render(request, "floor/page.html", {"account": account})
