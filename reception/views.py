from django.shortcuts import render

from accounts.access import Access, access


@access(Access.FULL)
def submission_list(request):
    return render(request, "reception/list.html")
