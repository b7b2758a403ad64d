"""Issue 10, families 5, 6 and 7: number forms, money and units.

Money is normalised to ISO 4217 codes in lower case; units to the names of the unit lexicon
(pint's registry: "milligram", "kilowatt hour", "square mile", "celsius")."""

from __future__ import annotations

import pytest

from .reading import exact, quantities

NUMBER_FORMS = [
    ("The trail is 3/4 mile long.", exact("3/4", 0.75, "mile")),
    ("The queue took 1 1/2 hours.", exact("1 1/2", 1.5, "hour")),
    ("Add ¼ cup of salt.", exact("¼", 0.25, "cup")),
    ("About ⅔ of voters agreed.", ("About ⅔", 66.67, None, None, "approximate", "percent")),
    ("Two fifths of the budget went to food.", exact("Two fifths", 40, "percent")),
    ("One eighth of the harvest was lost.", exact("One eighth", 12.5, "percent")),
    ("Three-quarters of the homes lost power.", exact("Three-quarters", 75, "percent")),
    ("Half a dozen trucks arrived.", exact("Half a dozen", 6, "truck")),
    ("A score of villages burned.", exact("A score", 20, "village")),
    (
        "The governor said “several dozen” saboteurs crossed.",
        ("several dozen", None, None, None, "approximate", "saboteur"),
    ),
    ("The world has 6e9 phones.", exact("6e9", 6000000000, "phone")),
    ("The error was 3.1×10−4 seconds.", exact("3.1×10−4", 0.00031, "second")),
    ("The loss rate was 2.5x10-2 percent.", exact("2.5x10-2", 0.025, "percent")),
    ("Exports reached 4 bln dollars.", exact("4 bln", 4000000000, "usd")),
    ("The fund is worth $3.2T.", exact("$3.2T", 3200000000000, "usd")),
    ("The rally drew 45K people.", exact("45K", 45000, "person")),
    (
        "The register lists two million, three hundred and fifty voters.",
        exact("two million, three hundred and fifty", 2000350, "voter"),
    ),
    (
        "It weighed one hundred point five kilograms.",
        exact("one hundred point five", 100.5, "kilogram"),
    ),
    ("Milk costs a dollar a litre.", exact("a dollar", 1, "usd per liter")),
    ("The survey found 12 lakh households.", exact("12 lakh", 1200000, "household")),
    ("Officials counted 3 crore voters.", exact("3 crore", 30000000, "voter")),
]

MONEY = [
    ("The city spent $ 40 million on shelters.", exact("$ 40 million", 40000000, "usd")),
    ("The club paid £ 2.5 million for him.", exact("£ 2.5 million", 2500000, "gbp")),
    ("A ticket costs 25 € at the door.", exact("25 €", 25, "eur")),
    ("The bowl sold for 300元 in Beijing.", exact("300元", 300, "cny")),
    ("The grant was USD250 per family.", exact("USD250", 250, "usd per family")),
    ("Each family got 250 USD in cash.", exact("250 USD", 250, "usd")),
    ("Aid reached US$ 1.2 billion.", exact("US$ 1.2 billion", 1200000000, "usd")),
    ("Ottawa pledged C$500 million.", exact("C$500 million", 500000000, "cad")),
    ("Canberra gave A$20 million.", exact("A$20 million", 20000000, "aud")),
    ("The contract is worth 12 MUSD.", exact("12 MUSD", 12000000, "usd")),
    ("He left half a million dollars.", exact("half a million", 500000, "usd")),
    ("The court fined him 12 lakh rupees.", exact("12 lakh", 1200000, "inr")),
    ("The tender was 40 USD million.", exact("40 USD million", 40000000, "usd")),
    ("Lunch cost 5 dollars 20 cents.", exact("5 dollars 20 cents", 5.2, "usd")),
    ("Banks moved 300 billion yen.", exact("300 billion", 300000000000, "jpy")),
    ("Rent is 1,200 Swiss francs.", exact("1,200", 1200, "chf")),
    ("The ministry paid ₹ 5,000 to each farmer.", exact("₹ 5,000", 5000, "inr")),
    ("The fine was ¥ 80,000.", exact("¥ 80,000", 80000, "jpy")),
    ("Salaries average 20,000 hryvnias.", exact("20,000", 20000, "uah")),
    ("The state paid 1.5 billion rubles.", exact("1.5 billion", 1500000000, "rub")),
    ("A barrel sold for $80 per barrel.", exact("$80", 80, "usd per barrel")),
    ("Kyiv received €50 billion in loans.", exact("€50 billion", 50000000000, "eur")),
    ("The bill came to 90 EUR.", exact("90 EUR", 90, "eur")),
    ("Pensions rose to 4,000 UAH.", exact("4,000 UAH", 4000, "uah")),
    ("Bread costs 50 rubles.", exact("50", 50, "rub")),
]

