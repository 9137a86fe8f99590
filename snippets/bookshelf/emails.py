from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def build_welcome_email(name, address):
    """Return a text + HTML welcome email for a new member, ready to send."""
    context = {
        "name": name,
        "free_days": 14,
        "start_url": "https://bookshelf.example.com/start/",
    }
    subject = render_to_string("emails/welcome_subject.txt", context).strip()
    text_body = render_to_string("emails/welcome.txt", context)
    html_body = render_to_string("emails/welcome.html", context)

    email = EmailMultiAlternatives(subject, text_body, to=[address])
    email.attach_alternative(html_body, "text/html")
    return email
