def roles(request):
    """Expose the user's role flags to the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "is_professional": user.is_professional,
        "is_jim": user.is_jim,
        "is_coordinator": user.is_coordinator,
    }
