from django import template
from django.utils.safestring import SafeString, mark_safe

from annotator.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render Markdown sanitised by nh3 (see annotator.core.markdown)."""
    return mark_safe(render_markdown(text))  # noqa: S308 - nh3 output is sanitised


@register.filter
def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0
