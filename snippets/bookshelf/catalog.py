"""A stand-in for slow database queries, used by the caching lesson.

Each function prints a line when it really runs, so the examples can show
whether a result came from the cache (nothing printed) or was computed again.
"""


def load_bestsellers():
    """Pretend to run an expensive query and return this week's bestsellers."""
    print("  ...running the slow bestseller query")
    return ["Dune", "Emma", "Beloved"]


def load_reading_list(username):
    """Pretend to look up the books a member is reading."""
    print(f"  ...loading {username}'s reading list")
    return {"ada": ["Middlemarch"], "grace": ["Kindred", "Persuasion"]}.get(username, [])
