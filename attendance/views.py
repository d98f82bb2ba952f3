from django.shortcuts import render

from accounts.access import Access, access


@access(Access.LIMITED)
def punch(request):
    return render(request, "attendance/punch.html")


@access(Access.FULL)
def requests(request):
    return render(request, "attendance/requests.html")
