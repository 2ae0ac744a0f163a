package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IbanTest {
    private final TextScanner scanner = TextScanner.builder()
            .detect(IbanDetector.create())
            .withoutDefaultContextRules()
            .build();

    @ParameterizedTest
    @ValueSource(strings = {
        "DE89370400440532013000", "GB82WEST12345698765432", "GB29NWBK60161331926819",
        "DE89 3704 0044 0532 0130 00", "NL91-ABNA-0417-1643-00", "NL91ABNA0417164300",
        "NO9386011117947", "FR1420041010050500013M02606", "BE68539007547034", "CH9300762011623852957",
        "gb82west12345698765432", "de89 3704 0044 0532 0130 00"
    })
    void validatesRegistryExamples(String iban) {
        assertThat(Iban.isValid(iban)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "DE89370400440532013001",      // changed digit
        "DE88370400440532013000",      // changed check digit
        "DE8937040044053201300",       // too short for DE
        "DE893704004405320130000",     // too long for DE
        "XX89370400440532013000",      // not in the registry
        "DE89  3704 0044 0532 0130 00", // double separator
        "DE89_3704_0044_0532_0130_00", // unknown separator
        "",
        "DE"
    })
    void rejectsInvalid(String iban) {
        assertThat(Iban.isValid(iban)).isFalse();
    }

    /** Builds a valid IBAN for a country with an independent (BigInteger) MOD 97-10 computation. */
    private static String makeIban(String country, int length, long seed) {
        StringBuilder bban = new StringBuilder();
        java.util.Random r = new java.util.Random(seed);
        while (bban.length() < length - 4) {
            bban.append(r.nextInt(4) == 0 ? (char) ('A' + r.nextInt(26)) : (char) ('0' + r.nextInt(10)));
        }
        StringBuilder numeric = new StringBuilder();
        for (char c : (bban + country + "00").toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        int check = 98 - new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
        return country + String.format("%02d", check) + bban;
    }

    @Test
    void everyRegistryCountryValidatesAndIsDetected() {
        for (String country : Iban.countries()) {
            int length = Iban.length(country).getAsInt();
            String iban = makeIban(country, length, country.hashCode());
            assertThat(iban).hasSize(length);
            assertThat(Iban.isValid(iban)).as(iban).isTrue();
            assertThat(scanner.scan("to " + iban + ".")).as(iban).singleElement()
                    .extracting(Finding::label).isEqualTo(country);
            // one changed digit in the BBAN fails
            int at = iban.length() - 1;
            char c = iban.charAt(at);
            char changed = Character.isDigit(c) ? (char) ('0' + (c - '0' + 1) % 10) : (c == 'Z' ? 'A' : (char) (c + 1));
            String bad = iban.substring(0, at) + changed;
            assertThat(Iban.isValid(bad)).as(bad).isFalse();
            assertThat(scanner.scan("to " + bad + ".")).as(bad).isEmpty();
            // wrong length for the country fails even with a valid checksum for that length
            assertThat(Iban.isValid(makeIban(country, length + 1, 7))).isFalse();
        }
    }

    @Test
    void registryHasLengths() {
        assertThat(Iban.length("DE")).hasValue(22);
        assertThat(Iban.length("no")).hasValue(15);
        assertThat(Iban.length("RU")).hasValue(33);
        assertThat(Iban.length("US")).isEmpty();
        assertThat(Iban.countries()).contains("AD", "LC", "XK", "VA").hasSizeGreaterThan(85);
    }

    @Test
    void detectsCompactAndGroupedFormsWithOriginalSpans() {
        String text = "Pay DE89370400440532013000 or NL91-ABNA-0417-1643-00 or GB82 WEST 1234 5698 7654 32.";
        List<Finding> f = scanner.scan(text);
        assertThat(f).extracting(Finding::label).containsExactly("DE", "NL", "GB");
        assertThat(text.substring(f.get(1).start(), f.get(1).end())).isEqualTo("NL91-ABNA-0417-1643-00");
        assertThat(text.substring(f.get(2).start(), f.get(2).end())).isEqualTo("GB82 WEST 1234 5698 7654 32");
        assertThat(f.get(0).maskedSample()).isEqualTo("DE****************3000");
        assertThat(f.get(1).maskedSample()).isEqualTo("NL**-****-****-**43-00");
    }

    @Test
    void groupedFormFollowedByWords() {
        List<Finding> f = scanner.scan("IBAN: DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX");
        assertThat(f).hasSize(1);
        assertThat(f.get(0).maskedSample()).isEqualTo("DE** **** **** **** **30 00");
    }

    @Test
    void groupedFormsWithAChangedCharAreRejected() {
        // The print forms validate as a whole, so one changed char anywhere fails MOD 97-10
        assertThat(scanner.scan("IBAN DE89 3704 0044 0532 0130 00")).hasSize(1);
        assertThat(scanner.scan("IBAN DE89 3704 0044 0532 0130 01")).isEmpty();
        assertThat(scanner.scan("IBAN DE89 3704 0045 0532 0130 00")).isEmpty();
        assertThat(scanner.scan("IBAN NL91-ABNA-0417-1643-00")).hasSize(1);
        assertThat(scanner.scan("IBAN NL91-ABNA-0417-1643-01")).isEmpty();
        assertThat(scanner.scan("IBAN NL92-ABNA-0417-1643-00")).isEmpty();
        assertThat(scanner.scan("IBAN NL91-ABNB-0417-1643-00")).isEmpty();
    }

    @Test
    void rejectsChangedDigitGluedRunsAndPrefixes() {
        assertThat(scanner.scan("DE89370400440532013001")).isEmpty();
        assertThat(scanner.scan("DE8937040044053201300012")).isEmpty(); // longer alphanumeric run
        assertThat(scanner.scan("XDE89370400440532013000")).isEmpty();  // glued letter before
        assertThat(scanner.scan("DE89 3704 0044 0532 0130 0012")).isEmpty();
    }
}
