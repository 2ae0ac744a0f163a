package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContextRuleTest {
    private final TextScanner cards = TextScanner.builder().detect(PaymentCardDetector.create()).build();

    private Confidence cardConfidence(String text) {
        return cards.scan(text).get(0).confidence();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Credit card: 4111111111111111", "Kreditkarte 4111111111111111", "carte bancaire 4111111111111111",
        "tarjeta 4111111111111111", "Cartão: 4111111111111111", "4111111111111111 (VISA)"
    })
    void multilingualPositiveKeywordsRaise(String text) {
        assertThat(cardConfidence(text)).isEqualTo(Confidence.HIGH);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Bankverbindung: DE89370400440532013000", "Kontonummer DE89370400440532013000",
        "rekeningnummer DE89370400440532013000", "numéro de compte DE89370400440532013000",
        "cuenta DE89370400440532013000", "conto corrente DE89370400440532013000", "conta DE89370400440532013000",
        "DE89370400440532013000 (IBAN)"
    })
    void multilingualIbanKeywordsRaise(String text) {
        TextScanner ibans = TextScanner.builder().detect(IbanDetector.create()).build();
        assertThat(ibans.scan(text)).singleElement().extracting(Finding::confidence).isEqualTo(Confidence.HIGH);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Bestellnummer 4111111111111111", "Sendungsnummer: 4111111111111111",
        "numéro de commande 4111111111111111", "número de pedido 4111111111111111", "sample 4111111111111111"
    })
    void multilingualNegativeKeywordsLower(String text) {
        assertThat(cardConfidence(text)).isEqualTo(Confidence.LOW);
    }

    @Test
    void negativeKeywordsLowerAndBothCancel() {
        assertThat(cardConfidence("test number 4111111111111111")).isEqualTo(Confidence.LOW);
        assertThat(cardConfidence("Order number: 4111111111111111")).isEqualTo(Confidence.LOW);
        assertThat(cardConfidence("tracking 4111111111111111")).isEqualTo(Confidence.LOW);
        assertThat(cardConfidence("test card 4111111111111111")).isEqualTo(Confidence.MEDIUM);
        assertThat(cardConfidence("ref 4111111111111111")).isEqualTo(Confidence.MEDIUM);
    }

    @Test
    void keywordsMatchWholeWordsOnly() {
        assertThat(cardConfidence("the latest 4111111111111111")).isEqualTo(Confidence.MEDIUM);
        assertThat(cardConfidence("discard 4111111111111111")).isEqualTo(Confidence.MEDIUM);
    }

    @Test
    void windowLimitsHowFarKeywordsCount() {
        String far = "card" + " ".repeat(100) + "4111111111111111";
        assertThat(cardConfidence(far)).isEqualTo(Confidence.MEDIUM);
        TextScanner wide = TextScanner.builder().detect(PaymentCardDetector.create())
                .contextRule(ContextRule.builder(DetectorType.PAYMENT_CARD).window(200).positive("card").build())
                .build();
        assertThat(wide.scan(far).get(0).confidence()).isEqualTo(Confidence.HIGH);
        TextScanner none = TextScanner.builder().detect(PaymentCardDetector.create())
                .contextRule(ContextRule.builder(DetectorType.PAYMENT_CARD).window(0).positive("card").build())
                .build();
        assertThat(none.scan("card 4111111111111111").get(0).confidence()).isEqualTo(Confidence.MEDIUM);
    }

    @Test
    void customRuleReplacesDefaultForItsType() {
        TextScanner s = TextScanner.builder().detect(PaymentCardDetector.create())
                .contextRule(ContextRule.builder(DetectorType.PAYMENT_CARD).negative("Beleg").build())
                .build();
        assertThat(s.scan("Kreditkarte 4111111111111111").get(0).confidence()).isEqualTo(Confidence.MEDIUM);
        assertThat(s.scan("BELEG 4111111111111111").get(0).confidence()).isEqualTo(Confidence.LOW);
    }

    @Test
    void builderValidates() {
        assertThatThrownBy(() -> ContextRule.builder(DetectorType.IBAN).window(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContextRule.builder(DetectorType.IBAN).window(ContextRule.MAX_WINDOW + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContextRule.builder(DetectorType.IBAN).positive(" "))
                .isInstanceOf(IllegalArgumentException.class);
        ContextRule r = ContextRule.builder(DetectorType.IBAN).positive("IBAN", "iban").build();
        assertThat(r.positiveKeywords()).containsExactly("iban");
        assertThat(ContextRule.defaults(DetectorType.IBAN).positiveKeywords())
                .contains("iban", "bankverbindung", "rekeningnummer", "compte");
        assertThat(ContextRule.defaults(DetectorType.US_SSN).positiveKeywords()).contains("ssn", "social security");
        assertThat(ContextRule.defaults(DetectorType.UK_NINO).positiveKeywords())
                .contains("national insurance", "nino");
    }

    @Test
    void confidenceSteps() {
        assertThat(Confidence.LOW.raise()).isEqualTo(Confidence.MEDIUM);
        assertThat(Confidence.HIGH.raise()).isEqualTo(Confidence.HIGH);
        assertThat(Confidence.LOW.lower()).isEqualTo(Confidence.LOW);
        assertThat(Confidence.HIGH.atLeast(Confidence.MEDIUM)).isTrue();
        assertThat(Confidence.LOW.atLeast(Confidence.MEDIUM)).isFalse();
    }
}
