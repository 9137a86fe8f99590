from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("bestsellers/", views.bestsellers, name="bestsellers"),
    path("account/", views.account, name="account"),
]
