"""The product's URLs plus the bench-only baseline."""

from django.urls import path

from bench.baseline.views import baseline
from netdekomon.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/baseline/", baseline, name="bench_baseline"),
    *product_urlpatterns,
]
