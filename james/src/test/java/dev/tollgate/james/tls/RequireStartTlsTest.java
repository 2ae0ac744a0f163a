package dev.tollgate.james.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.api.BaseRequest;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

class RequireStartTlsTest {

    static SMTPSession session(boolean tls, int localPort) {
        Map<String, Object> answers = new HashMap<>();
        answers.put("isTLSStarted", tls);
        answers.put("getSSLSession", Optional.empty());
        answers.put("getLocalAddress", new InetSocketAddress("127.0.0.1", localPort));
        answers.put("getSessionID", "s1");
        return (SMTPSession) Proxy.newProxyInstance(SMTPSession.class.getClassLoader(), new Class<?>[] {SMTPSession.class},
                (proxy, method, args) -> {
                    if (!answers.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return answers.get(method.getName());
                });
    }

    @Test
    void refusesAuthAndMailBeforeTlsWith530() {
        RequireStartTls hook = new RequireStartTls();
        for (String command : new String[] {"AUTH", "MAIL"}) {
            Response r = hook.onCommand(session(false, 587), new BaseRequest(command, "PLAIN"));
            assertThat(r.getRetCode()).isEqualTo("530");
            assertThat(r.getLines().get(0).toString()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
        }
        assertThat(hook.getImplCommands()).containsExactly("AUTH", "MAIL");
    }

    @Test
    void stepsAsideOverTls() {
        assertThat(new RequireStartTls().onCommand(session(true, 587), new BaseRequest("AUTH", "PLAIN"))).isNull();
    }

    @Test
    void portListLimitsWhereTlsIsRequired() throws Exception {
        BaseHierarchicalConfiguration conf = new BaseHierarchicalConfiguration();
        conf.addProperty("ports", "587, 2587");
        RequireStartTls hook = new RequireStartTls();
        hook.init(conf);
        assertThat(hook.onCommand(session(false, 25), new BaseRequest("MAIL", "FROM:<a@b.c>"))).isNull();
        assertThat(hook.onCommand(session(false, 2587), new BaseRequest("MAIL", "FROM:<a@b.c>")).getRetCode())
                .isEqualTo("530");
    }

    @Test
    void badConfigurationNamesTheParameter() {
        BaseHierarchicalConfiguration conf = new BaseHierarchicalConfiguration();
        conf.addProperty("ports", "587,70000");
        assertThatThrownBy(() -> new RequireStartTls().init(conf)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("parameter 'ports'");
        assertThatThrownBy(() -> new RequireStartTlsConfig.Spec().validate(Parameters.of(Map.of("port", "587")), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("parameter 'port'");
    }
}
