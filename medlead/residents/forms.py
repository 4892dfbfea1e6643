from __future__ import annotations

from django import forms


class FeedForm(forms.Form):
    """Make, replace or stop the calendar address: a button with nothing to fill in. The form is there so that the
    post is checked like every other."""
