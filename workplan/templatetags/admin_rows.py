"""`{% fast_result_list cl %}`: Django's `{% result_list cl %}` with rows from admin/listing.py."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

register = template.Library()


@register.tag(name="fast_result_list")
def fast_result_list_tag(parser, token):
    from workplan.admin.listing import fast_result_list

    return InclusionAdminNode(
        parser,
        token,
        func=fast_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
