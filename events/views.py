from django.shortcuts import render


def staff_home(request):
    return render(request, "events/staff_home.html", {})


def event_dashboard(request, slug):
    return render(request, "events/dashboard.html", {})
