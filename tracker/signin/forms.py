from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from tracker.models import User

USERNAME_MAX = User._meta.get_field("username").max_length


class BoundedAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, with the username's length really checked.

    Django sets the field's max_length after the field is built, so no
    validator enforces it: a longer name reached authenticate(), and the
    sign-in throttle tried to store it (a server error on PostgreSQL).
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].validators.append(
            MaxLengthValidator(USERNAME_MAX, message=f"A username has at most {USERNAME_MAX} characters.")
        )
