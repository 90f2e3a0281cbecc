from django import template

from motcua.dossiers.states import Channel

register = template.Library()


@register.inclusion_tag("citizens/_form_answers.html")
def online_form_answers(dossier):
    """What the applicant declared on the procedure's online form (nothing for a dossier received at a counter)."""
    from motcua.citizens.models import Submission

    answers = (
        Submission.objects.filter(dossier_id=dossier.pk).values_list("form_answers", flat=True).first()
        if dossier.channel == Channel.ONLINE
        else None
    )
    return {"answers": answers or []}
