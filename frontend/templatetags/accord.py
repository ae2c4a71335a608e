from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from annotator.core.markdown import MarkdownTooLong, render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render Markdown sanitised by nh3 (see annotator.core.markdown); text over the cap is
    not rendered (pages show stored guidelines with ``sanitised``, this is for a form's preview)."""
    try:
        return mark_safe(render_markdown(text))  # noqa: S308 - nh3 output is sanitised
    except MarkdownTooLong as exc:
        return format_html('<p class="muted">{}</p>', str(exc))


@register.filter
def sanitised(html: str) -> SafeString:
    """HTML that annotator.core.markdown produced and nh3 sanitised when it was saved
    (``Project.guidelines_html``)."""
    return mark_safe(html)  # noqa: S308 - rendered by render_markdown at save time


@register.filter
def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@register.filter
def metric(section: object, key: str) -> SafeString:
    """``section[key]`` to 3 places, or "—" with the report's ``<key>_note`` saying why it is
    undefined (an undefined value is None in the report; ``default_if_none|floatformat``
    rendered it blank)."""
    from django.template.defaultfilters import floatformat

    data = section if isinstance(section, dict) else {}
    value = data.get(key)
    if value is None:
        note = data.get(f"{key}_note")
        if note:
            return format_html('— <span class="note">({})</span>', note)
        return format_html("—")
    return format_html("{}", floatformat(value, 3))
