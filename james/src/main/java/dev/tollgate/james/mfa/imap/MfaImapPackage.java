package dev.tollgate.james.mfa.imap;

import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.james.imap.decode.parser.AuthenticateCommandParser;
import org.apache.james.imap.decode.parser.LoginCommandParser;
import org.apache.james.modules.protocols.ImapPackage;
import org.apache.james.utils.ClassName;

import com.google.common.collect.ImmutableList;

/**
 * James 3.8.1's IMAP command set with LOGIN and AUTHENTICATE decided by Tollgate's MFA service, the one SMTP
 * submission uses. List it <em>alone</em> in {@code conf/imapserver.xml} (it already holds every other default
 * command; James's {@code DefaultImapPackage} beside it would register LOGIN twice and stop James):
 * <pre>{@code
 * <imapPackages>dev.tollgate.james.mfa.imap.MfaImapPackage</imapPackages>
 * }</pre>
 * with {@code guice.extension.module=dev.tollgate.james.mfa.MfaModule} in {@code extensions.properties}.
 *
 * <p>Contents: James's {@code ImapPackage.DefaultNoAuth} processors, parsers and encoders unchanged;
 * {@link MfaLoginProcessor} and {@link MfaAuthenticateProcessor} in place of James's LOGIN and AUTHENTICATE
 * processors (same requests, same parsers); the {@link AuthRefusalEncoder} for RFC 5530 refusals.
 * Instantiated by James's {@code GuiceGenericLoader} from the extension jars, so its processors get the
 * process-wide {@code MfaService} singleton.
 */
public class MfaImapPackage extends ImapPackage.Impl {
    /** The fully qualified name to list in {@code <imapPackages>}. */
    public static final String NAME = "dev.tollgate.james.mfa.imap.MfaImapPackage";

    @Inject
    public MfaImapPackage() {
        this(new ImapPackage.DefaultNoAuth());
    }

    private MfaImapPackage(ImapPackage base) {
        super(concat(base.processors().stream(), Stream.of(
                        new ClassName(MfaLoginProcessor.class.getName()),
                        new ClassName(MfaAuthenticateProcessor.class.getName()))),
                concat(base.decoders().stream(), Stream.of(
                        new ClassName(AuthenticateCommandParser.class.getName()),
                        new ClassName(LoginCommandParser.class.getName()))),
                concat(base.encoders().stream(), Stream.of(new ClassName(AuthRefusalEncoder.class.getName()))));
    }

    private static ImmutableList<ClassName> concat(Stream<ClassName> a, Stream<ClassName> b) {
        return Stream.concat(a, b).collect(ImmutableList.toImmutableList());
    }
}
