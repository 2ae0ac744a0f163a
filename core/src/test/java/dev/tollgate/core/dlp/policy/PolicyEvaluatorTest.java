package dev.tollgate.core.dlp.policy;

import static dev.tollgate.core.dlp.policy.PolicyTestSupport.SCANNER;
import static dev.tollgate.core.dlp.policy.PolicyTestSupport.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.dlp.content.Unscannable;

class PolicyEvaluatorTest {
    private static final String TWO_CARDS = "Card 4111 1111 1111 1111 and visa 4012888888881881 please";
    private static final String ONE_IBAN = "IBAN DE89 3704 0044 0532 0130 00";

    private static DlpInput.Builder mail(String text, String... recipients) {
        return DlpInput.builder().sender("alice@example.com").recipients(List.of(recipients))
                .findings(SCANNER.scan(text)).localDomains(Set.of("example.com")::contains);
    }

    @Test
    void externalOnlyRuleSplitsInternalAndExternalRecipients() {
        DlpPolicy p = policy("<dlp-policy><rule id='cards-out' detectors='payment-card' external-only='true'"
                + " action='quarantine'/></dlp-policy>");
        Decision d = PolicyEvaluator.evaluate(p, mail(TWO_CARDS, "bob@example.com", "carol@partner.example").build());
        assertThat(d.verdict("bob@example.com")).isEqualTo(RecipientVerdict.ALLOW);
        assertThat(d.verdict("carol@partner.example").action()).isEqualTo(DlpAction.QUARANTINE);
        assertThat(d.verdict("carol@partner.example").ruleIds()).containsExactly("cards-out");
        assertThat(d.split()).isTrue();
        assertThat(d.action()).isEqualTo(DlpAction.QUARANTINE);
        assertThat(d.matches()).extracting(RuleMatch::ruleId).containsExactly("cards-out");
        assertThat(d.matches().get(0).count()).isEqualTo(2);
        assertThat(d.counts()).isEqualTo(Map.of("payment-card", 2));
        assertThat(d.samples().get("payment-card")).contains("4111 **** **** 1111");
    }

    @Test
    void mostSevereRuleWinsAndAllMatchesAreRecorded() {
        DlpPolicy p = policy("<dlp-policy>"
                + "<rule id='tag-any' detectors='any' action='tag'/>"
                + "<rule id='cards' detectors='payment-card' action='reject'/>"
                + "<rule id='iban' detectors='iban' action='notify'/>"
                + "<rule id='cards-too' detectors='payment-card' action='reject'/>"
                + "</dlp-policy>");
        Decision d = PolicyEvaluator.evaluate(p, mail(TWO_CARDS + ' ' + ONE_IBAN, "x@partner.example").build());
        assertThat(d.ruleIds()).containsExactly("tag-any", "cards", "iban", "cards-too");
        assertThat(d.verdict("x@partner.example")).isEqualTo(new RecipientVerdict(DlpAction.REJECT, List.of("cards", "cards-too")));
        assertThat(d.verdict()).isEqualTo("sensitive");
    }

    @Test
    void countsAndConfidenceBoundTheRule() {
        DlpPolicy p = policy("<dlp-policy>"
                + "<rule id='few' detectors='payment-card' max-count='1' action='tag'/>"
                + "<rule id='many' detectors='payment-card' min-count='2' action='quarantine'/>"
                + "<rule id='sure' detectors='payment-card' min-confidence='high' action='reject'/>"
                + "</dlp-policy>");
        Decision one = PolicyEvaluator.evaluate(p, mail("number 4012888888881881 here", "x@partner.example").build());
        assertThat(one.ruleIds()).containsExactly("few");
        Decision two = PolicyEvaluator.evaluate(p, mail("number 4012888888881881 and 4111111111111111", "x@partner.example").build());
        assertThat(two.ruleIds()).containsExactly("many");
        Decision keyword = PolicyEvaluator.evaluate(p, mail("credit card number: 4111 1111 1111 1111 exp 12/29", "x@partner.example").build());
        assertThat(keyword.ruleIds()).contains("sure");
        assertThat(keyword.action()).isEqualTo(DlpAction.REJECT);
    }

    @Test
    void senderAndRecipientDomainScopes() {
        DlpPolicy p = policy("<dlp-policy><rule id='r' detectors='iban' sender-domains='.corp.example'"
                + " senders='boss@example.com' recipient-domains='bank.example' action='reject'/></dlp-policy>");
        DlpInput.Builder fromAlice = mail(ONE_IBAN, "a@bank.example", "b@other.example");
        assertThat(PolicyEvaluator.evaluate(p, fromAlice.build()).ruleIds()).isEmpty();
        Decision boss = PolicyEvaluator.evaluate(p, mail(ONE_IBAN, "a@bank.example", "b@other.example")
                .sender("Boss@Example.com").build());
        assertThat(boss.verdict("a@bank.example").action()).isEqualTo(DlpAction.REJECT);
        assertThat(boss.verdict("b@other.example").action()).isEqualTo(DlpAction.ALLOW);
        Decision sub = PolicyEvaluator.evaluate(p, mail(ONE_IBAN, "a@bank.example").sender("x@hq.corp.example").build());
        assertThat(sub.action()).isEqualTo(DlpAction.REJECT);
        Decision nullSender = PolicyEvaluator.evaluate(p, mail(ONE_IBAN, "a@bank.example").sender(null).build());
        assertThat(nullSender.action()).isEqualTo(DlpAction.ALLOW);
    }

