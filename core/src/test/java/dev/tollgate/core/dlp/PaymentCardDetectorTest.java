package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PaymentCardDetectorTest {
    private final TextScanner scanner = TextScanner.builder()
            .detect(PaymentCardDetector.create())
            .withoutDefaultContextRules()
            .build();

    private List<Finding> scan(String text) {
        return scanner.scan(text);
    }

    @ParameterizedTest
    @CsvSource({
        "4111111111111111, VISA",
        "4222222222222, VISA",
        "2223003122003222, MASTERCARD",
        "5555555555554444, MASTERCARD",
        "378282246310005, AMEX",
        "6011111111111117, DISCOVER",
        "3530111333300000, JCB",
        "30569309025904, DINERS",
        "36227206271667, DINERS",
        "6200000000000005, UNIONPAY",
        "6759649826438453, MAESTRO"
    })
    void findsEachNetwork(String pan, String network) {
        List<Finding> f = scan("pay with " + pan + " today");
        assertThat(f).hasSize(1);
        assertThat(f.get(0).label()).isEqualTo(network);
        assertThat(f.get(0).type()).isEqualTo(DetectorType.PAYMENT_CARD);
        assertThat(f.get(0).start()).isEqualTo(9);
        assertThat(f.get(0).end()).isEqualTo(9 + pan.length());
        assertThat(f.get(0).confidence()).isEqualTo(Confidence.MEDIUM);
    }

    @Test
    void separatorsAreNormalisedButSpanAndMaskKeepOriginal() {
        String text = "Card: 4111 1111 1111 1111, Amex 3782-822463-10005.";
        List<Finding> f = scan(text);
        assertThat(f).hasSize(2);
        assertThat(text.substring(f.get(0).start(), f.get(0).end())).isEqualTo("4111 1111 1111 1111");
        assertThat(f.get(0).maskedSample()).isEqualTo("4111 **** **** 1111");
        assertThat(text.substring(f.get(1).start(), f.get(1).end())).isEqualTo("3782-822463-10005");
        assertThat(f.get(1).maskedSample()).isEqualTo("3782-******-*0005");
        assertThat(f.get(1).label()).isEqualTo("AMEX");
    }

    @Test
    void maskNeverContainsMiddleDigits() {
        Finding f = scan("4111111111111111").get(0);
        assertThat(f.maskedSample()).isEqualTo("4111********1111");
        assertThat(f.toString()).doesNotContain("4111111111111111");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "4111111111111112",          // Luhn fails
        "2223003122003223",          // Luhn fails
        "1748503543012",             // 13-digit epoch millis
        "4000000000006",             // Luhn-valid 13-digit Visa shape but a plausible timestamp
        "9111111111111111",          // no network
        "4111111111111111111111",    // longer than 19 digits: not a card, no window of it
        "41111111111111114111111111111111", // two cards glued: one long run, nothing
        "+49 30 1234 5678",          // phone number
        "+1 415-555-2671",
        "978-3-16-148410-0",         // ISBN-13
        "ISBN 0-306-40615-2",
        "3.14159265358979323",       // decimal digits
        "x4111111111111111",         // letters glued at the start of unseparated digits, no label
        "4111111111111111abc9",      // letters and a digit glued at the end: an identifier
        "411111111111111",           // too short for Visa
        "4711 1234 2024-05-01",      // mixed separators, not a printed layout: adjacent numbers, not one PAN
        "41 11-1111 1111 1111 11"
    })
    void rejectsLookAlikes(String text) {
        assertThat(scan(text)).isEmpty();
    }

    @Test
    void mastercardTwoSeriesBoundsInText() {
        for (String iin : new String[] {"2221", "2500", "2720"}) {
            String payload = iin + "00000000000";
            String pan = payload + Luhn.checkDigit(payload);
            assertThat(scan("MC " + pan)).as(pan).singleElement().extracting(Finding::label).isEqualTo("MASTERCARD");
        }
        for (String iin : new String[] {"2220", "2721"}) {
            String payload = iin + "00000000000";
            assertThat(scan("MC " + payload + Luhn.checkDigit(payload))).as(iin).isEmpty();
        }
    }

    @Test
    void groupedNumberIsOneFindingSpanningAllGroups() {
        // The groups of one printed PAN are one finding, never one per group or per window
        for (String grouped : new String[] {"4111 1111 1111 1111", "4111-1111-1111-1111", "2223 0031 2200 3222",
            "3782 822463 10005"}) {
            String text = "Nr. " + grouped + " bitte";
            List<Finding> f = scan(text);
            assertThat(f).as(grouped).hasSize(1);
            assertThat(text.substring(f.get(0).start(), f.get(0).end())).isEqualTo(grouped);
        }
        // a number next to the card does not hide it: the printed layout inside the run is tried at every group
        assertThat(scan("4111 1111 1111 1111 1")).singleElement().extracting(Finding::start).isEqualTo(0);
        assertThat(scan("1 4111 1111 1111 1111")).singleElement().extracting(Finding::start).isEqualTo(2);
    }

    @Test
    void rejectedNumberBeforeTheCardDoesNotSwallowIt() {
        String text = "Expires 2027 4111 1111 1111 1111 thanks";
        List<Finding> f = scan(text);
        assertThat(f).singleElement().satisfies(x ->
                assertThat(text.substring(x.start(), x.end())).isEqualTo("4111 1111 1111 1111"));
        // counter-case: the same layout with a failing check digit after the year stays clean
        assertThat(scan("Expires 2027 4111 1111 1111 1112 thanks")).isEmpty();
        // date with dashes, then the card with spaces: the separator change is a boundary
        assertThat(scan("2026-05-01 5555 5555 5555 4444")).extracting(Finding::label).containsExactly("MASTERCARD");
        // two cards on consecutive lines are two findings
        assertThat(scan("4111 1111 1111 1111\n5555 5555 5555 4444")).extracting(Finding::label)
                .containsExactly("VISA", "MASTERCARD");
    }

    @Test
    void dottedAndSlashedCardsFollowThePrintedLayout() {
        assertThat(scan("card 4111.1111.1111.1111.")).singleElement().satisfies(x -> {
            assertThat(x.end() - x.start()).isEqualTo(19);
            assertThat(x.maskedSample()).isEqualTo("4111.****.****.1111");
        });
        assertThat(scan("4111/1111/1111/1111")).hasSize(1);
        assertThat(scan("3782.822463.10005")).extracting(Finding::label).containsExactly("AMEX");
        // counter-cases: versions, IP addresses, dates and dotted amounts are not a printed PAN layout
        assertThat(scan("version 4.1.1111.1111 on 192.168.111.111 at 2026/05/01 for 4111.11")).isEmpty();
        assertThat(scan("10.4111.1111.1111.1111.7")).hasSize(1); // the dotted card inside a longer dotted run
        assertThat(scan("OID 1.3.6.1.4.1.2021.10.1.3.1 and 10.20.30.40.50.60.70.80.90")).isEmpty();
        assertThat(scan("4111.1111.1111.1112")).isEmpty();
    }

    /** Luhn-valid Visa whose digits, cut 2-4-4-4-2, are no printed layout: the counter-case of each separator. */
    private static final String VISA = "4111111111111111";

    private String span(String text) {
        Finding f = scan(text).get(0);
        return text.substring(f.start(), f.end());
    }

    @Test
    void tabBetweenGroupsFollowsThePrintedLayout() {
        assertThat(scan("card 4111\t1111\t1111\t1111 ok")).singleElement().satisfies(x -> {
            assertThat(x.end() - x.start()).isEqualTo(19);
            assertThat(x.maskedSample()).isEqualTo("4111\t****\t****\t1111");
        });
        assertThat(scan("Amex\t3782\t822463\t10005")).extracting(Finding::label).containsExactly("AMEX");
        assertThat(span("Year\tCard\n2027\t4111\t1111\t1111\t1111\t12.50")).isEqualTo("4111\t1111\t1111\t1111");
        // counter-cases: spreadsheet cells pasted as text. Cells that are no card layout stay apart even when their
        // digits together pass; rows are not joined across the line break; four-digit amounts fail IIN or Luhn
        assertThat(Luhn.isValid(VISA)).isTrue();
        assertThat(scan("41\t1111\t1111\t1111\t11")).isEmpty();
        assertThat(scan("4111\t1111\n1111\t1111\n")).isEmpty();
        assertThat(scan("Q1\t1250\t1300\t1420\t1555\n2026\t05\t4111\t1111\t1112")).isEmpty();
    }

    @Test
    void doubleSpacesBetweenGroupsFollowThePrintedLayout() {
        assertThat(span("card 4111  1111  1111  1111 ok")).isEqualTo("4111  1111  1111  1111");
        assertThat(scan("Visa 4111   1111 \t1111" + " ".repeat(16) + "1111")).hasSize(1);
        assertThat(span("4111 1111  1111 1111.")).isEqualTo("4111 1111  1111 1111"); // one wider gap: mixed
        assertThat(scan("amex 3782  822463  10005")).extracting(Finding::label).containsExactly("AMEX");
        // counter-cases: column-aligned numbers that are no layout, a gap wider than 16 blanks (separate columns),
        // two columns of a table on two lines
        assertThat(scan("41  1111  1111  1111  11")).isEmpty();
        assertThat(scan("4111" + " ".repeat(17) + "1111  1111  1111")).isEmpty();
        assertThat(scan("4111  1111\n1111  1111")).isEmpty();
    }

    @Test
    void underscoreBetweenGroupsFollowsThePrintedLayout() {
        assertThat(span("4111_1111_1111_1111")).isEqualTo("4111_1111_1111_1111");
        assertThat(span("txn_4111_1111_1111_1111_v2")).isEqualTo("4111_1111_1111_1111");
        assertThat(scan("3782_822463_10005")).extracting(Finding::label).containsExactly("AMEX");
        // counter-cases: snake_case ids and timestamps, whose digit groups are no card layout
        assertThat(scan("run_41_1111_1111_1111_11")).isEmpty();
        assertThat(scan("backup_2026_05_01_1111_1111.tar build_20260501_101112 " + VISA.substring(0, 12) + "_1111"))
                .isEmpty();
        assertThat(scan("4111_1111_1111_1112")).isEmpty();
    }

    @Test
    void commaBetweenGroupsFollowsThePrintedLayout() {
        assertThat(span("card 4111,1111,1111,1111")).isEqualTo("4111,1111,1111,1111");
        assertThat(span("id,card\n17,4111,1111,1111,1111,2027")).isEqualTo("4111,1111,1111,1111"); // a CSV row
        assertThat(scan("Amex: 3782,822463,10005")).extracting(Finding::label).containsExactly("AMEX");
        // counter-cases: thousands grouping of the same digits, comma lists that are no layout, CSV rows of
        // four-digit values failing IIN or Luhn, decimal commas
        assertThat(scan("4,111,111,111,111,111 and 4111,111,111,111,1")).isEmpty();
        assertThat(scan("41,1111,1111,1111,11")).isEmpty();
        assertThat(scan("1234,5678,9012,3456\n4111,1111,1111,1112")).isEmpty();
        assertThat(scan("Betrag 4111,11 EUR, 1111,11 EUR")).isEmpty();
    }

    @Test
    void twoSpaceGroupedNumbersInAListNeedALabel() {
        // eight-digit phone numbers written 4 4 and listed with a comma or semicolon: no card without a label
        assertThat(scan("Hong Kong desk: 5105 1051, 0510 5100")).isEmpty();
        assertThat(scan("Tel 5105 1051; 0510 5100")).isEmpty();
        assertThat(scan("Fax 5105 1051 | 0510 5100")).isEmpty();
        assertThat(span("Card: 5105 1051, 0510 5100")).isEqualTo("5105 1051, 0510 5100");
        assertThat(span("Kreditkarte 4111 1111; 1111 1111")).isEqualTo("4111 1111; 1111 1111");
        // the mixes that are one number stay cards without a label
        assertThat(span("ref 4111 1111-1111 1111")).isEqualTo("4111 1111-1111 1111");
        assertThat(span("5105 1051 0510 5100")).isEqualTo("5105 1051 0510 5100");
    }

    @Test
    void mixedSeparatorsOnlyInAFullPrintedLayout() {
        assertThat(span("card 4111 1111-1111 1111 ok")).isEqualTo("4111 1111-1111 1111");
        assertThat(span("4111.1111 1111-1111")).isEqualTo("4111.1111 1111-1111");
        assertThat(span("4111\t1111 1111_1111,")).isEqualTo("4111\t1111 1111_1111");
        assertThat(scan("3782 822463-10005")).extracting(Finding::label).containsExactly("AMEX");
        // counter-cases: mixed separators around groups that are no layout (a date after two numbers), a short last
        // group after another separator (a check digit, an extension), a line break among other separators (rows)
        assertThat(scan("4711 1234 2024-05-01")).isEmpty();
        assertThat(scan("41 11-1111 1111 1111 11")).isEmpty();
        assertThat(scan("4222 2222 2222 2")).hasSize(1);
        assertThat(scan("4222 2222-2222 2")).isEmpty();
        assertThat(scan("4111-1111\n1111-1111")).isEmpty();
    }

    @Test
    void lineBreakInsideAGroupedNumberJoinsIt() {
        assertThat(scan("card 4111 1111\n1111 1111 ok")).singleElement()
                .satisfies(x -> assertThat(x.end() - x.start()).isEqualTo(19));
        assertThat(scan("card 4111 1111\r\n1111 1111 ok")).hasSize(1);
        assertThat(scan("card 4111-1111-\n1111-1111")).isEmpty(); // dash then line break: not one separator
        // counter-case: short numbers one per line (a column of amounts) are not joined into a card
        assertThat(scan("4111\n1111\n1111\n1112\n")).isEmpty();
        assertThat(scan("12\n345\n6789\n")).isEmpty();
    }

    @Test
    void aColumnOfFourDigitLinesIsACardOnlyWithCardContext() {
        StringBuilder orders = new StringBuilder("Order numbers\n");
        for (int n = 4000; n < 4100; n++) {
            orders.append(n).append('\n');
        }
        // 15 windows of four consecutive lines pass the IIN and Luhn checks (4000 4001 4002 4003 ...)
        assertThat(scan(orders.toString())).isEmpty();
        assertThat(scan(orders.toString().replace("\n", "\r\n"))).isEmpty();
        StringBuilder counts = new StringBuilder();
        for (int n = 1; n <= 20_000; n++) {
            counts.append(n).append('\n');
        }
        assertThat(scan(counts.toString())).isEmpty();
        // a card written one group per line has text around it, not more lines of digits: still a card
        assertThat(scan("Please charge\n4111\n1111\n1111\n1111\nthanks")).singleElement()
                .satisfies(x -> assertThat(x.maskedSample()).isEqualTo("4111\n****\n****\n1111"));
        assertThat(scan("3782\n822463\n10005")).extracting(Finding::label).containsExactly("AMEX");
        // a line of digits next to it makes the lines a column: then a label is needed
        assertThat(scan("Please charge\n5555\n5555\n5555\n4444\n2027\nthanks")).isEmpty();
        assertThat(scan("Card to charge\n5555\n5555\n5555\n4444\n2027\nthanks")).hasSize(1);
        // text on the lines around it, numbers among the text included, leaves it a card
        String card = "4111\n1111\n1111\n1111";
        for (String[] around : new String[][] {{"Order 2024", "thanks"}, {"Room 123", "thanks"}, {"Please charge", "12/27"},
            {"Please charge", "2 tickets for Friday"}, {"Please charge", "123 is the code on the back"},
            {"Sent 06.12.2026", "5pm is fine"}}) {
            assertThat(scan(around[0] + "\n" + card + "\n" + around[1])).as(around[0] + " / " + around[1]).hasSize(1);
        }
        // cards stacked one group per line are cards throughout: no label needed
        assertThat(scan("Charge these:\n" + card + "\n5555\n5555\n5555\n4444\n3782\n822463\n10005\nthanks"))
                .extracting(Finding::label).containsExactly("VISA", "MASTERCARD", "AMEX");
        // a security code or a record number per card, between them
        assertThat(scan("1\n" + card + "\n123\n2\n5555\n5555\n5555\n4444\n456\n")).hasSize(2);
        // three lines of two, two lines of three: a window with more figures on its own first or last line is a table
        assertThat(scan("Codes:\n2024 4111\n1111 1111\n1111 2025\n")).isEmpty();
        assertThat(scan("Codes:\n2024 4111 1111\n1111 1111 2025\n")).isEmpty();
        // a wrapped card with its expiry or security code after it on the last line is no row of a table
        assertThat(scan("Please charge\n4111 1111\n1111 1111 1227\nthanks")).hasSize(1);
        assertThat(scan("Please charge\n4111 1111 1111\n1111 0427\nthanks")).hasSize(1);
        assertThat(scan("Please charge\n3782 822463\n10005 1234\nthanks")).extracting(Finding::label).containsExactly("AMEX");
        // a wrapped card, two groups a line, with its security code on the next line
        assertThat(scan("Please charge\n4111 1111\n1111 1111\n123\nthanks")).hasSize(1);
        // figures before and after it on its end lines, whatever the lines' layout: rows of a table
        assertThat(scan("Codes:\n2024 4111 1111\n1111 1111 2025 17\n")).isEmpty();
        // one card's groups and a short number on lines of their own: a table as likely, so a label is needed
        assertThat(scan("Rooms:\n12\n" + card + "\nthanks")).isEmpty();
        assertThat(scan("Card rooms:\n12\n" + card + "\nthanks")).hasSize(1);
        // two numbers per line: a wrapped card on two lines, cards stacked, or a table that needs a label
        assertThat(scan("Please charge\n4111 1111\n1111 1111\nthanks")).hasSize(1);
        assertThat(scan("4111 1111\n1111 1111\n5555 5555\n5555 4444")).hasSize(2);
        assertThat(scan("Codes:\n4111 1111\n1111 1111\n2024 2025\n")).isEmpty();
        assertThat(scan("Codes:\n2024 2025\n4111 1111\n1111 1111\n")).isEmpty();
        assertThat(scan("Card codes:\n4111 1111\n1111 1111\n2024 2025\n")).hasSize(1);
        // a card alone on its line among lines of digits stays a card
        assertThat(scan("2024\n4111 1111 1111 1111\n2025")).hasSize(1);
        // blanks at the ends of the lines, an indent, a lone CR: the same lines
        assertThat(scan("Please charge\n4111 \n1111 \n1111 \n1111 \nthanks")).hasSize(1);
        assertThat(scan("Please charge\n  4111\n  1111\n  1111\n  1111\nthanks")).hasSize(1);
        assertThat(scan("Please charge\r4111\r1111\r1111\r1111\rthanks")).hasSize(1);
        assertThat(scan("Please charge 4111 1111 \r\n  1111 1111 thanks")).hasSize(1);
        assertThat(scan("Orders\n 4000 \n 4001 \n 4002 \n 4003 \n 4004 \n")).isEmpty();
        // a column under a card label is read as cards
        assertThat(scan("Card numbers\n4111\n1111\n1111\n1111\n5555\n5555\n5555\n4444\n")).hasSize(2);
        assertThat(scan("Card numbers\n" + orders.substring("Order numbers\n".length()))).isNotEmpty();
        // one line drawn in pieces by a PDF is no column
        assertThat(scan("4000" + RUN + "4111" + RUN + "1111" + RUN + "1111" + RUN + "1111")).hasSize(1);
    }

    /** U+001F: where the document extractor found two PDF text runs drawn edge to edge between two digits. */
    private static final String RUN = "\u001F";

    @Test
    void pdfTextRunsOfACardAreJoined() {
        assertThat(scan("Card 4111" + RUN + "1111" + RUN + "1111" + RUN + "1111 thanks")).singleElement()
                .satisfies(x -> {
                    assertThat(x.end() - x.start()).isEqualTo(19);
                    assertThat(x.maskedSample()).isEqualTo("4111" + RUN + "****" + RUN + "****" + RUN + "1111");
                });
        assertThat(scan("3782" + RUN + "822463" + RUN + "10005")).extracting(Finding::label).containsExactly("AMEX");
        // a run boundary inside a group of a space-separated card counts as a space
        assertThat(scan("4111 1111" + RUN + "1111 1111")).hasSize(1);
    }

    @Test
    void aCardCellBesideAnAmountCellIsFoundAndNotMerged() {
        assertThat(scan("Order 17 4111111111111111" + RUN + "1250.00")).singleElement().satisfies(x -> {
            assertThat(x.start()).isEqualTo(9);
            assertThat(x.end()).isEqualTo(25);
        });
        assertThat(scan("5555 5555 5555 4444" + RUN + "99.90")).singleElement()
                .satisfies(x -> assertThat(x.end()).isEqualTo(19));
        // the same cells as Tika's text glues them: one 20-digit number with a fraction, not a card
        assertThat(scan("Order 17 41111111111111111250.00")).isEmpty();
    }

    @Test
    void referenceAndAmountCellsDoNotMergeIntoACard() {
        // counter-cases: a 12-digit reference beside an amount whose digits would complete a Visa number
        assertThat(Luhn.isValid("4111111111111111")).isTrue();
        assertThat(scan("Ref 411111111111" + RUN + "1111.00")).isEmpty();
        // a year cell and three four-digit amount cells: 2026 is no IIN, and three groups are no layout
        assertThat(scan("2026" + RUN + "4111" + RUN + "1111" + RUN + "1111")).isEmpty();
        // amounts in adjacent cells
        assertThat(scan("1250.00" + RUN + "4111.11" + RUN + "1111.11")).isEmpty();
        // a long reference cell stands alone: its digits are never cut into a card
        assertThat(scan("20264111111111111111" + RUN + "12.00")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"card4111111111111111", "Card4111111111111111 ok", "ref4111111111111111",
        "ref:4111111111111111", "INV4111111111111111X", "inv4111111111111111abc.", "PAN378282246310005",
        "(cc5555555555554444)", "No4111111111111111", "acct4111111111111111,"})
    void cardsGluedToALabelWordAreFound(String text) {
        assertThat(scan(text)).singleElement().satisfies(x -> {
            String digits = text.substring(x.start(), x.end());
            assertThat(digits).matches("[0-9]{15,16}");
            assertThat(Character.isLetter(text.charAt(x.start() - 1)) || text.charAt(x.start() - 1) == ':').isTrue();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a3f94111111111111111", // hex id: letters that are no label
        "deadbeef4111111111111111cafe",
        "JD4111111111111111", "LX4111111111111111DE", "TBA4111111111111111", // parcel and tracking numbers
        "x4111111111111111", "ab4111111111111111", // unseparated digits after letters, no label: identifiers
        "INV4111111111111112X", // Luhn fails
        "INV20264111111111111111", // 20 digits: a glued run is never cut into a card
        "card411111111111", // 12 digits
        "INV4111111111111111XYZW", // a suffix longer than three letters: an identifier
        "INV4111111111111111X2", // digits after the suffix: an identifier
        "ref4111111111111111.50", // a decimal number
        "nr1748503543012", // 13-digit millisecond timestamp
        "discard4111111111111111", "reference4111111111111111x1", // the label must start the word
    })
    void digitsGluedToOtherLettersAreNotCards(String text) {
        assertThat(scan(text)).as(text).isEmpty();
    }

    @Test
    void millisecondTimestampsInTextAreNotCards() {
        // 13-digit epoch millis, e.g. in logs and JSON, even where a Visa prefix and Luhn would pass
        assertThat(scan("ts=1748503543012 done")).isEmpty();
        assertThat(scan("{\"created\": 1748503543012}")).isEmpty();
        String visaLikeMillis = "400000000000" + Luhn.checkDigit("400000000000"); // 2096-10-02 in millis
        assertThat(Luhn.isValid(visaLikeMillis)).isTrue();
        assertThat(scan("at " + visaLikeMillis)).isEmpty();
    }

    @Test
    void oneFindingPerLongGroupedRun() {
        // groups joined by single spaces form one run; 24 digits is not a card, its first printed layout is
        assertThat(scan("4111 1111 1111 1111 1111 1111")).singleElement()
                .satisfies(x -> assertThat(x.end()).isEqualTo(19));
        // counter-case: no four-group window of it validates
        assertThat(scan("1234 5678 9012 3456 7890 1234")).isEmpty();
    }

    @Test
    void longGroupsAreNotJoinedBySeparators() {
        List<Finding> f = scan("cards 4111111111111111 5555555555554444 and 12 378282246310005");
        assertThat(f).extracting(Finding::label).containsExactly("VISA", "MASTERCARD", "AMEX");
        assertThat(scan("4111 1111 1111 1111 5555555555554444")).extracting(Finding::label)
                .containsExactly("VISA", "MASTERCARD");
    }

    @Test
    void cardsSeparatedByPunctuationAreSeparateFindings() {
        List<Finding> f = scan("4111111111111111, 5555555555554444; 378282246310005");
        assertThat(f).extracting(Finding::label).containsExactly("VISA", "MASTERCARD", "AMEX");
    }

    @Test
    void timestampRuleOnlyAppliesToUnseparatedRuns() {
        assertThat(scan("4000 0000 0000 6")).hasSize(1);
        assertThat(scan("4999999999997")).hasSize(1); // 13 digits beyond year 2100 in millis
    }

    @Test
    void punctuationIsABoundary() {
        assertThat(scan("(4111111111111111)")).hasSize(1);
        assertThat(scan("\"4111-1111-1111-1111\"")).hasSize(1);
        assertThat(scan("card=4111111111111111.")).hasSize(1);
    }

    @Test
    void networkRangesHonourLengths() {
        assertThat(CardNetwork.of("378282246310005")).isEqualTo(CardNetwork.AMEX);
        assertThat(CardNetwork.of("3782822463100050")).isNull(); // Amex is 15 only
        assertThat(CardNetwork.of("2720990000000000")).isEqualTo(CardNetwork.MASTERCARD);
        assertThat(CardNetwork.of("2721000000000000")).isNull();
        assertThat(CardNetwork.of("2220990000000000")).isNull();
        assertThat(CardNetwork.of("6440000000000000")).isEqualTo(CardNetwork.DISCOVER);
        assertThat(CardNetwork.of("3589000000000000")).isEqualTo(CardNetwork.JCB);
        assertThat(CardNetwork.of("3590000000000000")).isNull();
        assertThat(CardNetwork.of("30600000000000")).isNull();
        assertThat(CardNetwork.of("411111111111")).isNull(); // 12-digit Visa does not exist
        assertThat(CardNetwork.of("501800000000")).isEqualTo(CardNetwork.MAESTRO);
    }

    /** Four figures that together pass IIN (Visa) and Luhn: the row of a report, not a card. */
    private static final String FIGURES = "4000120013001407";

    @Test
    void figureRowsAreACardOnlyWithCardContext() {
        assertThat(CardNetwork.of(FIGURES)).isEqualTo(CardNetwork.VISA);
        assertThat(Luhn.isValid(FIGURES)).isTrue();
        // a CSV, TSV, blank-aligned, semicolon, pipe row and a sum of figures, without a card label: not a card
        assertThat(scan("North,4000,1200,1300,1407")).isEmpty();
        assertThat(scan("Q1\t4000\t1200\t1300\t1407")).isEmpty();
        assertThat(scan("4000   1200   1300   1407")).isEmpty();
        assertThat(scan("Region;Q1;Q2;Q3;Q4\nNorth;4000;1200;1300;1407")).isEmpty();
        assertThat(scan("| North | 4000 | 1200 | 1300 | 1407 |")).isEmpty();
        assertThat(scan("Total: 4000 + 1200 + 1300 + 1407 = 7907")).isEmpty();
        assertThat(scan("Figures 4000, 1200, 1300, 1407 in k EUR")).isEmpty();
        // a ledger: debit and credit alone head columns of amounts, they are no card label
        assertThat(scan("Date;Debit;Credit;Balance;Fee\n05/01;4000;1200;1300;1407")).isEmpty();
        // a label inside another word is none
        assertThat(scan("Discarded,4000,1200,1300,1407 scorecard")).isEmpty();
        // with a card label on the same line (the row's header cell), the line before, or the block's first line
        assertThat(span("Card,4000,1200,1300,1407")).isEqualTo("4000,1200,1300,1407");
        assertThat(span("Q1\t4000\t1200\t1300\t1407\tcard")).isEqualTo("4000\t1200\t1300\t1407");
        // a weak label (a network name) counts only directly before the digits
        assertThat(scan("Q1\t4000\t1200\t1300\t1407\tvisa")).isEmpty();
        assertThat(span("Card number:\r\n4000   1200   1300   1407")).isEqualTo("4000   1200   1300   1407");
        assertThat(scan("name,card,,,,exp\nAnn,4111,1111,1111,1111,12/27\nBob,5500,0000,0000,0004,01/28\n"
                + "Cy,4000,1200,1300,1407,02/29")).extracting(Finding::label).containsExactly("VISA", "MASTERCARD", "VISA");
        // a blank line ends the block: the rows after it have another header
        assertThat(scan("name,card\nAnn,4111,1111,1111,1111\n\nregion,q1,q2,q3,q4\nx,1,2,3,4\nNorth,4000,1200,1300,1407"))
                .singleElement().satisfies(f -> assertThat(f.maskedSample()).isEqualTo("4111,****,****,1111"));
        // a weak label directly before the first row labels that row only
        assertThat(scan("Totals\nCC 4111,1111,1111,1111\n4000,1200,1300,1407\n4000,1200,1300,1407")).hasSize(1);
        // a strong one heads the run of comma rows below it
        assertThat(scan("Totals\nCard 4111,1111,1111,1111\n4000,1200,1300,1407\n4000,1200,1300,1407")).hasSize(3);
        // single spaces, dashes, dots, slashes and underscores join the groups of one number: no label needed
        assertThat(scan("4000 1200 1300 1407")).hasSize(1);
        assertThat(scan("4000-1200-1300-1407 and 4000.1200.1300.1407")).hasSize(2);
        // a separator mixed with a space or dash is no row of cells
        assertThat(scan("4000\t1200 1300-1407")).hasSize(1);
    }

    @Test
    void weakLabelsInEverydaySensesAreNoCardContext() {
        assertThat(scan("CC: finance team\nRegion;Q1;Q2;Q3;Q4\nNorth;4000;1200;1300;1407")).isEmpty();
        assertThat(scan("supplier PAN AAACT1234F\nItem,Qty,Net,VAT,Total\nWidgets,4000,1200,1300,1407")).isEmpty();
        assertThat(scan("Travel expenses (visa fees included)\nTrip\t4000\t1200\t1300\t1407")).isEmpty();
        assertThat(scan("Pan-European sales ledger\nNorth | 4000 | 1200 | 1300 | 1407")).isEmpty();
        assertThat(scan("Discover our Q3 numbers:\n4000   1200   1300   1407")).isEmpty();
        // a takings table naming networks as columns: every row passes IIN and Luhn, none is a card
        StringBuilder takings = new StringBuilder("Region;Cash;Visa;Mastercard;Amex;Total\n");
        for (int i = 0; i < 30; i++) {
            takings.append("North").append(i).append(";4000;1200;1300;1407;7907\n");
        }
        assertThat(scan(takings.toString())).isEmpty();
        // the same words directly before the digits, with only punctuation and number words between, are labels
        assertThat(span("Visa: 4000;1200;1300;1407")).isEqualTo("4000;1200;1300;1407");
        assertThat(span("PAN no. 4000,1200,1300,1407")).isEqualTo("4000,1200,1300,1407");
        assertThat(span("CC # 4000 | 1200 | 1300 | 1407")).isEqualTo("4000 | 1200 | 1300 | 1407");
        assertThat(span("American Express: 3782,822463,10005")).isEqualTo("3782,822463,10005");
        // counter-cases: a word or figure between, or too far away
        assertThat(scan("Visa fees 4000;1200;1300;1407")).isEmpty();
        assertThat(scan("Amex 12, 4000,1200,1300,1407")).isEmpty();
        assertThat(scan("Visa" + " ".repeat(16) + ":" + " ".repeat(8) + "4000;1200;1300;1407")).isEmpty();
        // strong labels still count anywhere on the line or in the header row
        assertThat(scan("Region;Cash;Card;Total\nNorth;4000;1200;1300;1407")).hasSize(1);
    }

    @Test
    void strongLabelsAsCompoundsAndOnNearbyLines() {
        assertThat(span("Kreditkartennummer: 4111;1111;1111;1111")).isEqualTo("4111;1111;1111;1111");
        assertThat(span("Kortnummer: 4111;1111;1111;1111")).isEqualTo("4111;1111;1111;1111");
        assertThat(span("CardNum 4111,1111,1111,1111")).isEqualTo("4111,1111,1111,1111");
        assertThat(span("Kartennummer\n4111|1111|1111|1111")).isEqualTo("4111|1111|1111|1111");
        // counter-cases: words that only begin like card, and a strong stem nowhere
        assertThat(scan("Cardinal Health,4000,1200,1300,1407")).isEmpty();
        assertThat(scan("Cardboard;4000;1200;1300;1407 Kartell")).isEmpty();
        // the nearest non-blank line before, across one blank line, but not two
        assertThat(span("Here is the card:\n\n4111,1111,1111,1111")).isEqualTo("4111,1111,1111,1111");
        assertThat(scan("Here is the card:\n\n\n4111,1111,1111,1111")).isEmpty();
        // the line right after
        assertThat(span("4111|1111|1111|1111\n^ that is the card")).isEqualTo("4111|1111|1111|1111");
        assertThat(scan("4111|1111|1111|1111\nsee above\nthat is the card")).isEmpty();
        // a table under a title line: the header row heads every row with its column separator
        assertThat(scan("Customer export\nname,card,exp\nAnn,4111,1111,1111,1111,12/27\nBob,4000,1200,1300,1407,01/28"))
                .hasSize(2);
        // counter-case: a header without a strong label, and a run header more than 50 lines above
        assertThat(scan("Customer export\nname,visa,exp\nAnn,4111,1111,1111,1111,12/27\nBob,4000,1200,1300,1407,01/28"))
                .isEmpty();
        assertThat(scan("Export\nname,card,exp\n" + "x,1,2\n".repeat(51) + "Bob,4000,1200,1300,1407,01/28")).isEmpty();
        assertThat(scan("Export\nname,card,exp\n" + "x,1,2\n".repeat(48) + "Bob,4000,1200,1300,1407,01/28"))
                .hasSize(1);
    }

    @Test
    void separatorWithBlanksAroundIt() {
        assertThat(span("card: 4111, 1111, 1111, 1111.")).isEqualTo("4111, 1111, 1111, 1111");
        assertThat(span("pay 4111 - 1111 - 1111 - 1111 now")).isEqualTo("4111 - 1111 - 1111 - 1111");
        assertThat(scan("Amex 3782 ,822463 , 10005")).extracting(Finding::label).containsExactly("AMEX");
        // counter-cases: no card layout; a comma list without a label; wider gaps than 16 blanks
        assertThat(scan("card 41 - 1111 - 1111 - 1111 - 11")).isEmpty();
        assertThat(scan("4111, 1111, 1111, 1111")).isEmpty();
        assertThat(scan("card 4111 -" + " ".repeat(17) + "1111 - 1111 - 1111")).isEmpty();
    }

    @Test
    void semicolonPipeAndPlusBetweenGroups() {
        assertThat(span("card;4111;1111;1111;1111;2027")).isEqualTo("4111;1111;1111;1111");
        assertThat(span("| Visa | 4111 | 1111 | 1111 | 1111 |")).isEqualTo("4111 | 1111 | 1111 | 1111");
        assertThat(span("cc 4111+1111+1111+1111")).isEqualTo("4111+1111+1111+1111");
        assertThat(span("card 4111 + 1111 + 1111 + 1111")).isEqualTo("4111 + 1111 + 1111 + 1111");
        // counter-cases: no card layout, and the same separators without a card label
        assertThat(scan("card 41;1111;1111;1111;11 41|1111|1111|1111|11 41+1111+1111+1111+11")).isEmpty();
        assertThat(scan("4111;1111;1111;1111 4111|1111|1111|1111 4111+1111+1111+1111")).isEmpty();
    }

    @Test
    void quotedCsvCells() {
        assertThat(span("\"card\",\"4111\",\"1111\",\"1111\",\"1111\"")).isEqualTo("4111\",\"1111\",\"1111\",\"1111");
        assertThat(span("\"Visa\"; \"4111\" ; \"1111\";\"1111\";\"1111\"")).isEqualTo("4111\" ; \"1111\";\"1111\";\"1111");
        // one quoted cell holding the whole number with single spaces: no label needed
        assertThat(span("Ann,\"4111 1111 1111 1111\",12/27")).isEqualTo("4111 1111 1111 1111");
        // counter-cases: quoted cells that are no layout, quoted figures without a label, quotes around a space
        assertThat(scan("card,\"41\",\"1111\",\"1111\",\"1111\",\"11\"")).isEmpty();
        assertThat(scan("\"North\",\"4000\",\"1200\",\"1300\",\"1407\"")).isEmpty();
        assertThat(scan("card \"4111\" \"1111\" \"1111\" \"1111\"")).isEmpty();
    }

    @Test
    void manyFigureRowsAreReadOnceForContext() {
        // 20,000 rows that pass IIN and Luhn, no label: none reported; one label in the header: all of them
        String row = "North,4000,1200,1300,1407\n";
        String rows = row.repeat(20_000);
        assertThat(TextScanner.builder().detect(PaymentCardDetector.create()).maxFindings(1_000_000).build()
                .scan(rows)).isEmpty();
        assertThat(TextScanner.builder().detect(PaymentCardDetector.create()).maxFindings(1_000_000).build()
                .scan("region,card,,,\n" + rows)).hasSize(20_000);
    }

    @Test
    void randomFigureRowsPassingTheChecksAreNotCardsWithoutALabel() {
        // 10,000 random rows of four 4-digit figures, the first 3000-6999: about one in twenty passes IIN and Luhn
        // (the single-space control); printed as cells, sums or aligned columns, none is reported
        String[][] layouts = {{"North,", ",", ",2027"}, {"Q1\t", "\t", "\t12.5"}, {"North   ", "   ", "   7907"},
            {"North; ", "; ", ";"}, {"| North | ", " | ", " |"}, {"\"North\",\"", "\",\"", "\""}, {"", " + ", ""}};
        java.util.Random r = new java.util.Random(1);
        int control = 0;
        for (int i = 0; i < 10_000; i++) {
            int[] f = {3000 + r.nextInt(4000), 1000 + r.nextInt(9000), 1000 + r.nextInt(9000), 1000 + r.nextInt(9000)};
            boolean card = !scan("North " + f[0] + " " + f[1] + " " + f[2] + " " + f[3] + " total").isEmpty();
            control += card ? 1 : 0;
            for (String[] l : layouts) {
                String row = l[0] + f[0] + l[1] + f[1] + l[1] + f[2] + l[1] + f[3] + l[2];
                assertThat(scan(row)).as(row).isEmpty();
                if (card) { // the same row under a card label is found
                    assertThat(scan("card\n" + row)).as(row).isNotEmpty();
                }
            }
        }
        assertThat(control).isBetween(400, 700);
    }
    @Test
    void colonAsteriskTildeAndDotWithBlanksJoinGroupsOnlyWithCardContext() {
        assertThat(span("Card: 4111:1111:1111:1111")).isEqualTo("4111:1111:1111:1111");
        assertThat(span("card 4111 : 1111 : 1111 : 1111")).isEqualTo("4111 : 1111 : 1111 : 1111");
        assertThat(span("card no 5555*5555*5555*4444")).isEqualTo("5555*5555*5555*4444");
        assertThat(span("card 5555 * 5555 * 5555 * 4444")).isEqualTo("5555 * 5555 * 5555 * 4444");
        assertThat(span("Visa 4111~1111~1111~1111")).isEqualTo("4111~1111~1111~1111");
        assertThat(span("card 4111 . 1111 . 1111 . 1111")).isEqualTo("4111 . 1111 . 1111 . 1111");
        assertThat(span("card 4111. 1111. 1111. 1111")).isEqualTo("4111. 1111. 1111. 1111");
        assertThat(span("Amex: 3782 : 822463 : 10005")).isEqualTo("3782 : 822463 : 10005");
        // mixed with a space or a dash, as the other figure separators: one number, no label needed
        assertThat(span("ref 4111:1111 1111-1111")).isEqualTo("4111:1111 1111-1111");
        // a dot alone still joins the groups of one number without a label
        assertThat(span("ref 4111.1111.1111.1111")).isEqualTo("4111.1111.1111.1111");
        // counter-cases without a card label: times, IPv6-like groups, products, ranges, EDI segments, sentences
        assertThat(scan("4111:1111:1111:1111")).isEmpty();
        assertThat(scan("Uptime 12:30:45:00, logged 4000:1200:1300:1407")).isEmpty();
        assertThat(scan("addr 2001:4000:1200:1300:1407::1")).isEmpty();
        assertThat(scan("Area 4000 * 1200 * 1300 * 1407 sq units")).isEmpty();
        assertThat(scan("* 4000 * 1200 * 1300 * 1407 *")).isEmpty();
        assertThat(scan("range 4000~1200~1300~1407~")).isEmpty();
        assertThat(scan("ST*850*0001~BEG*00*4000*1200~REF*1300*1407~")).isEmpty();
        assertThat(scan("Rooms 4000. 1200. 1300. 1407. All booked")).isEmpty();
        assertThat(scan("4000 . 1200 . 1300 . 1407")).isEmpty();
        // counter-cases with a label: no card layout
        assertThat(scan("card 12:30:45:00 41:11:11:11")).isEmpty();
        assertThat(scan("card 41*1111*1111*1111*11")).isEmpty();
        // a sentence ending in a card and going on with a number: the card is found, the number not joined
        assertThat(span("Card 4111.1111.1111.1111. 2027 expiry")).isEqualTo("4111.1111.1111.1111");
        assertThat(span("card 4111 1111 1111 1111. 2027")).isEqualTo("4111 1111 1111 1111");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Numero di carta: %s",
        "Numer karty: %s",
        "N\u00famero de tarjeta: %s",
        "N\u00famero do cart\u00e3o: %s",
        "Kaartnummer %s",
        "Korttinumero: %s",
        "\u010c\u00edslo karty: %s",
        "\u041d\u043e\u043c\u0435\u0440 \u043a\u0430\u0440\u0442\u044b: %s",
        "\u30ab\u30fc\u30c9\u756a\u53f7\uff1a%s",
        "\u304a\u5ba2\u69d8\u306e\u30ab\u30fc\u30c9\u756a\u53f7\u306f %s",
        "\u5361\u53f7\uff1a%s",
        "\u4fe1\u7528\u5361 %s",
        "\u0421ard number: %s", // Cyrillic capital Es in Card
        "\u0441\u0430rd: %s", // Cyrillic small es and a
        "V\u0456sa %s", // Cyrillic i in Visa (a weak label)
        "Kreditk\u0430rtennummer %s", // Cyrillic a inside a compound
        "\u041d\u043e\u043c\u0435\u0440\u00a0\u043a\u0430\u0440\u0442\u044b\n%s",
    })
    void labelsInOtherLanguagesAndConfusableLettersAreCardContext(String label) {
        String text = String.format(label, "4111;1111;1111;1111");
        assertThat(span(text)).as(text).isEqualTo("4111;1111;1111;1111");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Carta igienica;%s", // paper
        "Numero di telefono;%s",
        "Karty do gry;%s", // playing cards
        "\u041a\u0430\u0440\u0442\u0430 \u0433\u043e\u0440\u043e\u0434\u0430;%s", // a city map
        "\u041d\u043e\u043c\u0435\u0440 \u0437\u0430\u043a\u0430\u0437\u0430;%s", // order number
        "\u010c\u00edslo \u00fa\u010dtu;%s", // account number
        "Numer zam\u00f3wienia;%s", // order number
        "\u30ab\u30fc\u30c9\u30b2\u30fc\u30e0;%s", // card game
        "\u5361\u8f66;%s", // truck
        "Kortti;%s",
        "\u0421ardinal Health;%s", // Cyrillic Es, but no label
        "\u0441\u0430\u0433\u0430;%s", // a Russian word (saga)
        "\u041d\u043e\u043c\u0435\u0440 \u0441\u0447\u0451\u0442\u0430 \u043a\u0430\u0440\u0442\u044b;%s", // karty not after nomer
    })
    void everydayWordsInThoseLanguagesAreNoCardContext(String words) {
        String text = String.format(words, "4000;1200;1300;1407");
        assertThat(scan(text)).as(text).isEmpty();
        // the same row under a label is a card (the row itself passes)
        assertThat(scan("card\n" + text)).as(text).hasSize(1);
    }

    /** A 40-char hex digest (SHA-1 shape) with a Luhn-valid 16-digit run inside, at the given offset. */
    private static String sha1With(int at) {
        String hex = "a3f9c0de71b2e4f58a6d9c0b1e2f3a4b5c6d7e8f";
        return hex.substring(0, at) + "4111111111111111" + hex.substring(at + 16);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111111111111111abc", "5555555555554444USD", "4111111111111111x", "378282246310005Usd",
        "total 4111111111111111EUR.", "4111 1111 1111 1111abc", "4111-1111-1111-1111x ok",
        "2027 4111 1111 1111 1111exp", "4111111111111111руб", "4111111111111111円"})
    void cardsGluedToAWordOfLettersAfterThemAreFound(String text) {
        assertThat(scan(text)).as(text).singleElement().satisfies(x -> {
            assertThat(Character.isDigit(text.charAt(x.end() - 1))).isTrue();
            assertThat(Character.isLetter(text.charAt(x.end()))).isTrue();
        });
        assertThat(span("Card 4111111111111111exp 08/29")).isEqualTo("4111111111111111");
        assertThat(span("card=5555555555554444USD&x=1")).isEqualTo("5555555555554444");
        assertThat(span("card:4111111111111111abc")).isEqualTo("4111111111111111");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x4111 1111 1111 1111", "see x4111 1111 1111 1111 now", "JD4111-1111-1111-1111",
        "cc4111 1111 1111 1111", "ref4111 1111 1111 1111", "Ab3782 822463 10005", "x4111 1111 1111 1111usd",
        "Card: x4111111111111111", "Visa x4111111111111111", "card no\nab5555555555554444",
        "card=x4111 1111 1111 1111", "card:x4111 1111 1111 1111abc"})
    void cardsGluedToOneOrTwoLettersBeforeThemAreFoundInALayoutOrUnderALabel(String text) {
        String t = text.replace("\\n", "\n");
        assertThat(scan(t)).as(t).singleElement().satisfies(x -> {
            assertThat(Character.isLetter(t.charAt(x.start() - 1))).isTrue();
            assertThat(Character.isDigit(t.charAt(x.start()))).isTrue();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"é4111 1111 1111 1111", "Zahlung per é4111-1111-1111-1111 bitte", "оплата4111111111111111",
        "Номер карты:оплата4111111111111111.", "支付4111111111111111", "Καρτα5555555555554444", "ñ378282246310005",
        "ü3782 822463 10005", "оплата4111111111111111X", "请用卡号支付4111111111111111谢谢", "оплата4111111111111111руб"})
    void cardsGluedToAWordOfNonAsciiLettersAreFound(String text) {
        assertThat(scan(text)).as(text).singleElement().satisfies(x -> {
            assertThat(Character.isLetter(text.charAt(x.start() - 1))).isTrue();
            assertThat(text.charAt(x.start() - 1)).isGreaterThanOrEqualTo('\u0080');
            assertThat(Character.isDigit(text.charAt(x.end() - 1))).isTrue();
        });
    }

    @Test
    void wordsOfNonAsciiLettersGluedToOtherNumbersAreNoCards() {
        // counter-cases: the word changes nothing about the digits, which must still be one card in a layout
        for (String text : new String[] {
            "оплата4111111111111112", // Luhn fails
            "заказ20264111111111111111", // 20 digits: a glued run is never cut
            "время1748503543012", // a 13-digit millisecond timestamp
            "ключ4111111111111111abcd", "ключ4111111111111111x2", // a longer suffix, or digits after it: an id
            "ключ4111111111111111aBcD", "ключ4111111111111111руб/x", // mixed case, or joined to more of a token
            "ключ4111111111111111.50", // a decimal number
            "é4111 1111 1111 1111 1", "é2027 4111 1111 1111", // groups that are no card as a whole
            "путь/ключ4111111111111111", // joined to the word before it: part of a path
            "αβ4111 1111 1111 1112", // Luhn fails in a layout
            "xé4111111111111111", "éx4111111111111111", // ASCII and other letters mixed: no such word
            "оплата4111 1111, 1111 1111", // a row of figures still needs card context
        }) {
            assertThat(scan(text)).as(text).isEmpty();
        }
        // the ASCII trade-off stays: one letter glued to unseparated digits is an id without card context
        assertThat(scan("x4111111111111111")).isEmpty();
        assertThat(scan("Card: x4111111111111111")).hasSize(1);
    }

    @Test
    void hexDigestsUuidsBase64AndTrackingIdsAreNoGluedCards() {
        for (int at = 0; at <= 24; at++) {
            assertThat(scan(sha1With(at))).as(sha1With(at)).isEmpty();
            assertThat(scan("commit " + sha1With(at) + " merged")).as(sha1With(at)).isEmpty();
            assertThat(scan("Card: " + sha1With(at))).as(sha1With(at)).isEmpty();
        }
        for (String text : new String[] {
            "a3f4111111111111111b9c", "4111111111111111abcdef", "4111111111111111DEADBEEF", "4111111111111111abcd",
            "deadbeef4111111111111111cafe", "x4111111111111111x",
            // UUID-like: groups of a layout glued to hex and joined by dashes to more of the token
            "c0ffee12-4111-1111-1111-1111abcdefab", "4111-1111-1111-1111abcdefab", "4111-1111-1111-1111ab-12",
            // base64: mixed case, or glued by + / = to more of the blob
            "TWFu+4111111111111111abc/dGhlIHF1aWNr", "4111111111111111aBcD", "4111111111111111Ab/cd==",
            "eHl6/4111111111111111xyz", "4111111111111111xyz+QUJD",
            // tracking and parcel ids, file names, paths, emails
            "1Z999AA10123456784", "JD4111111111111111", "LX4111111111111111DE", "TBA4111111111111111",
            "4111111111111111abc.pdf", "files/4111111111111111abc", "4111111111111111abc@example.com",
            "4111111111111111x2", "4111111111111111abcdefghijklmnopqrstuvwxyz", "ab4111 1111 1111 1111 1",
            "v1.4111111111111111abc", "ID-4111111111111111abc", "ID_4111111111111111abc"}) {
            assertThat(scan(text)).as(text).isEmpty();
        }
        // three letters or more before a card in a layout are a word of their own (no trigger, no card)
        assertThat(scan("abc4111 1111 1111 1111")).isEmpty();
        // a 13-digit millisecond timestamp glued to letters under a label stays a timestamp
        assertThat(scan("Card: x1748503543012")).isEmpty();
    }

    @Test
    void anExtraDigitAfterACardCountsOnlyUnderALabel() {
        assertThat(span("Card number: 41111111111111112")).isEqualTo("4111111111111111");
        assertThat(span("Visa 55555555555544449 thanks")).isEqualTo("5555555555554444");
        assertThat(span("card\n41111111111111111")).isEqualTo("4111111111111111");
        // 20 digits whose first 19 are a card
        String visa19 = "411111111111111111" + Luhn.checkDigit("411111111111111111");
        assertThat(span("Card: " + visa19 + "7")).isEqualTo(visa19);
        // counter-cases: a plain 17-digit run is an id, and a run that is a card as a whole is that card
        assertThat(scan("41111111111111112")).isEmpty();
        assertThat(scan("Order 41111111111111112 shipped")).isEmpty();
        assertThat(scan("Tracking: 55555555555544449")).isEmpty();
        assertThat(scan("Card number: 41111111111111121")).isEmpty(); // the first 16 fail Luhn too
        assertThat(span("Card number: 4111111111111111")).isEqualTo("4111111111111111");
        assertThat(scan("Card number: 411111111111111111111")).isEmpty(); // 21 digits
        String millis = "400000000000" + Luhn.checkDigit("400000000000"); // a 13-digit timestamp and one digit more
        assertThat(scan("Card: " + millis + "5")).isEmpty();
    }

    @Test
    void visibleWordsAndMarksBetweenGroupsJoinThemOnlyUnderALabel() {
        char gap = PaymentCardDetector.GAP_SEPARATOR;
        String words = "4024 " + gap + " 0071 " + gap + " 0000 " + gap + " 0008";
        String luhn = "4024007100000008";
        assertThat(Luhn.isValid(luhn)).isTrue();
        assertThat(scan(words)).isEmpty();
        assertThat(scan("4024" + gap + " 0071" + gap + " 0000" + gap + " 0008" + gap)).isEmpty();
        assertThat(scan("4024" + gap + "0071" + gap + "0000" + gap + "0008")).isEmpty();
        // one such join among spaces is enough to need the label
        assertThat(scan("4024 0071 " + gap + " 0000 0008")).isEmpty();
        assertThat(span("Card number: " + words)).isEqualTo(words);
        assertThat(span("card\n4024" + gap + "0071" + gap + "0000" + gap + "0008")).hasSize(19);
        // a spaced en dash (what normalisation writes for a dash with a blank beside it)
        String dashed = "4024 \u2013 0071 \u2013 0000 \u2013 0008";
        assertThat(scan("Scores " + dashed)).isEmpty();
        assertThat(scan("4024 \u20130071 \u20130000 \u20130008")).isEmpty();
        assertThat(span("Card: " + dashed)).isEqualTo(dashed);
        // a hyphen with blanks and a hyphen alone join the groups of one number as before
        assertThat(span("4024 - 0071 - 0000 - 0008")).isEqualTo("4024 - 0071 - 0000 - 0008");
        assertThat(span("4024-0071-0000-0008")).isEqualTo("4024-0071-0000-0008");
    }

    @Test
    void lettersTypedForDigitsCountOnlyUnderALabel() {
        assertThat(span("Card: 4111 111l 1111 1111")).isEqualTo("4111 111l 1111 1111");
        assertThat(span("Card number 4111 1111 1111 111l")).isEqualTo("4111 1111 1111 111l");
        assertThat(span("Visa 4111-l111-1111-1111")).isEqualTo("4111-l111-1111-1111");
        assertThat(span("card 41I1111111111111")).isEqualTo("41I1111111111111");
        assertThat(span("card 4O24 0071 0000 0008")).isEqualTo("4O24 0071 0000 0008");
        assertThat(scan("Card: 4111 111l 1111 1111").get(0).maskedSample()).isEqualTo("4111 **** **** 1111");
        // counter-cases: no label; ordinary words; a group with no digit; too many letters; Luhn fails
        assertThat(scan("4111 111l 1111 1111")).isEmpty();
        assertThat(scan("Ref 41I1111111111111")).isEmpty();
        assertThat(scan("Card 4111 lOl 1111 1111")).isEmpty();
        assertThat(scan("Card: 4111 Ill 1111 1111")).isEmpty();
        assertThat(scan("Card 4111 llll 1111 1111")).isEmpty();
        assertThat(scan("Card: 4111 lII1 1111 1111")).isEmpty();
        assertThat(scan("Card: 4111 111l 1111 1112")).isEmpty();
        assertThat(scan("Card 2 lOng 1 Ill")).isEmpty();
        assertThat(scan("Card holders: 4000 IOU, 12 lots")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Kart numaras\u0131: %s",
        "KART NUMARASI %s",
        "Kredi kart\u0131n\u0131z: %s",
        "KRED\u0130 KARTI: %s", // Turkish capitals: the dotted capital I
        "KRED\u0130 KARTINIZ %s",
        "\u0391\u03c1\u03b9\u03b8\u03bc\u03cc\u03c2 \u03ba\u03ac\u03c1\u03c4\u03b1\u03c2: %s",
        "\u039a\u0391\u03a1\u03a4\u0391 %s",
        "\u0631\u0642\u0645 \u0627\u0644\u0628\u0637\u0627\u0642\u0629: %s",
        "\u0628\u0637\u0627\u0642\u0629 %s",
        "\u05de\u05e1\u05e4\u05e8 \u05db\u05e8\u05d8\u05d9\u05e1: %s",
        "\u05db\u05e8\u05d8\u05d9\u05e1 \u05d0\u05e9\u05e8\u05d0\u05d9 %s",
        // right to left lines in logical order: the label after the digits
        "%s \u05d4\u05d5\u05d0 \u05de\u05e1\u05e4\u05e8 \u05d4\u05db\u05e8\u05d8\u05d9\u05e1",
        "%s \u0647\u0648 \u0631\u0642\u0645 \u0627\u0644\u0628\u0637\u0627\u0642\u0629",
    })
    void labelsInTurkishGreekArabicAndHebrewAreCardContext(String label) {
        String text = String.format(label, "4111;1111;1111;1111");
        assertThat(span(text)).as(text).isEqualTo("4111;1111;1111;1111");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Kartal;%s", // eagle
        "Kart yar\u0131\u015f\u0131;%s", // a go-kart race
        "Kredi notu;%s", // credit score
        "\u03a7\u03ac\u03c1\u03c4\u03b7\u03c2;%s", // a map
        "\u0391\u03c1\u03b9\u03b8\u03bc\u03cc\u03c2 \u03c0\u03b1\u03c1\u03b1\u03b3\u03b3\u03b5\u03bb\u03af\u03b1\u03c2;%s", // order number
        "\u0631\u0642\u0645 \u0627\u0644\u0637\u0644\u0628;%s", // order number
        "\u0631\u0642\u0645 \u0627\u0644\u0647\u0627\u062a\u0641;%s", // phone number
        "\u05de\u05e1\u05e4\u05e8 \u05d4\u05d6\u05de\u05e0\u05d4;%s", // order number
        "\u05db\u05e8\u05d8\u05d9\u05e1 \u05d8\u05d9\u05e1\u05d4;%s", // a flight ticket
        "%s \u05de\u05e1\u05e4\u05e8 \u05d4\u05d6\u05de\u05e0\u05d4", // order number after the digits
    })
    void everydayWordsInTurkishGreekArabicAndHebrewAreNoCardContext(String words) {
        String text = String.format(words, "4000;1200;1300;1407");
        assertThat(scan(text)).as(text).isEmpty();
        assertThat(scan("card\n" + text)).as(text).hasSize(1);
    }
}
