package io.deliverymetrics.batch;

import io.deliverymetrics.batch.cli.BatchCli;

/**
 * Entry point of the batch jar: {@code serve} (default) runs the schedule; {@code compact}, {@code
 * retain} and {@code status} are one-shot commands.
 */
public final class BatchMain {

    private BatchMain() {}

    public static void main(String[] args) {
        String[] effective = args.length == 0 ? new String[] {"serve"} : args;
        int code = BatchCli.run(System.getenv(), System.out, effective);
        boolean serving = effective[0].equals("serve") && code == 0;
        if (!serving) {
            System.exit(code);
        }
    }
}
