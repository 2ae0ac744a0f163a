package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TlsaRecordTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void parsesPresentationFormat() {
        TlsaRecord r = TlsaRecord.parse("3 1 1 " + HEX.toUpperCase());
        assertThat(r.usage()).isEqualTo(3);
        assertThat(r.selector()).isEqualTo(1);
        assertThat(r.matchingType()).isEqualTo(1);
        assertThat(r.associationData()).hasSize(32);
        assertThat(r.associationData()[0]).isEqualTo((byte) 0x01);
        assertThat(r.associationData()[7]).isEqualTo((byte) 0xef);
        assertThat(r.isUsable()).isTrue();
        assertThat(r).hasToString("3 1 1 " + HEX);
    }

    @Test
    void acceptsBlanksInsideHexAndMnemonics() {
        TlsaRecord r = TlsaRecord.parse("DANE-TA SPKI SHA2-256 " + HEX.substring(0, 32) + " \t" + HEX.substring(32));
        assertThat(r).isEqualTo(TlsaRecord.parse("2 1 1 " + HEX));
        assertThat(TlsaRecord.parse("dane-ee cert full 3082").matchingType()).isZero();
    }

    @Test
    void associationDataIsDefensivelyCopied() {
        byte[] data = new byte[32];
        TlsaRecord r = TlsaRecord.of(3, 1, 1, data);
        data[0] = 9;
        r.associationData()[1] = 9;
        assertThat(r.associationData()).containsOnly(0);
    }

    @Test
    void rejectsMalformedRecords() {
        String[] bad = {"", "3 1 1", "3 1 1 abc", "3 1 1 zz", "256 1 1 00", "-1 1 1 00", "3 x 1 00", "3 1 1 0x00", "1234 1 1 00"};
        for (String text : bad) {
            assertThatThrownBy(() -> TlsaRecord.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> TlsaRecord.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsaRecord.of(3, 1, 1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usabilityFollowsRfc7672() {
        assertThat(TlsaRecord.of(0, 0, 1, new byte[32]).isUsable()).isFalse();
        assertThat(TlsaRecord.of(1, 0, 1, new byte[32]).isUsable()).isFalse();
        assertThat(TlsaRecord.of(2, 0, 1, new byte[32]).isUsable()).isTrue();
        assertThat(TlsaRecord.of(3, 1, 2, new byte[64]).isUsable()).isTrue();
        assertThat(TlsaRecord.of(3, 1, 2, new byte[32]).isUsable()).isFalse();
        assertThat(TlsaRecord.of(3, 2, 0, new byte[5]).isUsable()).isFalse();
        assertThat(TlsaRecord.of(3, 1, 0, new byte[5]).isUsable()).isTrue();
        assertThat(TlsaRecord.of(3, 1, 255, new byte[5]).isUsable()).isFalse();
    }
}
