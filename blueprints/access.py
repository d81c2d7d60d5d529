"""Who may see what: sign-in, role checks on every view, and record lookups."""

from functools import wraps

from flask import abort, current_app, request
from flask_login import LoginManager, current_user

from models import ROLES, User

login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Sign in to continue"
login_manager.login_message_category = "information"
login_manager.session_protection = None  # sessions end by token (models.User.session_token)

ANY_ROLE = tuple(ROLES)


@login_manager.user_loader
def load_user(session_id):
    return User.from_session_id(session_id)


def public(view):
    """Mark a view as open to anyone: the only kind that needs no sign-in."""
    view.public = True
    return view


def roles_required(*roles):
    """Let a signed-in user through only if they hold one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


def endpoint_is_public(endpoint):
    view = current_app.view_functions.get(endpoint)
    return endpoint == "static" or getattr(view, "public", False)


def require_sign_in():
    """Run before every request: anything not marked public needs a signed-in user."""
    if request.endpoint is None or endpoint_is_public(request.endpoint):
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


def get_or_404(model, record_id):
    record = model.get_or_none(model.id == record_id)
    if record is None:
        abort(404)
    return record
