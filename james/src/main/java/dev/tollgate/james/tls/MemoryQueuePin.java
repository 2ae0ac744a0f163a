package dev.tollgate.james.tls;

import java.lang.reflect.Method;

import org.apache.james.queue.api.MailQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around a James 3.8.1 defect of the in-memory mail queue ({@code MemoryMailQueueFactory.MemoryCacheableMailQueue}):
 * every WebAdmin listing of a queue's mails ({@code GET /mailQueues/NAME/mails}) releases one reference more than it
 * takes, and when the count reaches zero the queue disposes its scheduler and <em>clears and disposes every queued
 * mail</em>: accepted mail is lost without a bounce, and later mail of that queue is never dequeued.
 *
 * <p>{@link #pin} takes {@value #REFERENCES} extra references on such a queue (through its public
 * {@code reference()} method), so that listings can never bring the count to zero during the life of the server.
 * Other queue implementations are left alone. The references are never released: the in-memory queue's
 * content is lost at shutdown anyway, and James stops its JVM on shutdown.
 */
final class MemoryQueuePin {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryQueuePin.class);
    /** Extra references taken: one WebAdmin listing releases one, so this many listings are tolerated. */
    static final int REFERENCES = 1 << 20;
    static final String MEMORY_QUEUE_CLASS =
            "org.apache.james.queue.memory.MemoryMailQueueFactory$MemoryCacheableMailQueue";

    private MemoryQueuePin() {
    }

    /**
     * @param queue a mail queue
     * @return true when the queue was James's in-memory queue and is now pinned
     */
    static boolean pin(MailQueue queue) {
        if (queue == null) {
            return false;
        }
        if (!MEMORY_QUEUE_CLASS.equals(queue.getClass().getName())) {
            LOG.debug("tollgate.queue {} is not James's in-memory queue: not pinned", queue.getClass().getName());
            return false;
        }
        try {
            Method reference = queue.getClass().getMethod("reference");
            for (int i = 0; i < REFERENCES; i++) {
                reference.invoke(queue);
            }
            LOG.info("tollgate.queue pinned in-memory queue {} against James 3.8.1's WebAdmin listing defect",
                    queue.getName().asString());
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("tollgate.queue could not pin in-memory queue {}: a WebAdmin listing of its mails may lose them",
                    queue.getName().asString(), e);
            return false;
        }
    }
}