UNITS = [
    ("Patients got 20 mg caffeine.", exact("20", 20, "milligram")),
    ("The infant needs 400 µg of folate.", exact("400", 400, "microgram")),
    ("Each vial holds 5 ml of vaccine.", exact("5", 5, "milliliter")),
    ("The tank holds 200 L of water.", exact("200", 200, "liter")),
    ("The plant made 30 kWh yesterday.", exact("30", 30, "kilowatt hour")),
    ("The grid lost 800 MWh in a day.", exact("800", 800, "megawatt hour")),
    ("The chip runs at 3.2 GHz.", exact("3.2", 3.2, "gigahertz")),
    ("The file is 512 MB.", exact("512", 512, "megabyte")),
    ("Workers absorbed 2 Gy of radiation.", exact("2", 2, "gray")),
    ("It was 35 °C in the shade.", exact("35", 35, "celsius")),
    ("Highs reached 95 °F.", exact("95", 95, "fahrenheit")),
    ("The sample was cooled to 4 K.", exact("4", 4, "kelvin")),
    ("The fire burned 300 sq mi of forest.", exact("300", 300, "square mile")),
    ("The flat is 54 m² in size.", exact("54", 54, "square meter")),
    ("The reserve covers 120 km2 of wetland.", exact("120", 120, "square kilometer")),
    ("The leak released 900 cubic feet of gas.", exact("900", 900, "cubic foot")),
    ("The water reached 40 degrees Celsius.", exact("40", 40, "celsius")),
    ("The road was built 6 ft wide.", exact("6", 6, "foot")),
    ("Convoys drove at 60 km/h.", exact("60", 60, "kilometer per hour")),
    ("Oil traded at $90 per barrel.", exact("$90", 90, "usd per barrel")),
    ("Refugees arrived at 2,000 per month.", exact("2,000", 2000, None)),
    ("Prices fell 12 percent per year.", exact("12", 12, "percent")),
    ("The dose was 20mg a day.", exact("20", 20, "milligram per day")),
    ("The battery stores 13.5kWh.", exact("13.5", 13.5, "kilowatt hour")),
    ("The bridge is 1.2 kilometres long.", exact("1.2", 1.2, "kilometer")),
    ("The parcel weighed 3 pounds.", exact("3", 3, "pound")),
    ("The ship sailed at 20 knots.", exact("20", 20, "knot")),
    ("Radiation hit 5 millisieverts.", exact("5", 5, "millisievert")),
    ("The strike came after two weeks' notice.", exact("two", 2, "week")),
    ("A 5-kilometre exclusion zone was set.", exact("5", 5, "kilometer")),
]


@pytest.mark.parametrize(("sentence", "expected"), NUMBER_FORMS)
def test_every_number_form_gives_one_value(sentence: str, expected: tuple) -> None:
    assert quantities(sentence)[:1] == [expected]


@pytest.mark.parametrize(("sentence", "expected"), MONEY)
def test_money_gives_its_amount_and_iso_currency(sentence: str, expected: tuple) -> None:
    assert quantities(sentence) == [expected]


@pytest.mark.parametrize(("sentence", "expected"), UNITS)
def test_units_are_read_from_the_lexicon(sentence: str, expected: tuple) -> None:
    assert quantities(sentence)[:1] == [expected]
