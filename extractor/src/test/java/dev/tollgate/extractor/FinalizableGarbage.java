package dev.tollgate.extractor;

/**
 * Run in a JVM of its own with a small heap ({@link RetainedHeapTest}): makes garbage that waits for finalization,
 * as parsed PDFBox documents do, until the heap used after the last full collection is over the worker's retire
 * limit, then prints {@code over=<whether it is> retire=<ExtractorWorker.retainedTooMuch()>}.
 */
public final class FinalizableGarbage {
    private FinalizableGarbage() {
    }

    /** 256 KiB that can only be freed once its finalizer has run; the finalizer is slow, so they queue up. */
    static final class Held {
        @SuppressWarnings("unused")
        private final byte[] bytes = new byte[256 * 1024];

        @Override
        @SuppressWarnings("deprecation")
        protected void finalize() throws InterruptedException {
            Thread.sleep(2);
        }
    }

    public static void main(String[] args) {
        boolean over = false;
        for (int i = 0; i < 100_000 && !over; i++) {
            new Held();
            over = ExtractorWorker.retainedOverLimit();
        }
        System.out.println("over=" + over + " retire=" + ExtractorWorker.retainedTooMuch());
    }
}
