package dev.tollgate.james.smtp;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * RS256 JWTs (RFC 7515, RFC 7518 §3.3) signed with a generated RSA key, its JWK (RFC 7517 §4, RFC 7518 §6.3.1),
 * and SASL initial responses carrying them (RFC 7628 §3.1, XOAUTH2).
 */
final class TestTokens {
    static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    final KeyPair keys;
    final String kid;

    TestTokens(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.kid = kid;
    }

    /** @return a compact JWS of {@code claimsJson} signed with this key */
    String sign(String claimsJson) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        String input = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return {@code {"keys":[...]}} with this public key */
    String jwks() {
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"n\":\""
                + B64URL.encodeToString(unsigned(pub.getModulus())) + "\",\"e\":\""
                + B64URL.encodeToString(unsigned(pub.getPublicExponent())) + "\"}]}";
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    /** OAUTHBEARER: {@code n,a=USER,^Aauth=Bearer TOKEN^A^A}, Base64. */
    static String oauthBearer(String user, String token) {
        return b64("n,a=" + user + ",\u0001auth=Bearer " + token + "\u0001\u0001");
    }

    /** XOAUTH2: {@code user=USER^Aauth=Bearer TOKEN^A^A}, Base64. */
    static String xoauth2(String user, String token) {
        return b64("user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001");
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
