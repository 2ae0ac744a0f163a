package dev.tollgate.it.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Ready when WebAdmin answers {@code GET /domains} with 200, which James does only once every server has
 * started. Fails at once when the container exits (James stops on a configuration error), instead of
 * waiting out the timeout.
 */
final class JamesReady extends AbstractWaitStrategy {
    private final int webadminPort;

    JamesReady(int webadminPort, Duration timeout) {
        this.webadminPort = webadminPort;
        withStartupTimeout(timeout);
    }

    @Override
    protected void waitUntilReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(startupTimeout);
        while (Instant.now().isBefore(deadline)) {
            if (!waitStrategyTarget.isRunning()) {
                throw new ContainerLaunchException("James exited during startup");
            }
            try {
                URI uri = URI.create("http://" + waitStrategyTarget.getHost() + ":"
                        + waitStrategyTarget.getMappedPort(webadminPort) + "/domains");
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerLaunchException("interrupted", e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerLaunchException("interrupted", e);
            }
        }
        throw new ContainerLaunchException("James WebAdmin did not answer within " + startupTimeout);
    }
}
