package dev.tollgate.core.testing;

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
 * The signing half of a test OpenID provider: an RSA key generated per test run, RS256 tokens (RFC 7515 compact
 * serialization, RFC 7518 §3.3) signed with the JDK's {@code SHA256withRSA}, and the public key as a JWK set
 * (RFC 7517 §5, RFC 7518 §6.3.1) for a test issuer to publish. Also builds the SASL
 * initial responses that carry a token: OAUTHBEARER (RFC 7628 §3.1) and XOAUTH2.
 */
public final class TestIssuer {
    /** Base64url without padding (RFC 7515 §2). */
    public static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;
    private final String kid;

    /** @param kid the key id put in every token header and in the JWK */
    public TestIssuer(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.kid = kid;
    }

    /** @return the compact JWS of {@code claimsJson} */
    public String sign(String claimsJson) {
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

    /** @return {@code {"keys":[{RSA public key}]}} */
    public String jwks() {
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"n\":\""
                + B64URL.encodeToString(unsigned(pub.getModulus())) + "\",\"e\":\""
                + B64URL.encodeToString(unsigned(pub.getPublicExponent())) + "\"}]}";
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    /** @return OAUTHBEARER's {@code n,a=USER,^Aauth=Bearer TOKEN^A^A}, Base64 */
    public static String oauthBearer(String user, String token) {
        return b64("n,a=" + user + ",\u0001auth=Bearer " + token + "\u0001\u0001");
    }

    /** @return the form James's own parser reads, {@code n,user=USER^Aauth=Bearer TOKEN^A^A}, Base64 */
    public static String oauthBearerJamesForm(String user, String token) {
        return b64("n,user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001");
    }

    /** @return XOAUTH2's {@code user=USER^Aauth=Bearer TOKEN^A^A}, Base64 */
    public static String xoauth2(String user, String token) {
        return b64("user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001");
    }

    /** @return {@code text} in UTF-8, standard Base64 (a SASL response line) */
    public static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
