package dev.tollgate.james.ops;

import java.util.function.LongSupplier;

import javax.inject.Inject;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.audit.Metrics;

/**
 * Tollgate's {@link Metrics} over James's own {@link MetricFactory} and {@link GaugeRegistry} (injected), so
 * Tollgate's names appear in WebAdmin {@code GET /metrics} next to James's. A counter is a Dropwizard meter
 * (exported as {@code <name>_total}), a timer a Dropwizard timer (a summary in seconds), a gauge a
 * Dropwizard gauge. A failing metric update is logged at debug and never fails a decision. Thread-safe.
 */
public final class JamesMetrics implements Metrics {
    private static final Logger LOG = LoggerFactory.getLogger(JamesMetrics.class);

    private final MetricFactory factory;
    private final GaugeRegistry gauges;

    @Inject
    public JamesMetrics(MetricFactory factory, GaugeRegistry gauges) {
        this.factory = factory;
        this.gauges = gauges;
        dev.tollgate.core.audit.GlobalMetrics.install(this);
    }

    @Override
    public void add(String name, int n) {
        try {
            factory.generate(name).add(n);
        } catch (RuntimeException e) {
            LOG.debug("metric {} not updated", name, e);
        }
    }

    @Override
    public void register(String name) {
        try {
            factory.generate(name);
        } catch (RuntimeException e) {
            LOG.debug("metric {} not registered", name, e);
        }
    }

    @Override
    public Timer timer(String name) {
        TimeMetric t;
        try {
            t = factory.timer(name);
        } catch (RuntimeException e) {
            LOG.debug("timer {} not started", name, e);
            return () -> { };
        }
        return () -> {
            try {
                t.stopAndPublish();
            } catch (RuntimeException e) {
                LOG.debug("timer {} not published", name, e);
            }
        };
    }

    @Override
    public void gauge(String name, LongSupplier value) {
        try {
            gauges.register(name, value::getAsLong);
        } catch (RuntimeException e) {
            LOG.debug("gauge {} not registered", name, e);
        }
    }
}
