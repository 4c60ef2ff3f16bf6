"""`{% load mail %}`: the day and moment filters of outbox.text, for mail templates."""

from django import template

from .. import text

register = template.Library()

register.filter("day", text.day)
register.filter("moment", text.moment)
