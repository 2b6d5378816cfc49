"""The course's echo form: a name and a message."""

from django import forms


class EchoForm(forms.Form):
    # required=True (the default) and strip=True make "" and "   " both too short.
    name = forms.CharField(max_length=100)
    message = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
