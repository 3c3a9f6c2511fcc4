"""Phone book files as phones, Google Contacts and Outlook export them.

Shared by the import tests and the phone book flow tests.
"""

VCARD_30 = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "PRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\n"
    "N:Silva;Maria;;;\r\n"
    "FN:Maria Silva\r\n"
    "TEL;type=CELL;type=VOICE;type=pref:+55 (11) 98765-4321\r\n"
    "item1.TEL;type=WORK:(11) 3456-7890\r\n"
    "item1.X-ABLabel:_$!<Work>!$_\r\n"
    "NOTE:Cliente desde 2019\\, prefere WhatsApp\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Conceição;João;;;\r\n"
    "FN:João Conceição\r\n"
    "TEL;TYPE=HOME:021 2222-3333\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQ\r\n"
    " gKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:;;;;\r\n"
    "ORG:Padaria Pão Quente;\r\n"
    "TEL;TYPE=WORK:(11) 4004-1234\r\n"
    "END:VCARD\r\n"
)
"""Three contacts (an iPhone's export): a mobile and a work number, a photo, an ORG."""

VCARD_40 = (
    "BEGIN:VCARD\n"
    "VERSION:4.0\n"
    "FN:Ana Beatriz\n"
    'TEL;VALUE=uri;PREF=1;TYPE="voice,cell":tel:+55-11-98888-7777\n'
    "TEL;VALUE=uri;TYPE=work:tel:+55-11-3333-4444;ext=102\n"
    "END:VCARD\n"
)
"""One contact, numbers as ``tel:`` URIs."""

VCARD_21 = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=53=69=6C=76=61;=4A=6F=C3=A3=6F;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=4A=6F=C3=A3=6F=20=53=69=6C=76=\r\n"
    "=61\r\n"
    "TEL;CELL:011987651234\r\n"
    "END:VCARD\r\n"
)
"""An Android export: a quoted-printable name with a soft line break."""

GOOGLE_CSV = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Nickname,File As,"
    "E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Phone 2 - Label,Phone 2 - Value\r\n"
    "Maria,,Silva,,,,* Home,maria@example.com,Mobile,+55 11 98765-4321 ::: "
    "(11) 3456-7890,Work,\r\n"
    "Pedro,Henrique,Souza,,,,,,Mobile,(21) 99999-0000,,\r\n"
)
"""Google Contacts' CSV (2024 layout): several numbers in one cell with ``:::``."""

GOOGLE_CSV_OLD = (
    "Name,Given Name,Additional Name,Family Name,Phone 1 - Type,Phone 1 - Value\n"
    "Carla Dias,Carla,,Dias,Mobile,011 97777-6666\n"
)
"""Google Contacts' older CSV layout: a full ``Name`` column."""

OUTLOOK_CSV = (
    '"First Name","Middle Name","Last Name","Company","Business Phone",'
    '"Home Phone","Mobile Phone","Business Fax"\r\n'
    '"Maria","","Silva","ACME","(11) 3456-7890","","(11) 98765-4321",""\r\n'
    '"","","","Fornecedora XYZ","0800 123 4567","","",""\r\n'
)
"""Outlook's English CSV: a contact with no name but a company."""

OUTLOOK_CSV_PT = (
    '"Nome";"Nome do meio";"Sobrenome";"Empresa";"Telefone comercial";'
    '"Telefone residencial";"Telefone celular"\r\n'
    '"João";"";"Conceição";"";"";"(21) 2222-3333";"(21) 98888-1111"\r\n'
    '"Lúcia";"";"Araújo";"";"=""011 3456-0000""";"";""\r\n'
)
"""Brazilian Outlook's CSV: Portuguese headers, semicolons, Excel's ``="…"``."""


def vcards(count: int) -> bytes:
    """Return a vCard file of ``count`` contacts, each with a distinct mobile."""
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cliente {n}\r\n"
        f"TEL;TYPE=CELL:+55 11 9{n // 10000:04d}-{n % 10000:04d}\r\nEND:VCARD\r\n"
        for n in range(count)
    ).encode()


def csv_rows(count: int) -> bytes:
    """Return a Google CSV of ``count`` contacts, each with a distinct mobile."""
    rows = "".join(f"Cliente {n},(11) 9{n:08d}\n" for n in range(count))
    return f"First Name,Phone 1 - Value\n{rows}".encode()
