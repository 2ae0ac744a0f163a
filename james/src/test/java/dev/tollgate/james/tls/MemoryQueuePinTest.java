package dev.tollgate.james.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

/**
 * Against James 3.8.1's real in-memory queue: what a WebAdmin listing does to its reference count (one reference
 * taken, two released) empties an unpinned queue; a pinned queue keeps and delivers its mail.
 */
class MemoryQueuePinTest {
    private static final MailQueueName NAME = MailQueueName.of("tollgate-outgoing");

    /** The reference traffic of one {@code GET /mailQueues/NAME/mails} in James 3.8.1. */
    private static void webAdminListing(MemoryMailQueueFactory factory, MailQueue queue) throws Exception {
        factory.getQueue(NAME).orElseThrow();
        queue.close();
        queue.close();
    }

    @Test
    void unpinnedQueueLosesItsMailAfterListings() throws Exception {
        MemoryMailQueueFactory factory = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory());
        MemoryMailQueueFactory.MemoryCacheableMailQueue queue = factory.createQueue(NAME);
        queue.enQueue(FakeMail.builder().name("m1").sender("a@local.test").recipient("b@remote.test").build(),
                Duration.ofHours(1));
        assertThat(queue.getSize()).isEqualTo(1);
        webAdminListing(factory, queue);
        assertThat(queue.getSize()).as("James 3.8.1 defect: the queue was emptied").isZero();
    }

    @Test
    void pinnedQueueKeepsAndDeliversItsMail() throws Exception {
        MemoryMailQueueFactory factory = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory());
        MemoryMailQueueFactory.MemoryCacheableMailQueue queue = factory.createQueue(NAME);
        assertThat(MemoryQueuePin.pin(queue)).isTrue();
        queue.enQueue(FakeMail.builder().name("m1").sender("a@local.test").recipient("b@remote.test").build(),
                Duration.ofHours(1));
        for (int i = 0; i < 100; i++) {
            webAdminListing(factory, queue);
        }
        assertThat(queue.getSize()).isEqualTo(1);
        queue.enQueue(FakeMail.builder().name("m2").sender("a@local.test").recipient("b@remote.test").build());
        MailQueue.MailQueueItem item = reactor.core.publisher.Flux.from(queue.deQueue()).blockFirst(Duration.ofSeconds(30));
        assertThat(item.getMail().getName()).isEqualTo("m2");
        item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
    }

    @Test
    void otherQueuesAreLeftAlone() {
        assertThat(MemoryQueuePin.pin(null)).isFalse();
    }
}
