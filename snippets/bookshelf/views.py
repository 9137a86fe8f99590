from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_page, never_cache

from .catalog import load_bestsellers

WELCOME = {"en": "Welcome to Bookshelf", "fr": "Bienvenue sur Bookshelf"}


@cache_page(60 * 15)
def bestsellers(request):
    """A slow page, cached for 15 minutes by @cache_page."""
    books = load_bestsellers()
    return render(request, "bookshelf/bestsellers.html", {"books": books})


def home(request):
    """Not decorated: only the per-site cache middleware can cache it."""
    language = get_language()
    print(f"  ...building the home page in {language!r}")
    return HttpResponse(WELCOME.get(language[:2], WELCOME["en"]))


@never_cache
def account(request):
    """A personal page that must never come from a shared cache."""
    print("  ...building the account page")
    return HttpResponse("Your loans and your settings")
