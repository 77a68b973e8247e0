#!/usr/bin/env python3
"""Generate .eml fixtures for the email channel tests with Python's standard `email`
package, so the tests parse MIME produced by independent, real tooling rather than by
our own encoder. Output is deterministic (fixed dates, ids and boundaries) and committed
in test/fixtures/email/. Run: python3 scripts/make-email-fixtures.py
"""
import struct
import zlib
from email.message import EmailMessage, Message
from email.policy import SMTP
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "email"
SUPPORT = "Acme Support <support@acme.example>"
CUSTOMER = "Jane Customer <jane@customer.example>"


def tiny_png() -> bytes:
    """A valid 2x2 RGB PNG built by hand (signature, IHDR, IDAT, IEND with CRCs)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def base(subject: str, msg_id: str, sender: str = CUSTOMER, to: str = SUPPORT,
         date: str = "Mon, 15 Jan 2024 10:00:00 +0000") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = msg_id
    return msg


def fix_boundaries(msg: EmailMessage, name: str) -> None:
    for i, part in enumerate(p for p in msg.walk() if p.get_content_maintype() == "multipart"):
        part.set_boundary(f"=_{name}_{i}")


def write(name: str, msg: EmailMessage) -> None:
    fix_boundaries(msg, name.replace(".eml", ""))
    (OUT / name).write_bytes(msg.as_bytes(policy=SMTP))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)

    m = base("Where is my order #1042?", "<plain-1@customer.example>")
    m.set_content("Hi,\n\nI ordered a kettle last week (order #1042) and it has not arrived.\nCan you check?\n\nThanks,\nJane\n")
    write("plain.eml", m)

    m = base("Refund request", "<html-only-1@customer.example>")
    m.set_content(
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
        "<p>Hello&nbsp;team,</p><p>I&#39;d like a refund for order <b>#2001</b> &amp; the shipping fee.</p>"
        "<ul><li>Kettle</li><li>Mug &ndash; blue</li></ul><div>Regards,<br>Jane</div></body></html>",
        subtype="html")
    write("html_only.eml", m)

    # A three-message thread: customer original, Gmail-style reply, Outlook-style reply.
    m = base("Damaged mug", "<thread-1@customer.example>", date="Mon, 15 Jan 2024 09:00:00 +0000")
    m.set_content("My mug arrived broken. Order #3003.\n")
    write("thread_1_original.eml", m)

    m = base("Re: Damaged mug", "<thread-2@customer.example>", date="Mon, 15 Jan 2024 11:00:00 +0000")
    m["In-Reply-To"] = "<thread-1@customer.example>"
    m["References"] = "<thread-1@customer.example>"
    m.set_content(
        "Here is a photo description: the handle snapped off.\n\n"
        "On Mon, Jan 15, 2024 at 9:00 AM Jane Customer <jane@customer.example>\nwrote:\n\n"
        "> My mug arrived broken. Order #3003.\n")
    m.add_alternative(
        '<div dir="ltr">Here is a photo description: the handle snapped off.</div><br>'
        '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Jan 15, 2024 at 9:00 AM '
        'Jane Customer &lt;jane@customer.example&gt; wrote:<br></div>'
        '<blockquote class="gmail_quote" style="margin:0 0 0 .8ex">My mug arrived broken. Order #3003.</blockquote></div>',
        subtype="html")
    write("thread_2_gmail_reply.eml", m)

    m = base("RE: Re: Damaged mug", "<thread-3@customer.example>", date="Mon, 15 Jan 2024 13:00:00 +0000")
    m["In-Reply-To"] = "<thread-2@customer.example>"
    m["References"] = "<thread-1@customer.example> <thread-2@customer.example>"
    m.set_content(
        "A replacement would be great, thank you.\n\n"
        "________________________________\n"
        "From: Jane Customer <jane@customer.example>\n"
        "Sent: Monday, January 15, 2024 11:00 AM\n"
        "To: Acme Support <support@acme.example>\n"
        "Subject: Re: Damaged mug\n\n"
        "Here is a photo description: the handle snapped off.\n")
    m.add_alternative(
        '<html><body><div>A replacement would be great, thank you.</div>'
        '<hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr">'
        '<b>From:</b> Jane Customer<br><b>Sent:</b> Monday, January 15, 2024 11:00 AM</div>'
        '<div>Here is a photo description: the handle snapped off.</div></body></html>',
        subtype="html")
    write("thread_3_outlook_reply.eml", m)

    m = base("Photo of the damage", "<attach-1@customer.example>")
    m.set_content("Photo attached.\n")
    m.add_attachment(tiny_png(), maintype="image", subtype="png", filename="damage.png")
    write("attachment.eml", m)

    m = base("Out of Office: Re: Your ticket #55", "<ooo-1@customer.example>")
    m["Auto-Submitted"] = "auto-replied"
    m["In-Reply-To"] = "<reply-55@acme.example>"
    m.set_content("I am out of the office until Monday, 22 January, with no access to email.\n")
    write("auto_reply.eml", m)

    m = base("Undelivered Mail Returned to Sender", "<bounce-1@mx.customer.example>",
             sender="Mail Delivery System <MAILER-DAEMON@mx.customer.example>", to="support@acme.example")
    m["Return-Path"] = "<>"
    m.set_content("This is the mail system at host mx.customer.example.\n\n"
                  "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n"
                  "<nobody@customer.example>: host mx.customer.example said: 550 5.1.1 User unknown\n")
    # RFC 3464: the delivery-status body is a list of header blocks (per-message, per-recipient).
    per_message = Message()
    per_message["Reporting-MTA"] = "dns; mx.customer.example"
    per_recipient = Message()
    per_recipient["Final-Recipient"] = "rfc822; nobody@customer.example"
    per_recipient["Action"] = "failed"
    per_recipient["Status"] = "5.1.1"
    per_recipient["Diagnostic-Code"] = "smtp; 550 5.1.1 User unknown"
    status = EmailMessage()
    status["Content-Type"] = "message/delivery-status"
    status.set_payload([per_message, per_recipient])
    headers = EmailMessage()
    headers["Content-Type"] = "text/rfc822-headers"
    headers.set_payload("From: support@acme.example\nTo: nobody@customer.example\nSubject: Re: Your ticket #56\n"
                        "Message-ID: <reply-56@acme.example>\n")
    m.make_mixed()
    m.attach(status)
    m.attach(headers)
    m.replace_header("Content-Type", "multipart/report")
    m.set_param("report-type", "delivery-status")
    write("bounce.eml", m)

    m = base("Вопрос по заказу №4005", "<ru-1@customer.example>",
             sender="Иван Петров <ivan@customer.example>")
    m["In-Reply-To"] = "<reply-4005@acme.example>"
    m["References"] = "<ticket-4005@acme.example> <reply-4005@acme.example>"
    m.set_content(
        "Здравствуйте! Посылка так и не пришла, верните, пожалуйста, деньги.\n\n"
        "15 января 2024 г., в 10:00, Acme Support <support@acme.example> пишет:\n"
        "> Ваш заказ отправлен.\n", charset="utf-8")
    write("russian.eml", m)


if __name__ == "__main__":
    main()