    @Test
    void encryptFallsBackToElsePerRecipientWithoutCertificate() {
        DlpPolicy p = policy("<dlp-policy><rule id='enc' detectors='payment-card' action='encrypt' else='reject'/></dlp-policy>");
        Decision d = PolicyEvaluator.evaluate(p, mail(TWO_CARDS, "has@partner.example", "none@partner.example")
                .certificates("has@partner.example"::equals).build());
        assertThat(d.verdict("has@partner.example").action()).isEqualTo(DlpAction.ENCRYPT);
        assertThat(d.verdict("none@partner.example").action()).isEqualTo(DlpAction.REJECT);
        assertThat(d.verdict("none@partner.example").ruleIds()).containsExactly("enc");
    }

    @Test
    void justificationMarkerAllowsAndIsRecorded() {
        DlpPolicy p = policy("<dlp-policy justification-marker='[Justified]'><rule id='j' detectors='payment-card'"
                + " action='allow-with-justification' else='quarantine'/></dlp-policy>");
        Decision without = PolicyEvaluator.evaluate(p, mail(TWO_CARDS, "x@partner.example").subject("refund").build());
        assertThat(without.action()).isEqualTo(DlpAction.QUARANTINE);
        assertThat(without.matches().get(0).justified()).isFalse();
        Decision with = PolicyEvaluator.evaluate(p, mail(TWO_CARDS, "x@partner.example").subject("refund [justified] ok").build());
        assertThat(with.action()).isEqualTo(DlpAction.ALLOW);
        assertThat(with.matches().get(0).justified()).isTrue();
        assertThat(AuditLine.format("m1", "alice@example.com", with)).contains(" justified=j");
    }

    @Test
    void unscannablePartsAreNeverClean() {
        DlpPolicy p = policy("<dlp-policy/>");
        Decision d = PolicyEvaluator.evaluate(p, mail("nothing here", "x@example.com", "y@partner.example")
                .unscannable(List.of(Unscannable.of("attachment:a.zip", Unscannable.Reason.ENCRYPTED, "encrypted entry")))
                .build());
        assertThat(d.verdict()).isEqualTo("unscannable");
        assertThat(d.verdict("x@example.com")).as("internal by default").isEqualTo(RecipientVerdict.ALLOW);
        assertThat(d.verdict("y@partner.example")).isEqualTo(new RecipientVerdict(DlpAction.QUARANTINE, List.of("unscannable")));
        Decision all = PolicyEvaluator.evaluate(policy("<dlp-policy unscannable='reject' unscannable-scope='all'/>"),
                mail("nothing here", "x@example.com")
                        .unscannable(List.of(Unscannable.of("attachment:a.pdf", Unscannable.Reason.EXTRACTION_FAILED, "x")))
                        .build());
        assertThat(all.verdict("x@example.com").action()).isEqualTo(DlpAction.REJECT);
        Decision clean = PolicyEvaluator.evaluate(p, mail("nothing here", "x@example.com").build());
        assertThat(clean.verdict()).isEqualTo("clean");
        assertThat(clean.action()).isEqualTo(DlpAction.ALLOW);
    }

    @Test
    void auditLineCarriesIdsCountsAndMaskedSamplesButNeverTheValue() {
        DlpPolicy p = policy("<dlp-policy><rule id='cards-out' detectors='payment-card' external-only='true'"
                + " action='quarantine'/></dlp-policy>");
        Decision d = PolicyEvaluator.evaluate(p, mail(TWO_CARDS, "bob@example.com", "carol@partner.example").build());
        String line = AuditLine.format("Mail-1", "alice@example.com", d);
        assertThat(line).startsWith("dlp mail=Mail-1 sender=alice@example.com mode=enforce verdict=sensitive action=quarantine rules=cards-out")
                .contains("recipients=bob@example.com:allow,carol@partner.example:quarantine(cards-out)")
                .contains("detectors=payment-card:2")
                .contains("samples=\"payment-card:4111 **** **** 1111|")
                .doesNotContain("4111 1111 1111 1111").doesNotContain("4012888888881881").doesNotContain("\n");
    }

    @Test
    void recipientVerdictsRoundTripAsText() {
        Map<String, RecipientVerdict> v = new java.util.LinkedHashMap<>();
        v.put("a=b@x.example", new RecipientVerdict(DlpAction.QUARANTINE, List.of("r1", "r.2")));
        v.put("c@y.example", RecipientVerdict.ALLOW);
        String text = RecipientVerdicts.encode(v);
        assertThat(text).isEqualTo("a=b@x.example=quarantine:r1+r.2;c@y.example=allow:");
        assertThat(RecipientVerdicts.decode(text)).isEqualTo(v);
    }
}
