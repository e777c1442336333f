package io.deliverymetrics.quickstart;

import java.util.concurrent.CountDownLatch;

/** Command line of the quickstart: start everything, print where it is, stop on Ctrl-C. */
public final class QuickstartMain {

    private QuickstartMain() {}

    public static void main(String[] args) throws Exception {
        QuickstartConfig config = QuickstartConfig.load(System.getenv(), args);
        Quickstart quickstart = Quickstart.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("\nStopping Delivery Metrics...");
                                    quickstart.close();
                                    stopped.countDown();
                                },
                                "quickstart-shutdown"));
        System.out.println(quickstart.banner());
        stopped.await();
    }
}
