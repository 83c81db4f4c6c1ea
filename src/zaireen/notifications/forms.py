from django import forms
from django.utils.translation import gettext_lazy as _

from zaireen.notifications.models import Channel, MessageStatus


class MessageFilterForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Any status")), *MessageStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    channel = forms.ChoiceField(
        label=_("Channel"), required=False,
        choices=[("", _("Any channel")), *Channel.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )  # fmt: skip

    def __init__(self, *args, topics: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any topic")), *((t, t) for t in topics)]
