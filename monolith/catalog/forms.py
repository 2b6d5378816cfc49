"""The product list's filters, read from the query string (?q=…&category=…)."""

from django import forms


class ProductFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search")
    category = forms.SlugField(required=False, max_length=60)
