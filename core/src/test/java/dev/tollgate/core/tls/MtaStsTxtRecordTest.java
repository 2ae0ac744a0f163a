package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MtaStsTxtRecordTest {
    @Test
    void parsesTheRfcExample() throws Exception {
        MtaStsTxtRecord r = MtaStsTxtRecord.parse("v=STSv1; id=20160831085700Z;");
        assertThat(r.id()).isEqualTo("20160831085700Z");
        assertThat(r.extensions()).isEmpty();
    }

    @Test
    void acceptsExtensionsAndMissingTrailingDelimiter() throws Exception {
        MtaStsTxtRecord r = MtaStsTxtRecord.parse("v=STSv1 ;ext.one=val-1;  id=abc123");
        assertThat(r.id()).isEqualTo("abc123");
        assertThat(r.extensions()).containsEntry("ext.one", "val-1");
    }

    @Test
    void rejectsMalformedRecords() {
        String[] bad = {
            "v=STSv1;", "v=STSv1", "v=STSv2; id=1;", "id=1; v=STSv1;", "v=STSv1; id=;",
            "v=STSv1; id=" + "a".repeat(33) + ";", "v=STSv1; id=ab-c;", "v=STSv1; id=1; id=2;",
            "v=STSv1; id=1;; x=y;", "v=STSv1; id=1; novalue;", "v=STSv1; id=1; _bad=1;",
            "v=STSv1; id=1; ext=a b;", " v=STSv1; id=1;"
        };
        for (String record : bad) {
            assertThatThrownBy(() -> MtaStsTxtRecord.parse(record)).as(record)
                    .isInstanceOf(TlsPolicyException.class)
                    .extracting(e -> ((TlsPolicyException) e).reason())
                    .isEqualTo(TlsFailureReason.STS_POLICY_INVALID);
        }
    }

    @Test
    void thirtyTwoCharacterIdIsAccepted() throws Exception {
        assertThat(MtaStsTxtRecord.parse("v=STSv1; id=" + "A1".repeat(16)).id()).hasSize(32);
    }

    @Test
    void selectIgnoresOtherTxtRecords() throws Exception {
        assertThat(MtaStsTxtRecord.select(List.of("v=spf1 -all", "v=STSv1; id=x1;")))
                .get().extracting(MtaStsTxtRecord::id).isEqualTo("x1");
        assertThat(MtaStsTxtRecord.select(List.of("v=spf1 -all"))).isEmpty();
        assertThat(MtaStsTxtRecord.select(List.of())).isEmpty();
    }

    @Test
    void severalStsRecordsAreInvalid() {
        assertThatThrownBy(() -> MtaStsTxtRecord.select(List.of("v=STSv1; id=a;", "v=STSv1; id=b;")))
                .isInstanceOf(TlsPolicyException.class);
    }
}
