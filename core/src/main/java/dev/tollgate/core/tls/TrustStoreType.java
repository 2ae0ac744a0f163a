package dev.tollgate.core.tls;

/** How a trust store file of extra anchors is read. */
public enum TrustStoreType {
    /** One or more PEM {@code CERTIFICATE} blocks (RFC 7468 §5). */
    PEM,
    /** A PKCS#12 key store (RFC 7292); every certificate entry is a trust anchor. */
    PKCS12
}
