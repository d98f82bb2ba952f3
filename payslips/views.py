from django.shortcuts import render

from accounts.access import Access, access


@access(Access.LIMITED)
def payslip_list(request):
    return render(request, "payslips/list.html")
