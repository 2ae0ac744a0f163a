package dev.tollgate.it.harness;

/**
 * The {@code TlsPolicyDelivery} parameters the TLS delivery tests add to the shipped {@code mailetcontainer.xml}:
 * trust in the tests' CA ({@code conf/tollgate-test-ca.pem}, which the test copies in) and TLS-RPT reports
 * (RFC 8460) written under {@code var/tlsrpt} for a reporting period the test can wait out.
 *
 * <pre>{@code
 * james.withConfFile("tollgate-test-ca.pem", ca.pem())
 *      .withConfEdit("mailetcontainer.xml", xml -> TlsDeliveryConf.trustTestCaAndReport(xml, "tollgate.test", "20s")
 *              .replaceOnce("<delays>5m, 15m, 1h, 4h</delays>", "<delays>30s</delays>"));
 * }</pre>
 */
public final class TlsDeliveryConf {
    private TlsDeliveryConf() {
    }

    /**
     * @param domain the reporting domain ({@code tlsRptDomain}); the contact is {@code postmaster@<domain>}
     * @param period the reporting period ({@code tlsRptPeriod}, e.g. {@code 20s})
     * @param more   further parameter elements, each a whole line such as {@code <tlsRptRetryDelays>5s</tlsRptRetryDelays>}
     * @return the edit, for more edits of the same file
     */
    public static ConfEdit trustTestCaAndReport(ConfEdit xml, String domain, String period, String... more) {
        String indent = "\n                ";
        StringBuilder parameters = new StringBuilder("<defaultLevel>may</defaultLevel>")
                .append(indent).append("<trustStore>conf/tollgate-test-ca.pem</trustStore>")
                .append(indent).append("<tlsRptDirectory>var/tlsrpt</tlsRptDirectory>")
                .append(indent).append("<tlsRptOrganization>Tollgate IT</tlsRptOrganization>")
                .append(indent).append("<tlsRptContact>mailto:postmaster@").append(domain).append("</tlsRptContact>")
                .append(indent).append("<tlsRptDomain>").append(domain).append("</tlsRptDomain>");
        for (String line : more) {
            parameters.append(indent).append(line);
        }
        parameters.append(indent).append("<tlsRptPeriod>").append(period).append("</tlsRptPeriod>");
        return xml.replaceOnce("<defaultLevel>may</defaultLevel>", parameters.toString());
    }
}
