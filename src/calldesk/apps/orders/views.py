from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from calldesk.apps.accounts.permissions import role_required
from calldesk.apps.accounts.roles import Role

from .selectors import get_visible_orders

ORDER_READERS = (
    Role.OPERATOR, Role.ACCOUNT_MANAGER, Role.SALES_HEAD, Role.WHOLESALE_HEAD, Role.FINANCE, Role.CC_HEAD,
)


@role_required(*ORDER_READERS)
def order_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(get_visible_orders(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "orders/list.html", {"page": page, "title_mine": False})


@role_required(Role.ACCOUNT_MANAGER)
def manager_orders(request: HttpRequest) -> HttpResponse:
    page = Paginator(get_visible_orders(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "orders/list.html", {"page": page, "title_mine": True})


@role_required(*ORDER_READERS)
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = get_object_or_404(get_visible_orders(request.user), pk=order_id)
    lines = order.lines.select_related("product", "promotion")
    return render(request, "orders/detail.html", {"order": order, "lines": lines, "offers": order.offers.select_related("product")})
