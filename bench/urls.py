"""The product's URLs plus the bench-only baseline."""

from django.urls import path

from bench.baseline.views import baseline, page
from netdekomon.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/baseline/", baseline, name="bench_baseline"),
    path("bench/page/", page, name="bench_page"),
    *product_urlpatterns,
]
