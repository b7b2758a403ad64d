"""Issue 10, family 10: identifiers are not quantities. Each sentence here holds numbers and
no claim; any quantity the engine finds in one is a false positive a desk would see."""

from __future__ import annotations

import pytest

from .reading import exact, quantities

NO_QUANTITY = [
    # postal codes and street numbers
    "The office is at 1600 Pennsylvania Avenue NW, Washington, DC 20500.",
    "Send the forms to 221B Baker Street, London NW1 6XE.",
    "Donations can be dropped at 14 rue de la Paix, 75002 Paris.",
    "The shelter moved to vul. Shevchenka 25, Lviv 79000.",
    "Mail the letter to PO Box 4411, Geneva 1211, Switzerland.",
    "Its headquarters are at 350 Fifth Avenue, New York, NY 10118.",
    # phone numbers
    "Call the hotline on 0800 500 335 for free legal advice.",
    "For interviews call (202) 555-0143 or write to the press office.",
    "The helpline is 1-800-273-8255 and is open all night.",
    "Reach the mission on +41 22 917 9220 during office hours.",
    "Text HELP to 741741 to reach a counsellor.",
    "Our Kyiv number is 044 234 5678.",
    "Tel: 020 7946 0958",
    # URLs, e-mail addresses, GUIDs, IP addresses, hashes
    "Read the full report at https://example.org/reports/2024/117-ukraine.pdf today.",
    "The dataset lives at www.example.net/data/v2/123456 for now.",
    "Write to press2024@example.org with questions.",
    "The request id was 3f2504e0-4f89-11d3-9a0c-0305e82c3301 in the log.",
    "Attackers used the server at 192.168.10.45 to send the messages.",
    "Traffic came from 2001:db8:85a3::8a2e:370:7334 over the weekend.",
    "The commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it.",
    # statutes, public laws, bills and two-digit years (US federal reports)
    "The aid is authorised under 22 U.S.C. §2763 and 5 U.S.C. § 419(b)(1).",
    "Congress passed the Ukraine Supplemental Appropriations Act, 2022 (P.L. 117-128).",
    "The House and the Senate passed related resolutions (H.Res. 956, S.Res. 546).",
    "The Senate passed the National Security Act, 2024 (H.R. 815, as amended).",
    "The rule is set out in Pub. L. No. 117-328, Div. M.",
    "The programme has run since February ‘22.",
    # versions and software
    "The phones run Android 14 and iOS 17 without trouble.",
    "Servers were upgraded to Ubuntu 24.04 last spring.",
    "The app needs Python 3.11 or Windows 10 to install.",
    "Version 2.3.1 of the tool was released on GitHub.",
    "Firefox 128 and Chrome 126 block the tracker.",
    "The drone runs firmware v4.2.",
    "We should ship a 4.1 release before the holidays.",
    "The fix lands in the 0.21.x branch and in version 0.22.",
    "Upgrade from release 3 to release 4 when the build is green.",
    # standards, catalogue and form numbers
    "The company is certified under ISO 27001 and ISO 9001.",
    "Astronomers photographed NGC 4414 and Messier 87.",
    "Employees must file Form W-2 and Form 1040 by April.",
    "The cable meets IEC 60502 and EN 50575.",
    "The protocol follows RFC 9110 closely.",
    "The shipment was registered under UN 1203 as a flammable liquid.",
    "Security Council resolution 2231 was adopted unanimously.",
    "The virus strain H5N1 and the variant B.1.1.7 were detected.",
    "The flight MH17 was downed over Donbas.",
    "Highway M03 links Kyiv and Kharkiv.",
    # sections, exercises, pages, chapters
    "See Section 12 for the definitions.",
    "Exercise 4.3 asks the reader to repeat the proof.",
    "Chapter 7 covers the history of the dispute.",
    "The rule is in paragraph 3(b) of the annex.",
    "Table 2 and Figure 5 show the same trend.",
    "The footnote on page 44 cites the original study.",
    "Step 3: restart the router.",
    "Article 5 of the treaty was never invoked.",
    # sports scores and results
    "Shakhtar beat Dynamo 3-1 in the final.",
    "The match ended 2–2 after extra time.",
    "Ukraine won the set 25-23.",
    "The Lakers won 112-104 on Sunday night.",
    "Dnipro drew 0:0 with Kryvbas.",
    # ordinals written as words, and numbered names
    "The twenty-first session of the council opened in Geneva.",
    "She finished first and he came third.",
    "The hundredth anniversary passed quietly.",
    "It was the fortieth day of the siege.",
    "Pope John Paul II visited Kyiv.",
    "The Boeing 737 MAX was grounded worldwide.",
    "He drove a Volkswagen Golf 7 and a Ford F-150.",
    "The Tu-95MS and Il-76 took off from Engels.",
    "Elements of the 3rd Separate Assault Brigade held the line.",
    "Meet at Gate 12 of Terminal 2 at the airport.",
    "The meeting is at 9:30 on Tuesday.",
    "The ruling came on 12/03/2024 in the district court.",
    "Reporters cited Reuters on 5 June, 2024.",
    "The G7 and G20 leaders met separately.",
    "The B-52 and F-35A flew over the exercise area.",
    "ISBN 978-3-16-148410-0 identifies the book.",
    "The account number ends in 4821.",
    "Invoice #20931 is overdue.",
    "Use the code 7A3F at checkout.",
    "The parcel's tracking number is 1Z999AA10123456784.",
    "His badge number was 1138.",
    "Unit 3 of the plant was shut down.",
]

WITH_IDENTIFIERS = [
    (
        "The act (P.L. 117-128) provided $40 billion, and he said '40 people' had died.",
        [exact("$40 billion", 40_000_000_000, "usd"), exact("40", 40, "person")],
    ),
    (
        "Call 0800 500 335 if one of the 40 families needs help.",
        [exact("40", 40, "family")],
    ),
    (
        "The office at 12 Khreshchatyk Street registered 300 volunteers.",
        [exact("300", 300, "volunteer")],
    ),
    (
        "Section 12 says that 25 percent of the budget goes to repairs.",
        [exact("25", 25, "percent")],
    ),
    (
        "After the Android 14 update, 3 million phones rebooted.",
        [exact("3 million", 3000000, "phone")],
    ),
]


@pytest.mark.parametrize("sentence", NO_QUANTITY)
def test_identifiers_are_not_quantities(sentence: str) -> None:
    assert quantities(sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), WITH_IDENTIFIERS)
def test_a_real_figure_beside_an_identifier_is_still_read(
    sentence: str, expected: list[tuple]
) -> None:
    assert quantities(sentence) == expected
