package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DaneTlsaMatcherTest {
    private static final List<String> NAMES = List.of("mx.example.com", "example.com");

    private static TestPki.Issued root;
    private static TestPki.Issued intermediate;
    private static TestPki.Issued leaf;
    private static TestPki.Issued otherRoot;
    private static TestPki.Issued otherLeaf;

    private final DaneTlsaMatcher matcher = new DaneTlsaMatcher(Clock.fixed(TestPki.NOW, ZoneOffset.UTC));

    @BeforeAll
    static void pki() {
        root = TestPki.root("DANE Root");
        intermediate = TestPki.intermediate("DANE Intermediate", root);
        leaf = TestPki.leaf("mx.example.com", intermediate, TestPki.dns("mx.example.com"));
        otherRoot = TestPki.root("Other Root");
        otherLeaf = TestPki.leaf("mx.example.com", otherRoot, TestPki.dns("mx.example.com"));
    }

    static TlsaRecord record(int usage, int selector, int mtype, X509Certificate cert) {
        try {
            byte[] content = selector == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
            byte[] data = mtype == 0 ? content
                    : MessageDigest.getInstance(mtype == 1 ? "SHA-256" : "SHA-512").digest(content);
            return TlsaRecord.of(usage, selector, mtype, data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate[] chain(TestPki.Issued... certs) {
        X509Certificate[] out = new X509Certificate[certs.length];
        for (int i = 0; i < certs.length; i++) {
            out[i] = certs[i].cert;
        }
        return out;
    }

    @ParameterizedTest(name = "3 {0} {1}")
    @CsvSource({"0,0", "0,1", "0,2", "1,0", "1,1", "1,2"})
    void daneEeMatchesEverySelectorAndMatchingType(int selector, int mtype) {
        TlsaRecord r = record(3, selector, mtype, leaf.cert);
        DaneMatchResult result = matcher.match(List.of(r), chain(leaf, intermediate), NAMES);
        assertThat(result.status()).isEqualTo(DaneMatchResult.Status.MATCH);
        assertThat(result.matchedRecord()).contains(r);
        assertThat(result.failure()).isEmpty();
    }

    @ParameterizedTest(name = "3 {0} {1} against another certificate")
    @CsvSource({"0,0", "0,1", "0,2", "1,0", "1,1", "1,2"})
    void daneEeMismatchesAnotherCertificate(int selector, int mtype) {
        TlsaRecord r = record(3, selector, mtype, otherLeaf.cert);
        DaneMatchResult result = matcher.match(List.of(r), chain(leaf, intermediate), NAMES);
        assertThat(result.status()).isEqualTo(DaneMatchResult.Status.MISMATCH);
        assertThat(result.failure()).contains(TlsFailureReason.DANE_MISMATCH);
    }

    @Test
    void daneEeIgnoresNamesAndExpiry() {
        TestPki.Issued expiredWrongName = TestPki.leaf("other.example", otherRoot, TestPki.dns("other.example"),
                TestPki.NOW.minus(Duration.ofDays(400)), TestPki.NOW.minus(Duration.ofDays(10)));
        DaneMatchResult result = matcher.match(List.of(record(3, 1, 1, expiredWrongName.cert)),
                chain(expiredWrongName), NAMES);
        assertThat(result.isMatch()).isTrue();
    }

    @Test
    void daneEeOnlyLooksAtTheLeaf() {
        DaneMatchResult result = matcher.match(List.of(record(3, 1, 1, intermediate.cert)),
                chain(leaf, intermediate), NAMES);
        assertThat(result.status()).isEqualTo(DaneMatchResult.Status.MISMATCH);
    }

    @ParameterizedTest(name = "2 {0} {1} on the intermediate")
    @CsvSource({"0,0", "0,1", "0,2", "1,0", "1,1", "1,2"})
    void daneTaMatchesIntermediateInChain(int selector, int mtype) {
        TlsaRecord r = record(2, selector, mtype, intermediate.cert);
        DaneMatchResult result = matcher.match(List.of(r), chain(leaf, intermediate), NAMES);
        assertThat(result.status()).isEqualTo(DaneMatchResult.Status.MATCH);
        assertThat(result.matchedRecord()).contains(r);
    }

    @ParameterizedTest(name = "2 {0} {1} on the root sent in the chain")
    @CsvSource({"0,0", "0,1", "0,2", "1,0", "1,1", "1,2"})
    void daneTaMatchesRootIncludedInChain(int selector, int mtype) {
        DaneMatchResult result = matcher.match(List.of(record(2, selector, mtype, root.cert)),
                chain(leaf, intermediate, root), NAMES);
        assertThat(result.isMatch()).isTrue();
    }

    @Test
    void daneTaFullSpkiAuthenticatesAnAnchorNotSentByTheServer() {
        assertThat(matcher.match(List.of(record(2, 1, 0, root.cert)), chain(leaf, intermediate), NAMES).isMatch())
                .isTrue();
        assertThat(matcher.match(List.of(record(2, 1, 0, otherRoot.cert)), chain(leaf, intermediate), NAMES).status())
                .isEqualTo(DaneMatchResult.Status.MISMATCH);
    }

    @Test
    void daneTaDigestOfAnAnchorNotSentDoesNotMatch() {
        DaneMatchResult result = matcher.match(List.of(record(2, 1, 1, root.cert)), chain(leaf, intermediate), NAMES);
        assertThat(result.status()).isEqualTo(DaneMatchResult.Status.MISMATCH);
        assertThat(result.failure()).contains(TlsFailureReason.DANE_MISMATCH);
    }

    @Test
    void daneTaAcceptsNextHopDomainName() {
        TestPki.Issued domainLeaf = TestPki.leaf("example.com", intermediate, TestPki.dns("example.com"));
        assertThat(matcher.match(List.of(record(2, 1, 1, intermediate.cert)), chain(domainLeaf, intermediate), NAMES)
                .isMatch()).isTrue();
    }

    @Test
    void daneTaAcceptsWildcardLeafForOneLabel() {
        TestPki.Issued wildcard = TestPki.leaf("wild", intermediate, TestPki.dns("*.example.com"));
        assertThat(matcher.match(List.of(record(2, 1, 1, intermediate.cert)), chain(wildcard, intermediate),
                List.of("mx.example.com")).isMatch()).isTrue();
        assertThat(matcher.match(List.of(record(2, 1, 1, intermediate.cert)), chain(wildcard, intermediate),
                List.of("a.mx.example.com")).failure()).contains(TlsFailureReason.CERTIFICATE_HOST_MISMATCH);
    }

    @Test
    void daneTaUsesCommonNameOnlyWithoutDnsAltNames() {
        TestPki.Issued cnOnly = TestPki.leaf("mx.example.com", intermediate, List.of());
        assertThat(matcher.match(List.of(record(2, 1, 1, intermediate.cert)), chain(cnOnly, intermediate), NAMES)
                .isMatch()).isTrue();
        TestPki.Issued cnAndOtherSan = TestPki.leaf("mx.example.com", intermediate, TestPki.dns("other.example"));
        assertThat(matcher.match(List.of(record(2, 1, 1, intermediate.cert)), chain(cnAndOtherSan, intermediate), NAMES)
                .failure()).contains(TlsFailureReason.CERTIFICATE_HOST_MISMATCH);
    }

    @Test
    void daneTaRequiresTheNameToMatch() {
        DaneMatchResult result = matcher.match(List.of(record(2, 1, 1, intermediate.cert)),
                chain(leaf, intermediate), List.of("mx.other.example", "other.example"));
        assertThat(result.status()).isEqualTo(DaneMatchResult.Status.MISMATCH);
        assertThat(result.failure()).contains(TlsFailureReason.CERTIFICATE_HOST_MISMATCH);
    }

    @Test
    void daneTaParentReferenceNameAcceptsSubdomains() {
        assertThat(matcher.match(List.of(record(2, 1, 1, intermediate.cert)), chain(leaf, intermediate),
                List.of(".example.com")).isMatch()).isTrue();
        assertThat(matcher.match(List.of(record(2, 1, 1, intermediate.cert)), chain(leaf, intermediate),
                List.of(".mx.example.com")).isMatch()).isFalse();
    }

    @Test
    void daneTaChecksLeafExpiry() {
        TestPki.Issued expired = TestPki.leaf("mx.example.com", intermediate, TestPki.dns("mx.example.com"),
                TestPki.NOW.minus(Duration.ofDays(100)), TestPki.NOW.minus(Duration.ofDays(1)));
        DaneMatchResult result = matcher.match(List.of(record(2, 1, 1, intermediate.cert)),
                chain(expired, intermediate), NAMES);
        assertThat(result.failure()).contains(TlsFailureReason.CERTIFICATE_EXPIRED);
    }

    @Test
    void daneTaRejectsLeafNotSignedByTheAnchor() {
        DaneMatchResult result = matcher.match(List.of(record(2, 1, 1, intermediate.cert)),
                chain(otherLeaf, intermediate), NAMES);
        assertThat(result.status()).isEqualTo(DaneMatchResult.Status.MISMATCH);
        assertThat(result.failure()).contains(TlsFailureReason.VALIDATION_FAILURE);
    }

    @Test
    void daneTaRejectsNonCaIntermediate() {
        TestPki.Issued fakeCa = TestPki.leaf("Not A CA", root, List.of()); // basicConstraints cA=false
        TestPki.Issued child = TestPki.leaf("mx.example.com", fakeCa, TestPki.dns("mx.example.com"));
        DaneMatchResult result = matcher.match(List.of(record(2, 1, 1, root.cert)),
                chain(child, fakeCa, root), NAMES);
        assertThat(result.status()).isEqualTo(DaneMatchResult.Status.MISMATCH);
        assertThat(result.failure()).contains(TlsFailureReason.VALIDATION_FAILURE);
    }

    @Test
    void pkixUsagesAreUnusableAndIgnored() {
        DaneMatchResult result = matcher.match(List.of(record(0, 1, 1, root.cert), record(1, 1, 1, leaf.cert)),
                chain(leaf, intermediate, root), NAMES);
        assertThat(result.status()).isEqualTo(DaneMatchResult.Status.NO_USABLE_RECORDS);
        assertThat(result.failure()).contains(TlsFailureReason.TLSA_INVALID);
    }

    @Test
    void unknownSelectorMatchingTypeAndBadDigestLengthAreUnusable() {
        List<TlsaRecord> rrset = List.of(
                TlsaRecord.of(3, 2, 1, new byte[32]),
                TlsaRecord.of(3, 1, 3, new byte[32]),
                TlsaRecord.of(3, 1, 1, new byte[31]),
                TlsaRecord.of(3, 1, 2, new byte[32]),
                TlsaRecord.of(4, 1, 1, new byte[32]));
        assertThat(matcher.match(rrset, chain(leaf), NAMES).status())
                .isEqualTo(DaneMatchResult.Status.NO_USABLE_RECORDS);
    }

    @Test
    void unusableRecordsDoNotHideAUsableMatch() {
        List<TlsaRecord> rrset = List.of(record(1, 1, 1, leaf.cert), TlsaRecord.of(3, 1, 1, new byte[32]),
                record(3, 1, 2, leaf.cert));
        DaneMatchResult result = matcher.match(rrset, chain(leaf), NAMES);
        assertThat(result.isMatch()).isTrue();
        assertThat(result.matchedRecord().orElseThrow().matchingType()).isEqualTo(2);
    }

    @Test
    void emptyRrsetMeansDaneRequired() {
        DaneMatchResult result = matcher.match(List.of(), chain(leaf), NAMES);
        assertThat(result.status()).isEqualTo(DaneMatchResult.Status.NO_USABLE_RECORDS);
        assertThat(result.failure()).contains(TlsFailureReason.DANE_REQUIRED);
    }

    @Test
    void emptyChainIsMismatch() {
        DaneMatchResult result = matcher.match(List.of(record(3, 1, 1, leaf.cert)), new X509Certificate[0], NAMES);
        assertThat(result.status()).isEqualTo(DaneMatchResult.Status.MISMATCH);
        assertThat(result.failure()).contains(TlsFailureReason.VALIDATION_FAILURE);
    }
}
