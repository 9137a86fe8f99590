# Write-a-function exercise of the Sending Email lesson (docs/lessons/sending-email.md).
# The build runs the tests after the solution (all must pass) and after the
# starter (at least one must fail), with the course's Django settings.

# --- starter ---
from django.template.loader import render_to_string


def build_confirmation(context):
    """Return the keyword arguments send_mail() needs to confirm this order."""
    ...


# --- solution ---
from django.template.loader import render_to_string


def build_confirmation(context):
    """Return the keyword arguments send_mail() needs to confirm this order."""
    subject = render_to_string("emails/order_subject.txt", context)
    return {
        "subject": " ".join(subject.split()),  # one line, without the template's newline
        "message": render_to_string("emails/order_confirmation.txt", context),
        "from_email": "orders@example.com",
        "recipient_list": [context["email"]],
        "html_message": render_to_string("emails/order_confirmation.html", context),
    }


# --- tests ---
from django.core import mail
from django.core.mail import send_mail

ORDER = {
    "order_number": 1042,
    "customer_name": "Ada O'Hara",
    "email": "ada@example.com",
    "items": [
        {"title": "Dune", "quantity": 1, "price": "9.99"},
        {"title": "Emma", "quantity": 2, "price": "7.50"},
    ],
    "total": "24.99",
}


def test_it_returns_exactly_what_send_mail_needs():
    payload = build_confirmation(ORDER)
    assert sorted(payload) == ["from_email", "html_message", "message", "recipient_list", "subject"]


def test_the_subject_is_one_line():
    assert build_confirmation(ORDER)["subject"] == "Order #1042 confirmed"


def test_the_text_body_lists_the_order():
    message = build_confirmation(ORDER)["message"]
    assert message.startswith("Hi Ada O'Hara,")
    assert "2 x Emma  $7.50" in message
    assert "Total: $24.99" in message


def test_the_html_body_is_escaped_html():
    html = build_confirmation(ORDER)["html_message"]
    assert "<li>2 x Emma: $7.50</li>" in html
    assert "Ada O&#x27;Hara" in html


def test_it_goes_from_the_shop_to_the_customer():
    payload = build_confirmation(ORDER)
    assert payload["from_email"] == "orders@example.com"
    assert payload["recipient_list"] == ["ada@example.com"]


def test_send_mail_accepts_it():
    assert send_mail(**build_confirmation(ORDER), using="outbox") == 1
    sent = mail.outbox[-1]
    assert sent.to == ["ada@example.com"]
    assert sent.alternatives[0].mimetype == "text/html"
