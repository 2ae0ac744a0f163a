package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class TlsCipherGradeTest {
    private static final String AES_GCM = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    private static final String AES_CBC = "TLS_RSA_WITH_AES_256_CBC_SHA";
    private static final String TLS13 = "TLS_CHACHA20_POLY1305_SHA256";
    private static final String TRIPLE_DES = "SSL_RSA_WITH_3DES_EDE_CBC_SHA";
    private static final String RC4 = "TLS_ECDHE_RSA_WITH_RC4_128_SHA";
    private static final String DES = "SSL_RSA_WITH_DES_CBC_SHA";
    private static final String EXPORT = "SSL_RSA_EXPORT_WITH_RC4_40_MD5";
    private static final String NULL = "TLS_RSA_WITH_NULL_SHA256";
    private static final String SCSV = "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
    private static final List<String> ALL = List.of(AES_GCM, AES_CBC, TLS13, TRIPLE_DES, RC4, DES, EXPORT, NULL, SCSV);

    @Test
    void eachGradeIncludesTheStrongerOnesAsInPostfix() {
        assertThat(TlsCipherGrade.HIGH.filter(ALL)).containsExactly(AES_GCM, AES_CBC, TLS13, SCSV);
        assertThat(TlsCipherGrade.MEDIUM.filter(ALL)).containsExactly(AES_GCM, AES_CBC, TLS13, TRIPLE_DES, RC4, SCSV);
        assertThat(TlsCipherGrade.LOW.filter(ALL)).containsExactly(AES_GCM, AES_CBC, TLS13, TRIPLE_DES, RC4, DES, SCSV);
        assertThat(TlsCipherGrade.EXPORT.filter(ALL))
                .containsExactly(AES_GCM, AES_CBC, TLS13, TRIPLE_DES, RC4, DES, EXPORT, SCSV);
    }

    @Test
    void suitesWithoutEncryptionAreNeverPermitted() {
        for (TlsCipherGrade g : TlsCipherGrade.values()) {
            assertThat(g.permits(NULL)).as(g.postfixName()).isFalse();
        }
    }

    @Test
    void theJvmDefaultsAreAllHigh() throws Exception {
        List<String> defaults = List.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
        assertThat(TlsCipherGrade.HIGH.filter(defaults)).isEqualTo(defaults);
    }

    @Test
    void postfixNames() {
        assertThat(TlsCipherGrade.fromPostfixName("HIGH")).isEqualTo(TlsCipherGrade.HIGH);
        assertThat(TlsCipherGrade.fromPostfixName("medium")).isEqualTo(TlsCipherGrade.MEDIUM);
        assertThat(TlsCipherGrade.fromPostfixName("null")).isNull();
        assertThat(TlsCipherGrade.LOW).hasToString("low");
    }
}
