"""The project's URLs plus /bench/bare/: a Django view that returns a fixed string, through the
same middleware as every page. The public-site benchmark compares the fair page with it."""

from django.http import HttpResponse
from django.urls import path

from tuanhang.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
