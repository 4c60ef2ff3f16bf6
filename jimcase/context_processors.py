from .registry import role_pages


def roles(request):
    """The menu's links: the start page of each of the user's roles (each app registers its page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"role_pages": role_pages(user)}
